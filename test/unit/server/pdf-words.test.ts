/**
 * The PDFs' words (src/server/pdf/locales): every language Dialtone speaks has every key the English catalog has,
 * no other, each with the same placeholders, and a real translation (not the English left in place, except
 * where a word is the same in both); the statement's entry kinds read as the app reads them (one wording per
 * language, the app's statement.kind words). And the bidirectional layout the PDFs draw with: a Persian line
 * with a number keeps the number's order, a Persian phrase is handed to the shaper in reading order, and
 * brackets are mirrored. The ledger's memo words, plan, service and device names are the app's own (so the two
 * cannot drift), every memo code and card line code has its words, and a line is worded from its code in every
 * language while a line without one keeps its stored text; the same words as plain text (the statement's CSV)
 * without an isolate in any language, the PDF's keeping theirs.
 */
import { describe, expect, it } from 'vitest'
import { expectCatalogueComplete } from '../../support/catalogue-checks'
import { BALANCE_KINDS } from '../../../src/shared/api/billing'
import { MEMO_CODES } from '../../../src/shared/api/notes'
import { LANGUAGES } from '../../../src/shared/i18n/languages'
import { RESOURCES } from '../../../src/renderer/src/i18n/resources'
import { drawRuns } from '../../../src/server/pdf/bidi-runs'
import { invoiceContent } from '../../../src/server/business/invoice-pdf'
import { CARD_LINE_CODES, type LineSource, lineDescription } from '../../../src/server/pdf/line-words'
import { PDF_CATALOGS, pdfTextWords, pdfWords } from '../../../src/server/pdf/words'
import { wrapText } from '../../../src/server/pdf/wrap'

