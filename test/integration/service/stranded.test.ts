/**
 * The stranded-order job (billing/stranded.ts, settle-retries.ts) on SQLite and PostgreSQL: an order the processor
 * cannot be reached for waits out a doubling pause while the others are settled, is never tried inside its pause,
 * is recorded with a code (never the error's words) and settled once the processor answers; the job reads only the
 * orders made since its mark, and an order a request re-took lately holds the mark back until it can be settled.
 * And the billing pass: a failing job no longer stops the ones after it, and the invoices wait for a clean pass.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { placeOrder } from '../../../src/server/billing/checkout'
import { BillingPassError, type BillingJob, runBillingJobs } from '../../../src/server/billing/jobs'
import { settleOrder } from '../../../src/server/billing/checkout-settle'
import { forgetSettled, settleOne } from '../../../src/server/billing/settle-retries'
import { orderSettlement, settleStrandedOrders } from '../../../src/server/billing/stranded'
import { stuckSettlements } from '../../../src/server/billing/stuck-settlements'
import type { ServiceContext } from '../../../src/server/context'
import { saveCard } from '../../support/billing-flows'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { type TrialLine, trialLine } from '../../support/service-flows'

describe.each(BACKENDS)('orders left pending on %s', (backend) => {
  let svc: TestService
  const lines: (TrialLine & { pm: string })[] = []
  beforeAll(async () => {
    svc = await startTestService(backend)
    for (let i = 0; i < 3; i++) {
      const line = await trialLine(svc, { e911: true })
      lines.push({ ...line, pm: await saveCard(svc, line.token) })
    }
  })
  afterAll(() => svc.close())

  const ctx = () => svc.service.ctx
  const db = () => ctx().db
  /** An order a request made and then died before charging (crash.test.ts kills a real one there). */
  const stranded = async (line: TrialLine & { pm: string }) =>
    (
      await placeOrder(ctx(), line.accountId, {
        idempotencyKey: randomUUID(),
        items: [{ kind: 'renewal', lineId: line.lineId, planId: 'line-1m@1' }],
        payment: { paymentMethodId: line.pm },
        autoRenew: false
      })
    ).order.id
  const status = async (id: string) =>
    (await db().selectFrom('checkout_orders').select('status').where('id', '=', id).executeTakeFirstOrThrow())
      .status
  const retry = (id: string) =>
    db().selectFrom('settle_retries').selectAll().where('ref_id', '=', id).executeTakeFirst()

  /** The sandbox processor, unreachable for the orders named in `down`; every charge's key counted. */
  function processor(down: Set<string>) {
    const calls = new Map<string, number>()
    const gateway: ServiceContext['gateway'] = {
      ...ctx().gateway,
      charge: async (req) => {
        calls.set(req.idempotencyKey, (calls.get(req.idempotencyKey) ?? 0) + 1)
        if (down.has(req.idempotencyKey.replace(/^order:/, '')))
          throw Object.assign(new Error('connect ECONNREFUSED 203.0.113.9:443 token tok_secret'), {
            code: 'ECONNREFUSED'
          })
        return ctx().gateway.charge(req)
      }
    }
    return { ctx: { ...ctx(), gateway }, calls: (id: string) => calls.get(`order:${id}`) ?? 0 }
  }

  it('settles the others while one waits out a doubling pause, then settles it once the processor answers', async () => {
    const [a, b, c] = [await stranded(lines[0]!), await stranded(lines[1]!), await stranded(lines[2]!)]
    const down = new Set([b])
    const p = processor(down)
    // Younger than a minute: a live request may still be settling them.
    expect(await settleStrandedOrders(p.ctx)).toBe(0)
    expect(p.calls(a)).toBe(0)

    svc.clock.advance(61_000)
    const logged = svc.logged.length
    expect(await settleStrandedOrders(p.ctx)).toBe(2)
    expect([await status(a), await status(b), await status(c)]).toEqual(['paid', 'pending_payment', 'paid'])
    const first = await retry(b)
    expect(first).toMatchObject({
      kind: 'order',
      account_id: lines[1]!.accountId,
      attempts: 1,
      reason: 'system-econnrefused',
      next_at: new Date(svc.clock.now().getTime() + 60_000).toISOString()
    })
    // The log names the order and the code, never the error's words (an address, a token).
    const said = svc.logged.slice(logged).join('\n')
    expect(said).toContain(b)
    expect(said).toContain('system-econnrefused')
    expect(said).not.toMatch(/203\.0\.113|tok_secret/)

    // Inside its pause the processor is not called for it again.
    svc.clock.advance(30_000)
    expect(await settleStrandedOrders(p.ctx)).toBe(0)
    expect(p.calls(b)).toBe(1)
    // After it, tried again; still down: the pause doubles.
    svc.clock.advance(31_000)
    expect(await settleStrandedOrders(p.ctx)).toBe(0)
    expect(p.calls(b)).toBe(2)
    expect(await retry(b)).toMatchObject({
      attempts: 2,
      first_failed_at: first?.first_failed_at,
      next_at: new Date(svc.clock.now().getTime() + 120_000).toISOString()
    })

    // The processor answers again: settled at its next turn, its record gone, charged once.
    down.clear()
    svc.clock.advance(121_000)
    expect(await settleStrandedOrders(p.ctx)).toBe(1)
    expect(await status(b)).toBe('paid')
    expect(await retry(b)).toBeUndefined()
    expect(p.calls(a)).toBe(1)
    const charges = await db()
      .selectFrom('sandbox_charges')
      .select('id')
      .where('idempotency_key', '=', `order:${b}`)
      .execute()
    expect(charges).toHaveLength(1)
  })

  it('reads only the orders made since its mark, and an order re-taken lately holds the mark back', async () => {
    const p = processor(new Set())
    await settleStrandedOrders(p.ctx)
    const mark = async () =>
      (
        await db()
          .selectFrom('job_marks')
          .select('value')
          .where('name', '=', 'stranded-orders')
          .executeTakeFirst()
      )?.value
    expect(await mark()).toBe(new Date(svc.clock.now().getTime() - 600_000).toISOString())

    // An order made 20 minutes ago whose request died and whose retry re-took it 10 s ago (its lease: checkout-
    // keyed.ts resumeKeyed moves key_leased_at, not updated_at): a request is at it, so the job leaves it, and
    // the mark waits for it.
    svc.clock.advance(30 * 60_000)
    const retaken = await stranded(lines[0]!)
    const made = new Date(svc.clock.now().getTime() - 20 * 60_000).toISOString()
    await db()
      .updateTable('checkout_orders')
      .set({
        created_at: made,
        updated_at: made,
        key_leased_at: new Date(svc.clock.now().getTime() - 10_000).toISOString()
      })
      .where('id', '=', retaken)
      .execute()
    expect(await settleStrandedOrders(p.ctx)).toBe(0)
    expect(p.calls(retaken)).toBe(0)
    expect(await mark()).toBe(made)
    // Its lease runs out (the retry died too): settled, and the mark moves on.
    svc.clock.advance(ctx().config.billing.idempotencyLeaseMs)
    expect(await settleStrandedOrders(p.ctx)).toBe(1)
    expect(await status(retaken)).toBe('paid')
    expect(await mark()).toBe(new Date(svc.clock.now().getTime() - 600_000).toISOString())

    // An order from before the mark that no failure recorded (its process's clock far behind): not read every
    // pass, but found by the hourly backstop.
    const old = await stranded(lines[1]!)
    await db()
      .updateTable('checkout_orders')
      .set({ created_at: '2020-01-01T00:00:00.000Z', updated_at: '2020-01-01T00:00:00.000Z' })
      .where('id', '=', old)
      .execute()
    expect(await settleStrandedOrders(p.ctx)).toBe(0)
    expect(p.calls(old)).toBe(0)
    svc.clock.advance(61 * 60_000)
    expect(await settleStrandedOrders(p.ctx)).toBe(1)
    expect(await status(old)).toBe('paid')
  })

  it('forgets what a request settled meanwhile, and counts as settled an order paid under it', async () => {
    const order = await stranded(lines[2]!)
    svc.clock.advance(61_000)
    const down = processor(new Set([order]))
    expect(await settleStrandedOrders(down.ctx)).toBe(0)
    expect(await retry(order)).toMatchObject({ attempts: 1 })
    expect((await stuckSettlements(ctx())).settlements.map((x) => x.id)).toEqual([order])
    // The customer's retry pays it (checkout-keyed.ts resumes it through settleOrder), not the job.
    await settleOrder(
      ctx(),
      await db().selectFrom('checkout_orders').selectAll().where('id', '=', order).executeTakeFirstOrThrow()
    )
    expect((await stuckSettlements(ctx())).settlements).toEqual([])
    await forgetSettled(ctx())
    expect(await retry(order)).toBeUndefined()

    // Another runner pays it while this one fails: settled, not "closed", and nothing left on record.
    const raced = await stranded(lines[2]!)
    const row = await db()
      .selectFrom('checkout_orders')
      .selectAll()
      .where('id', '=', raced)
      .executeTakeFirstOrThrow()
    const outcome = await settleOne(
      ctx(),
      {
        ...orderSettlement(ctx()),
        settle: async (o) => {
          await settleOrder(ctx(), o)
          throw Object.assign(new Error('reset'), { code: 'ECONNRESET' })
        }
      },
      row
    )
    expect(outcome).toEqual({ settled: true })
    expect(await retry(raced)).toBeUndefined()
  })
})

