/**
 * The signed-in person's role on the account they act for (issue 25 part 2), and `Allowed`, which shows a part
 * only when that role may call the routes it needs. Both read the one table the service enforces
 * (src/shared/api/access.ts), so the app never offers what the service would refuse; the service still decides.
 */
import { useTranslation } from 'react-i18next'
import { mayCall } from '../../../../shared/api/access'
import type { RouteName } from '../../../../shared/api/routes'
import type { AccountSection } from '../../../../shared/ipc/app'
import { useQuery } from '../../bridge/dialtone-context'
import { RoleContext, useRole } from './role-context'

export function RoleProvider({ children }: { children: React.ReactNode }): React.JSX.Element {
  const me = useQuery('business.me')
  return <RoleContext.Provider value={me.data?.role ?? 'owner'}>{children}</RoleContext.Provider>
}

export const useMayCall = (...routes: RouteName[]): boolean => {
  const role = useRole()
  return routes.every((r) => mayCall(role, r))
}

/** Its children only when the person's role may call every route named. */
export function Allowed({
  routes,
  children
}: {
  routes: RouteName[]
  children: React.ReactNode
}): React.JSX.Element | null {
  return useMayCall(...routes) ? <>{children}</> : null
}

/** Which tabs of the Account page this person sees: billing for money roles, business for a business's people. */
export function useSectionShown(accountType: string | undefined): (section: AccountSection) => boolean {
  const role = useRole()
  return (section) => {
    if (section === 'billing') return mayCall(role, 'paymentMethods')
    if (section === 'business')
      return role === 'owner'
        ? accountType !== undefined && accountType !== 'individual'
        : mayCall(role, 'invoices') || mayCall(role, 'members')
    return true
  }
}

/** For a member: whose account this is and their role on it, on top of the page. */
export function BusinessBanner(): React.JSX.Element | null {
  const { t } = useTranslation()
  const me = useQuery('business.me')
  if (!me.data || me.data.role === 'owner') return null
  return (
    <p className="banner" data-testid="business-banner">
      {t('business.banner', {
        company: me.data.company ?? t('business.theBusiness'),
        role: t(`business.role.${me.data.role}`)
      })}
    </p>
  )
}
