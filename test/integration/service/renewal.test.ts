/**
 * Renewal three ways (online checkout, auto-renew, Re-Up vouchers live in vouchers.test.ts) on SQLite and
 * PostgreSQL: the catalog, the sandbox's test cards, idempotency keys, coverage states, auto-renew conditions,
 * the scheduler with its reminder and card warning, and dunning to the end.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { runAutoRenew } from '../../../src/server/billing/auto-renew'
import { publishPlanVersion } from '../../../src/server/billing/catalog'
import { DAY, addMonths } from '../../../src/server/clock'
import {
  CARDS,
  type Receipt,
  charges,
  key,
  renew,
  saveCard,
  signIn,
  subscription
} from '../../support/billing-flows'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { mailbox, trialLine } from '../../support/service-flows'

describe.each(BACKENDS)('renewal on %s', (backend) => {
  let svc: TestService
  beforeAll(async () => {
    svc = await startTestService(backend)
  })
  afterAll(() => svc.close())
  // Tests that travel in time come back, so one failure cannot leave the next test in the future.
  afterEach(() => svc.clock.set(new Date()))

  it('lists the catalog, and a new price is a new version that leaves the old one intact', async () => {
    const before = await svc.api<{ plans: { id: string; price: { amountMinor: number } }[] }>(
      'GET',
      '/v1/plans'
    )
    expect(before.body.plans.map((p) => p.id)).toEqual(
      expect.arrayContaining([
        'line-1m@1',
        'line-1y@1',
        'line-5y@1',
        'home-basic@1',
        'home-plus@1',
        'intl-100@1'
      ])
    )
    await publishPlanVersion(svc.service.ctx, 'line-5y', { price_minor: 9900 })
    const after = await svc.api<{ plans: { id: string; price: { amountMinor: number } }[] }>(
      'GET',
      '/v1/plans'
    )
    expect(after.body.plans.find((p) => p.id === 'line-5y@2')?.price.amountMinor).toBe(9900)
    expect(after.body.plans.some((p) => p.id === 'line-5y@1')).toBe(false)
    const old = await svc.service.ctx.db
      .selectFrom('plans')
      .selectAll()
      .where('id', '=', 'line-5y@1')
      .executeTakeFirstOrThrow()
    expect(old.price_minor).toBe(10000)
    const line = await trialLine(svc)
    const r = await renew(svc, line.token, line.lineId, 'line-5y@1', { card: CARDS.ok })
    expect(r.status).toBe(404)
  })

  it('renews online: coverage stacks on the trial, the receipt is emailed, auto-renew comes on', async () => {
    const line = await trialLine(svc)
    const trial = await subscription(svc, line.token, line.lineId)
    expect(trial.status).toBe('none')
    expect(trial.coverage.state).toBe('expiring_soon')
    const r = await renew(
      svc,
      line.token,
      line.lineId,
      'line-1y@1',
      { card: CARDS.ok, save: true },
      { autoRenew: true }
    )
    expect(r.status, JSON.stringify(r.body)).toBe(201)
    expect(r.body.total.amountMinor).toBe(3500)
    const expected = new Date(trial.coverage.paidThrough ?? '')
    expected.setUTCFullYear(expected.getUTCFullYear() + 1)
    expect(r.body.items[0]?.paidThrough).toBe(expected.toISOString())
    const sub = await subscription(svc, line.token, line.lineId)
    expect(sub).toMatchObject({ status: 'active', plan: { id: 'line-1y@1' }, coverage: { state: 'active' } })
    expect(sub.autoRenew).toMatchObject({ enabled: true, blockedBy: [] })
    expect((await mailbox(svc, line.email)).some((m) => m.purpose === 'receipt')).toBe(true)
  })

  it('caps prepaid coverage at six years ahead, refusing before any charge', async () => {
    const line = await trialLine(svc)
    // The five-year plan fits on a line with its trial month left ...
    const plans = await svc.api<{ plans: { id: string }[] }>('GET', '/v1/plans')
    const fiveYears = plans.body.plans.find((p) => p.id.startsWith('line-5y@'))?.id ?? 'line-5y'
    const five = await renew(svc, line.token, line.lineId, fiveYears, { card: CARDS.ok })
    expect(five.status, JSON.stringify(five.body)).toBe(201)
    // ... but one more year would end past six years from today.
    const before = await charges(svc)
    const refused = await renew(svc, line.token, line.lineId, 'line-1y@1', { card: CARDS.ok })
    expect(refused.status).toBe(409)
    expect(refused.body).toMatchObject({ error: { reason: 'coverage-cap' } })
    expect(await charges(svc)).toBe(before)
    const sub = await subscription(svc, line.token, line.lineId)
    const years =
      (Date.parse(sub.coverage.paidThrough ?? '') - svc.clock.now().getTime()) / (365.25 * 86_400_000)
    expect(years).toBeGreaterThan(5)
    expect(years).toBeLessThan(5.2)
  })

  it('replays a checkout with the same key and refuses the key for another request', async () => {
    const line = await trialLine(svc)
    const body = {
      idempotencyKey: key(),
      items: [{ kind: 'renewal', lineId: line.lineId, planId: 'line-1m@1' }],
      payment: { card: CARDS.ok }
    }
    const before = await charges(svc)
    const first = await svc.api<{ orderId: string }>('POST', '/v1/checkout', body, line.token)
    const again = await svc.api<{ orderId: string }>('POST', '/v1/checkout', body, line.token)
    expect(first.status).toBe(201)
    expect(again.status).toBe(201)
    expect(again.body).toEqual(first.body)
    expect(await charges(svc)).toBe(before + 1)
    const grants = await svc.service.ctx.db
      .selectFrom('coverage_grants')
      .select('id')
      .where('line_id', '=', line.lineId)
      .where('source_type', '=', 'order')
      .execute()
    expect(grants).toHaveLength(1)
    const other = await svc.api<{ error: { reason: string } }>(
      'POST',
      '/v1/checkout',
      { ...body, items: [{ kind: 'renewal', lineId: line.lineId, planId: 'line-1y@1' }] },
      line.token
    )
    expect(other.status).toBe(409)
    expect(other.body.error.reason).toBe('idempotency-mismatch')
  })

  it.each([
    ['declined', 'card_declined'],
    ['insufficient', 'insufficient_funds'],
    ['expired', 'expired_card']
  ] as const)(
    'refuses the %s test card with 402 %s and changes nothing, also on replay',
    async (card, reason) => {
      const line = await trialLine(svc)
      const before = await subscription(svc, line.token, line.lineId)
      const body = {
        idempotencyKey: key(),
        items: [{ kind: 'renewal', lineId: line.lineId, planId: 'line-1y@1' }],
        payment: { card: CARDS[card] }
      }
      const r = await svc.api<{ error: { reason: string; message: string } }>(
        'POST',
        '/v1/checkout',
        body,
        line.token
      )
      expect(r.status).toBe(402)
      expect(r.body.error.reason).toBe(reason)
      const count = await charges(svc)
      const replay = await svc.api<{ error: { reason: string } }>('POST', '/v1/checkout', body, line.token)
      expect(replay.status).toBe(402)
      expect(replay.body.error.reason).toBe(reason)
      expect(await charges(svc)).toBe(count)
      expect((await subscription(svc, line.token, line.lineId)).coverage).toEqual(before.coverage)
    }
  )

  it('refuses a card that is not a card, before any charge', async () => {
    const line = await trialLine(svc)
    const r = await renew(svc, line.token, line.lineId, 'line-1y@1', {
      card: { ...CARDS.ok, number: '4242 4242 4242 4241' }
    })
    expect(r.status).toBe(400)
    expect(JSON.stringify(r.body)).toContain('card-number')
  })

  it('explains why auto-renew cannot be switched on, in order', async () => {
    const line = await trialLine(svc)
    const noPlan = await svc.api<{ error: { reason: string } }>(
      'PUT',
      `/v1/lines/${line.lineId}/auto-renew`,
      { enabled: true },
      line.token
    )
    expect(noPlan.body.error.reason).toBe('no-plan')
    await renew(svc, line.token, line.lineId, 'line-5y@2', { card: CARDS.ok })
    let sub = await subscription(svc, line.token, line.lineId)
    expect(sub.autoRenew.blockedBy).toEqual(['plan-not-eligible', 'no-card'])
    const refused = await svc.api<{ error: { reason: string } }>(
      'PUT',
      `/v1/lines/${line.lineId}/auto-renew`,
      { enabled: true },
      line.token
    )
    expect(refused.status).toBe(409)
    expect(refused.body.error.reason).toBe('plan-not-eligible')

    const monthly = await trialLine(svc)
    await renew(svc, monthly.token, monthly.lineId, 'line-1m@1', { card: CARDS.ok })
    const noCard = await svc.api<{ error: { reason: string } }>(
      'PUT',
      `/v1/lines/${monthly.lineId}/auto-renew`,
      { enabled: true },
      monthly.token
    )
    expect(noCard.body.error.reason).toBe('no-card')
    const soon = new Date(svc.clock.now())
    const shortCard = { ...CARDS.ok, expMonth: soon.getUTCMonth() + 1, expYear: soon.getUTCFullYear() }
    const pm = await saveCard(svc, monthly.token, shortCard)
    const expiring = await svc.api<{ error: { reason: string } }>(
      'PUT',
      `/v1/lines/${monthly.lineId}/auto-renew`,
      { enabled: true, paymentMethodId: pm },
      monthly.token
    )
    expect(expiring.body.error.reason).toBe('card-expires-first')
    await saveCard(svc, monthly.token)
    const on = await svc.api<{ autoRenew: { enabled: boolean } }>(
      'PUT',
      `/v1/lines/${monthly.lineId}/auto-renew`,
      { enabled: true },
      monthly.token
    )
    expect(on.body.autoRenew.enabled).toBe(true)
    sub = await subscription(svc, monthly.token, monthly.lineId)
    expect(sub.autoRenew.blockedBy).toEqual([])
  })

  it('reminds 30 days ahead, renews at the period end once, and skips a line renewed by hand', async () => {
    const line = await trialLine(svc)
    await renew(
      svc,
      line.token,
      line.lineId,
      'line-1y@1',
      { card: CARDS.ok, save: true },
      { autoRenew: true }
    )
    const through = new Date((await subscription(svc, line.token, line.lineId)).coverage.paidThrough ?? '')
    const ctx = svc.service.ctx
    svc.clock.set(new Date(through.getTime() - 29 * DAY))
    await runAutoRenew(ctx)
    await runAutoRenew(ctx)
    const token = await signIn(svc, line)
    const reminders = (await mailbox(svc, line.email)).filter((m) => m.purpose === 'renewal-reminder')
    expect(reminders).toHaveLength(1)
    expect(reminders[0]?.body).toContain(new Date(through.getTime() - DAY).toISOString().slice(0, 10))

    svc.clock.set(new Date(through.getTime() - DAY + 1000))
    const sub = await ctx.db
      .selectFrom('subscriptions')
      .select('id')
      .where('line_id', '=', line.lineId)
      .executeTakeFirstOrThrow()
    const outcomes = await runAutoRenew(ctx)
    expect(outcomes.find((o) => o.subscriptionId === sub.id)?.outcome).toBe('renewed')
    expect(await charges(svc, `autorenew:${sub.id}:`)).toBe(1)
    const renewed = await subscription(svc, await signIn(svc, line), line.lineId)
    const next = new Date(through)
    next.setUTCFullYear(next.getUTCFullYear() + 1)
    expect(renewed.coverage.paidThrough).toBe(next.toISOString())
    // Running again in the same window does nothing: paid-through moved a year on.
    await runAutoRenew(ctx)
    expect(await charges(svc, `autorenew:${sub.id}:`)).toBe(1)

    // Renewed by hand shortly before the next renewal: the scheduler leaves it alone.
    svc.clock.set(new Date(next.getTime() - 2 * DAY))
    const fresh = await signIn(svc, line)
    expect(
      (
        await renew(svc, fresh, line.lineId, 'line-1y@1', {
          paymentMethodId: renewed.autoRenew.paymentMethodId
        })
      ).status
    ).toBe(201)
    svc.clock.set(new Date(next.getTime() - DAY + 1000))
    expect((await runAutoRenew(ctx)).find((o) => o.subscriptionId === sub.id)).toBeUndefined()
    expect(await charges(svc, `autorenew:${sub.id}:`)).toBe(1)
    expect(token).toBeTruthy()
  })

  it('warns when the card expires before the renewal', async () => {
    const line = await trialLine(svc)
    await renew(svc, line.token, line.lineId, 'line-1m@1', { card: CARDS.ok })
    const now = svc.clock.now()
    // Valid well past the renewal when saved (a card expiring near it would be refused for auto-renew).
    const later = new Date(now.getTime() + 400 * DAY)
    const pm = await saveCard(svc, line.token, {
      ...CARDS.ok,
      expMonth: later.getUTCMonth() + 1,
      expYear: later.getUTCFullYear()
    })
    await svc.api(
      'PUT',
      `/v1/lines/${line.lineId}/auto-renew`,
      { enabled: true, paymentMethodId: pm },
      line.token
    )
    expect((await subscription(svc, line.token, line.lineId)).autoRenew.enabled).toBe(true)
    // Only now let the card's month fall before the renewal: the way a card ages on file.
    await svc.service.ctx.db
      .updateTable('payment_methods')
      .set({ exp_month: now.getUTCMonth() + 1, exp_year: now.getUTCFullYear() })
      .where('id', '=', pm)
      .execute()
    await runAutoRenew(svc.service.ctx)
    expect((await mailbox(svc, line.email)).filter((m) => m.purpose === 'card-expiring')).toHaveLength(1)
    expect((await subscription(svc, line.token, line.lineId)).autoRenew.blockedBy).toContain(
      'card-expires-first'
    )
  })

  it('goes through dunning: retries on schedule with notices, then cancels for non-payment', async () => {
    const line = await trialLine(svc)
    await renew(svc, line.token, line.lineId, 'line-1m@1', { card: CARDS.ok })
    const pm = await saveCard(svc, line.token, CARDS.failsLater)
    await svc.api(
      'PUT',
      `/v1/lines/${line.lineId}/auto-renew`,
      { enabled: true, paymentMethodId: pm },
      line.token
    )
    const through = new Date((await subscription(svc, line.token, line.lineId)).coverage.paidThrough ?? '')
    const ctx = svc.service.ctx
    const retryDays = ctx.config.billing.dunningRetryDays
    svc.clock.set(new Date(through.getTime() - DAY + 1000))
    expect((await runAutoRenew(ctx)).find((o) => o.outcome === 'failed')).toBeDefined()
    let sub = await subscription(svc, await signIn(svc, line), line.lineId)
    expect(sub).toMatchObject({ status: 'past_due', dunning: { attempts: 1 } })
    expect(sub.dunning.nextAttemptAt).toBe(
      new Date(through.getTime() + (retryDays[0] ?? 0) * DAY).toISOString()
    )
    // Not before the next attempt's time.
    expect(await runAutoRenew(ctx)).toEqual([])
    for (const [i, d] of retryDays.entries()) {
      svc.clock.set(new Date(through.getTime() + d * DAY + 1000))
      const outcome = (await runAutoRenew(ctx))[0]?.outcome
      expect(outcome).toBe(i === retryDays.length - 1 ? 'canceled' : 'failed')
    }
    sub = await subscription(svc, await signIn(svc, line), line.lineId)
    expect(sub).toMatchObject({ status: 'canceled', cancelReason: 'dunning', autoRenew: { enabled: false } })
    expect(sub.coverage.state).toBe('expired')
    expect(sub.coverage.reactivatable).toBe(true)
    const mails = await mailbox(svc, line.email)
    expect(mails.filter((m) => m.purpose === 'renewal-failed')).toHaveLength(retryDays.length)
    expect(mails.filter((m) => m.purpose === 'dunning-canceled')).toHaveLength(1)
    const token = await signIn(svc, line)
    const resume = await svc.api<{ error: { reason: string } }>(
      'POST',
      `/v1/lines/${line.lineId}/resume`,
      undefined,
      token
    )
    expect(resume.body.error.reason).toBe('dunning')
    // The line can still be renewed by hand ("reactivate"), with the same number.
    const back = await renew(svc, token, line.lineId, 'line-1m@1', {
      paymentMethodId: await saveCard(svc, token)
    })
    expect(back.status).toBe(201)
    const line2 = await svc.api<{ status: string }>('GET', `/v1/lines/${line.lineId}`, undefined, token)
    expect(line2.body.status).toBe('in_service')
  })

  it('renews a line with a subscription on the short path: the grant stacks, its state and Kamailio row stay', async () => {
    const db = svc.service.ctx.db
    // In service (E911 given) and pending (no E911 address): the two states a grant cannot change. Monthly again:
    // monthly to yearly is the general path (the discount's rule).
    for (const [e911, status] of [
      [true, 'in_service'],
      [false, 'pending']
    ] as const) {
      const line = await trialLine(svc, { e911 })
      const pm = await saveCard(svc, line.token)
      const first = await renew(svc, line.token, line.lineId, 'line-1m@1', { paymentMethodId: pm })
      expect(first.status, JSON.stringify(first.body)).toBe(201)
      const kamailio = () =>
        db
          .selectFrom('subscriber')
          .innerJoin('sip_accounts', 'sip_accounts.username', 'subscriber.username')
          .selectAll('subscriber')
          .where('sip_accounts.line_id', '=', line.lineId)
          .execute()
      const rowsBefore = await kamailio()
      expect(rowsBefore).toHaveLength(e911 ? 1 : 0)
      const request = {
        idempotencyKey: key(),
        items: [{ kind: 'renewal', lineId: line.lineId, planId: 'line-1m@1' }],
        payment: { paymentMethodId: pm }
      }
      const second = await svc.api<Receipt>('POST', '/v1/checkout', request, line.token)
      expect(second.status, JSON.stringify(second.body)).toBe(201)
      const through = first.body.items[0]?.paidThrough ?? ''
      expect(second.body.items[0]?.paidThrough).toBe(addMonths(new Date(through), 1).toISOString())
      const grants = await db
        .selectFrom('coverage_grants')
        .select(['starts_at', 'ends_at', 'source_type'])
        .where('line_id', '=', line.lineId)
        .orderBy('starts_at')
        .execute()
      expect(grants.at(-1)).toEqual({
        starts_at: through,
        ends_at: second.body.items[0]?.paidThrough,
        source_type: 'order'
      })
      const lineRow = await db
        .selectFrom('lines')
        .select('status')
        .where('id', '=', line.lineId)
        .executeTakeFirstOrThrow()
      expect(lineRow.status).toBe(status)
      expect(await kamailio()).toEqual(rowsBefore)
      const sub = await subscription(svc, line.token, line.lineId)
      expect(sub).toMatchObject({ status: 'active', plan: { id: 'line-1m@1' } })
      const replay = await svc.api<Receipt>('POST', '/v1/checkout', request, line.token)
      expect(replay.body).toEqual(second.body)
      const orders = await db
        .selectFrom('checkout_orders')
        .select(['id', 'status'])
        .where('account_id', '=', line.accountId)
        .execute()
      expect(orders.map((o) => o.status)).toEqual(['paid', 'paid'])
      expect(await charges(svc, `order:${second.body.orderId}`)).toBe(1)
      const receipts = (await mailbox(svc, line.email)).filter((m) => m.purpose === 'receipt')
      expect(receipts).toHaveLength(2)
    }
  })
})
