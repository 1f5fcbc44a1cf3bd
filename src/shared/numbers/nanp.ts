/**
 * North American Numbering Plan: normalising what people type into E.164, and which country an area code
 * belongs to. Dialtone's lines are NANP numbers (United States and Canada), and E911 requires that a US number
 * has a US address and a Canadian number a Canadian one, so the country of an area code is a rule, not trivia.
 * Written by hand: these are the rules of the one plan Dialtone's lines belong to. Showing a number in the form people
 * read (any country's) is phone-format.ts.
 */

import { CANADIAN_AREA_CODES } from './area-regions'

/** A list of codes written as one string of words, so it reads as the table it is. */
const words = (s: string): readonly string[] => s.split(' ')

/** Area codes that are not geographic numbers anyone can be assigned or register an address for. */
const NON_GEOGRAPHIC = /^(?:[2-9]11|8(?:00|33|44|55|66|77|88)|900|555|950|976|[2-9]9\d|37\d|96\d)$/

export type NanpCountry = 'US' | 'CA'

/** '+1NXXNXXXXXX' from what a person typed, or null when it is not a valid NANP number. */
export function normalizeNanp(input: string): string | null {
  const trimmed = input.trim()
  if (!/^\+?[\d\s().-]{10,20}$/.test(trimmed)) return null
  let digits = trimmed.replace(/\D/g, '')
  if (digits.length === 11 && digits.startsWith('1')) digits = digits.slice(1)
  if (digits.length !== 10) return null
  // N = 2-9 for both the area code and the exchange; N11 codes are service codes, not numbers.
  if (!/^[2-9]\d\d[2-9]\d{6}$/.test(digits)) return null
  if (/^.11/.test(digits.slice(3, 6))) return null
  return `+1${digits}`
}

/**
 * Why a typed number that normalizeNanp refused is not a US or Canadian number: too few digits for one ("555",
 * "+1 212 555") is 'incomplete', and the person is told the number is not whole rather than that it is abroad;
 * anything else (another country's '+44…', a 0xx or N11 area code, too many digits) is 'not-nanp'.
 */
export function whyNotNanp(input: string): 'incomplete' | 'not-nanp' {
  const trimmed = input.trim()
  let digits = trimmed.replace(/\D/g, '')
  if (trimmed.startsWith('+')) {
    if (!digits.startsWith('1')) return 'not-nanp'
    digits = digits.slice(1)
    // No NANP number starts with 1: a leading 1 is the long-distance prefix ("1 212 555 010" lacks a digit).
  } else if (digits.length <= 11 && digits.startsWith('1')) digits = digits.slice(1)
  return digits.length < 10 ? 'incomplete' : 'not-nanp'
}

export function areaCodeOf(e164: string): string {
  return e164.slice(2, 5)
}

export function isAssignableAreaCode(areaCode: string): boolean {
  return /^[2-9]\d\d$/.test(areaCode) && !NON_GEOGRAPHIC.test(areaCode)
}

/** The country a geographic NANP number belongs to (Caribbean NANP members are not served: null). */
export function countryOfNumber(e164: string): NanpCountry | null {
  return countryOfAreaCode(areaCodeOf(e164))
}

/** The country of a geographic area code (Caribbean NANP members are not served: null). */
export function countryOfAreaCode(area: string): NanpCountry | null {
  if (!isAssignableAreaCode(area)) return null
  if (CANADIAN_AREA_CODES.has(area)) return 'CA'
  if (CARIBBEAN_AREA_CODES.has(area)) return null
  return 'US'
}

/**
 * NANP members outside the US and Canada (their own numbering authorities; not served). Kept here because the
 * renderer uses this module and libphonenumber's metadata with area codes is too heavy for it; the service's table
 * (src/server/numbers/nanp-zones.ts, from that metadata) is the source, and test/unit/server/nanp-zones.test.ts
 * fails when the two differ.
 */
const CARIBBEAN_AREA_CODES = new Set(
  words('242 246 264 268 284 345 441 473 649 658 664 721 758 767 784 809 829 849 868 869 876')
)
