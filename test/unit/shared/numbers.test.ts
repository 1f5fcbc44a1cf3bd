/** NANP normalisation, area-code countries and the E911 address rules the app and the service share. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { e911AddressSchema, e911CountryMismatch } from '../../../src/shared/numbers/e911'
import { countryOfNumber, normalizeNanp } from '../../../src/shared/numbers/nanp'
import { formatPhoneNumber } from '../../../src/shared/numbers/phone-format'

describe('NANP numbers', () => {
  it('normalises what people type into E.164', () => {
    for (const input of ['(201) 555-0123', '201-555-0123', '+1 201 555 0123', '12015550123', ' 2015550123 '])
      expect(normalizeNanp(input)).toBe('+12015550123')
    for (const bad of [
      '555-0123',
      '(101) 555-0123',
      '201 155 0123',
      '201 911 0123',
      '+44 20 7946 0958',
      'call me',
      ''
    ])
      expect(normalizeNanp(bad)).toBeNull()
  })

  it('shows a number as people read it: national form at home (NANP), international form otherwise', () => {
    expect(formatPhoneNumber('+12015550123')).toBe('(201) 555-0123')
    // SIP users carry the digits without '+'; a Canadian number reads the same way as a US one.
    expect(formatPhoneNumber('12125550142')).toBe('(212) 555-0142')
    expect(formatPhoneNumber('+14165550123')).toBe('(416) 555-0123')
    expect(formatPhoneNumber('+442079460958')).toBe('+44 20 7946 0958')
    expect(formatPhoneNumber('+33142685300')).toBe('+33 1 42 68 53 00')
    expect(formatPhoneNumber('+982188776655')).toBe('+98 21 8877 6655')
    // A person elsewhere reads a NANP number in its international form.
    expect(formatPhoneNumber('+12015550123', 'GB')).toBe('+1 201 555 0123')
    // Not a number to format: short codes, star codes, words, impossible numbers come back unchanged.
    for (const v of ['911', '933', '*98', 'anonymous', '', '+1', '+999999', '+12125550100x'])
      expect(formatPhoneNumber(v)).toBe(v)
  })

  it('knows US and Canadian area codes, and serves neither toll-free nor Caribbean ones', () => {
    expect(countryOfNumber('+12015550123')).toBe('US')
    expect(countryOfNumber('+14165550123')).toBe('CA')
    expect(countryOfNumber('+16045550123')).toBe('CA')
    expect(countryOfNumber('+18005550123')).toBeNull()
    expect(countryOfNumber('+18765550123')).toBeNull()
  })

  it('never throws and only returns well-formed numbers, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (s) => {
        const n = normalizeNanp(s)
        expect(n === null || /^\+1[2-9]\d\d[2-9]\d{6}$/.test(n)).toBe(true)
      })
    )
  })
})

describe('E911 addresses', () => {
  const us = {
    street: '12 Washington St',
    city: 'Hoboken',
    region: 'nj',
    postalCode: '07030-1234',
    country: 'US'
  }
  it('accepts a complete address and normalises region and postal code', () => {
    expect(e911AddressSchema.parse(us)).toMatchObject({ region: 'NJ', unit: '' })
    expect(
      e911AddressSchema.parse({
        street: '24 Sussex Dr',
        city: 'Ottawa',
        region: 'ON',
        postalCode: 'k1m1m4',
        country: 'CA'
      }).postalCode
    ).toBe('K1M 1M4')
  })
  it('names what is wrong', () => {
    const r = e911AddressSchema.safeParse({
      ...us,
      region: 'ON',
      postalCode: 'K1M 1M4',
      street: 'P.O. Box 5'
    })
    expect(r.success).toBe(false)
    expect(r.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['postalCode', 'region', 'street'])
    expect(e911AddressSchema.safeParse({ ...us, extra: 1 }).success).toBe(false)
  })
  it('pairs US numbers with US addresses and Canadian numbers with Canadian ones', () => {
    expect(e911CountryMismatch('+12015550123', { country: 'US' })).toBeNull()
    expect(e911CountryMismatch('+12015550123', { country: 'CA' })).toMatch(/US number/)
    expect(e911CountryMismatch('+14165550123', { country: 'US' })).toMatch(/Canadian number/)
  })
})
