/**
 * The balance statement and past card orders on SQLite and PostgreSQL: a period's entries in the account's time
 * zone (an entry at 22:30 on the 31st in Los Angeles is March's, though it is April in UTC), the opening, running
 * and closing balances on every page, the original "newest entries" form unchanged, the CSV and PDF files read
 * back, every past card order (renewal checkout, top-ups, a device order) with its card for the receipt, and bad
 * periods refused on their field.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { CARDS, key, renew, signIn } from '../../support/billing-flows'
import { BIDI_MARKS, parseCsv, pdfText } from '../../support/file-text'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { type TrialLine, trialLine } from '../../support/service-flows'

interface Entry {
  kind: string
  memoCode: string
  amount: { amountMinor: number; currency: string }
  balanceAfter?: { amountMinor: number }
  at: string
}
interface Statement {
  entries: Entry[]
  period?: {
    from: string
    to: string
    zone: string
    opening: { amountMinor: number }
    closing: { amountMinor: number }
    count: number
  }
  nextOffset?: number | null
  error?: { reason?: string; issues?: { path: string; code: string; params?: Record<string, unknown> }[] }
}
interface Orders {
  provider: string
  orders: {
    id: string
    kind: string
    total: { amountMinor: number }
    card: { brand: string; last4: string } | null
    items: {
      kind: string
      planCode: string | null
      offerId: string | null
      lineId: string | null
      phoneNumber: string | null
      paidThrough: string | null
    }[]
  }[]
}

const ZONE = 'America/Los_Angeles'
const MASTERCARD = { ...CARDS.ok, number: '5555 5555 5555 4444' }

describe.each(BACKENDS)('the statement and past orders on %s', (backend) => {
  let svc: TestService
  let line: TrialLine
  let token: string
  beforeAll(async () => {
    svc = await startTestService(backend)
    // One account's year: a renewal by card in December, then in March a promised payment, a top-up that repays
    // it, a minutes pack, a device order, and two top-ups either side of midnight at the month's end (local).
    svc.clock.set(new Date('2026-12-01T17:00:00Z'))
    line = await trialLine(svc)
    await svc.service.ctx.db
      .updateTable('accounts')
      .set({ timezone: ZONE })
      .where('id', '=', line.accountId)
      .execute()
    expect((await renew(svc, line.token, line.lineId, 'line-1y@1', { card: CARDS.ok })).status).toBe(201)
    svc.clock.set(new Date('2027-03-03T17:00:00Z'))
    token = await signIn(svc, line)
    const post = async (path: string, body: unknown) => {
      const r = await svc.api('POST', path, body, token)
      expect(r.status, `${path} ${JSON.stringify(r.body)}`).toBeLessThan(300)
    }
    const topUp = (amountMinor: number) =>
      post('/v1/balance/top-up', { idempotencyKey: key(), amountMinor, payment: { card: CARDS.ok } })
    await post('/v1/balance/promised-payment', { idempotencyKey: key() })
    svc.clock.set(new Date('2027-03-10T17:00:00Z'))
    await topUp(2000)
    svc.clock.set(new Date('2027-03-15T17:00:00Z'))
    await post('/v1/balance/minutes', { idempotencyKey: key(), planId: 'intl-100@1' })
    await post('/v1/offers/order', {
      idempotencyKey: key(),
      offerId: 'usb-c-2027',
      lineId: line.lineId,
      payment: { card: MASTERCARD }
    })
    svc.clock.set(new Date('2027-04-01T05:30:00Z')) // 22:30 on 31 March in Los Angeles
    await topUp(100)
    svc.clock.set(new Date('2027-04-01T08:30:00Z')) // 01:30 on 1 April there
    await topUp(300)
    svc.clock.set(new Date('2027-04-02T12:00:00Z'))
  }, 60_000)
  afterAll(() => svc.close())
  afterEach(() => svc.clock.set(new Date('2027-04-02T12:00:00Z')))

  const statement = async (query: string) =>
    (await svc.api<Statement>('GET', `/v1/balance/entries?${query}`, undefined, token)).body

  it("lists a period's entries in the account's zone with opening, running and closing balances", async () => {
    const march = await statement('from=2027-03-01&to=2027-03-31&limit=100')
    expect(march.period).toEqual({
      from: '2027-03-01',
      to: '2027-03-31',
      zone: ZONE,
      opening: { amountMinor: 0, currency: 'USD' },
      closing: { amountMinor: 1600, currency: 'USD' },
      count: 5
    })
    expect(
      march.entries.map((e) => [e.kind, e.memoCode, e.amount.amountMinor, e.balanceAfter?.amountMinor])
    ).toEqual([
      ['promised_credit', 'promised-credit', 500, 500],
      ['top_up', 'top-up', 2000, 2500],
      ['promised_repayment', 'promised-repaid', -500, 2000],
      ['minutes_pack', 'minutes-pack', -500, 1500],
      ['top_up', 'top-up', 100, 1600]
    ])
    expect(march.nextOffset).toBeNull()
    const april = await statement('from=2027-04-01&to=2027-04-30')
    expect(april.period).toMatchObject({
      opening: { amountMinor: 1600 },
      closing: { amountMinor: 1900 },
      count: 1
    })
    expect(april.entries.map((e) => e.amount.amountMinor)).toEqual([300])
    const feb = await statement('from=2027-02-01&to=2027-02-28')
    expect(feb).toMatchObject({
      entries: [],
      period: { opening: { amountMinor: 0 }, closing: { amountMinor: 0 } }
    })
    // The whole history closes on today's balance.
    const all = await statement('from=2026-12-01&to=2027-04-02')
    const balance = await svc.api<{ balance: { amountMinor: number } }>(
      'GET',
      '/v1/balance',
      undefined,
      token
    )
    expect(all.period?.closing.amountMinor).toBe(balance.body.balance.amountMinor)
  })

  it('pages a period with the running balance carried across pages, and keeps the newest-first form', async () => {
    const seen: [number, number | undefined][] = []
    let offset: number | null | undefined = 0
    const offsets: number[] = []
    while (offset !== null && offset !== undefined) {
      offsets.push(offset)
      const page = await statement(`from=2027-03-01&to=2027-03-31&limit=2&offset=${offset}`)
      seen.push(
        ...page.entries.map((e): [number, number | undefined] => [
          e.amount.amountMinor,
          e.balanceAfter?.amountMinor
        ])
      )
      offset = page.nextOffset
    }
    expect(offsets).toEqual([0, 2, 4])
    expect(seen.map(([, after]) => after)).toEqual([500, 2500, 2000, 1500, 1600])
    const newest = await statement('limit=2')
    expect(newest.period).toBeUndefined()
    expect(newest.entries.map((e) => e.amount.amountMinor)).toEqual([300, 100])
    expect(newest.entries[0]?.balanceAfter).toBeUndefined()
  })

  it('exports the period as CSV and PDF that read back the same entries and balances', async () => {
    const file = async (format: string) => {
      const r = await svc.api<{ filename: string; contentType: string; contentBase64: string }>(
        'GET',
        `/v1/balance/statement/export?from=2027-03-01&to=2027-03-31&format=${format}`,
        undefined,
        token
      )
      expect(r.status, JSON.stringify(r.body)).toBe(200)
      return { ...r.body, bytes: Buffer.from(r.body.contentBase64, 'base64') }
    }
    const csv = await file('csv')
    expect(csv).toMatchObject({
      filename: 'dialtone-statement-2027-03-01-to-2027-03-31.csv',
      contentType: 'text/csv; charset=utf-8'
    })
    // UTF-8's byte-order mark first, so a spreadsheet reads every language's words as written.
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const rows = parseCsv(csv.bytes.toString('utf8'))
    expect(rows[0]).toEqual(['Date', 'Kind', 'Description', 'Amount', 'Currency', 'Balance'])
    expect(rows.slice(1).map((r) => [r[0], r[1], r[3], r[5]])).toEqual([
      ['2027-03-01', 'opening_balance', '', '0.00'],
      ['2027-03-03 09:00', 'promised_credit', '5.00', '5.00'],
      ['2027-03-10 09:00', 'top_up', '20.00', '25.00'],
      ['2027-03-10 09:00', 'promised_repayment', '-5.00', '20.00'],
      ['2027-03-15 10:00', 'minutes_pack', '-5.00', '15.00'],
      ['2027-03-31 22:30', 'top_up', '1.00', '16.00'],
      ['2027-03-31', 'closing_balance', '', '16.00']
    ])
    expect(rows[3]?.[2]).toBe('Top-up by card ending 4242')
    const pdf = await file('pdf')
    expect(pdf.contentType).toBe('application/pdf')
    const text = await pdfText(pdf.bytes)
    expect(text[0]).toBe('Statement, 2027-03-01 to 2027-03-31')
    expect(text).toEqual(
      expect.arrayContaining([
        `Dates in ${ZONE}`,
        'Opening balance: 0.00 USD',
        '2027-03-31 22:30',
        'Top-up by card ending 4242',
        'promised_repayment',
        '-5.00 USD',
        'Closing balance',
        '16.00 USD',
        '5 entries'
      ])
    )
  })

  it('exports the CSV in the language asked for: words translated, dates, codes and amounts as in English', async () => {
    const csvIn = async (language?: string) => {
      const r = await svc.api<{ contentBase64: string }>(
        'GET',
        `/v1/balance/statement/export?from=2027-03-01&to=2027-03-31&format=csv${language ? `&language=${language}` : ''}`,
        undefined,
        token
      )
      expect(r.status, JSON.stringify(r.body)).toBe(200)
      return Buffer.from(r.body.contentBase64, 'base64').toString('utf8')
    }
    const words = (rows: string[][]) => [rows[0], rows.slice(1).map((r) => r[2])]
    // What machines read: the local date and time, the kind's code, plain decimals with a dot, the currency.
    const machine = (rows: string[][]) => rows.slice(1).map((r) => [r[0], r[1], r[3], r[4], r[5]])
    // No language is English, as it always was.
    const englishText = await csvIn()
    expect(await csvIn('en')).toBe(englishText)
    const english = parseCsv(englishText)
    expect(words(english)).toEqual([
      ['Date', 'Kind', 'Description', 'Amount', 'Currency', 'Balance'],
      [
        'Opening balance',
        'Promised payment',
        'Top-up by card ending 4242',
        'Promised payment repaid',
        'International minutes: 100 for 30 days',
        'Top-up by card ending 4242',
        'Closing balance'
      ]
    ])
    const french = parseCsv(await csvIn('fr'))
    expect(machine(french)).toEqual(machine(english))
    expect(words(french)).toEqual([
      ['Date', 'Type', 'Libellé', 'Montant', 'Devise', 'Solde'],
      [
        'Solde au début',
        'Paiement promis',
        'Recharge par la carte se terminant par 4242',
        'Paiement promis remboursé',
        'Minutes internationales : 100 pour 30 jours',
        'Recharge par la carte se terminant par 4242',
        'Solde à la fin'
      ]
    ])
    // Plain text: no bidi isolates or marks in any cell (a spreadsheet would keep them as stray characters).
    const persianText = await csvIn('fa')
    expect(persianText).not.toMatch(BIDI_MARKS)
    const persian = parseCsv(persianText)
    expect(machine(persian)).toEqual(machine(english))
    expect(words(persian)).toEqual([
      ['تاریخ', 'نوع', 'شرح', 'مبلغ', 'واحد پول', 'موجودی'],
      [
        'موجودی در آغاز دوره',
        'پرداخت وعده‌ای',
        'شارژ با کارتی که به 4242 ختم می‌شود',
        'پرداخت وعده‌ای بازپرداخت شد',
        'دقیقه‌های بین‌المللی: ۱۰۰ دقیقه برای ۳۰ روز',
        'شارژ با کارتی که به 4242 ختم می‌شود',
        'موجودی در پایان دوره'
      ]
    ])
    expect(words(persian).flat().join(' ')).not.toMatch(/[a-z]/i)
    // A language the app does not speak is refused on its field, with no file.
    const unknown = await svc.api<Statement>(
      'GET',
      '/v1/balance/statement/export?from=2027-03-01&to=2027-03-31&format=csv&language=de',
      undefined,
      token
    )
    expect(unknown.status).toBe(400)
    expect(unknown.body.error?.issues?.[0]?.path).toBe('querystring.language')
  })

  it('lists every past card order with the card and what was bought, newest first', async () => {
    const r = await svc.api<Orders>('GET', '/v1/orders', undefined, token)
    expect(r.status).toBe(200)
    expect(r.body.provider).toBe('Dialtone')
    expect(r.body.orders.map((o) => [o.kind, o.total.amountMinor, o.card])).toEqual([
      ['top_up', 300, { brand: 'visa', last4: '4242' }],
      ['top_up', 100, { brand: 'visa', last4: '4242' }],
      ['device', 1995, { brand: 'mastercard', last4: '4444' }],
      ['top_up', 2000, { brand: 'visa', last4: '4242' }],
      ['checkout', expect.any(Number), { brand: 'visa', last4: '4242' }]
    ])
    const [device, checkout] = [r.body.orders[2], r.body.orders[4]]
    expect(device?.items).toEqual([
      expect.objectContaining({
        kind: 'device',
        offerId: 'usb-c-2027',
        lineId: line.lineId,
        phoneNumber: expect.any(String)
      })
    ])
    expect(checkout?.items).toEqual([
      expect.objectContaining({
        kind: 'renewal',
        planCode: 'line-1y',
        lineId: line.lineId,
        paidThrough: expect.any(String)
      })
    ])
    const devices = await svc.api<{ orders: { id: string }[] }>('GET', '/v1/device-orders', undefined, token)
    expect(devices.body.orders.map((o) => o.id)).toEqual([device?.id])
  })

  it('refuses a reversed, too long, future or half period on its field', async () => {
    const refused = async (query: string) => {
      const r = await svc.api<Statement>('GET', `/v1/balance/entries?${query}`, undefined, token)
      expect(r.status, query).toBe(400)
      // A query's issues are under 'querystring.' when the schema refuses them; the app matches the field's end.
      return r.body.error?.issues?.map((i) => [i.path.replace(/^querystring\./, ''), i.code, i.params ?? {}])
    }
    expect(await refused('from=2027-03-31&to=2027-03-01')).toEqual([['to', 'range-reversed', {}]])
    expect(await refused('from=2026-01-01&to=2027-03-01')).toEqual([['to', 'period-too-long', { days: 366 }]])
    // Tomorrow in Los Angeles is refused; today there is fine although it is already tomorrow in some zones.
    expect(await refused('from=2027-04-03&to=2027-04-03')).toEqual([
      ['from', 'period-in-future', { date: '2027-04-02' }]
    ])
    expect(await refused('from=2027-03-01')).toEqual([['to', 'required', {}]])
    expect((await statement('from=2027-04-02&to=2027-04-30')).period?.count).toBe(0)
    const badExport = await svc.api<Statement>(
      'GET',
      '/v1/balance/statement/export?from=2027-03-31&to=2027-03-01&format=csv',
      undefined,
      token
    )
    expect(badExport.status).toBe(400)
    expect(badExport.body.error?.issues?.[0]).toMatchObject({
      path: 'querystring.to',
      code: 'range-reversed'
    })
  })
})
