/**
 * The E911 registered location: its shape and the rules it must pass before a line may go into service
 * (47 CFR 9.11: the address is collected before service starts; magicJack's rule: US numbers need US addresses,
 * Canadian numbers Canadian ones). Pure, so the app can check as a person types and the service enforces the same.
 */
import { z } from 'zod'
import { text } from '../api/common'
import { countryOfNumber } from './nanp'
import { regionCodes } from './regions'

const POSTAL: Record<'US' | 'CA', RegExp> = {
  US: /^\d{5}(?:-\d{4})?$/,
  // Canada Post: no D, F, I, O, Q, U anywhere; no W or Z in the first letter.
  CA: /^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] \d[ABCEGHJ-NPRSTV-Z]\d$/
}

const line = (max: number) => text(0, max)

/**
 * The format a US or Canadian postal code breaks ('zip-code' or 'postal-code'), or null when it fits or the
 * country is another one (whose codes are not checked here).
 */
export function postalCodeMismatch(country: string, postalCode: string): 'zip-code' | 'postal-code' | null {
  if (country !== 'US' && country !== 'CA') return null
  const code = postalCode.trim().toUpperCase()
  const postal = country === 'CA' ? code.replace(/^(\w{3})\s*(\w{3})$/, '$1 $2') : code
  if (POSTAL[country].test(postal)) return null
  return country === 'US' ? 'zip-code' : 'postal-code'
}

export const e911AddressSchema = z
  .object({
    street: line(120).pipe(z.string().min(3, 'enter the street address')),
    unit: line(40).optional().default(''),
    city: line(60).pipe(z.string().min(2, 'enter the city')),
    region: z.string().trim().max(2).toUpperCase(),
    // ZIP+4 is the longest: 12345-6789.
    postalCode: z.string().trim().max(10).toUpperCase(),
    country: z.enum(['US', 'CA'])
  })
  .strict()
  .superRefine((a, ctx) => {
    if (!regionCodes(a.country).includes(a.region))
      ctx.addIssue({
        code: 'custom',
        path: ['region'],
        params: { code: 'bad-format', format: 'region' },
        message: `not a ${a.country === 'US' ? 'US state' : 'Canadian province or territory'} code`
      })
    const postal = a.country === 'CA' ? a.postalCode.replace(/^(\w{3})\s*(\w{3})$/, '$1 $2') : a.postalCode
    if (!POSTAL[a.country].test(postal))
      ctx.addIssue({
        code: 'custom',
        path: ['postalCode'],
        params: { code: 'bad-format', format: a.country === 'US' ? 'zip-code' : 'postal-code' },
        message: a.country === 'US' ? 'a ZIP code is 5 digits (or ZIP+4)' : 'a postal code looks like K1A 0B1'
      })
    if (/^(?:p\.?\s*o\.?\s*box|post office box)\b/i.test(a.street))
      ctx.addIssue({
        code: 'custom',
        path: ['street'],
        params: { code: 'bad-format', format: 'po-box' },
        message: 'a post office box is not a place emergency services can go to'
      })
  })
  .transform((a) => ({
    ...a,
    postalCode: a.country === 'CA' ? a.postalCode.replace(/^(\w{3})\s*(\w{3})$/, '$1 $2') : a.postalCode
  }))
export type E911Address = z.output<typeof e911AddressSchema>

/** Why an address cannot serve a number, or null when it can. */
export function e911CountryMismatch(e164: string, address: Pick<E911Address, 'country'>): string | null {
  const country = countryOfNumber(e164)
  if (country === null) return 'this number is not a US or Canadian number'
  if (country !== address.country)
    return country === 'US'
      ? 'a US number needs a 911 address in the United States'
      : 'a Canadian number needs a 911 address in Canada'
  return null
}
