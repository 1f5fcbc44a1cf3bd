/**
 * Dates and days in the account's time zone, in the person's language. Business dates are the account's: an
 * instant (paid through, due on) shows as the day it is in the account's time zone (published by the Account
 * page), and "today" is counted there too, with the service's own functions (src/shared/time/business-dates.ts).
 * A calendar day the service sends ('2026-12-20') is already the account's day: shown as is. Formatting, and the
 * zone itself, need no luxon and live in ./format-intl (re-exported here, so screens import from one place).
 */
import { addLocalDays, localDate, zoneOr } from '../../shared/time/business-dates'
import { accountZone, setCheckedAccountZone } from './format-intl'

export {
  accountZone,
  clearAccountZone,
  formatCardDigits,
  formatCardExpiry,
  formatDay,
  formatInstant,
  formatList,
  formatMoment,
  formatMoney,
  formatMonth,
  type Money,
  publishedAccountZone,
  subscribeAccountZone
} from './format-intl'

/** Sets the account's zone (the Account page does, from its profile), UTC for one that is not a real zone. */
export function publishAccountZone(next: string | undefined): void {
  setCheckedAccountZone(zoneOr(next))
}

/** Today (or `days` from today) as YYYY-MM-DD in the account's time zone (or `zone`). */
export function localDay(days = 0, now = new Date(), zone = accountZone()): string {
  return addLocalDays(localDate(now, zone), days)
}