describe('a billing pass', () => {
  const ctxWith = (logged: string[]) =>
    ({
      log: {
        info: () => undefined,
        warn: (m: string) => void logged.push(m),
        error: (m: string) => void logged.push(m)
      }
    }) as unknown as ServiceContext

  it('runs every job whatever the ones before it did, holds the invoices back and names what failed', async () => {
    const ran: string[] = []
    const job = (name: string, fail = false, afterAll = false): BillingJob => ({
      name,
      afterAll,
      run: async () => {
        ran.push(name)
        if (fail)
          throw Object.assign(new Error('duplicate key (id)=(acc_secret)'), {
            code: '23505',
            severity: 'ERROR'
          })
      }
    })
    const logged: string[] = []
    const pass = runBillingJobs(ctxWith(logged), [
      job('one'),
      job('two', true),
      job('three'),
      job('invoices', false, true)
    ])
    await expect(pass).rejects.toBeInstanceOf(BillingPassError)
    await expect(pass).rejects.toMatchObject({ failed: ['two'] })
    expect(ran).toEqual(['one', 'two', 'three'])
    expect(logged.join('\n')).toContain('billing job two failed (database-23505)')
    expect(logged.join('\n')).toContain('invoices waits')
    expect(logged.join('\n')).not.toContain('acc_secret')

    ran.length = 0
    await runBillingJobs(ctxWith([]), [job('one'), job('invoices', false, true)])
    expect(ran).toEqual(['one', 'invoices'])
  })
})
