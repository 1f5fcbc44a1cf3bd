/**
 * The common renewal has two writers on each database: the short path (renewal-fast.ts: PostgreSQL's
 * `renewal_fulfil` function, SQLite's four statements) and the general fulfilment (checkout-fulfil.ts, which the
 * retry of a crashed request and the stranded-order job take). They must write the same rows, or a renewal's
 * record would depend on which path ran. Two lines in the same state at the same instant are renewed the same way,
 * one by each path; every row either writes (order with its stored answer, subscription, grant, receipt, line,
 * Kamailio row) is compared, with the lines' own ids and numbers replaced by placeholders. Neither writes an
 * `order.paid` audit row (the order is its own record: migration 0034) nor an `idempotency_keys` row (the order
 * holds the request's key: migration 0031, checkout-keyed.ts).
 */
import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkout, paymentFingerprint, placeOrder } from '../../../src/server/billing/checkout'
import { settleOrder } from '../../../src/server/billing/checkout-settle'
import { orderSettle } from '../../../src/server/billing/checkout-keyed'
import { requestHash } from '../../../src/server/billing/idempotency'
import { countingContext } from '../../bench/count-statements'
import { renew, saveCard } from '../../support/billing-flows'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { type TrialLine, trialLine } from '../../support/service-flows'

