/**
 * The itemised calls' files in a person's language, on SQLite and PostgreSQL: the CSV's header in the language
 * the app asks for, as plain text (no bidi marks), with what machines read (ISO times, zone codes, plain
 * decimals with a dot, the currency's code) the same in every language; the PDF's title, header, zone names and
 * totals in that language; English as it always was; a language the app does not speak refused on its field;
 * and the emailed file in the language asked for, else in the account's (the language of the email around it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rateCalls } from '../../../src/server/billing/usage'
import { BIDI_MARKS, parseCsv, pdfText } from '../../support/file-text'
import { pdfToText, plainText } from '../../support/pdftotext'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { type TrialLine, answeredCall, trialLine } from '../../support/service-flows'

interface File {
  filename: string
  contentType: string
  contentBase64: string
  error?: { issues?: { path: string }[] }
}

const ENGLISH_HEADER = [
  'Started (UTC)',
  'Destination',
  'Zone',
  'Seconds',
  'Billed minutes',
  'Pack minutes',
  'Amount',
  'Currency',
  'Forwarded from'
]

describe.each(BACKENDS)('itemised calls in the app’s language on %s', (backend) => {
  let svc: TestService
  let line: TrialLine
  const period = 'from=2027-03-01&to=2027-03-15'
  beforeAll(async () => {
    svc = await startTestService(backend)
    svc.clock.set(new Date('2027-03-15T12:00:00Z'))
    line = await trialLine(svc, { language: 'fr' })
    const { username } = (
      await svc.api<{ username: string }>('GET', `/v1/lines/${line.lineId}/sip`, undefined, line.token)
    ).body
    await answeredCall(svc, {
      srcUser: username,
      dst: '5215512345678',
      at: new Date('2027-03-15T10:00:30Z'),
      seconds: 125
    })
    await rateCalls(svc.service.ctx)
  })
  afterAll(() => svc.close())

  const download = async (format: 'csv' | 'pdf', language?: string) => {
    const r = await svc.api<File>(
      'GET',
      `/v1/usage/calls/export?${period}&format=${format}${language ? `&language=${language}` : ''}`,
      undefined,
      line.token
    )
    expect(r.status, JSON.stringify(r.body)).toBe(200)
    return Buffer.from(r.body.contentBase64, 'base64')
  }
  /** Every column but the header's words: what a spreadsheet or an accounting import reads. */
  const machine = (rows: string[][]) => rows.slice(1)

  it('writes the CSV header in the language asked for, as plain text, the machine columns as in English', async () => {
    const englishText = (await download('csv')).toString('utf8')
    expect((await download('csv', 'en')).toString('utf8')).toBe(englishText)
    expect(englishText.startsWith('\uFEFF'), 'the UTF-8 byte-order mark first').toBe(true)
    const english = parseCsv(englishText)
    expect(english[0]).toEqual(ENGLISH_HEADER)
    expect(machine(english)).toEqual([
      ['2027-03-15T10:00:30.000Z', '+5215512345678', 'international', '125', '3', '0', '0.15', 'USD', '']
    ])

    const frenchText = (await download('csv', 'fr')).toString('utf8')
    expect(frenchText.startsWith('\uFEFF')).toBe(true)
    const french = parseCsv(frenchText)
    expect(french[0]).toEqual([
      'Début (UTC)',
      'Destination',
      'Zone',
      'Secondes',
      'Minutes facturées',
      'Minutes du forfait',
      'Montant',
      'Devise',
      'Renvoyé de'
    ])
    expect(machine(french)).toEqual(machine(english))

    const persianText = (await download('csv', 'fa')).toString('utf8')
    expect(persianText).not.toMatch(BIDI_MARKS)
    const persian = parseCsv(persianText)
    expect(persian[0]).toEqual([
      'شروع به وقت UTC',
      'مقصد',
      'منطقه',
      'ثانیه',
      'دقیقه‌های محاسبه‌شده',
      'دقیقه‌های بسته',
      'مبلغ',
      'واحد پول',
      'بازارسال‌شده از'
    ])
    expect(machine(persian)).toEqual(machine(english))
  })

  it('words the PDF in the language asked for, English as it always was', async () => {
    const english = await pdfText(await download('pdf'))
    expect(await pdfText(await download('pdf', 'en'))).toEqual(english)
    expect(english).toEqual([
      'Itemised calls, 2027-03-01 to 2027-03-15',
      'Started (UTC)',
      'Destination',
      'Zone',
      'Seconds',
      'Billed min',
      'Pack min',
      'Amount',
      '2027-03-15 10:00:30',
      '+5215512345678',
      'international',
      '125',
      '3',
      '0',
      '0.15 USD',
      '1 calls',
      '0.15 USD'
    ])

    const french = await pdfText(await download('pdf', 'fr'))
    expect(french).toEqual([
      'Détail des appels du 01/03/2027 au 15/03/2027',
      'Début (UTC)',
      'Destination',
      'Zone',
      'Secondes',
      // A header wider than its column wraps onto a second line (tabular-files.ts).
      'Min',
      'facturées',
      'Min forfait',
      'Montant',
      '15/03/2027 10:00',
      '+5215512345678',
      'international',
      '125',
      '3',
      '0',
      '0,15 USD',
      "Nombre d'appels : 1",
      '0,15 USD'
    ])

    // Persian in reading order as an independent reader (poppler's pdftotext) puts it back together.
    const persian = pdfToText(await download('pdf', 'fa')).join('\n')
    for (const words of [
      'ریز تماس‌ها',
      'شروع به وقت UTC',
      'مقصد',
      'منطقه',
      'ثانیه',
      'دقیقهٔ بسته',
      'بین‌المللی',
      'تعداد تماس‌ها',
      '۰٫۱۵ USD',
      '+5215512345678'
    ])
      expect(persian).toContain(plainText(words))
    expect(persian).not.toMatch(/Itemised|Started|Destination|international|calls/)
  })

  it('refuses a language the app does not speak, on its field, with no file', async () => {
    for (const format of ['csv', 'pdf']) {
      const r = await svc.api<File>(
        'GET',
        `/v1/usage/calls/export?${period}&format=${format}&language=de`,
        undefined,
        line.token
      )
      expect(r.status).toBe(400)
      expect(r.body.error?.issues?.[0]?.path).toBe('querystring.language')
    }
    const mailed = await svc.api<File>(
      'POST',
      '/v1/usage/calls/email',
      { from: '2027-03-01', to: '2027-03-15', format: 'pdf', language: 'de' },
      line.token
    )
    expect(mailed.status).toBe(400)
    expect(mailed.body.error?.issues?.[0]?.path).toBe('language')
  })

  it('emails the file in the language asked for, else in the account’s, the email’s own', async () => {
    const attachment = async (body: Record<string, string>) => {
      const mine = svc.service.ctx.db
        .deleteFrom('outbox')
        .where('purpose', '=', 'call-details')
        .where('recipient', '=', line.email)
      await mine.execute()
      const r = await svc.api<{ sentTo: string }>(
        'POST',
        '/v1/usage/calls/email',
        { from: '2027-03-01', to: '2027-03-15', ...body },
        line.token
      )
      expect(r.status, JSON.stringify(r.body)).toBe(202)
      const rows = await svc.service.ctx.db
        .selectFrom('outbox')
        .select('attachments')
        .where('purpose', '=', 'call-details')
        .where('recipient', '=', line.email)
        .execute()
      expect(rows).toHaveLength(1)
      const file = (JSON.parse(rows[0]?.attachments ?? '[]') as { content: string }[])[0]
      return Buffer.from(file?.content ?? '', 'base64')
    }
    // The account chose French at its trial: the email is French, and so is its file when none is asked for.
    const csv = parseCsv((await attachment({ format: 'csv' })).toString('utf8'))
    expect(csv[0]?.[0]).toBe('Début (UTC)')
    expect((await pdfText(await attachment({ format: 'pdf' })))[0]).toMatch(/^Détail des appels/)
    // The app's language, sent with the request, words the file.
    const persian = parseCsv((await attachment({ format: 'csv', language: 'fa' })).toString('utf8'))
    expect(persian[0]?.[0]).toBe('شروع به وقت UTC')
    expect((await pdfText(await attachment({ format: 'pdf', language: 'en' })))[0]).toBe(
      'Itemised calls, 2027-03-01 to 2027-03-15'
    )
  })
})
