/**
 * Stuck settlements through `dialtone-ops` as a real process, on SQLite and PostgreSQL: an order the job could not
 * settle (the processor unreachable) is listed for billing with its amount, tries, the reason in words and its next
 * turn; support may not see the list; `settlements retry` settles it at once (charged once) and it leaves the list;
 * an id that is not stuck is refused by name; the retry is in the audit log. A call the rating job could not rate
 * (its database statements failing) is listed with its account and its two ends, and its retry rates it once;
 * two ratings of one call at once (the job's and a retry's) take its minutes from a pack once, and two calls of one
 * account rated at once each take their own (PostgreSQL lost some before the pack was locked for the rating).
 * The list holds at most 200 of each kind and says how many there are, so a day of calls the rating could not rate
 * does not hide a stuck card order behind them.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { placeOrder } from '../../../src/server/billing/checkout'
import { settleStrandedOrders } from '../../../src/server/billing/stranded'
import { STUCK_LIST_LIMIT, retrySettlement } from '../../../src/server/billing/stuck-settlements'
import { rateCall, rateCalls } from '../../../src/server/billing/usage'
import type { ServiceContext } from '../../../src/server/context'
import { bootstrapAdmin } from '../../../src/server/ops/operators'
import { saveCard } from '../../support/billing-flows'
import { failingFor } from '../../support/failing-db'
import { type OpsCli, type Operator, enrolAndSignIn, makeOperator, signedInCli } from '../../support/ops'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { type TrialLine, answeredCall, lineNumber, trialLine } from '../../support/service-flows'

interface Stuck {
  settlements: {
    kind: string
    id: string
    accountId: string | null
    amountMinor?: number
    call?: { from: string; to: string }
    attempts: number
    reason: string
    nextAt: string
  }[]
  stuck: { order: number; refund: number; call: number }
  listed: number
}

describe.each(BACKENDS)('stuck settlements on %s', (backend) => {
  let svc: TestService
  let billingCli: OpsCli
  let supportCli: OpsCli
  let billing: Operator
  let person: TrialLine
  let orderId = ''
  let paymentMethodId = ''

  /** A request made its order and died; the job then found the processor unreachable. */
  async function strandOrder(): Promise<string> {
    const ctx = svc.service.ctx
    const id = (
      await placeOrder(ctx, person.accountId, {
        idempotencyKey: randomUUID(),
        items: [{ kind: 'renewal', lineId: person.lineId, planId: 'line-1m@1' }],
        payment: { paymentMethodId },
        autoRenew: false
      })
    ).order.id
    svc.clock.advance(61_000)
    const down: ServiceContext = {
      ...ctx,
      gateway: {
        ...ctx.gateway,
        charge: () => Promise.reject(Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' }))
      }
    }
    expect(await settleStrandedOrders(down)).toBe(0)
    return id
  }

  beforeAll(async () => {
    svc = await startTestService(backend)
    const boot = await bootstrapAdmin(svc.service.ctx, { email: 'admin@ops.dialtone.test', name: 'Admin' })
    const adminToken = (await enrolAndSignIn(svc, 'admin@ops.dialtone.test', boot.enrolmentToken)).token
    billing = await makeOperator(svc, adminToken, 'billing')
    billingCli = await signedInCli(svc, billing)
    supportCli = await signedInCli(svc, await makeOperator(svc, adminToken, 'support'))
    person = await trialLine(svc, { e911: true })
    paymentMethodId = await saveCard(svc, person.token)
    orderId = await strandOrder()
  }, 120_000)
  afterAll(() => svc.close())

  it('lists the stuck order for billing, in words, and not for support', async () => {
    const listed = await billingCli.json<Stuck>(['settlements', 'stuck'])
    expect(listed.settlements).toEqual([
      expect.objectContaining({
        kind: 'order',
        id: orderId,
        accountId: person.accountId,
        attempts: 1,
        reason: 'system-etimedout',
        nextAt: new Date(svc.clock.now().getTime() + 60_000).toISOString()
      })
    ])
    expect(listed.settlements[0]?.amountMinor).toBeGreaterThan(0)
    const human = await billingCli.run(['settlements', 'stuck'])
    expect(human.code, human.stderr).toBe(0)
    expect(human.stdout).toContain(orderId)
    expect(human.stdout).toContain("unreachable (ETIMEDOUT): the card processor, or the service's database")
    expect(human.stdout).toContain('dialtone-ops settlements retry --kind <order|refund|call> --id <id>')

    const refused = await supportCli.run(['settlements', 'stuck'])
    expect(refused.code).toBe(5)
    expect(refused.stderr).toContain('settlements.read')
  })

  it('settles it at once on retry, charged once, and then it is neither listed nor retryable', async () => {
    const notStuck = await billingCli.run(['settlements', 'retry', '--kind', 'refund', '--id', orderId])
    expect(notStuck.code).toBe(6)
    expect(notStuck.stderr).toContain(`a stuck refund ${orderId} was not found`)

    const r = await billingCli.run(['settlements', 'retry', '--kind', 'order', '--id', orderId])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain(`Settled: order ${orderId}.`)
    const db = svc.service.ctx.db
    const order = await db
      .selectFrom('checkout_orders')
      .selectAll()
      .where('id', '=', orderId)
      .executeTakeFirstOrThrow()
    expect(order.status).toBe('paid')
    const charges = await db
      .selectFrom('sandbox_charges')
      .select('id')
      .where('idempotency_key', '=', `order:${orderId}`)
      .execute()
    expect(charges).toHaveLength(1)
    expect((await billingCli.json<Stuck>(['settlements', 'stuck'])).settlements).toEqual([])
    expect((await billingCli.run(['settlements', 'stuck'])).stdout).toContain('Nothing is stuck')
    const again = await billingCli.run(['settlements', 'retry', '--kind', 'order', '--id', orderId])
    expect(again.code).toBe(6)

    const audit = await db
      .selectFrom('ops_audit')
      .selectAll()
      .where('action', '=', 'settlements-retry')
      .where('actor_id', '=', billing.id)
      .execute()
    expect(audit.map((a) => [a.target, a.outcome])).toEqual([
      [`refund/${orderId}`, 'failed'],
      [`order/${orderId}`, 'ok'],
      [`order/${orderId}`, 'failed']
    ])
  })

  it('lists a call the rating job could not rate, with its ends, and rates it once on retry', async () => {
    const ctx = svc.service.ctx
    const srcUser = (await lineNumber(svc, person.token, person.lineId)).slice(1)
    const at = new Date(svc.clock.now().getTime() - 600_000)
    await answeredCall(svc, { srcUser, dst: '12125550100', at, seconds: 90 })
    const call = await ctx.db
      .selectFrom('call_records')
      .selectAll()
      .where('src_user', '=', srcUser)
      .where('method', '=', 'INVITE')
      .where('rated_at', 'is', null)
      .executeTakeFirstOrThrow()
    expect(await rateCalls(failingFor(ctx, call.call_id))).toBe(0)

    const listed = await billingCli.json<Stuck>(['settlements', 'stuck'])
    expect(listed.settlements).toEqual([
      expect.objectContaining({
        kind: 'call',
        id: call.id,
        accountId: person.accountId,
        call: { from: srcUser, to: '12125550100' },
        attempts: 1,
        reason: 'database-40p01'
      })
    ])
    expect(listed.settlements[0]).not.toHaveProperty('amountMinor')
    const human = await billingCli.run(['settlements', 'stuck'])
    expect(human.code, human.stderr).toBe(0)
    expect(human.stdout).toContain(`${srcUser} -> 12125550100`)
    expect(human.stdout).toContain('database error SQLSTATE 40P01')
    expect(human.stdout).toContain('--kind <order|refund|call>')

    const r = await billingCli.run(['settlements', 'retry', '--kind', 'call', '--id', call.id])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain(`Rated: call ${call.id}.`)
    const usage = await ctx.db
      .selectFrom('usage_records')
      .select(['seconds', 'account_id'])
      .where('call_id', '=', call.call_id)
      .execute()
    expect(usage).toEqual([{ seconds: 90, account_id: person.accountId }])
    expect((await billingCli.json<Stuck>(['settlements', 'stuck'])).settlements).toEqual([])
    // Rated: the job passes it over, and a second retry finds nothing stuck.
    expect(await rateCalls(ctx)).toBe(0)
    const again = await billingCli.run(['settlements', 'retry', '--kind', 'call', '--id', call.id])
    expect(again.code).toBe(6)
    expect(again.stderr).toContain(`a stuck call ${call.id} was not found`)
  })

  it('rates a call once when two ratings of it run at once, and two calls at once each from the pack', async () => {
    const ctx = svc.service.ctx
    const srcUser = (await lineNumber(svc, person.token, person.lineId)).slice(1)
    // International, from a minutes pack: a second rating of the call would take its minutes from the pack again.
    const now = svc.clock.now()
    await ctx.db
      .insertInto('minute_packs')
      .values({
        id: 'pk_race',
        account_id: person.accountId,
        source_ref: `${person.accountId}:race`,
        minutes: 100,
        used: 0,
        expires_at: new Date(now.getTime() + 30 * 86_400_000).toISOString(),
        created_at: now.toISOString()
      })
      .execute()
    await answeredCall(svc, {
      srcUser,
      dst: '442079460000',
      at: new Date(now.getTime() - 60_000),
      seconds: 130
    })
    const call = await ctx.db
      .selectFrom('call_records')
      .selectAll()
      .where('dst_user', '=', '442079460000')
      .where('method', '=', 'INVITE')
      .executeTakeFirstOrThrow()
    expect(await rateCalls(failingFor(ctx, call.call_id))).toBe(0)
    svc.clock.advance(61_000)
    // The job's rating and the retry's, each of this call, at once: only the one that marks the call rates it.
    expect((await Promise.all([rateCall(ctx, call), rateCall(ctx, call)])).sort()).toEqual([false, true])
    // The operator's retry after the job got there: nothing is stuck any more.
    await expect(retrySettlement(ctx, 'call', call.id)).rejects.toMatchObject({
      reason: 'settlement-not-stuck'
    })
    const usage = await ctx.db
      .selectFrom('usage_records')
      .select(['billed_minutes', 'pack_minutes', 'amount_minor'])
      .where('call_id', '=', call.call_id)
      .execute()
    expect(usage).toEqual([{ billed_minutes: 3, pack_minutes: 3, amount_minor: 0 }])
    const pack = await ctx.db
      .selectFrom('minute_packs')
      .select('used')
      .where('id', '=', 'pk_race')
      .executeTakeFirstOrThrow()
    expect(pack.used).toBe(3)

    // Two calls of the account rated at once: each takes its own minutes from the pack, none lost.
    const at = new Date(svc.clock.now().getTime() - 60_000)
    await answeredCall(svc, { srcUser, dst: '442079460001', at, seconds: 60 })
    await answeredCall(svc, { srcUser, dst: '442079460002', at, seconds: 120 })
    const two = await ctx.db
      .selectFrom('call_records')
      .selectAll()
      .where('dst_user', 'in', ['442079460001', '442079460002'])
      .where('method', '=', 'INVITE')
      .execute()
    expect(await Promise.all(two.map((c) => rateCall(ctx, c)))).toEqual([true, true])
    const after = await ctx.db
      .selectFrom('minute_packs')
      .select('used')
      .where('id', '=', 'pk_race')
      .executeTakeFirstOrThrow()
    expect(after.used).toBe(3 + 1 + 2)
  })

  it('lists at most 200 of each kind and says how many there are: a day of unrated calls hides no stuck order', async () => {
    const ctx = svc.service.ctx
    const dayAgo = new Date(svc.clock.now().getTime() - 86_400_000)
    const later = new Date(svc.clock.now().getTime() + 3_600_000).toISOString()
    for (let i = 0; i <= STUCK_LIST_LIMIT; i++)
      await answeredCall(svc, { srcUser: '12015550100', dst: '12125550199', at: dayAgo, seconds: 60 })
    // In the list's own order (failed at the same moment, then by id as the database sorts them).
    const calls = await ctx.db
      .selectFrom('call_records')
      .select('id')
      .where('dst_user', '=', '12125550199')
      .where('method', '=', 'INVITE')
      .orderBy('id')
      .execute()
    expect(calls).toHaveLength(STUCK_LIST_LIMIT + 1)
    await ctx.db
      .insertInto('settle_retries')
      .values(
        calls.map((c) => ({
          kind: 'call' as const,
          ref_id: c.id,
          account_id: '',
          attempts: 3,
          reason: 'database-40p01',
          first_failed_at: dayAgo.toISOString(),
          last_failed_at: dayAgo.toISOString(),
          next_at: later
        }))
      )
      .execute()
    // Stuck after all those calls: longest failing first over all kinds would have cut it.
    const stranded = await strandOrder()

    const listed = await billingCli.json<Stuck>(['settlements', 'stuck'])
    // Every stuck order is listed (the first test's is settled by now when the file runs whole).
    expect(listed.stuck.call).toBe(STUCK_LIST_LIMIT + 1)
    expect(listed.stuck.order).toBe(listed.settlements.filter((x) => x.kind === 'order').length)
    expect(listed.stuck.refund).toBe(0)
    expect(listed.listed).toBe(STUCK_LIST_LIMIT)
    expect(listed.settlements.filter((x) => x.kind === 'call')).toHaveLength(STUCK_LIST_LIMIT)
    // Longest failing first over the kinds: the order, newest, comes last; the newest call is the one left out.
    expect(listed.settlements.at(-1)).toMatchObject({ kind: 'order', id: stranded })
    expect(listed.settlements.map((x) => x.id)).not.toContain(calls.at(-1)?.id)
    const human = await billingCli.run(['settlements', 'stuck'])
    expect(human.code, human.stderr).toBe(0)
    expect(human.stdout).toContain(
      `Only the ${STUCK_LIST_LIMIT} longest-failing of ${STUCK_LIST_LIMIT + 1} stuck calls are listed`
    )
    expect(human.stdout).not.toContain('stuck card orders are listed')
    expect(human.stdout).toContain(stranded)
  })
})
