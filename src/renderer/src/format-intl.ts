/**
 * Money, calendar days and months in the person's language, by Intl alone (the browser already knows every locale
 * Dialtone speaks). Apart from ./format, which also keeps the account's time zone and counts days with luxon,
 * because the error words (../words.ts) need only these and load with the first page: luxon is about 20 KiB gzip
 * the first page would otherwise fetch. ./format re-exports them, so screens import from one place.
 */

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
