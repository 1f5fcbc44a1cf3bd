/**
 * Where the account is signed in: each session with the app and system that opened it (the name the app gives
 * at sign-in, "Dialtone 0.1.0 (linux)"), the network address it was last used from (the service keeps no map of
 * addresses to places, and the screen says so rather than guess), when it was last used; this one marked.
 * "Sign out" ends one other session and "Sign out everywhere else" all of them; the app there is signed out at
 * its next request to the service and returns to its sign-in form.
 */
import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import type { ResponseOf } from '../../../../shared/ipc/contract'
import { type Query, asDialtoneError, useAction, useDialtone } from '../../bridge/dialtone-context'
import { FormError } from '../Field'
import { logFailure } from '../../log'

type SessionList = ResponseOf<'account.sessions'>
type Session = SessionList['sessions'][number]

const APP_NAME = /^Dialtone (\S{1,20}) \((linux|darwin|win32|other)\)$/

/** The device line: this app's own name worded in the person's language; another client's as it named itself. */
function useDevice(): (s: Session) => string {
  const { t } = useTranslation()
  return (s) => {
    if (s.client === null) return t('account.security.sessions.unknownDevice')
    const m = APP_NAME.exec(s.client)
    if (!m?.[1] || !m[2]) return t('account.security.sessions.otherApp', { name: s.client })
    return t('account.security.sessions.device', {
      version: m[1],
      os: t(`account.security.sessions.os.${m[2]}`)
    })
  }
}

function when(iso: string, lang: string): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso))
}

export function Sessions({ sessions }: { sessions: Query<SessionList> }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const client = useDialtone()
  const id = useId()
  const device = useDevice()
  const { refresh } = sessions
  const revoke = useAction(async (ids: readonly string[]) => {
    for (const sessionId of ids)
      try {
        await client.invoke('account.revokeSession', { sessionId })
      } catch (err) {
        // Already ended (it expired, or its app signed out meanwhile): what the person asked for is done.
        if (asDialtoneError(err).reason !== 'session-not-found') throw err
      }
    return ids.length
  })
  const list = sessions.data?.sessions ?? []
  const others = list.filter((s) => !s.current)
  const run = (ids: readonly string[]): void => {
    // A press while sessions are being signed out does nothing (the list is read again once they are).
    if (revoke.pending) return
    void revoke.run(ids).finally(refresh).catch(logFailure('Sessions: revoke.run'))
  }
  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="sessions">
      <h2 id={`${id}-title`}>{t('account.security.sessions.title')}</h2>
      <p className="muted">{t('account.security.sessions.hint')}</p>
      <FormError error={sessions.error} testId="sessions-load-error" />
      <ul className="plain-list">
        {list.map((s) => (
          <li key={s.id} data-testid="session-row" data-current={s.current ? 'true' : undefined}>
            {s.current && (
              <span className="chip state-ready" data-testid="session-current">
                {t('account.security.sessions.this')}
              </span>
            )}
            <strong>{device(s)}</strong>
            <br />
            <span className="muted">
              {[
                s.address
                  ? t('account.security.sessions.address', { address: s.address })
                  : t('account.security.sessions.noAddress'),
                t('account.security.sessions.lastUsed', { when: when(s.lastSeenAt, i18n.language) }),
                t('account.security.sessions.signedIn', { when: when(s.createdAt, i18n.language) })
              ].join(' · ')}
            </span>
            {!s.current && (
              <button
                type="button"
                className="secondary"
                aria-disabled={revoke.pending}
                data-testid="session-signout"
                aria-label={t('account.security.sessions.signOutOne', { device: device(s) })}
                onClick={() => run([s.id])}
              >
                {t('account.security.sessions.signOut')}
              </button>
            )}
          </li>
        ))}
      </ul>
      {sessions.data && others.length === 0 && (
        <p className="muted" data-testid="sessions-none">
          {t('account.security.sessions.none')}
        </p>
      )}
      <FormError error={revoke.error} testId="sessions-error" />
      {revoke.data !== undefined && (
        <p className="note" role="status" data-testid="sessions-done">
          {revoke.data === 1
            ? t('account.security.sessions.doneOne')
            : t('account.security.sessions.doneAll')}
        </p>
      )}
      {others.length > 0 && (
        <div className="row-actions">
          <button
            type="button"
            aria-disabled={revoke.pending}
            data-testid="sessions-signout-all"
            onClick={() => run(others.map((s) => s.id))}
          >
            {t('account.security.sessions.signOutAll')}
          </button>
        </div>
      )}
    </section>
  )
}
