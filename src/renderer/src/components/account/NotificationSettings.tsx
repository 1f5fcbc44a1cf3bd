/**
 * Which notices the account gets by email, one switch per kind the service sends (SENT_TOPICS: the kinds its
 * notices belong to; service news, missed calls and offers have no sender yet, so no switch), each saying what
 * the notice is and where it goes; a switch saves at once and says so. Security notices, receipts and
 * anything about 911 are not switches: the service always sends them, and the screen says so. Above the switches,
 * the language all of them come in (./MessageLanguage.tsx).
 */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { SENT_TOPICS } from '../../../../shared/api/notice-topics'
import { isolate } from '../../../../shared/i18n/bidi'
import { type Query, useAction, useDialtone } from '../../bridge/dialtone-context'
import { FormError } from '../Field'
import { logFailure } from '../../log'
import type { Profile } from './EmailConfirm'
import { MessageLanguage } from './MessageLanguage'

type Switchable = (typeof SENT_TOPICS)[number]

export function NotificationSettings({ profile }: { profile: Query<Profile> }): React.JSX.Element | null {
  const { t } = useTranslation()
  const client = useDialtone()
  const [saved, setSaved] = useState<{ kind: Switchable; on: boolean } | null>(null)
  // The switch as clicked while it saves (then the account's answer again; a refusal puts it back).
  const [asked, setAsked] = useState<{ kind: Switchable; on: boolean } | null>(null)
  const save = useAction((kind: Switchable, on: boolean) =>
    client.invoke('account.updateNotifications', { [kind]: on })
  )
  const p = profile.data
  if (!p) return null
  // Notices go to the preferred confirmed address (the service's rule in outbox.ts), so that is the channel named.
  const to = p.emails.find((e) => e.preferred && e.verified) ?? p.emails.find((e) => e.verified)
  return (
    <section className="card" aria-labelledby="notices-title" data-testid="notice-settings">
      <h2 id="notices-title">{t('notices.title')}</h2>
      <p className="muted" data-testid="notice-channel">
        {to ? t('notices.channel', { address: isolate(to.address) }) : t('notices.noAddress')}
      </p>
      <MessageLanguage profile={profile} />
      <ul className="plain-list">
        {SENT_TOPICS.map((kind) => (
          <li key={kind} data-testid={`notice-${kind}`}>
            <label className="inline">
              <input
                type="checkbox"
                data-testid={`notice-toggle-${kind}`}
                checked={asked?.kind === kind ? asked.on : p.notifications[kind]}
                aria-disabled={save.pending}
                aria-describedby={`notice-${kind}-text`}
                onChange={(e) => {
                  // Another notice still saving: this box stays as it is (its change would be refused, and the
                  // refusal would undo the other's choice on screen).
                  if (save.pending) return
                  const on = e.target.checked
                  setSaved(null)
                  setAsked({ kind, on })
                  void save
                    .run(kind, on)
                    .then((next) => {
                      setAsked(null)
                      if (!next) return
                      profile.update(() => next)
                      setSaved({ kind, on })
                    })
                    .catch(logFailure('NotificationSettings: save.run'))
                }}
              />
              <strong>{t(`notices.kind.${kind}.title`)}</strong>
            </label>
            <p id={`notice-${kind}-text`} className="muted">
              {t(`notices.kind.${kind}.text`)}
            </p>
          </li>
        ))}
      </ul>
      {saved && (
        <p className="note" role="status" data-testid="notice-saved">
          {t(saved.on ? 'notices.savedOn' : 'notices.savedOff', {
            kind: t(`notices.kind.${saved.kind}.title`)
          })}
        </p>
      )}
      <FormError error={save.error} testId="notice-error" />
      <p className="note" data-testid="notice-always">
        {t('notices.always')}
      </p>
    </section>
  )
}
