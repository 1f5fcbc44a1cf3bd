/**
 * International per-minute rates by country calling code (data, longest prefix wins), and how a dialled
 * destination is classified. Calls to the US, Canada and the US territories are included in line service; the
 * other North American Numbering Plan countries (Jamaica, the Dominican Republic, ...) are international calls,
 * and premium rate (900) is never included (Kamailio refuses it; a record of one is rated at the default rate).
 * Which +1 number is which comes from numbers/nanp-zones.ts (libphonenumber's metadata), the table Kamailio also
 * gets. Rates are illustrative figures for the sandbox catalog, in US cents per started minute.
 */
import type { CountryCode } from 'libphonenumber-js/max'
import { areaCodesIn, nanpArea } from '../numbers/nanp-zones'

export const INTERNATIONAL_RATES: Readonly<Record<string, number>> = {
  '44': 2, // United Kingdom
  '33': 3, // France
  '49': 3, // Germany
  '52': 5, // Mexico
  '86': 3, // China
  '91': 4, // India
  '40': 6, // Romania
  '385': 9, // Croatia
  '386': 9, // Slovenia
  '98': 12 // Iran
}
export const DEFAULT_INTERNATIONAL_RATE = 15

/** Other NANP countries (same code 1), by country; those not listed cost DEFAULT_INTERNATIONAL_RATE. */
export const NANP_INTERNATIONAL_RATES: Readonly<Partial<Record<CountryCode, number>>> = {
  DO: 10, // Dominican Republic
  JM: 20, // Jamaica
  TT: 12, // Trinidad and Tobago
  BS: 14 // Bahamas
}

export interface Destination {
  readonly zone: 'domestic' | 'international'
  /** Digits in international form without '+', e.g. 442071234567 or 12125550101. */
  readonly digits: string
  readonly ratePerMinute: number
}

/**
 * Short codes dialled as they are (no '+'): 911 and the other N11 services (211 community help, 311 city services,
 * 711 the relay service for deaf and hard-of-hearing callers, ...), 988 (the suicide and crisis lifeline) and 933
 * (our 911 address test: docs/emergency.md). They reach services in the caller's own country, never another's:
 * read as a prefix, 911 was rated as a call to India (91) and 933 at the default international rate. 911, 988
 * and 711 are free to call in the US; the others are included like any call within it.
 */
const SHORT_CODES = /^(?:[2-9]11|933|988)$/

/** A rated destination as people read it: a short code as dialled (911, not +911), any other number with '+'. */
export const shownDestination = (digits: string, zone: Destination['zone']): string =>
  zone === 'domestic' && SHORT_CODES.test(digits) ? digits : `+${digits}`

export function classifyDestination(dialled: string): Destination {
  let digits = dialled.replace(/[^\d]/g, '')
  if (!dialled.trim().startsWith('+') && SHORT_CODES.test(digits))
    return { zone: 'domestic', digits, ratePerMinute: 0 }
  if (dialled.trim().startsWith('+')) {
    /* already international form */
  } else if (digits.startsWith('011')) digits = digits.slice(3)
  else if (digits.length === 10) digits = `1${digits}`
  const nanp = nanpArea(digits)
  if (nanp?.zone === 'included') return { zone: 'domestic', digits, ratePerMinute: 0 }
  if (nanp)
    return {
      zone: 'international',
      digits,
      ratePerMinute:
        (nanp.zone === 'international' ? NANP_INTERNATIONAL_RATES[nanp.country] : undefined) ??
        DEFAULT_INTERNATIONAL_RATE
    }
  // Not a whole NANP number (a 0xx or 1xx area code): rated by prefix like any other, never included.
  for (let len = 3; len >= 1; len--) {
    const rate = INTERNATIONAL_RATES[digits.slice(0, len)]
    if (rate !== undefined) return { zone: 'international', digits, ratePerMinute: rate }
  }
  return { zone: 'international', digits, ratePerMinute: DEFAULT_INTERNATIONAL_RATE }
}

/**
 * Kamailio's copy of the rates, as `-A` arguments: CALL_RATES, `key=cents;...;default=cents`, which
 * resources/kamailio/credit.cfg reads to know what a minute abroad costs before the call (the credit it may spend).
 * The keys are each country code of INTERNATIONAL_RATES and each other NANP country's area code as 1 and the area
 * code, with its country's rate. credit.cfg looks a 1 and ten digits number up by its first four digits and any other
 * by its longest prefix of up to three digits, as classifyDestination does (test/unit/server/rates.test.ts holds the
 * two equal). Defines, like the NANP table's (numbers/nanp-zones.ts says why): the rates change with a new build.
 */
export function kamailioRateDefines(): string[] {
  const nanpAbroad = areaCodesIn('international').map((npa) => {
    const country = nanpArea(`1${npa}2345678`)?.country
    const rate = (country && NANP_INTERNATIONAL_RATES[country]) ?? DEFAULT_INTERNATIONAL_RATE
    return `1${npa}=${rate}`
  })
  const abroad = Object.entries(INTERNATIONAL_RATES).map(([code, rate]) => `${code}=${rate}`)
  return [
    '-A',
    `CALL_RATES="${[...abroad, ...nanpAbroad, `default=${DEFAULT_INTERNATIONAL_RATE}`].join(';')}"`
  ]
}
