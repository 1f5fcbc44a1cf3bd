/**
 * Money, dates and days in the person's language (Intl, no library: the browser already knows every locale
 * Dialtone speaks).
 */
export interface Money {
  readonly amountMinor: number
  readonly currency: string
}

export function formatMoney(m: Money, lang: string): string {
  return new Intl.NumberFormat(lang, { style: 'currency', currency: m.currency }).format(m.amountMinor / 100)
}

export function formatInstant(iso: string, lang: string): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium' }).format(new Date(iso))
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

/** Today (or `days` from today) as YYYY-MM-DD in the computer's time zone. */
export function localDay(days = 0, now = new Date()): string {
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() + days)
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}
