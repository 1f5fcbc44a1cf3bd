/**
 * Recent calls, newest first: who, which way, when (in the person's locale), who transferred it to this line, how
 * it ended (a failure that names where to fix it links there); missed calls stand out, and each row calls back.
 * They are the signed-in account's calls only (with no one signed in, the calls made then, said so): the Phone page
 * mounts this anew for each account, so the last person's list is never on screen for the next. "Clear history"
 * asks, then clears it. Refreshed when a call ends (the line returns to idle) and on a missed call.
 */
import { useCallback, useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import type { CallState, HistoryEntry } from '../../../../shared/ipc/phone'
import { useDialtone, useEvent, useQuery } from '../../bridge/dialtone-context'
import { CallFailureRemedy, CallFailureWords, hasRemedy } from './CallFailureRemedy'
import { ClearHistory } from './ClearHistory'
import { Said, useSaid } from '../Said'
import { RoleProvider } from '../business/role'
import { who } from './CallPanel'
import { isolate } from '../../../../shared/i18n/bidi'
import { usePhoneNumbers } from '../../phone-numbers'

export function CallHistory({
  phase,
  accountId
}: {
  phase: CallState['phase']
  /** Whose history this is: the signed-in account, or null with no one signed in. */
  accountId: string | null
}): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const { said, say } = useSaid()
  const phone = usePhoneNumbers()
  const client = useDialtone()
  const history = useQuery('phone.history')
  const { refresh, update } = history
  // Read again as each call ends (the line goes idle when the person hangs up, a moment before the call's session
  // has ended and its entry is closed), and for a missed call recovered at start (told only as missed).
  const reread = useCallback((_e: HistoryEntry) => refresh(), [refresh])
  useEvent('phone.callEnded', reread)
  useEvent('phone.missedCall', reread)
  useEffect(() => {
    if (phase === 'idle') refresh()
  }, [phase, refresh])
  const when = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' })
  const calls = history.data?.calls ?? []
  return (
    <section className="card" aria-labelledby="history-title">
      <h2 id="history-title">{t('phone.history')}</h2>
      {accountId === null && (
        <p className="muted" data-testid="call-history-signed-out">
          {t('phone.historySignedOut')}
        </p>
      )}
      {calls.length === 0 ? (
        <p className="muted">{t('phone.historyEmpty')}</p>
      ) : (
        <RolesIf needed={calls.some((c) => hasRemedy(c.failure) || hasRemedy(c.ended))}>
          <ul className="call-history" data-testid="call-history">
            {calls.slice(0, 50).map((c) => (
              <li
                key={c.id}
                className={c.outcome === 'missed' ? 'missed' : undefined}
                data-testid="call-history-row"
              >
                <span className="who">{isolate(who(c.remote, t, phone))}</span>
                <span className="muted">
                  {t(`phone.direction.${c.direction}`)} · {t(`phone.outcome.${c.outcome}`)}
                  {c.outcome === 'failed' && c.failure && (
                    <>
                      <CallFailureWords why={c.failure} />
                      <CallFailureRemedy why={c.failure} testId="call-history-remedy" />
                    </>
                  )}
                  {c.outcome === 'answered' && c.ended && (
                    <>
                      <span data-testid="call-history-ended"> ({t(`phone.ended.${c.ended}`)})</span>
                      <CallFailureRemedy why={c.ended} testId="call-history-remedy" />
                    </>
                  )}{' '}
                  {c.referredBy && (
                    <span data-testid="call-history-referred-by">
                      · {t('phone.transferredBy', { remote: isolate(who(c.referredBy, t, phone)) })}{' '}
                    </span>
                  )}
                  · <time dateTime={c.startedAt}>{when.format(new Date(c.startedAt))}</time>
                </span>
                {c.remote !== 'private' && (
                  <button
                    type="button"
                    className="secondary"
                    aria-label={t('phone.callBack', { remote: who(c.remote, t, phone) })}
                    onClick={() =>
                      void client.invoke('phone.dial', { number: c.remote }).catch(() => undefined)
                    }
                  >
                    {t('phone.call')}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </RolesIf>
      )}
      {calls.length > 0 && (
        <ClearHistory
          accountId={accountId}
          onCleared={(c) => {
            update(() => ({ calls: c }))
            say(t('phone.historyClearedSaid'))
          }}
        />
      )}
      <Said said={said} testId="call-history-said" />
    </section>
  )
}

/** The role, asked for only when a row links somewhere (most histories have no such failure). */
function RolesIf({ needed, children }: { needed: boolean; children: React.ReactNode }): React.JSX.Element {
  return needed ? <RoleProvider>{children}</RoleProvider> : <>{children}</>
}
