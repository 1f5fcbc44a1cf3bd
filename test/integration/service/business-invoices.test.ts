/**
 * A business account's invoices on SQLite and PostgreSQL (issue 25 part 2), through the real HTTP service: an
 * invoice issued is numbered, downloadable, and no UPDATE or DELETE can change it (the database refuses); the
 * billing pass issues each business account its invoice once the month has ended, once, and none to a person; it
 * shows what was paid by card and refunded to the card that month beside the ledger's charges; an order whose card
 * result arrives after the month's last minute goes on the next month's invoice. (business.test.ts has the people,
 * their roles and the documents.)
 */
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { invoiceLines, issueInvoice } from '../../../src/server/business/invoices'
import { accountZone } from '../../../src/server/billing/balance'
import { localDate, startOfLocalDay } from '../../../src/server/billing/proration'
import { refund } from '../../../src/server/billing/refunds'
import { lineDescription } from '../../../src/server/pdf/line-words'
import { pdfWords } from '../../../src/server/pdf/words'
import { newId } from '../../../src/server/secrets'
import { CARDS, key, renew, signIn } from '../../support/billing-flows'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { type TrialLine, trialLine } from '../../support/service-flows'

/** Words as read, without the bidi isolates around values. */
const bare = (s: string): string => s.replace(/[\u2066-\u2069]/g, '')
type Err = { error?: { code: string; reason?: string } }

