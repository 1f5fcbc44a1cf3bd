/** The areas of the app, in navigation order; the address bar's #/name selects one. */
export const PAGES = ['device', 'phone', 'account', 'diagnostics', 'settings'] as const
export type PageName = (typeof PAGES)[number]

export function pageFromHash(hash: string): PageName {
  const name = hash.replace(/^#\/?/, '')
  return (PAGES as readonly string[]).includes(name) ? (name as PageName) : 'device'
}
