/**
 * The areas of the app, in navigation order; the address bar's #/name selects one, and #/account/<section> one
 * part of the Account page.
 */
import { dialable } from '../../shared/telephony/dial-plan'

import { ACCOUNT_SECTIONS, type AccountSection, PAGES, type PageName } from '../../shared/ipc/app-pages'
import { accountSectionFromHash, pageFromHash } from './page-from-hash'

export { PAGES, type PageName }

export { pageFromHash, accountSectionFromHash }

export { ACCOUNT_SECTIONS, type AccountSection }

/** Where the Re-Up code is entered: each line's renewal, on the Account page's overview. */
export const VOUCHER_HREF = '#/account/overview?focus=voucher'

/** The field an address asks to bring into view and focus ('#/account/overview?focus=voucher' -> 'voucher'). */
export function focusFromHash(hash: string): string | undefined {
  const query = /\?(.*)$/.exec(hash)?.[1]
  return (query ? new URLSearchParams(query).get('focus') : null) ?? undefined
}

/** The number a tel: or sip: link asked to call: '#/phone?dial=%2B12015550101' (digits, * # and a leading +). */
export function dialFromHash(hash: string): string | undefined {
  const query = /\?(.*)$/.exec(hash)?.[1]
  const dial = query ? new URLSearchParams(query).get('dial') : null
  const clean = dial ? dialable(dial) : ''
  return clean ? clean : undefined
}
