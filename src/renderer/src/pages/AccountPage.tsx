/**
 * Account: signed out, the sign-in form and whether the service answers; signed in, "Confirm this email" on top
 * while the original is unconfirmed and the day it closes while the account is closing, then four parts behind tabs (#/account/<part>): the overview (balance,
 * usage, lines, offers, calls), billing (cards, statement, orders), profile (details, notices, emails) and
 * security (password, sessions).
 * Follows main's session events, so a session the service ends elsewhere returns here to the sign-in form.
 */
import { useTranslation } from 'react-i18next'
import { useSession } from '../session'
import type { SessionState } from '../../../shared/ipc/account'
import { useAction, useDialtone, useQuery } from '../bridge/dialtone-context'
import { ConfirmEmailPrompt } from '../components/account/EmailConfirm'
import { ClosingBanner } from '../components/account/ClosingBanner'
import { useClosure } from '../components/account/YourData'
import { SignIn } from '../components/account/SignIn'
import { joinAsked } from '../components/business/join-address'
import { useFromHash } from '../use-from-hash'
import { ACCOUNT_SECTIONS, accountSectionFromHash } from '../pages'
import { BillingSection } from './account/BillingSection'
import { BusinessSection } from './account/BusinessSection'
import { BusinessBanner, RoleProvider, useSectionShown } from '../components/business/role'
import { OverviewSection } from './account/OverviewSection'
import { ProfileSection } from './account/ProfileSection'
import { SecuritySection } from './account/SecuritySection'
import { FormError } from '../components/Field'
import { Loading } from '../components/Loading'
import { isolate } from '../../../shared/i18n/bidi'
import { logFailure } from '../log'
import { useAccountZoneReady } from '../account-zone'

export function AccountPage(): React.JSX.Element {
  const { t } = useTranslation()
  const client = useDialtone()
  const session = useSession()
  const signOut = useAction(() => client.invoke('account.signOut'))
  const signedIn = session.data?.signedIn === true
  const joining = useFromHash(joinAsked)
  const doSignOut = (): void =>
    void signOut
      .run()
      .then((s) => s && session.update(() => s))
      .catch(logFailure('AccountPage: signOut.run'))
  return (
    <section aria-labelledby="account-title">
      <header className="page-head">
        <h1 id="account-title">{t('account.title')}</h1>
        {signedIn && (
          <button
            type="button"
            className="secondary"
            data-testid="signout"
            aria-disabled={signOut.pending}
            onClick={doSignOut}
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
      {signedIn && joining && (
        // An invitation's address opened on a computer signed in (their own account, a colleague's): joining
        // needs the sign-in screen, which asks for the invitation's code once signed out.
        <div className="banner warn" role="status" data-testid="join-signed-in">
          <p>{t('business.join.signedIn')}</p>
          <button
            type="button"
            data-testid="join-sign-out"
            aria-disabled={signOut.pending}
            onClick={doSignOut}
          >
            {t('account.signOut')}
          </button>
        </div>
      )}
      {signedIn && (
        <RoleProvider>
          <Dashboard protection={session.data?.protection ?? 'memory'} />
        </RoleProvider>
      )}
    </section>
  )
}

/** The signed-in account: the email prompt on top, the part's tabs, then the part the address asks for. */
function Dashboard({ protection }: { protection: SessionState['protection'] }): React.JSX.Element {
  const { t } = useTranslation()
  const profile = useQuery('account.profile')
  // The parts wait for the account's zone (or the profile's failure, then UTC as before): one drawn before it would
  // keep UTC's day in what it holds itself (a period's default dates), which a later redraw does not change.
  const partsReady = useAccountZoneReady(profile)
  const section = useFromHash(accountSectionFromHash)
  const shown = useSectionShown(profile.data?.type)
  // One query for the banner on top and the Profile's "Close my account", so closing and keeping show at once in both.
  const closure = useClosure()
  return (
    <div className="dashboard" data-testid="dashboard">
      {protection === 'memory' && <p className="muted">{t('account.memoryOnly')}</p>}
      <ConfirmEmailPrompt profile={profile} />
      <ClosingBanner closure={closure} />
      <BusinessBanner />
      <nav aria-label={t('account.sections.label')} className="segmented section-tabs">
        {ACCOUNT_SECTIONS.filter(shown).map((name) => (
          <a
            key={name}
            href={`#/account/${name}`}
            aria-current={section === name ? 'page' : undefined}
            data-testid={`account-tab-${name}`}
          >
            {name === 'business' ? t('business.tab') : t(`account.sections.${name}`)}
          </a>
        ))}
      </nav>
      <div data-testid={`account-section-${section}`}>
        {partsReady ? (
          <>
            {section === 'overview' && <OverviewSection />}
            {section === 'billing' && shown('billing') && <BillingSection />}
            {section === 'business' && shown('business') && <BusinessSection />}
            {section === 'profile' && <ProfileSection profile={profile} closure={closure} />}
            {section === 'security' && <SecuritySection />}
          </>
        ) : (
          <Loading />
        )}
      </div>
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
