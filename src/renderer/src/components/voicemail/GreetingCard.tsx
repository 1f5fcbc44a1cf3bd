/**
 * The line's greeting: whether callers hear the standard one or the person's own; record a new one with the
 * computer's microphone (stopped by the person or at the limit; the service refuses silence or one too long, in
 * words), play it, or go back to the standard greeting. From the analog phone: *98, then 8.
 */
import { useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useAction, useDialtone } from '../../bridge/dialtone-context'
import { useMediaEngine } from '../../media/media-context'
import { logFailure } from '../../log'
import { type MicRecording, recordMicrophone } from '../../voicemail/mic-recorder'
import { base64ToBytes, bytesToBase64 } from '../../voicemail/wav'
import { FormError } from '../Field'

export function GreetingCard({
  lineId,
  greeting,
  maxS,
  onChanged
}: {
  lineId: string
  greeting: { durationMs: number } | null
  maxS: number
  onChanged: () => void
}): React.JSX.Element {
  const { t } = useTranslation()
  const client = useDialtone()
  const engine = useMediaEngine()
  const recording = useRef<MicRecording | null>(null)
  const [recordingNow, setRecordingNow] = useState(false)
  const [micFailed, setMicFailed] = useState(false)
  const [saved, setSaved] = useState(false)
  const save = useAction(async (wav: Uint8Array) => {
    await client.invoke('voicemail.setGreeting', { lineId, audio: bytesToBase64(wav) })
    setSaved(true)
    onChanged()
  })
  const listen = useAction(async () => {
    const { audio } = await client.invoke('voicemail.greetingAudio', { lineId })
    await engine?.playRecording(base64ToBytes(audio))
  })
  const standard = useAction(async () => {
    await client.invoke('voicemail.deleteGreeting', { lineId })
    setSaved(false)
    onChanged()
  })
  const stop = async (): Promise<void> => {
    const r = recording.current
    recording.current = null
    setRecordingNow(false)
    if (r) await save.run(await r.stop())
  }
  const start = async (): Promise<void> => {
    // A greeting still being saved: a new recording now would be thrown away when it stops.
    if (save.pending) return
    setMicFailed(false)
    setSaved(false)
    save.clear()
    try {
      recording.current = await recordMicrophone(
        maxS,
        () => void stop().catch(logFailure('GreetingCard: limit'))
      )
      setRecordingNow(true)
    } catch {
      setMicFailed(true)
    }
  }
  return (
    <div data-testid="greeting">
      <h3>{t('voicemail.greeting.title')}</h3>
      <p data-testid="greeting-state">
        {greeting
          ? t('voicemail.greeting.own', { seconds: Math.round(greeting.durationMs / 1000) })
          : t('voicemail.greeting.standard')}
      </p>
      <p className="muted">{t('voicemail.greeting.phoneHint')}</p>
      {recordingNow ? (
        <>
          <p role="status">{t('voicemail.greeting.recording', { max: maxS, count: maxS })}</p>
          <button
            type="button"
            data-testid="greeting-stop"
            onClick={() => void stop().catch(logFailure('GreetingCard: stop'))}
          >
            {t('voicemail.greeting.stopAndSave')}
          </button>
        </>
      ) : (
        <div className="row-actions">
          <button
            type="button"
            className="secondary"
            data-testid="greeting-record"
            aria-disabled={save.pending}
            onClick={() => void start().catch(logFailure('GreetingCard: start'))}
          >
            {t('voicemail.greeting.record')}
          </button>
          {greeting && (
            <button
              type="button"
              className="secondary"
              data-testid="greeting-play"
              disabled={!engine}
              onClick={() => void listen.run().catch(logFailure('GreetingCard: play'))}
            >
              {t('voicemail.greeting.play')}
            </button>
          )}
          {greeting && (
            <button
              type="button"
              className="secondary"
              data-testid="greeting-standard"
              onClick={() => void standard.run().catch(logFailure('GreetingCard: standard'))}
            >
              {t('voicemail.greeting.useStandard')}
            </button>
          )}
        </div>
      )}
      {saved && !save.error && (
        <p role="status" data-testid="greeting-saved">
          {t('voicemail.greeting.saved')}
        </p>
      )}
      {micFailed && (
        <p className="banner error" role="alert" data-testid="greeting-mic-error">
          {t('voicemail.greeting.microphone')}
        </p>
      )}
      <FormError error={save.error ?? listen.error ?? standard.error} testId="greeting-error" />
    </div>
  )
}
