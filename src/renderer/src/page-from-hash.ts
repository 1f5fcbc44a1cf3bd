/**
 * Which area the address names ('#/phone?dial=...' -> 'phone'): apart from ./pages.ts (which also reads numbers
 * with the dial plan) so the first-paint script marks the same area as the app without loading the dial plan.
 */
import { PAGES, type PageName } from '../../shared/ipc/app-pages'

/** The path of the address after '#/', without its query: ['account', 'billing']. */
export const pathOf = (hash: string): string[] => hash.replace(/^#\/?/, '').replace(/\?.*$/, '').split('/')

export function pageFromHash(hash: string): PageName {
  const name = pathOf(hash)[0] ?? ''
  return (PAGES as readonly string[]).includes(name) ? (name as PageName) : 'device'
}
