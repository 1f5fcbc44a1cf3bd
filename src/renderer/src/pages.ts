/** The areas of the app, in navigation order; the address bar's #/name selects one. */
import { dialable } from '../../shared/telephony/dial-plan'

import { PAGES, type PageName } from '../../shared/ipc/app'

export { PAGES, type PageName }

export function pageFromHash(hash: string): PageName {
  const name = hash.replace(/^#\/?/, '').replace(/\?.*$/, '')
  return (PAGES as readonly string[]).includes(name) ? (name as PageName) : 'device'
}

/** The number a tel: or sip: link asked to call: '#/phone?dial=%2B12015550101' (digits, * # and a leading +). */
export function dialFromHash(hash: string): string | undefined {
  const query = /\?(.*)$/.exec(hash)?.[1]
  const dial = query ? new URLSearchParams(query).get('dial') : null
  const clean = dial ? dialable(dial) : ''
  return clean ? clean : undefined
}
