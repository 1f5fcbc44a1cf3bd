/**
 * Account: signed out, the sign-in form and whether the service answers; signed in, the dashboard — balance and
 * top-up and minutes packs, usage by day or month, each line with its 911 address, number and renewal, the
 * itemised calls, and the email addresses (with "Confirm this email" on top while the original is unconfirmed).
 * Follows main's session events, so a session the service ends elsewhere returns here to the sign-in form.
 */
import { useCallback } from 'react'
import { useTranslation } from 'react-i18next'
import type { SessionState } from '../../../shared/ipc/account'
import type { ResponseOf } from '../../../shared/ipc/contract'
import { useAction, useDialtone, useEvent, useQuery } from '../bridge/dialtone-context'
import { Balance } from '../components/account/Balance'
import { CallDetails } from '../components/account/CallDetails'
import { ConfirmEmailPrompt } from '../components/account/EmailConfirm'
import { Emails } from '../components/account/Emails'
import { LineCard } from '../components/account/LineCard'
import { LinesOverview } from '../components/account/LinesOverview'
import { SignIn } from '../components/account/SignIn'
import { UpgradeOffers } from '../components/account/UpgradeOffers'
import { UsageChart } from '../components/account/UsageChart'
import { FormError } from '../components/Field'
import { isolate } from '../../../shared/i18n/bidi'
import { logFailure } from '../log'

export function AccountPage(): React.JSX.Element {
  const { t } = useTranslation()
  const client = useDialtone()
  const session = useQuery('account.session')
  const { update } = session
  useEvent(
    'account.sessionChanged',
    useCallback((s: SessionState) => update(() => s), [update])
  )
  const signOut = useAction(() => client.invoke('account.signOut'))
  const signedIn = session.data?.signedIn === true
  return (
    <section aria-labelledby="account-title">
      <header className="page-head">
        <h1 id="account-title">{t('account.title')}</h1>
        {signedIn && (
          <button
            type="button"
            className="secondary"
            data-testid="signout"
            disabled={signOut.pending}
            onClick={() =>
              void signOut
                .run()
                .then((s) => s && update(() => s))
                .catch(logFailure('AccountPage: signOut.run'))
            }
          >
            {t('account.signOut')}
          </button>
        )}
      </header>
      <FormError error={signOut.error} testId="signout-error" />
      {session.data && !signedIn && (
        <>
          <SignIn />
          <ServiceStatus />
        </>
      )}
      {signedIn && <Dashboard protection={session.data?.protection ?? 'memory'} />}
    </section>
  )
}

type LineInfo = ResponseOf<'account.line'>

function Dashboard({ protection }: { protection: SessionState['protection'] }): React.JSX.Element {
  const { t } = useTranslation()
  const lines = useQuery('account.lines')
  const profile = useQuery('account.profile')
  const { update } = lines
  useEvent('account.linesChanged', lines.refresh)
  const replace = (next: LineInfo): void =>
    update((prev) => ({ lines: (prev?.lines ?? []).map((x) => (x.id === next.id ? next : x)) }))
  return (
    <div className="dashboard" data-testid="dashboard">
      {protection === 'memory' && <p className="muted">{t('account.memoryOnly')}</p>}
      <ConfirmEmailPrompt profile={profile} />
      <div className="two-col">
        <Balance />
        <UsageChart />
      </div>
      <FormError error={lines.error} testId="lines-error" />
      {lines.data && <LinesOverview lines={lines.data.lines} onChange={replace} />}
      {lines.data?.lines.map((l) => (
        <LineCard key={l.id} line={l} onChange={replace} />
      ))}
      <UpgradeOffers />
      <CallDetails />
      <Emails profile={profile} />
    </div>
  )
}

function ServiceStatus(): React.JSX.Element {
  const { t } = useTranslation()
  const status = useQuery('account.serviceStatus')
  return (
    <div className="card">
      <h2>{t('account.service')}</h2>
      {status.data && (
        <dl>
          <dt>{t('account.address')}</dt>
          <dd>{isolate(status.data.url)}</dd>
          <dd data-testid="service-state">
            {status.data.reachable
              ? t('account.online', { version: status.data.version ?? '?' })
              : t('account.offline', { error: t(`errors.reason.${status.data.reason ?? 'unreachable'}`) })}
          </dd>
        </dl>
      )}
    </div>
  )
}
