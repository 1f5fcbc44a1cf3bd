/**
 * Money, dates and days in the person's language (Intl: the browser already knows every locale Dialtone speaks).
 * Business dates are the account's: an instant (paid through, due on) shows as the day it is in the account's
 * time zone (kept here, published by the Account page), and "today" is counted there too, with the service's
 * own functions (src/shared/time/business-dates.ts). A calendar day the service sends ('2026-12-20') is already
 * the account's day: shown as is.
 */
import { addLocalDays, localDate, zoneOr } from '../../shared/time/business-dates'

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

export interface Money {
  readonly amountMinor: number
  readonly currency: string
}

export function formatMoney(m: Money, lang: string): string {
  return new Intl.NumberFormat(lang, { style: 'currency', currency: m.currency }).format(m.amountMinor / 100)
}

/** The day an instant falls on in the account's time zone (or `zone`). */
export function formatInstant(iso: string, lang: string, zone = accountZone()): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: zone }).format(new Date(iso))
}

/** A calendar day ('2026-12-02') as the person writes it, read as that day wherever the computer is. */
export function formatDay(day: string, lang: string): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(`${day}T00:00:00Z`)
  )
}

/** A month ('2026-12') as "Dec 2026" in the person's language. */
export function formatMonth(month: string, lang: string): string {
  return new Intl.DateTimeFormat(lang, { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${month}-01T00:00:00Z`)
  )
}

/** Today (or `days` from today) as YYYY-MM-DD in the account's time zone (or `zone`). */
export function localDay(days = 0, now = new Date(), zone = accountZone()): string {
  return addLocalDays(localDate(now, zone), days)
}
