/**
 * The itemised calls' files worded for a leg the line forwarded out (src/server/billing/call-details-export.ts):
 * the CSV's forwarded-from cell says the caller's number as it is, or a withheld caller in the words' language; the
 * PDF marks the leg and names the zone in the language. English as it always was ('withheld', 'fwd +1...').
 */
import { describe, expect, it } from 'vitest'
import { toCsv, toPdf } from '../../../src/server/billing/call-details-export'
import { parseCsv, pdfText } from '../../support/file-text'

const CALLS = [
  {
    startedAt: '2027-03-15T10:00:30.000Z',
    lineId: 'line_1',
    destination: '+12128675309',
    zone: 'domestic' as const,
    seconds: 600,
    billedMinutes: 10,
    packMinutes: 0,
    amount: { amountMinor: 0, currency: 'USD' },
    forwardedFrom: ''
  },
  {
    startedAt: '2027-03-15T11:00:00.000Z',
    lineId: 'line_1',
    destination: '+442071234567',
    zone: 'international' as const,
    seconds: 125,
    billedMinutes: 3,
    packMinutes: 0,
    amount: { amountMinor: 6, currency: 'USD' },
    forwardedFrom: '+12015550123'
  }
]
const PERIOD = { from: '2027-03-01', to: '2027-03-15' }
const forwardedFrom = (csv: string) =>
  parseCsv(csv)
    .slice(1)
    .map((r) => r[8])

describe('itemised calls forwarded out', () => {
  it('say a withheld caller in the language, a caller’s number as it is', () => {
    expect(forwardedFrom(toCsv(CALLS))).toEqual(['withheld', '+12015550123'])
    expect(forwardedFrom(toCsv(CALLS, 'en'))).toEqual(['withheld', '+12015550123'])
    expect(forwardedFrom(toCsv(CALLS, 'fr'))).toEqual(['masqué', '+12015550123'])
    expect(forwardedFrom(toCsv(CALLS, 'fa'))).toEqual(['ناشناس', '+12015550123'])
  })

  it('mark the leg and name the zone in the PDF’s language', async () => {
    const english = await pdfText(await toPdf(CALLS, PERIOD))
    expect(english).toEqual(expect.arrayContaining(['fwd +12128675309', 'domestic', 'fwd +442071234567']))
    const french = await pdfText(await toPdf(CALLS, PERIOD, 'fr'))
    expect(french).toEqual(expect.arrayContaining(['renvoi +12128675309', 'national', 'international']))
    expect(french.join(' ')).not.toMatch(/fwd|domestic|calls/)
  })
})