describe.each(BACKENDS)('the two renewal paths on %s', (backend) => {
  let svc: TestService
  beforeAll(async () => {
    svc = await startTestService(backend)
  })
  afterAll(() => svc.close())

  /** Every row a renewal writes for this line and order, the line's own values replaced by placeholders. */
  async function written(line: TrialLine & { pm: string }, orderId: string, key: string) {
    const db = svc.service.ctx.db
    const [order, sub, grant, audit, receipt, keyRows, lineRow, kamailio] = await Promise.all([
      db.selectFrom('checkout_orders').selectAll().where('id', '=', orderId).executeTakeFirstOrThrow(),
      db.selectFrom('subscriptions').selectAll().where('line_id', '=', line.lineId).executeTakeFirstOrThrow(),
      db
        .selectFrom('coverage_grants')
        .selectAll()
        .where('source_id', '=', `${orderId}:0`)
        .executeTakeFirstOrThrow(),
      db
        .selectFrom('audit_events')
        .selectAll()
        .where('kind', '=', 'order.paid')
        .where('detail', 'like', `%${orderId}%`)
        .execute(),
      db
        .selectFrom('outbox')
        .selectAll()
        .where('purpose', '=', 'receipt')
        .where('account_id', '=', line.accountId)
        .where('subject', 'like', `%${orderId}`)
        .execute(),
      db
        .selectFrom('idempotency_keys')
        .selectAll()
        .where('account_id', '=', line.accountId)
        .where('key', '=', key)
        .execute(),
      db.selectFrom('lines').selectAll().where('id', '=', line.lineId).executeTakeFirstOrThrow(),
      db
        .selectFrom('subscriber')
        .innerJoin('sip_accounts', 'sip_accounts.username', 'subscriber.username')
        .selectAll('subscriber')
        .where('sip_accounts.line_id', '=', line.lineId)
        .execute()
    ])
    const own: [string | null, string][] = [
      [orderId, '<order>'],
      [key, '<key>'],
      [line.accountId, '<account>'],
      [line.lineId, '<line>'],
      [line.pm, '<card>'],
      [line.email, '<email>'],
      [order.charge_id, '<charge>'],
      [sub.id, '<subscription>'],
      [lineRow.phone_number, '<number>'],
      [lineRow.phone_number?.replace(/^\+/, '') ?? null, '<digits>'],
      ...kamailio.map((k) => [k.username, '<sip>'] as [string, string])
    ]
    // The lines' own credentials, device and request (which names the line) differ by line, not by path.
    const { request_hash: hash, ...orderOwn } = order
    expect(hash).toMatch(/^[0-9a-f]{64}$/)
    const { device_id: _device, ...lineOwn } = lineRow
    const kamailioOwn = kamailio.map(({ ha1: _ha1, ha1b: _ha1b, id: _id, ...k }) => k)
    let text = JSON.stringify({
      order: orderOwn,
      sub,
      grant,
      audit,
      receipt,
      keyRows,
      lineRow: lineOwn,
      kamailio: kamailioOwn
    })
    for (const [value, placeholder] of own) if (value) text = text.split(value).join(placeholder)
    // Ids the writers make themselves (the grant's, the message's).
    return JSON.parse(text.replace(/\b(cov|msg)_[A-Za-z0-9_-]{20}/g, '$1_<new>')) as unknown
  }

  it('the short path and the general fulfilment write the same rows for the same renewal', async () => {
    const ctx = svc.service.ctx
    // Two lines in the same state (in service, on the monthly plan after one renewal), made at the same instant.
    const lines: (TrialLine & { pm: string })[] = []
    for (let i = 0; i < 2; i++) {
      const line = await trialLine(svc, { e911: true })
      const pm = await saveCard(svc, line.token)
      const first = await renew(svc, line.token, line.lineId, 'line-1m@1', { paymentMethodId: pm })
      expect(first.status, JSON.stringify(first.body)).toBe(201)
      lines.push({ ...line, pm })
    }
    const [a, b] = lines as [TrialLine & { pm: string }, TrialLine & { pm: string }]
    const request = (l: { lineId: string; pm: string }) => ({
      idempotencyKey: randomUUID(),
      items: [{ kind: 'renewal' as const, lineId: l.lineId, planId: 'line-1m@1' }],
      payment: { paymentMethodId: l.pm },
      autoRenew: true
    })

    // A: the request as the service runs it: the short path (its few statements show it ran).
    const reqA = request(a)
    const counting = countingContext(ctx)
    const receiptA = await checkout(counting.ctx, a.accountId, reqA)
    // docs/renewal-cost.md "What a renewal sends to the database": the read, the order, the charge, then the fulfilment
    // (PostgreSQL: one function call; SQLite: four statements in one transaction). No idempotency_keys statement.
    expect(counting.statements()).toBe(backend === 'sqlite' ? 7 : 4)
    expect(counting.transactions()).toBe(backend === 'sqlite' ? 1 : 0)

    // B: the same request's order (holding its key), settled by the general fulfilment (as a retry that resumes it
    // does), its answer stored in the order the same way.
    const reqB = request(b)
    const countingB = countingContext(ctx)
    const hashB = requestHash({
      accountId: b.accountId,
      key: reqB.idempotencyKey,
      endpoint: 'checkout',
      request: { ...reqB, payment: paymentFingerprint(reqB.payment) }
    })
    const placed = await placeOrder(countingB.ctx, b.accountId, reqB, undefined, hashB)
    const receiptB = await settleOrder(countingB.ctx, placed.order, { settle: orderSettle(placed.order.id) })
    expect(countingB.statements(), 'the general path').toBeGreaterThan(13)

    const rowsA = await written(a, receiptA.orderId, reqA.idempotencyKey)
    const rowsB = await written(b, receiptB.orderId, reqB.idempotencyKey)
    expect(rowsA).toEqual(rowsB)
    // And the rows are those of a renewal: paid, one grant, one receipt, the answer stored, no audit row.
    expect(rowsA).toMatchObject({
      order: {
        status: 'paid',
        response_body: expect.stringMatching(/^\["\d{4}-\d\d-\d\dT[\d:.]+Z"\]$/) as unknown
      },
      keyRows: [],
      sub: { status: 'active', plan_id: 'line-1m@1', auto_renew: 1 },
      grant: { source_type: 'order', source_id: '<order>:0' },
      audit: [],
      receipt: [{ purpose: 'receipt', recipient: '<email>', subject: 'Dialtone receipt <order>' }],
      lineRow: { status: 'in_service' }
    })
  })
  it("an order item's grant found already written: the short path undoes itself, the general one settles it", async () => {
    const ctx = svc.service.ctx
    const line = await trialLine(svc, { e911: true })
    const pm = await saveCard(svc, line.token)
    const first = await renew(svc, line.token, line.lineId, 'line-1m@1', { paymentMethodId: pm })
    expect(first.status, JSON.stringify(first.body)).toBe(201)
    // Cannot happen in a running service (the grant is written with the paid mark); made here by a processor that
    // writes the order item's grant before it answers, so the short path meets the grant it is about to write.
    const injected = 'cov_injectedgrant000000'
    // In the past, so the line's paid-through (which the short path checks first) stays what the price read.
    const start = new Date(ctx.clock.now().getTime() - 60 * 86_400_000).toISOString()
    const end = new Date(ctx.clock.now().getTime() - 30 * 86_400_000).toISOString()
    const counting = countingContext(ctx)
    const gateway: typeof ctx.gateway = {
      ...counting.ctx.gateway,
      charge: async (request) => {
        await ctx.db
          .insertInto('coverage_grants')
          .values({
            id: injected,
            line_id: line.lineId,
            starts_at: start,
            ends_at: end,
            source_type: 'order',
            source_id: `${request.idempotencyKey.replace(/^order:/, '')}:0`,
            voided_at: null,
            created_at: ctx.clock.now().toISOString()
          })
          .execute()
        return counting.ctx.gateway.charge(request)
      }
    }
    const receipt = await checkout({ ...counting.ctx, gateway }, line.accountId, {
      idempotencyKey: randomUUID(),
      items: [{ kind: 'renewal', lineId: line.lineId, planId: 'line-1m@1' }],
      payment: { paymentMethodId: pm },
      autoRenew: false
    })
    // The short path ran and wrote nothing (PostgreSQL: a unique violation undid the function; SQLite: its
    // transaction rolled back), then the general fulfilment paid the order around the grant that was there.
    expect(counting.statements()).toBeGreaterThan(backend === 'sqlite' ? 7 : 4)
    const grants = await ctx.db
      .selectFrom('coverage_grants')
      .select(['id', 'ends_at'])
      .where('source_id', '=', `${receipt.orderId}:0`)
      .execute()
    expect(grants).toEqual([{ id: injected, ends_at: end }])
    const order = await ctx.db
      .selectFrom('checkout_orders')
      .select('status')
      .where('id', '=', receipt.orderId)
      .executeTakeFirstOrThrow()
    expect(order.status).toBe('paid')
    // The answer reports the grant that is there (in the past here, as injected): the order item is granted once,
    // whoever wrote it; what is checked is that nothing is charged or granted twice and that it is said.
    expect(receipt.items[0]?.paidThrough).toBe(end)
    expect(svc.logged).toContainEqual(
      expect.stringContaining(`renewal of order ${receipt.orderId}: its grant`)
    )
    const charges = await ctx.db
      .selectFrom('sandbox_charges')
      .select('id')
      .where('idempotency_key', '=', `order:${receipt.orderId}`)
      .execute()
    expect(charges).toHaveLength(1)
  })
})

describe('renewal_fulfil on PostgreSQL', () => {
  it('keeps the function the version before calls, for a rolling start (migration 0034)', async () => {
    const svc = await startTestService('postgres')
    try {
      const r = await sql<{ args: number }>`
        SELECT pronargs AS args FROM pg_proc WHERE proname = 'renewal_fulfil' ORDER BY pronargs`.execute(
        svc.service.ctx.db
      )
      expect(r.rows.map((x) => x.args)).toEqual([19, 21])
    } finally {
      await svc.close()
    }
  })
})
