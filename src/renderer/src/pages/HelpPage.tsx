/**
 * Help (issue 25): signed in, ask support (the diagnostics report attached with one click) and follow the
 * requests and replies, dated in the account's zone; signed out, how to reach support without an account. Always:
 * where to buy Re-Up cards.
 */
import { useTranslation } from 'react-i18next'
import { useSession } from '../session'
import type { SupportRequestView } from '../../../shared/api/support'
import { useQuery } from '../bridge/dialtone-context'
import { useAccountZoneReady } from '../account-zone'
import { FormError } from '../components/Field'
import { Loading } from '../components/Loading'
import { ContactSupport } from '../components/help/ContactSupport'
import { ShopFinder } from '../components/help/ShopFinder'
import { RoleProvider } from '../components/business/role'
import { SupportForm } from '../components/help/SupportForm'
import { SupportRequests } from '../components/help/SupportRequests'

export function HelpPage(): React.JSX.Element {
  const { t } = useTranslation()
  const session = useSession()
  const signedIn = session.data?.signedIn === true
  return (
    <section aria-labelledby="help-title">
      <header className="page-head">
        <h1 id="help-title">{t('help.title')}</h1>
      </header>
      <p className="muted">{t('help.intro')}</p>
      {session.data && (signedIn ? <SignedInHelp /> : <ContactSupport />)}
      {/* A business's line user is told who renews, not led to a renewal they cannot see. */}
      <RoleProvider>
        <ShopFinder />
      </RoleProvider>
    </section>
  )
}

function SignedInHelp(): React.JSX.Element {
  const requests = useQuery('help.requests')
  // The requests' dates are the account's days: drawn once its zone is in place (account-zone.ts says why).
  const zoneReady = useAccountZoneReady(useQuery('account.profile'))
  const { update, refresh } = requests
  const replace = (next: SupportRequestView): void =>
    update((prev) => ({ requests: (prev?.requests ?? []).map((r) => (r.id === next.id ? next : r)) }))
  return (
    <>
      <SupportForm onSent={refresh} />
      <FormError error={requests.error} testId="help-requests-error" />
      {requests.data && !zoneReady && <Loading />}
      {requests.data && zoneReady && <SupportRequests requests={requests.data.requests} onChange={replace} />}
    </>
  )
}
