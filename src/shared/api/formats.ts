/**
 * The text formats a person types, each with its pattern, its longest length (for the form's maxLength) and
 * an English description for API users. Schemas use
 * `matches(format)` instead of a bare regex, so a refusal can name the format as a code ('area-code',
 * 'postal-code'…) and the app words it; the pattern lives here once.
 */
import { z } from 'zod'

export const FORMATS = {
  'area-code': { pattern: /^[2-9]\d\d$/, maxLength: 3, message: 'an area code is 3 digits' },
  'activation-code': { pattern: /^\d{6}$/, maxLength: 6, message: 'the code is 6 digits' },
  'card-number': { pattern: /^[\d -]{12,23}$/, maxLength: 23, message: 'a card number is 12-19 digits' },
  'security-code': { pattern: /^\d{3,4}$/, maxLength: 4, message: 'the security code is 3 or 4 digits' },
  phone: { pattern: /^\+?[\d ()-]{3,24}$/, maxLength: 25, message: 'a phone number of digits' },
  dial: { pattern: /^\+?[\d*#]{1,24}$/, maxLength: 25, message: 'digits, * and # only' },
  country: { pattern: /^[A-Z]{2}$/, maxLength: 2, message: 'a two-letter country code' },
  serial: {
    pattern: /^[A-Z0-9-]{4,40}$/,
    maxLength: 40,
    message: 'a serial number is 4-40 letters, digits or dashes'
  },
  date: { pattern: /^\d{4}-\d{2}-\d{2}$/, maxLength: 10, message: 'a date is YYYY-MM-DD' },
  'proof-code': {
    pattern: /^[0-9A-HJKMNP-TV-Z]{10}$/,
    maxLength: 10,
    message: "the code of Dialtone support's email is 10 letters and digits"
  }
} as const satisfies Record<string, { pattern: RegExp; maxLength: number; message: string }>

/**
 * Formats named by zod itself or by our own checks: email, url, datetime…, the e911 rules (region, postal
 * code, PO box), a phone number of the US or Canada (what numbers the service serves), and 'other' for an internal pattern a person never types.
 */
export const FORMAT_CODES = [
  ...(Object.keys(FORMATS) as (keyof typeof FORMATS)[]),
  'email',
  'url',
  'datetime',
  'region',
  'postal-code',
  'zip-code',
  'po-box',
  'nanp-phone',
  'other'
] as const
export type FormatCode = (typeof FORMAT_CODES)[number]

/** A string that must match one of the named formats. */
export const matches = (format: keyof typeof FORMATS) =>
  z.string().regex(FORMATS[format].pattern, FORMATS[format].message)

/** The fewest digits of any phone number ('phone' format; a short code such as 911 has three). */
export const PHONE_MIN_DIGITS = 3

/**
 * The format a zod regex issue is about, by its pattern: zod 4 gives it as the regex literal ("/^…$/"), an older
 * or JSON-schema path as its source; either names the format (else every refusal read "the expected form").
 */
export function formatOfPattern(pattern: string | undefined): FormatCode {
  const hit = Object.entries(FORMATS).find(
    ([, f]) => f.pattern.source === pattern || String(f.pattern) === pattern
  )
  return hit ? (hit[0] as FormatCode) : 'other'
}
