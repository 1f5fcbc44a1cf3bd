/**
 * The one formatter of the service's words (the PDFs' catalogs, ../pdf/words.ts, and the messages',
 * ../mail/words.ts): a catalog's sentence with its {placeholders} filled, and numbers, amounts and dates
 * formatted for the language with Intl (Persian digits for Persian). Every interpolated value is isolated
 * (FSI ... PDI, ../../shared/i18n/bidi.ts) the way the app's i18next does it, so an amount or a number keeps its
 * order inside Persian text.
 *
 * English keeps the output it always had: ISO dates (2026-11-30), the month as 2026-11, amounts as 12.50 USD.
 * `mode: 'messages'` keeps the English of the messages byte for byte as it always was (no isolates, amounts with
 * their currency's symbol: $12.50), and in every language isolates a value once: an amount already isolated is
 * not wrapped again when a sentence takes it (plain text shows every stray mark to someone).
 * `mode: 'text'` is for cells of a plain-text file (the statement's and the itemised calls' CSVs, opened in a
 * spreadsheet or an editor): no isolates in any language, Persian included (nothing there reads them, they would
 * only be stray characters in a cell and in what is copied from it), otherwise worded and formatted as `pdf` (the
 * default).
 */
import { FSI, PDI, isolate } from '../../shared/i18n/bidi'
import { DEFAULT_LANGUAGE, LANGUAGE_CODES, type LanguageCode, languageDir } from '../../shared/i18n/languages'

/** The Intl locale of each language. Persian reads the Gregorian calendar: invoices' months are Gregorian. */
const INTL: Readonly<Record<LanguageCode, string>> = {
  en: 'en',
  fa: 'fa-u-ca-gregory',
  fr: 'fr',
  hr: 'hr',
  ro: 'ro',
  sl: 'sl'
}

/** A language code from a request or a column; anything else is English. */
export const wordsLanguage = (code: string | null | undefined): LanguageCode =>
  (LANGUAGE_CODES as readonly string[]).includes(code ?? '') ? (code as LanguageCode) : DEFAULT_LANGUAGE

/** Placeholders never isolated nor localized: a code or token people copy, exactly as the service checks it. */
const VERBATIM = new Set(['code', 'token'])

export interface Words<K extends string> {
  readonly language: LanguageCode
  readonly dir: 'ltr' | 'rtl'
  /** Whether the catalog has this key (plan, service and offer names come from data). */
  has(key: string): boolean
  /** The catalog's sentence with each {placeholder} replaced by its value, isolated (codes and tokens as they are). */
  t(key: K, params?: Readonly<Record<string, string | number>>): string
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
  /** An identifier (an invoice number, an account id, a time zone, a phone number): isolated as it is. */
  id(value: string): string
}

/** Words for `language` from its catalog (which has a `money` sentence with {amount} and {currency}). */
export function wordsOf<K extends string>(
  language: LanguageCode,
  catalog: Readonly<Record<K, string>>,
  options: { mode?: 'pdf' | 'messages' | 'text' } = {}
): Words<K> {
  const tag = INTL[language]
  const english = language === 'en'
  const messages = english && options.mode === 'messages'
  const once = (s: string): string => (s.startsWith(FSI) && s.endsWith(PDI) ? s : isolate(s))
  const plain = messages || options.mode === 'text'
  const iso = plain ? (s: string) => s : options.mode === 'messages' ? once : isolate
  // English messages' amounts as they always read: the currency's symbol, one formatter per currency.
  const symbols = new Map<string, Intl.NumberFormat>()
  const symbol = (minor: number, currency: string): string => {
    let f = symbols.get(currency)
    if (!f) symbols.set(currency, (f = new Intl.NumberFormat('en-US', { style: 'currency', currency })))
    return f.format(minor / 100)
  }
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
  const t: Words<K>['t'] = (key, params = {}) =>
    catalog[key].replace(/\{(\w+)\}/g, (whole_, name: string) =>
      name in params ? (VERBATIM.has(name) ? String(params[name]) : iso(String(params[name]))) : whole_
    )
  return {
    language,
    dir: languageDir(language),
    has: (key) => Object.hasOwn(catalog, key),
    t,
    money: (minor, currency) =>
      messages
        ? symbol(minor, currency)
        : options.mode === 'messages'
          ? isolate(catalog['money' as K].replace('{amount}', amount(minor)).replace('{currency}', currency))
          : iso(t('money' as K, { amount: amount(minor), currency })),
    amount: (minor) => iso(amount(minor)),
    count: (n) => (english ? String(n) : whole.format(n)),
    date: (d) => iso(english ? d : dayFormat.format(utc(`${d} 00:00`))),
    stamp: (s) =>
      iso(english ? s : s.length <= 10 ? dayFormat.format(utc(`${s} 00:00`)) : stampFormat.format(utc(s))),
    month: (p) => iso(english ? p : monthFormat.format(utc(`${p}-01 00:00`))),
    id: (v) => iso(v)
  }
}
