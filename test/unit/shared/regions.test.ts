/**
 * The one list of US states and Canadian provinces: what a person types maps to a code only when it names one
 * (the 911 picker's prefill), and the E911 check accepts exactly the list's codes for each country.
 */
import { describe, expect, it } from 'vitest'
import { e911AddressSchema } from '../../../src/shared/numbers/e911'
import { REGIONS, regionCode, regionCodes } from '../../../src/shared/numbers/regions'

const address = { street: '350 5th Ave', city: 'New York', postalCode: '10118', country: 'US' as const }

describe('regions', () => {
  it('maps a code or a full name in any case and spacing, and nothing else', () => {
    expect(regionCode('US', 'NY')).toBe('NY')
    expect(regionCode('US', ' new   york ')).toBe('NY')
    expect(regionCode('US', 'District of Columbia')).toBe('DC')
    expect(regionCode('CA', 'quebec')).toBe('QC')
    // What a two-letter field once kept of "New York", a prefix, and another country's region name nothing.
    expect(regionCode('US', 'Ne')).toBe('NE')
    expect(regionCode('US', 'New')).toBeNull()
    expect(regionCode('US', 'Ontario')).toBeNull()
    expect(regionCode('CA', 'NY')).toBeNull()
    expect(regionCode('US', '')).toBeNull()
  })

  it('has 52 US entries (50 states, DC, Puerto Rico) and 13 Canadian ones', () => {
    expect(regionCodes('US')).toHaveLength(52)
    expect(regionCodes('CA')).toHaveLength(13)
  })

  it("is the E911 check's list: each code passes for its own country and fails for the other", () => {
    for (const country of ['US', 'CA'] as const) {
      const other = country === 'US' ? 'CA' : 'US'
      const postalCode = country === 'US' ? '10118' : 'K1A 0B1'
      for (const region of Object.keys(REGIONS[country])) {
        expect(e911AddressSchema.safeParse({ ...address, postalCode, country, region }).success).toBe(true)
        if (!(region in REGIONS[other]))
          expect(
            e911AddressSchema.safeParse({
              ...address,
              country: other,
              postalCode: other === 'US' ? '10118' : 'K1A 0B1',
              region
            }).success
          ).toBe(false)
      }
    }
    // A full name is refused by the service (the picker sends codes); no prefix is taken.
    expect(e911AddressSchema.safeParse({ ...address, region: 'New York' }).success).toBe(false)
  })
})
