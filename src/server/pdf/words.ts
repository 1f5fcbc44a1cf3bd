/**
 * The words of the PDFs the service makes for people (invoices, statements, signed statements), in the six
 * languages the app speaks: one catalog per language in ./locales (test/unit/server/pdf-words.test.ts checks that
 * every language has every key with the same placeholders), and the numbers, amounts and dates formatted for the
 * language with Intl. Every interpolated value is isolated (FSI ... PDI) the way the app's i18next does it, so an
 * amount or an invoice number keeps its order inside Persian text (./bidi-runs.ts reads the isolates).
 *
 * English keeps the output it had before these catalogs: ISO dates (2026-11-30), the month as 2026-11, amounts
 * as 12.50 USD, entry kinds as their codes.
 */
import { isolate } from '../../shared/i18n/bidi'
import { DEFAULT_LANGUAGE, LANGUAGE_CODES, type LanguageCode, languageDir } from '../../shared/i18n/languages'
import en from './locales/en.json'
import fa from './locales/fa.json'
import fr from './locales/fr.json'
import hr from './locales/hr.json'
import ro from './locales/ro.json'
import sl from './locales/sl.json'

export type PdfWordKey = keyof typeof en
export type Catalog = Readonly<Record<PdfWordKey, string>>

export const PDF_CATALOGS: Readonly<Record<LanguageCode, Catalog>> = { en, fa, fr, hr, ro, sl }

/** The Intl locale of each language. Persian reads the Gregorian calendar: the invoices' months are Gregorian. */
const INTL: Readonly<Record<LanguageCode, string>> = {
  en: 'en',
  fa: 'fa-u-ca-gregory',
  fr: 'fr',
  hr: 'hr',
  ro: 'ro',
  sl: 'sl'
}

/** A language code from a request or a column; anything else is English. */
export const pdfLanguage = (code: string | null | undefined): LanguageCode =>
  (LANGUAGE_CODES as readonly string[]).includes(code ?? '') ? (code as LanguageCode) : DEFAULT_LANGUAGE

export interface PdfWords {
  readonly language: LanguageCode
  readonly dir: 'ltr' | 'rtl'
  /** Whether the catalog has this key (plan, service and offer names come from data). */
  has(key: string): boolean
  /** The catalog's sentence with each {placeholder} replaced by its value, isolated. */
  t(key: PdfWordKey, params?: Readonly<Record<string, string | number>>): string
  /** An amount in minor units with its currency ('12.50 USD', '۱۲٫۵۰ USD'), isolated. */
  money(minor: number, currency: string): string
  /** An amount in minor units without its currency ('12.50', '۱۲٫۵۰'), isolated. */
  amount(minor: number): string
  /** A plain count ('5', '۵'). */
  count(n: number): string
  /** A local calendar date, YYYY-MM-DD. */
  date(isoDate: string): string
  /** A local date and time, 'YYYY-MM-DD HH:MM'. */
  stamp(localStamp: string): string
  /** A month, YYYY-MM. */
  month(period: string): string
  /** An identifier (an invoice number, an account id, a time zone): isolated as it is. */
  id(value: string): string
}

export function pdfWords(language: LanguageCode): PdfWords {
  const catalog = PDF_CATALOGS[language]
  const tag = INTL[language]
  const english = language === 'en'
  const decimals = new Intl.NumberFormat(tag, {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
    useGrouping: false
  })
  const whole = new Intl.NumberFormat(tag, { useGrouping: false })
  const dayFormat = new Intl.DateTimeFormat(tag, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    timeZone: 'UTC'
  })
  const stampFormat = new Intl.DateTimeFormat(tag, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: 'UTC'
  })
  const monthFormat = new Intl.DateTimeFormat(tag, { year: 'numeric', month: 'long', timeZone: 'UTC' })
  // Local dates and times are formatted as if in UTC: they are already the account's wall clock.
  const utc = (local: string): Date => new Date(`${local.replace(' ', 'T')}Z`)
  const amount = (minor: number): string =>
    english ? (minor / 100).toFixed(2) : decimals.format(minor / 100)
  const t: PdfWords['t'] = (key, params = {}) =>
    catalog[key].replace(/\{(\w+)\}/g, (whole_, name: string) =>
      name in params ? isolate(String(params[name])) : whole_
    )
  return {
    language,
    dir: languageDir(language),
    has: (key) => Object.hasOwn(catalog, key),
    t,
    money: (minor, currency) => isolate(t('money', { amount: amount(minor), currency })),
    amount: (minor) => isolate(amount(minor)),
    count: (n) => (english ? String(n) : whole.format(n)),
    date: (d) => isolate(english ? d : dayFormat.format(utc(`${d} 00:00`))),
    stamp: (s) =>
      isolate(
        english ? s : s.length <= 10 ? dayFormat.format(utc(`${s} 00:00`)) : stampFormat.format(utc(s))
      ),
    month: (p) => isolate(english ? p : monthFormat.format(utc(`${p}-01 00:00`))),
    id: (v) => isolate(v)
  }
}
