/**
 * The line's voicemail on the Phone page: each message with its caller, when it came and how long it is (new ones
 * marked), played on the phone's audio output through the MediaEngine (playing marks it heard), marked heard or
 * deleted; a full box is said plainly. The list is read again when the message lamp changes (a new message, or
 * messages heard from the handset).
 */
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useAction, useDialtone, useQuery } from '../../bridge/dialtone-context'
import { isolate } from '../../../../shared/i18n/bidi'
import type { VoicemailMessage } from '../../../../shared/api/voicemail'
import { useMediaEngine } from '../../media/media-context'
import { logFailure } from '../../log'
import { base64ToBytes } from '../../voicemail/wav'
import { FormError } from '../Field'
import { GreetingCard } from './GreetingCard'
import { usePhoneNumbers } from '../../phone-numbers'
import { Said, useSaid } from '../Said'

export function VoicemailMessages({
  lineId,
  waiting
}: {
  lineId: string
  waiting: boolean
}): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const phone = usePhoneNumbers()
  const client = useDialtone()
  const engine = useMediaEngine()
  const box = useQuery('voicemail.box', { lineId })
  const [playing, setPlaying] = useState<string | null>(null)
  const [seenWaiting, setSeenWaiting] = useState(waiting)
  if (seenWaiting !== waiting) {
    // The lamp changed: a message came, or messages were heard from the handset.
    setSeenWaiting(waiting)
    box.refresh()
  }
  const play = useAction(async (m: VoicemailMessage) => {
    const { audio } = await client.invoke('voicemail.messageAudio', { lineId, messageId: m.id })
    if (!m.heard) await client.invoke('voicemail.markHeard', { lineId, messageId: m.id })
    box.refresh()
    setPlaying(m.id)
    try {
      await engine?.playRecording(base64ToBytes(audio))
    } finally {
      setPlaying((p) => (p === m.id ? null : p))
    }
  })
  const heard = useAction(async (m: VoicemailMessage) => {
    await client.invoke('voicemail.markHeard', { lineId, messageId: m.id })
    box.refresh()
    return true
  })
  const remove = useAction(async (m: VoicemailMessage) => {
    if (playing === m.id) engine?.stopRecording()
    await client.invoke('voicemail.deleteMessage', { lineId, messageId: m.id })
    box.refresh()
    return true
  })
  // What marking or deleting a message just did, said once (the row changing or going is silent).
  const { said, say } = useSaid()
  const caller = (m: VoicemailMessage): string =>
    m.caller === 'anonymous'
      ? t('voicemail.anonymous')
      : m.callerName
        ? `${m.callerName} ${isolate(phone(m.caller))}`
        : isolate(phone(m.caller))
  const when = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' })
  const messages = box.data?.messages ?? []
  // Each message's buttons are described by its caller and time, so a list of buttons tells them apart.
  const ids = useId()
  const about = (m: VoicemailMessage): string => `${ids}-${m.id}-caller ${ids}-${m.id}-when`
  const unheard = messages.filter((m) => !m.heard).length
  return (
    <section className="card" aria-labelledby="voicemail-title" data-testid="voicemail">
      <h2 id="voicemail-title">{t('voicemail.title')}</h2>
      <p className="muted" data-testid="voicemail-summary">
        {messages.length === 0
          ? t('voicemail.empty')
          : t('voicemail.summary', {
              unheard,
              total: messages.length
            })}
      </p>
      {box.data?.full && (
        <p className="banner warning" role="status" data-testid="voicemail-full">
          {t('voicemail.full')}
        </p>
      )}
      <FormError error={box.error} testId="voicemail-error" />
      <ul className="plain-list">
        {messages.map((m) => (
          <li key={m.id} data-testid="voicemail-row" data-heard={m.heard ? 'yes' : 'no'}>
            <strong id={`${ids}-${m.id}-caller`}>{caller(m)}</strong>{' '}
            {!m.heard && <em data-testid="voicemail-new">{t('voicemail.new')}</em>}
            <br />
            <span className="muted" id={`${ids}-${m.id}-when`}>
              {t('voicemail.when', {
                date: when.format(new Date(m.receivedAt)),
                seconds: Math.max(1, Math.round(m.durationMs / 1000)),
                reason: t(`voicemail.reason.${m.reason}`)
              })}
            </span>
            <div className="row-actions">
              {playing === m.id ? (
                <button
                  type="button"
                  className="secondary"
                  aria-describedby={about(m)}
                  onClick={() => engine?.stopRecording()}
                >
                  {t('voicemail.stop')}
                </button>
              ) : (
                <button
                  type="button"
                  className="secondary"
                  data-testid="voicemail-play"
                  aria-describedby={about(m)}
                  disabled={!engine}
                  onClick={() => void play.run(m).catch(logFailure('VoicemailMessages: play'))}
                >
                  {t('voicemail.play')}
                </button>
              )}
              {!m.heard && (
                <button
                  type="button"
                  className="secondary"
                  data-testid="voicemail-heard"
                  aria-describedby={about(m)}
                  aria-disabled={heard.pending}
                  onClick={() =>
                    void heard
                      .run(m)
                      .then((ok) => ok && say(t('voicemail.heardSaid', { caller: caller(m) })))
                      .catch(logFailure('VoicemailMessages: heard'))
                  }
                >
                  {t('voicemail.markHeard')}
                </button>
              )}
              <button
                type="button"
                className="secondary"
                data-testid="voicemail-delete"
                aria-describedby={about(m)}
                aria-disabled={remove.pending}
                onClick={() =>
                  void remove
                    .run(m)
                    .then((ok) => ok && say(t('voicemail.deletedSaid', { caller: caller(m) })))
                    .catch(logFailure('VoicemailMessages: delete'))
                }
              >
                {t('voicemail.delete')}
              </button>
            </div>
          </li>
        ))}
      </ul>
      <FormError error={play.error ?? heard.error ?? remove.error} testId="voicemail-action-error" />
      <Said said={said} testId="voicemail-said" />
      {box.data && (
        <p className="muted">
          {t('voicemail.limits', {
            days: box.data.limits.maxAgeDays,
            count: box.data.limits.maxAgeDays,
            max: box.data.limits.maxMessages
          })}
        </p>
      )}
      {box.data && (
        <GreetingCard
          lineId={lineId}
          greeting={box.data.greeting}
          maxS={box.data.limits.maxGreetingS}
          onChanged={box.refresh}
        />
      )}
    </section>
  )
}
