/**
 * Dates and days in the account's time zone, in the person's language. Business dates are the account's: an
 * instant (paid through, due on) shows as the day it is in the account's time zone (kept here, published by the
 * Account page), and "today" is counted there too, with the service's own functions
 * (src/shared/time/business-dates.ts). A calendar day the service sends ('2026-12-20') is already the account's
 * day: shown as is. Money, calendar days and months need no zone and live in ./format-intl (re-exported here, so
 * screens import from one place).
 */
import { addLocalDays, localDate, zoneOr } from '../../shared/time/business-dates'

export { formatDay, formatMoney, formatMonth, type Money } from './format-intl'

let zone = 'UTC'
const listeners = new Set<() => void>()

/** The signed-in account's time zone (UTC until a profile says otherwise, as the service assumes). */
export function accountZone(): string {
  return zone
}

/** Sets the account's zone (the Account page does, from its profile); listeners re-render. */
export function publishAccountZone(next: string | undefined): void {
  const z = zoneOr(next)
  if (z === zone) return
  zone = z
  for (const l of listeners) l()
}

export function subscribeAccountZone(listener: () => void): () => void {
  listeners.add(listener)
  return () => void listeners.delete(listener)
}

/** The day an instant falls on in the account's time zone (or `zone`). */
export function formatInstant(iso: string, lang: string, zone = accountZone()): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: zone }).format(new Date(iso))
}

/** Today (or `days` from today) as YYYY-MM-DD in the account's time zone (or `zone`). */
export function localDay(days = 0, now = new Date(), zone = accountZone()): string {
  return addLocalDays(localDate(now, zone), days)
}
