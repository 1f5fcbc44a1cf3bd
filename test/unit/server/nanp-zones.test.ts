/**
 * The North American Numbering Plan's zones (src/server/numbers/nanp-zones.ts), the toll-fraud fix: a +1 number
 * is included only in the US, Canada and the US territories; the other NANP countries (Jamaica, the Dominican
 * Republic, ...) are international; 900 is premium rate. Rating (classifyDestination) and Kamailio's defines
 * come from the same table, and the table agrees with nanp.ts's hand-kept list of Caribbean area codes.
 */
import { describe, expect, it } from 'vitest'
import { classifyDestination, DEFAULT_INTERNATIONAL_RATE } from '../../../src/server/billing/rates'
import { areaCodesIn, kamailioNanpDefines, nanpArea } from '../../../src/server/numbers/nanp-zones'
import { countryOfAreaCode, isAssignableAreaCode } from '../../../src/shared/numbers/nanp'

describe('NANP zones', () => {
  it.each([
    ['12125550101', 'US', 'included'], // New York
    ['14165550123', 'CA', 'included'], // Toronto
    ['16045550123', 'CA', 'included'], // Vancouver
    ['17875550123', 'PR', 'included'], // Puerto Rico
    ['19395550123', 'PR', 'included'],
    ['13405550123', 'VI', 'included'], // US Virgin Islands
    ['16715550123', 'GU', 'included'], // Guam
    ['16705550123', 'MP', 'included'], // Northern Marianas
    ['16845550123', 'AS', 'included'], // American Samoa
    ['18005550123', 'US', 'included'], // toll free stays included
    ['18885550123', 'US', 'included'],
    ['18765550123', 'JM', 'international'], // Jamaica
    ['16585550123', 'JM', 'international'],
    ['18095550123', 'DO', 'international'], // Dominican Republic
    ['18295550123', 'DO', 'international'],
    ['18495550123', 'DO', 'international'],
    ['12425550123', 'BS', 'international'], // Bahamas (a number libphonenumber finds invalid: still abroad)
    ['12465550123', 'BB', 'international'], // Barbados
    ['18685550123', 'TT', 'international'], // Trinidad and Tobago
    ['13455550123', 'KY', 'international'], // Cayman
    ['14415550123', 'BM', 'international'], // Bermuda
    ['17215550123', 'SX', 'international'], // Sint Maarten
    ['19005550123', 'US', 'premium'],
    ['19002345678', 'US', 'premium']
  ] as const)('+%s is %s, %s', (digits, country, zone) => {
    expect(nanpArea(digits)).toEqual({ country, zone })
  })

  it('is not a NANP number without 11 digits and a 2-9 area code', () => {
    for (const d of ['2125550101', '112125550101', '10125550101', '11125550101', '442071234567'])
      expect(nanpArea(d), d).toBeNull()
  })

  it('agrees with the hand-kept list of NANP members that are not served (nanp.ts)', () => {
    const abroad = new Set(areaCodesIn('international'))
    expect(abroad.size).toBeGreaterThanOrEqual(20)
    for (let npa = 200; npa <= 999; npa++) {
      const code = String(npa)
      if (!isAssignableAreaCode(code)) continue
      expect(countryOfAreaCode(code) === null, code).toBe(abroad.has(code))
    }
    expect(areaCodesIn('premium')).toEqual(['900'])
  })

  it('gives Kamailio the same table (POSIX expressions it matches the dialled user part with)', () => {
    const [, abroadDef, , premiumDef] = kamailioNanpDefines()
    const abroad = new RegExp(/^NANP_ABROAD="(.*)"$/.exec(abroadDef ?? '')?.[1] ?? 'x^')
    const premium = new RegExp(/^NANP_PREMIUM="(.*)"$/.exec(premiumDef ?? '')?.[1] ?? 'x^')
    for (const d of ['18765550123', '8765550123', '0118095550123', '12425550123'])
      expect([abroad.test(d), premium.test(d)], d).toEqual([true, false])
    for (const d of ['19005550123', '9005550123', '0119005550123'])
      expect([abroad.test(d), premium.test(d)], d).toEqual([false, true])
    for (const d of [
      '12125550101',
      '2125550101',
      '17875550123',
      '14165550123',
      '18005550123',
      '442071234567'
    ])
      expect([abroad.test(d), premium.test(d)], d).toEqual([false, false])
  })
})

describe('rating +1 destinations', () => {
  it.each([
    ['+1 212 555 0101', 'domestic', '12125550101', 0],
    ['4165550101', 'domestic', '14165550101', 0],
    ['17875550123', 'domestic', '17875550123', 0],
    ['18005550123', 'domestic', '18005550123', 0],
    ['18765550123', 'international', '18765550123', 20],
    ['+1 809 555 0123', 'international', '18095550123', 10],
    ['8495550123', 'international', '18495550123', 10],
    ['01112425550123', 'international', '12425550123', 14],
    ['12465550123', 'international', '12465550123', DEFAULT_INTERNATIONAL_RATE],
    ['19005550123', 'international', '19005550123', DEFAULT_INTERNATIONAL_RATE]
  ] as const)('%s is %s', (dialled, zone, digits, rate) => {
    expect(classifyDestination(dialled)).toEqual({ zone, digits, ratePerMinute: rate })
  })
})