describe('PDF words', () => {
  it('exist for every language Dialtone speaks', () => {
    expect(Object.keys(PDF_CATALOGS).sort()).toEqual(LANGUAGES.map((l) => l.code).sort())
  })

  for (const { code } of LANGUAGES) {
    it(`${code}: every key, the same placeholders, translated`, () => {
      // Words spelled alike across languages ('Date', 'Total') may stay; whole sentences may not.
      expectCatalogueComplete(
        PDF_CATALOGS,
        code,
        (text) => /[a-z]{4}/i.test(text.replace(/\{\w+\}/g, '')) && text.includes(' ')
      )
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

  it('word memos, plans, services and devices with the app’s own words, in every language', () => {
    // The app's sentence with its {{name}} placeholders written {name}: the PDF catalog's form.
    const pdfForm = (s: string) => s.replace(/\{\{(\w+)\}\}/g, '{$1}')
    for (const { code } of LANGUAGES) {
      const app = RESOURCES[code] as {
        memo: Record<string, string>
        catalog: {
          plan: Record<string, string>
          planUnknown: string
          offer: Record<string, { name: string }>
        }
        services: { feature: Record<string, string>; unknown: string }
      }
      const pdf = PDF_CATALOGS[code] as Record<string, string>
      const derived: Record<string, string> = {
        planUnknown: app.catalog.planUnknown,
        serviceUnknown: app.services.unknown
      }
      for (const [k, v] of Object.entries(app.memo)) derived[`memo.${k}`] = pdfForm(v)
      for (const [k, v] of Object.entries(app.catalog.plan)) derived[`plan.${k}`] = pdfForm(v)
      for (const [k, v] of Object.entries(app.services.feature)) derived[`service.${k}`] = pdfForm(v)
      for (const [k, v] of Object.entries(app.catalog.offer)) derived[`offer.${k}`] = pdfForm(v.name)
      const mine = Object.fromEntries(
        Object.entries(pdf).filter(([k]) => /^(memo|plan|service|offer)\.|^(plan|service)Unknown$/.test(k))
      )
      expect(mine, code).toEqual(derived)
      for (const memo of MEMO_CODES) expect(pdf[`memo.${memo}`], `${code} ${memo}`).toBeTruthy()
    }
  })

  it('word each line from its code and values, and keep a line without a code as stored', () => {
    const strip = (s: string) => s.replace(/[\u2066-\u2069\u200e]/g, '')
    const say = (language: 'en' | 'fa' | 'fr', code: string | undefined, params = {}) =>
      strip(lineDescription(pdfWords(language), { code, params, memo: 'Stored English' }))
    expect(say('en', 'top-up', { last4: '4242' })).toBe('Top-up by card ending 4242')
    expect(say('fr', 'top-up', { last4: '4242' })).toBe('Recharge par la carte se terminant par 4242')
    expect(say('fr', 'recurring-fee', { plan: 'line-1m', month: '2026-10' })).toBe(
      'Service de ligne, mensuel, octobre 2026'
    )
    expect(say('fa', 'call', { number: '+33140000000', minutes: 12 })).toBe('تماس با +33140000000، ۱۲ دقیقه')
    const renewal = { plan: 'line-1m', number: '+12125550101', last4: '4242' }
    expect(say('en', 'card-auto-renewal', renewal)).toBe(
      'Automatic renewal: Line service, monthly for +12125550101, paid by card ending 4242'
    )
    expect(say('fr', 'card-auto-renewal', renewal)).toBe(
      'Renouvellement automatique : Service de ligne, mensuel pour +12125550101, payé par la carte se terminant par 4242'
    )
    expect(say('en', 'card-item', { plan: 'intl-100', ordered: '2026-09-30' })).toBe(
      'International minutes: 100 for 30 days, paid by card (ordered 2026-09-30)'
    )
    // A line without a number by its label, else its dongle's serial (a label or serial is never read as a date).
    const desk = { plan: 'line-1m', label: '2026-10', serial: 'MJ-1234', last4: '4242' }
    const bare = { plan: 'line-1m', serial: 'MJ-5678' }
    expect(say('en', 'card-item', desk)).toBe(
      'Line service, monthly for the line “2026-10”, paid by card ending 4242'
    )
    expect(say('en', 'card-auto-renewal', bare)).toBe(
      'Automatic renewal: Line service, monthly for the line on dongle MJ-5678, paid by card'
    )
    expect(say('fa', 'card-item', bare)).toBe('سرویس خط، ماهانه برای خط دانگل MJ-5678، پرداخت با کارت')
    expect(say('fa', 'card-auto-renewal', desk)).toMatch(
      /^تمدید خودکار: سرویس خط، ماهانه برای خط «2026-10»، /
    )
    expect(lineDescription(pdfWords('fa'), { code: 'card-item', params: bare, memo: '' })).toContain(
      '\u2068MJ-5678\u2069'
    )
    for (const { code } of LANGUAGES)
      for (const card of ['card-item', 'card-auto-renewal'])
        expect(say(code as 'en', card, bare), `${code} ${card}`).toContain('MJ-5678')
    // Issued before lines were named so: as they always read.
    expect(say('en', 'card-auto-renewal', { plan: 'line-1m' })).toBe(
      'Automatic renewal: Line service, monthly for your line, paid by card'
    )
    expect(say('en', 'card-item', { plan: 'line-1m' })).toBe('Line service, monthly, paid by card')
    expect(say('en', 'card-device', { offer: 'usb-c-2027', device: 'x', last4: '1111' })).toMatch(
      /^.+ \(device\), paid by card ending 1111$/
    )
    expect(say('en', 'card-device', { offer: 'gone', device: 'Old box' })).toBe(
      'Old box (device), paid by card'
    )
    expect(say('fr', 'card-refund', { refundOf: 'order', order: 'ord_1', last4: '4242' })).toBe(
      'Remboursement sur votre carte se terminant par 4242 (commande ord_1)'
    )
    expect(say('en', 'recurring-fee', { plan: 'no-such-plan', month: '2026-10' })).toBe(
      'Service plan, 2026-10'
    )
    // Issued before codes, or from before memo codes: the stored text, never a guess. Such content still parses.
    const before = { date: '2026-09-30', memo: 'Calls in September', owed: 100 }
    const seller = { name: 'S', address: 'A', taxId: 'T', email: 'e@x.test' }
    const content = invoiceContent.parse({
      ...{ seller, billTo: { company: 'C', name: 'N', address: null }, accountId: 'acc', zone: 'UTC' },
      ...{ currency: 'USD', total: 100, lines: [before] }
    })
    expect(strip(lineDescription(pdfWords('fa'), content.lines[0] ?? before))).toBe('Calls in September')
    expect(say('fa', undefined)).toBe('Stored English')
    expect(say('fa', 'other')).toBe('Stored English')
    for (const { code } of LANGUAGES)
      for (const card of CARD_LINE_CODES)
        expect(say(code as 'en', card, { plan: 'line-1m', last4: '1' }), `${code} ${card}`).not.toMatch(
          /Stored English|\{/
        )
  })

  it('wrap a cell at spaces, closing and reopening an isolate a break falls in', () => {
    const measure = (s: string) => s.length
    expect(wrapText('short', 10, measure)).toEqual(['short'])
    expect(wrapText('one two three', 8, measure)).toEqual(['one two', 'three'])
    expect(wrapText('a \u2068b c\u2069 d', 3, measure)).toEqual(['a', '\u2068b\u2069', '\u2068c\u2069 d'])
    // A word wider than the column stays whole on a line of its own, never an empty line before it.
    expect(wrapText('\u2068a bbbbbb\u2069', 3, measure)).toEqual(['\u2068a\u2069', '\u2068bbbbbb\u2069'])
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

  it('word a plain-text file (the statement CSV) the same, without isolates; the PDF keeps them', () => {
    const strip = (s: string) => s.replace(/[\u2066-\u2069]/g, '')
    const marks = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/
    const lines: LineSource[] = [
      { code: 'call', params: { number: '+33140000000', minutes: 12 }, memo: 'x' },
      { code: 'recurring-fee', params: { plan: 'line-1m', month: '2026-10' }, memo: 'x' },
      { code: 'top-up', params: { last4: '4242' }, memo: 'x' }
    ]
    for (const { code } of LANGUAGES) {
      const [text, pdf] = [pdfTextWords(code), pdfWords(code)]
      for (const line of lines) {
        const plain = lineDescription(text, line)
        expect(plain, `${code} ${line.code}`).not.toMatch(marks)
        expect(plain, `${code} ${line.code}`).toBe(strip(lineDescription(pdf, line)))
      }
      expect(text.t('statement.title', { from: '2026-10-01', to: '2026-10-31' })).not.toMatch(marks)
      expect(text.money(1250, 'USD')).toBe(strip(pdf.money(1250, 'USD')))
    }
    expect(pdfTextWords('fa').t('invoice.title', { number: 'DT-1' })).toBe('صورت‌حساب DT-1')
    expect(pdfWords('fa').t('invoice.title', { number: 'DT-1' })).toBe('صورت‌حساب \u2068DT-1\u2069')
    expect(pdfWords('en').money(1250, 'USD')).toBe('\u2068\u206812.50\u2069 \u2068USD\u2069\u2069')
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
