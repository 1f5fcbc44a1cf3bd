/**
 * Kamailio's copy of the rating's rates (kamailioRateDefines, read by resources/kamailio/credit.cfg before a call
 * abroad) against the rating itself (classifyDestination, after the call): looked up as credit.cfg looks it up (a 1
 * and ten digits number by its first four digits, any other by its longest prefix of up to three, else the
 * default), every destination costs what the rating will charge. A rate changed in one place and not the other
 * would let a call run past its credit or end it early. test/integration/service/call-credit.test.ts checks the
 * lookup in Kamailio itself.
 */
import { describe, expect, it } from 'vitest'
import {
  DEFAULT_INTERNATIONAL_RATE,
  INTERNATIONAL_RATES,
  classifyDestination,
  kamailioRateDefines
} from '../../../src/server/billing/rates'
import { areaCodesIn } from '../../../src/server/numbers/nanp-zones'

function table(): Map<string, number> {
  const [flag, define] = kamailioRateDefines()
  expect(flag).toBe('-A')
  const m = /^CALL_RATES="([^"]*)"$/.exec(define ?? '')
  if (!m?.[1]) throw new Error(`not a CALL_RATES define: ${define}`)
  return new Map(
    m[1].split(';').map((pair) => {
      const [k, v] = pair.split('=')
      return [k ?? '', Number(v)] as const
    })
  )
}

/** credit.cfg's route[CREDIT_RATE], over the digits the rating reads (011 dropped, ten digits given their 1). */
function kamailioRate(rates: Map<string, number>, e164: string): number {
  if (/^1\d{10}$/.test(e164)) return rates.get(e164.slice(0, 4)) ?? (rates.get('default') as number)
  for (let len = 3; len > 0; len--) {
    const r = rates.get(e164.slice(0, len))
    if (r !== undefined) return r
  }
  return rates.get('default') as number
}

describe("Kamailio's copy of the rates", () => {
  const rates = table()

  it('has every rate as a whole number of cents and the default', () => {
    expect(rates.get('default')).toBe(DEFAULT_INTERNATIONAL_RATE)
    for (const [k, v] of rates) {
      expect(k, 'a key credit.cfg can look up').toMatch(/^(default|\d{1,4})$/)
      expect(Number.isInteger(v) && v > 0, `${k}=${v}`).toBe(true)
    }
  })

  it('charges each country code of the table what the rating charges', () => {
    for (const code of Object.keys(INTERNATIONAL_RATES)) {
      const number = `${code}2071234567`.slice(0, 12)
      const d = classifyDestination(`011${number}`)
      expect(d.zone).toBe('international')
      expect(kamailioRate(rates, d.digits), number).toBe(d.ratePerMinute)
    }
  })

  it('charges every other NANP country what the rating charges, in each way it is dialled', () => {
    const abroad = areaCodesIn('international')
    expect(abroad.length).toBeGreaterThan(15)
    for (const npa of abroad)
      for (const dialled of [`${npa}5550123`, `1${npa}5550123`, `0111${npa}5550123`]) {
        const d = classifyDestination(dialled)
        expect(d.zone, dialled).toBe('international')
        expect(kamailioRate(rates, d.digits), dialled).toBe(d.ratePerMinute)
      }
  })

  it('charges a country not in the table, and a number that is no whole NANP number, the default', () => {
    for (const dialled of ['0116745551234', '01122512345678', '5551234', '10555012345']) {
      const d = classifyDestination(dialled)
      expect(d.zone).toBe('international')
      expect(kamailioRate(rates, d.digits), dialled).toBe(d.ratePerMinute)
      expect(d.ratePerMinute).toBe(DEFAULT_INTERNATIONAL_RATE)
    }
  })
})
