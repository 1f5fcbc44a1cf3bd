/**
 * Money, calendar days, months and instants in the person's language, by Intl alone (the browser already knows
 * every locale Dialtone speaks), and the account's time zone that instants are shown in. Apart from ./format,
 * which checks a published zone and counts days with luxon, because screens on the first page (the error words,
 * ../words.ts; the setup wizard's transfer notice) need only these: luxon is about 20 KiB gzip that page would
 * otherwise fetch. ./format re-exports all of this, so screens import from one place.
 */
import { formatNumber } from './i18n/interpolation'

/** An amount in minor units (cents) and its ISO 4217 currency, as the service sends it. */
export interface Money {
  readonly amountMinor: number
  readonly currency: string
}

/** An amount in the person's language and the amount's own currency. */
export function formatMoney(m: Money, lang: string): string {
  return new Intl.NumberFormat(lang, { style: 'currency', currency: m.currency }).format(m.amountMinor / 100)
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

let zone = 'UTC'
let published = false
const listeners = new Set<() => void>()

/** The signed-in account's time zone (UTC until a profile says otherwise, as the service assumes). */
export function accountZone(): string {
  return zone
}

/**
 * Puts a zone in place and re-renders its listeners. Only ./format's publishAccountZone calls it, with a zone it
 * has checked is a real IANA zone (the service's own check, in luxon); screens call publishAccountZone.
 */
export function setCheckedAccountZone(checked: string): void {
  if (checked === zone && published) return
  zone = checked
  published = true
  for (const l of listeners) l()
}

/**
 * Back to UTC with no zone published, telling the listeners: the signed-in parts that published one are gone
 * (signed out, or on a page that shows no account dates), so the next account's dates wait for its own profile.
 */
export function clearAccountZone(): void {
  if (!published) return
  zone = 'UTC'
  published = false
  for (const l of listeners) l()
}

/** The zone a profile put in place on this page; null until one has (the zone is then UTC by default). */
export function publishedAccountZone(): string | null {
  return published ? zone : null
}

export function subscribeAccountZone(listener: () => void): () => void {
  listeners.add(listener)
  return () => void listeners.delete(listener)
}

/** The day an instant falls on in the account's time zone (or `zone`). */
export function formatInstant(iso: string, lang: string, zone = accountZone()): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: zone }).format(new Date(iso))
}

/** A moment on this computer's clock, its day and time: when the app itself did something (looked for an update). */
export function formatMoment(iso: string, lang: string): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso))
}

/**
 * Items in a sentence ("911 address, phone number"), joined as the language joins them: its own comma and "and"
 * (Persian "،" and "و", Croatian "i"), never an English ", " in every language.
 */
export function formatList(items: readonly string[], lang: string): string {
  return new Intl.ListFormat(lang, { style: 'long', type: 'conjunction' }).format(items)
}

/**
 * Digits printed on a card (its last four) in the person's language's digits: '4242' reads '۴۲۴۲' in Persian,
 * as every other number on the page does. Each digit by Intl, so leading zeros stay.
 */
export function formatCardDigits(digits: string, lang: string): string {
  return digits.replace(/[0-9]/g, (d) => formatNumber(Number(d), lang))
}

/**
 * A card's expiry as it is printed on the card, MM/YY, in the person's digits ('08/30', Persian '۰۸/۳۰'): the
 * card's Gregorian month and year, never converted to the reader's calendar.
 */
export function formatCardExpiry(expMonth: number, expYear: number, lang: string): string {
  const two = new Intl.NumberFormat(lang, { minimumIntegerDigits: 2, useGrouping: false })
  return `${two.format(expMonth)}/${two.format(expYear % 100)}`
}