describe.each(BACKENDS)('business invoices on %s', (backend) => {
  let svc: TestService
  let acme: TrialLine
  let other: TrialLine
  let person: TrialLine

  beforeAll(async () => {
    svc = await startTestService(backend)
    acme = await trialLine(svc, { accountType: 'business', name: 'Ada Owner' })
    other = await trialLine(svc, { accountType: 'business', name: 'Bob Other' })
    person = await trialLine(svc)
  }, 120_000)

  afterAll(async () => {
    await svc?.close()
  })

  const get = <T = unknown>(path: string, t: string) => svc.api<T & Err>('GET', path, undefined, t)

  it('an invoice is numbered, downloadable, and no UPDATE or DELETE can change it', async () => {
    const ctx = svc.service.ctx
    const acc = other.accountId
    await ctx.db
      .insertInto('balance_entries')
      .values({
        id: newId('bal'),
        account_id: acc,
        kind: 'usage',
        amount_minor: -1234,
        currency: 'USD',
        source_ref: 'test-usage-1',
        memo: 'Calls in October',
        memo_code: 'other',
        memo_params: '{}',
        created_at: '2026-10-15T12:00:00.000Z'
      })
      .execute()
    const inv = await issueInvoice(ctx, acc, '2026-10', 'operator:test')
    expect(inv.number).toMatch(/^DT-202610-\d{6}$/)
    expect(inv.total).toEqual({ amountMinor: 1234, currency: 'USD' })
    const pdf = await get<{ contentBase64: string; filename: string }>(
      `/v1/business/invoices/${inv.id}/pdf`,
      other.token
    )
    expect(pdf.status).toBe(200)
    expect(Buffer.from(pdf.body.contentBase64, 'base64').subarray(0, 5).toString()).toBe('%PDF-')
    // Not changeable afterwards: the database itself refuses, on both backends.
    await expect(
      ctx.db.updateTable('invoices').set({ total_minor: 1 }).where('id', '=', inv.id).execute()
    ).rejects.toThrow(/immutable/)
    await expect(ctx.db.deleteFrom('invoices').where('id', '=', inv.id).execute()).rejects.toThrow(
      /immutable/
    )
    await expect(sql`update invoices set pdf = '' where id = ${inv.id}`.execute(ctx.db)).rejects.toThrow(
      /immutable/
    )
    const again = await get<{ contentBase64: string }>(`/v1/business/invoices/${inv.id}/pdf`, other.token)
    expect(again.body.contentBase64).toBe(pdf.body.contentBase64)
    await expect(issueInvoice(ctx, acc, '2026-10', 'operator:test')).rejects.toMatchObject({
      reason: 'invoice-exists'
    })
    // This month has not ended: no invoice for it yet.
    await expect(issueInvoice(ctx, acc, '2099-01', 'operator:test')).rejects.toMatchObject({
      reason: 'period-in-future'
    })
  })

  it('the billing pass issues each business account its invoice once the month has ended, once, and none to a person', async () => {
    const ctx = svc.service.ctx
    const period = ctx.clock.now().toISOString().slice(0, 7)
    const invoicesOf = async (accountId: string) =>
      (
        await ctx.db
          .selectFrom('invoices')
          .select('number')
          .where('account_id', '=', accountId)
          .where('period', '=', period)
          .execute()
      ).length
    await svc.service.runJobs()
    // This month has not ended: nothing yet.
    expect([await invoicesOf(acme.accountId), await invoicesOf(other.accountId)]).toEqual([0, 0])
    // Past the month's end in every zone (UTC-12 ends it last), the next pass issues each business's, once.
    const [y = 0, m = 0] = period.split('-').map(Number)
    const next = Date.UTC(m === 12 ? y + 1 : y, m === 12 ? 0 : m, 1, 13)
    svc.clock.advance(next - ctx.clock.now().getTime())
    await svc.service.runJobs()
    await svc.service.runJobs()
    expect([
      await invoicesOf(acme.accountId),
      await invoicesOf(other.accountId),
      await invoicesOf(person.accountId)
    ]).toEqual([1, 1, 0])
  })

  it('the invoice shows a renewal paid by card at checkout and its card refund that month, in the total', async () => {
    const ctx = svc.service.ctx
    const acc = other.accountId
    const t = await signIn(svc, other) // afresh: the test before moved the clock a month on
    const paid = await renew(svc, t, other.lineId, 'line-1y@1', { card: CARDS.ok })
    expect(paid.status, JSON.stringify(paid.body)).toBe(201)
    svc.clock.advance(60_000)
    const back = await refund(
      ctx,
      { id: 'opr_test', limited: false },
      {
        accountId: acc,
        chargeId: paid.body.orderId,
        amountMinor: 1250,
        to: 'card',
        reason: 'goodwill',
        idempotencyKey: key()
      }
    )
    expect(back.status).toBe('done')
    const zone = await accountZone(ctx, acc)
    const period = localDate(ctx.clock.now(), zone).slice(0, 7)
    const [y = 0, m = 0] = period.split('-').map(Number)
    const next = `${m === 12 ? y + 1 : y}-${String(m === 12 ? 1 : m + 1).padStart(2, '0')}`
    svc.clock.advance(Date.parse(`${next}-01T13:00:00Z`) + 86_400_000 - ctx.clock.now().getTime())
    const lines = await invoiceLines(
      ctx,
      acc,
      startOfLocalDay(`${period}-01`, zone).toISOString(),
      startOfLocalDay(`${next}-01`, zone).toISOString()
    )
    const price = paid.body.total.amountMinor
    expect(lines.map((l) => [l.memo, l.owed])).toEqual([
      [expect.stringMatching(/^Line service, 1 year for \+1\d{10}, paid by card ending 4242$/), price],
      [`Refund to your card ending 4242 (order ${paid.body.orderId})`, -1250]
    ])
    // The same lines as codes with values, worded in the reader's language on the PDF.
    expect(lines.map((l) => [l.code, l.params])).toEqual([
      ['card-item', { plan: 'line-1y', number: expect.stringMatching(/^\+1\d{10}$/), last4: '4242' }],
      ['card-refund', { refundOf: 'order', order: paid.body.orderId, last4: '4242' }]
    ])
    expect(lines.map((l) => bare(lineDescription(pdfWords('fr'), l)))).toEqual([
      expect.stringMatching(
        /^Service de ligne, 1 an pour \+1\d{10}, payé par la carte se terminant par 4242$/
      ),
      `Remboursement sur votre carte se terminant par 4242 (commande ${paid.body.orderId})`
    ])
    const inv = await issueInvoice(ctx, acc, period, 'operator:test')
    expect(inv.total).toEqual({ amountMinor: price - 1250, currency: 'USD' })
  })

  it("an order whose card result arrives after its month's last minute goes on the next month's invoice; the month waits for payments still committing", async () => {
    const ctx = svc.service.ctx
    const acc = other.accountId
    const zone = await accountZone(ctx, acc)
    const month = (at: Date) => localDate(at, zone).slice(0, 7)
    const monthAfter = (period: string) => {
      const [y = 0, m = 0] = period.split('-').map(Number)
      return `${m === 12 ? y + 1 : y}-${String(m === 12 ? 1 : m + 1).padStart(2, '0')}`
    }
    const period = month(ctx.clock.now())
    const next = monthAfter(period)
    const end = startOfLocalDay(`${next}-01`, zone).getTime()
    const invoiceOf = (p: string) =>
      ctx.db
        .selectFrom('invoices')
        .select(['number', 'total_minor'])
        .where('account_id', '=', acc)
        .where('period', '=', p)
        .executeTakeFirst()
    const linesOf = async (p: string) =>
      invoiceLines(
        ctx,
        acc,
        startOfLocalDay(`${p}-01`, zone).toISOString(),
        startOfLocalDay(`${monthAfter(p)}-01`, zone).toISOString()
      )

    // 30 seconds before the month ends in the account's zone, a renewal is ordered; the card result is slow.
    svc.clock.advance(end - 30_000 - ctx.clock.now().getTime())
    const t = await signIn(svc, other)
    const gateway = ctx.gateway
    const charge = gateway.charge.bind(gateway)
    let arrive = (): void => undefined
    const arrived = new Promise<void>((resolve) => (arrive = resolve))
    Object.assign(gateway, {
      charge: async (req: Parameters<typeof charge>[0]) => {
        const result = await charge(req)
        await arrived
        return result
      }
    })
    try {
      const ordering = renew(svc, t, other.lineId, 'line-1y@1', { card: CARDS.ok })
      const pending = () =>
        ctx.db
          .selectFrom('checkout_orders')
          .select(['id', 'status'])
          .where('account_id', '=', acc)
          .where('status', '=', 'pending_payment')
          .executeTakeFirst()
      for (let i = 0; i < 200 && !(await pending()); i++) await new Promise((r) => setTimeout(r, 25))
      const orderId = (await pending())?.id
      expect(orderId).toBeDefined()

      // The month has ended; a ledger charge stamped in its last second is still committing: the pass waits.
      svc.clock.advance(40_000)
      await ctx.db
        .insertInto('balance_entries')
        .values({
          id: newId('bal'),
          account_id: acc,
          kind: 'usage',
          amount_minor: -700,
          currency: 'USD',
          source_ref: 'last-second-usage',
          memo: 'Calls in the last second',
          memo_code: 'other',
          memo_params: '{}',
          created_at: new Date(end - 1_000).toISOString()
        })
        .execute()
      await svc.service.runJobs()
      expect(await invoiceOf(period)).toBeUndefined()

      // The card result arrives ten seconds into the next month: the order is paid then.
      arrive()
      const paid = await ordering
      expect(paid.status, JSON.stringify(paid.body)).toBe(201)
      const price = paid.body.total.amountMinor

      // Once the month has settled, the pass issues it with the last second's charge and without the order.
      svc.clock.advance(11 * 60_000)
      await svc.service.runJobs()
      const closed = await invoiceOf(period)
      expect(closed).toBeDefined()
      const closedLines = await linesOf(period)
      expect(closedLines.map((l) => l.memo)).toContain('Calls in the last second')
      expect(closedLines.some((l) => l.memo.includes('paid by card'))).toBe(false)
      expect(closed?.total_minor).toBe(closedLines.reduce((s, l) => s + l.owed, 0))

      // The next month's invoice has it, dated the day it was paid and saying when it was ordered.
      svc.clock.advance(
        startOfLocalDay(`${monthAfter(next)}-01`, zone).getTime() + 11 * 60_000 - ctx.clock.now().getTime()
      )
      await svc.service.runJobs()
      const following = await invoiceOf(next)
      expect(following).toBeDefined()
      const card = (await linesOf(next)).filter((l) => l.memo.includes('paid by card'))
      expect(card.map((l) => [l.memo, l.owed, localDate(new Date(l.at), zone)])).toEqual([
        [
          expect.stringMatching(
            new RegExp(
              `^Line service, 1 year for \\+1\\d{10}, paid by card ending 4242 \\(ordered ${period}-\\d{2}\\)$`
            )
          ),
          price,
          `${next}-01`
        ]
      ])
      expect(card.map((l) => [l.code, l.params.ordered])).toEqual([
        ['card-item', expect.stringMatching(new RegExp(`^${period}-\\d{2}$`))]
      ])
      expect(bare(lineDescription(pdfWords('fr'), card[0] ?? { memo: '' }))).toMatch(
        /, payé par la carte se terminant par 4242 \(commandé le \d\d\/\d\d\/\d{4}\)$/
      )
      expect(following?.total_minor).toBe((await linesOf(next)).reduce((s, l) => s + l.owed, 0))
    } finally {
      Object.assign(gateway, { charge })
      arrive()
    }
  })
})
