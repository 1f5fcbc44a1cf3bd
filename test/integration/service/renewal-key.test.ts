/**
 * The common renewal's idempotency key held by its order (migration 0031, checkout-keyed.ts), on SQLite and
 * PostgreSQL: no `idempotency_keys` row is written, yet every rule of idempotency.ts still holds: a replay gets
 * the stored answer and charges nothing; the same key with another request (another plan, a card given now,
 * another endpoint) is refused and changes nothing, and does not spoil the first request's replay; a request in
 * progress answers "in progress" until its lease runs out, and is then resumed by the retry (one charge); a
 * refusal while pricing is stored as the answer a replay gets.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkout, paymentFingerprint, placeOrder } from '../../../src/server/billing/checkout'
import { requestHash } from '../../../src/server/billing/idempotency'
import { CARDS, type Receipt, saveCard } from '../../support/billing-flows'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { type TrialLine, trialLine } from '../../support/service-flows'

describe.each(BACKENDS)('a renewal whose order holds its key on %s', (backend) => {
  let svc: TestService
  let line: TrialLine
  let pm: string
  beforeAll(async () => {
    svc = await startTestService(backend)
    line = await trialLine(svc, { e911: true })
    pm = await saveCard(svc, line.token)
  })
  afterAll(() => svc.close())

  const body = (
    idempotencyKey: string,
    planId = 'line-1m@1',
    payment: unknown = { paymentMethodId: pm }
  ) => ({
    idempotencyKey,
    items: [{ kind: 'renewal', lineId: line.lineId, planId }],
    payment
  })
  const post = (b: unknown) =>
    svc.api<Receipt & { error?: { reason: string } }>('POST', '/v1/checkout', b, line.token)
  const db = () => svc.service.ctx.db
  const counts = async (key: string) => ({
    orders: (
      await db().selectFrom('checkout_orders').select('id').where('idempotency_key', '=', key).execute()
    ).length,
    charges: (await db().selectFrom('sandbox_charges').select('id').execute()).length,
    keys: await db().selectFrom('idempotency_keys').selectAll().where('key', '=', key).execute(),
    grants: (
      await db().selectFrom('coverage_grants').select('id').where('line_id', '=', line.lineId).execute()
    ).length
  })

  /** A new key's renewal of the line as the service function takes it (no HTTP), and the line's account. */
  const renewalRequest = async () => {
    const k = randomUUID()
    const { accountId } = await db()
      .selectFrom('lines')
      .select('account_id as accountId')
      .where('id', '=', line.lineId)
      .executeTakeFirstOrThrow()
    const request = {
      idempotencyKey: k,
      items: [{ kind: 'renewal' as const, lineId: line.lineId, planId: 'line-1m@1' }],
      payment: { paymentMethodId: pm },
      autoRenew: false
    }
    return { k, accountId, request }
  }

  it('is answered again from the order, and refuses the same key with any other request', async () => {
    const k = randomUUID()
    const first = await post(body(k))
    expect(first.status, JSON.stringify(first.body)).toBe(201)
    const after = await counts(k)
    expect(after.keys).toEqual([])
    const order = await db()
      .selectFrom('checkout_orders')
      .selectAll()
      .where('idempotency_key', '=', k)
      .executeTakeFirstOrThrow()
    // The answer kept: the paid-through; the rest of it is the order's own row.
    expect(JSON.parse(order.response_body ?? 'null')).toEqual([first.body.items[0]?.paidThrough])

    const replay = await post(body(k))
    expect(replay.status).toBe(201)
    expect(replay.body).toEqual(first.body)
    for (const other of [body(k, 'line-1y@1'), body(k, 'line-1m@1', { card: CARDS.ok, save: false })]) {
      const refused = await post(other)
      expect(refused.status, JSON.stringify(refused.body)).toBe(409)
      expect(refused.body.error?.reason).toBe('idempotency-mismatch')
    }
    const voucher = await svc.api<{ error?: { reason: string } }>(
      'POST',
      '/v1/vouchers/redeem',
      { idempotencyKey: k, code: '1234567890123456', lineId: line.lineId },
      line.token
    )
    expect(voucher.status, JSON.stringify(voucher.body)).toBe(409)
    expect(voucher.body.error?.reason).toBe('idempotency-mismatch')
    // Nothing changed, and the first request's replay is still its answer.
    expect(await counts(k)).toEqual(after)
    expect((await post(body(k))).body).toEqual(first.body)
  })

  it('answers "in progress" while a request holds the order, and resumes it once the lease has run out', async () => {
    const { k, accountId, request } = await renewalRequest()
    const hash = requestHash({
      accountId,
      key: k,
      endpoint: 'checkout',
      request: { ...request, payment: paymentFingerprint(request.payment) }
    })
    // A request that made its order and died before the charge (crash.test.ts kills a real one there).
    await placeOrder(svc.service.ctx, accountId, request, undefined, hash)
    const before = await counts(k)
    const busy = await post(request)
    expect(busy.status, JSON.stringify(busy.body)).toBe(409)
    expect(busy.body.error?.reason).toBe('in-progress')
    expect(await counts(k)).toEqual(before)

    svc.clock.advance(svc.service.ctx.config.billing.idempotencyLeaseMs)
    const resumed = await post(request)
    expect(resumed.status, JSON.stringify(resumed.body)).toBe(201)
    const done = await counts(k)
    expect(done).toMatchObject({
      orders: 1,
      charges: before.charges + 1,
      keys: [],
      grants: before.grants + 1
    })
    expect((await post(request)).body).toEqual(resumed.body)
    expect(await counts(k)).toEqual(done)
  })

  it('frees the lease on a 5xx, so the retry resumes the order at once', async () => {
    const { k, accountId, request } = await renewalRequest()
    const ctx = svc.service.ctx
    const down = {
      ...ctx,
      gateway: {
        ...ctx.gateway,
        charge: () => Promise.reject(new Error('the processor did not answer'))
      }
    }
    const before = await counts(k)
    await expect(checkout(down, accountId, request)).rejects.toThrow('the processor did not answer')
    const left = await db()
      .selectFrom('checkout_orders')
      .selectAll()
      .where('idempotency_key', '=', k)
      .execute()
    expect(left.map((o) => [o.status, o.key_leased_at])).toEqual([['pending_payment', null]])
    const retry = await post(request)
    expect(retry.status, JSON.stringify(retry.body)).toBe(201)
    expect(await counts(k)).toMatchObject({ orders: 1, charges: before.charges + 1, keys: [] })
  })

  it('stores a refusal while pricing as the answer a replay gets', async () => {
    const k = randomUUID()
    const refused = await post(body(k, 'line-1m@1', { paymentMethodId: 'pm_not_this_accounts' }))
    expect(refused.status, JSON.stringify(refused.body)).toBe(404)
    const stored = await counts(k)
    expect(stored.orders).toBe(0)
    expect(stored.keys.map((r) => [r.status, r.response_status])).toEqual([['done', 404]])
    const replay = await post(body(k, 'line-1m@1', { paymentMethodId: 'pm_not_this_accounts' }))
    expect(replay.status).toBe(404)
    expect(replay.body).toEqual(refused.body)
    expect((await post(body(k))).body.error?.reason).toBe('idempotency-mismatch')
  })
})
