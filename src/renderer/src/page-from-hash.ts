/**
 * Which area the address names ('#/phone?dial=...' -> 'phone') and which part of the Account page: apart from
 * ./pages.ts (which also reads numbers with the dial plan) so the first-paint script marks the same area as the app,
 * and a refusal can tell whether the place it leads to is the one shown (./remedies.ts), without the dial plan.
 */
import { ACCOUNT_SECTIONS, type AccountSection, PAGES, type PageName } from '../../shared/ipc/app-pages'

/** The path of the address after '#/', without its query: ['account', 'billing']. */
export const pathOf = (hash: string): string[] => hash.replace(/^#\/?/, '').replace(/\?.*$/, '').split('/')

export function pageFromHash(hash: string): PageName {
  const name = pathOf(hash)[0] ?? ''
  return (PAGES as readonly string[]).includes(name) ? (name as PageName) : 'device'
}

/** Which part of the Account page the address asks for ('#/account/billing'); the overview otherwise. */
export function accountSectionFromHash(hash: string): AccountSection {
  const [page, section = ''] = pathOf(hash)
  return page === 'account' && (ACCOUNT_SECTIONS as readonly string[]).includes(section)
    ? (section as AccountSection)
    : 'overview'
}
