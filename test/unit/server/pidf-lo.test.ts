/** The PIDF-LO the service builds for a line's 911 address: well-formed, civic fields in place, typed text escaped. */
import { DOMParser } from '@xmldom/xmldom'
import { describe, expect, it } from 'vitest'
import { pidfLo, splitStreet, xmlText } from '../../../src/server/provisioning/pidf-lo'

const CIVIC = 'urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr'
const address = {
  street: '12B Washington St',
  unit: 'Apt 4',
  city: 'Hoboken',
  region: 'NJ',
  postalCode: '07030',
  country: 'US' as const
}

function civicOf(xml: string): Record<string, string> {
  const errors: string[] = []
  const doc = new DOMParser({ onError: (_l, m) => void errors.push(m) }).parseFromString(
    xml,
    'application/xml'
  )
  expect(errors).toEqual([])
  const el = doc.getElementsByTagNameNS(CIVIC, 'civicAddress')[0]
  const out: Record<string, string> = {}
  for (let n = el?.firstChild ?? null; n; n = n.nextSibling)
    out[n.nodeName.replace(/^ca:/, '')] = n.textContent ?? ''
  return out
}

describe('pidfLo', () => {
  it('puts the civic address into RFC 5139 elements', () => {
    const xml = pidfLo({
      e164: '+12015550100',
      domain: 'dialtone.test',
      username: '12015550100',
      address,
      registeredAt: '2026-12-01T10:00:00.000Z'
    })
    expect(civicOf(xml)).toEqual({
      country: 'US',
      A1: 'NJ',
      A3: 'Hoboken',
      RD: 'Washington St',
      HNO: '12',
      HNS: 'B',
      UNIT: 'Apt 4',
      PC: '07030'
    })
    expect(xml).toContain('entity="pres:+12015550100@dialtone.test"')
    expect(xml).toContain('<dm:timestamp>2026-12-01T10:00:00.000Z</dm:timestamp>')
  })

  it('escapes what a person typed and drops characters XML cannot carry', () => {
    const street = '1 </ca:RD><ca:A1>XX</ca:A1> & "q" \u0000\u202e'
    const xml = pidfLo({
      e164: '+12015550100',
      domain: 'dialtone.test',
      username: '12015550100',
      address: { ...address, street, city: "O'Hare\r\nCity" },
      registeredAt: '2026-12-01T10:00:00.000Z'
    })
    const civic = civicOf(xml)
    expect(civic.A1).toBe('NJ')
    expect(civic.RD).toBe('</ca:RD><ca:A1>XX</ca:A1> & "q"')
    expect(civic.A3).toBe("O'Hare City")
    expect(xmlText('<&>')).toBe('&lt;&amp;&gt;')
  })

  it('keeps a street without a house number whole', () => {
    expect(splitStreet('Rural Route 5')).toEqual({ hno: null, hns: null, rd: 'Rural Route 5' })
  })
})
