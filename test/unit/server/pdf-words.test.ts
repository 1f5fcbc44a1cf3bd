/**
 * The PDFs' words (src/server/pdf/locales): every language Dialtone speaks has every key the English catalog has,
 * no other, each with the same placeholders, and a real translation (not the English left in place, except
 * where a word is the same in both); the statement's entry kinds read as the app reads them (one wording per
 * language, the app's statement.kind words). And the bidirectional layout the PDFs draw with: a Persian line
 * with a number keeps the number's order, a Persian phrase is handed to the shaper in reading order, and
 * brackets are mirrored.
 */
import { describe, expect, it } from 'vitest'
import { BALANCE_KINDS } from '../../../src/shared/api/billing'
import { LANGUAGES } from '../../../src/shared/i18n/languages'
import { RESOURCES } from '../../../src/renderer/src/i18n/resources'
import { drawRuns } from '../../../src/server/pdf/bidi-runs'
import { PDF_CATALOGS, pdfWords } from '../../../src/server/pdf/words'

const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort()
const english = PDF_CATALOGS.en

describe('PDF words', () => {
  it('exist for every language Dialtone speaks', () => {
    expect(Object.keys(PDF_CATALOGS).sort()).toEqual(LANGUAGES.map((l) => l.code).sort())
  })

  for (const { code } of LANGUAGES) {
    it(`${code}: every key, the same placeholders, translated`, () => {
      const catalog = PDF_CATALOGS[code] as Record<string, string>
      expect(Object.keys(catalog).sort()).toEqual(Object.keys(english).sort())
      for (const [key, text] of Object.entries(english)) {
        expect(placeholders(catalog[key] ?? ''), `${code} ${key}`).toEqual(placeholders(text))
        expect(catalog[key]?.trim(), `${code} ${key}`).not.toBe('')
      }
      if (code !== 'en') {
        const same = Object.keys(english).filter(
          (k) =>
            catalog[k] === english[k as keyof typeof english] &&
            /[a-z]{4}/i.test((catalog[k] ?? '').replace(/\{\w+\}/g, ''))
        )
        // Words spelled alike across languages ('Date', 'Total') may stay; whole sentences may not.
        expect(
          same.filter((k) => (catalog[k] ?? '').includes(' ')),
          code
        ).toEqual([])
      }
    })
  }

  it('word the entry kinds as the app does, every kind', () => {
    for (const { code } of LANGUAGES) {
      if (code === 'en') continue // English PDFs keep the kind codes they always showed
      const app = (RESOURCES[code] as { statement: { kind: Record<string, string> } }).statement.kind
      for (const kind of BALANCE_KINDS)
        expect((PDF_CATALOGS[code] as Record<string, string>)[`kind.${kind}`], `${code} ${kind}`).toBe(
          app[kind]
        )
    }
  })

  it('format amounts and dates for the language, isolated', () => {
    const strip = (s: string) => s.replace(/[\u2066-\u2069\u200e]/g, '')
    expect(strip(pdfWords('en').money(-1250, 'USD'))).toBe('-12.50 USD')
    expect(strip(pdfWords('fr').money(123456, 'USD'))).toBe('1234,56 USD')
    expect(strip(pdfWords('fa').money(1250, 'USD'))).toBe('۱۲٫۵۰ USD')
    expect(strip(pdfWords('en').date('2026-11-03'))).toBe('2026-11-03')
    expect(strip(pdfWords('hr').month('2026-10'))).toMatch(/^listopad 2026/)
    // Persian reads the Gregorian month the invoice covers, not the Persian calendar's.
    expect(strip(pdfWords('fa').month('2026-10'))).toBe('اکتبر ۲۰۲۶')
    expect(pdfWords('fa').t('invoice.title', { number: 'DT-1' })).toBe('صورت‌حساب \u2068DT-1\u2069')
  })

  it('lay a Persian line out right to left with its number left to right and brackets mirrored', () => {
    const runs = drawRuns('صورت‌حساب \u2068DT-202610-000001\u2069 (تهران)', 'rtl')
    // Left to right on the page: the bracketed word (leftmost), the number, then the title word (rightmost).
    expect(runs.map((r) => r.text)).toEqual([' )تهران(', 'DT-202610-000001', 'صورت‌حساب '])
    // Persian pieces go to fontkit in reading order (it shapes and reverses them itself), flagged so.
    expect(runs.map((r) => r.reversed)).toEqual([true, false, true])
    // Persian digits inside a left-to-right amount: each piece reversed for fontkit to turn back.
    expect(drawRuns('\u2068۱۲ USD\u2069', 'rtl').map((r) => r.text)).toEqual([' ۲۱', 'USD'])
    expect(drawRuns('Invoice \u2068DT-1\u2069', 'ltr')).toEqual([
      { text: 'Invoice DT-1', rtl: false, reversed: false }
    ])
  })
})
