/**
 * International per-minute rates by country calling code (data, longest prefix wins), and how a dialled
 * destination is classified. Calls inside the North American Numbering Plan are included in line service.
 * Rates are illustrative figures for the sandbox catalog, in US cents per started minute.
 */
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

export interface Destination {
  readonly zone: 'domestic' | 'international'
  /** Digits in international form without '+', e.g. 442071234567 or 12125550101. */
  readonly digits: string
  readonly ratePerMinute: number
}

export function classifyDestination(dialled: string): Destination {
  let digits = dialled.replace(/[^\d]/g, '')
  if (dialled.trim().startsWith('+')) {
    /* already international form */
  } else if (digits.startsWith('011')) digits = digits.slice(3)
  else if (digits.length === 10) digits = `1${digits}`
  if (digits.startsWith('1') && digits.length === 11) return { zone: 'domestic', digits, ratePerMinute: 0 }
  for (let len = 3; len >= 1; len--) {
    const rate = INTERNATIONAL_RATES[digits.slice(0, len)]
    if (rate !== undefined) return { zone: 'international', digits, ratePerMinute: rate }
  }
  return { zone: 'international', digits, ratePerMinute: DEFAULT_INTERNATIONAL_RATE }
}
