/**
 * How values go into the renderer's sentences, one setting for the app's i18next (./index.ts) and the tests that
 * word sentences with it. Every value is bidi-isolated (../../../shared/i18n/bidi), and every number is written by
 * Intl in the sentence's own language: "{{days}}", "{{count}}" and "{{count, number}}" alike read ۳۰ in Persian,
 * like the money, dates and counts the screens format with Intl. Before, a count passed as a number came out as
 * String(30), so one Persian sentence said "۱۰۰ … 30" (a price in Persian digits, its minutes in Latin ones).
 *
 * So a screen passes a count as a number, never as String(n): a string is taken as it is (a phone number, a code,
 * an email: what the person types or quotes keeps its own digits).
 */
import type { FormatterModule, InitOptions } from 'i18next'
import { isolate } from '../../../shared/i18n/bidi'

const numberFormats = new Map<string, Intl.NumberFormat>()

/** A number in a language's own digits and grouping (cached: building an Intl.NumberFormat costs more than using it). */
export function formatNumber(value: number, lng: string | undefined): string {
  const tag = lng ?? 'en'
  let f = numberFormats.get(tag)
  if (!f) numberFormats.set(tag, (f = new Intl.NumberFormat(tag)))
  return f.format(value)
}

/**
 * i18next's formatter, called for every placeholder (alwaysFormat). The locale files use one format, "number",
 * which is what a bare number gets anyway; test/unit/renderer/locales.test.ts holds them to it, so any other
 * format is left as the value itself rather than failing a screen.
 */
export const numbersInLanguage: FormatterModule = {
  type: 'formatter',
  init: () => undefined,
  add: () => undefined,
  addCached: () => undefined,
  format: (value: unknown, _format, lng) =>
    typeof value === 'number' ? formatNumber(value, lng) : (value as string)
}

/** The interpolation options; the formatter above is added with i18next.use(numbersInLanguage). */
export const INTERPOLATION: NonNullable<InitOptions['interpolation']> = {
  // React escapes markup itself; what every value placed in a sentence needs instead is bidi isolation, so a
  // number ("+1 212 555 0100"), an amount or a code keeps its order inside Persian text. i18next's escape hook
  // runs on every interpolated value, so no call site can forget it.
  escapeValue: true,
  escape: isolate,
  alwaysFormat: true
}
