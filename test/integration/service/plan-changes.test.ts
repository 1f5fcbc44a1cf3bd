/**
 * Plan changes and "half price for life" on SQLite and PostgreSQL: the Mega-Line rules (minimum delay, the
 * 10-day rule, supersession, legal entities, applied on the date with the fixed-30-day recalculation that
 * gives 1100 / 30 x 12 = 440) and the discount's four rules, each its own test.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { runAutoRenew } from '../../../src/server/billing/auto-renew'
import { chargeMonthlyFees } from '../../../src/server/billing/tariffs'
import { balanceOf, postEntry } from '../../../src/server/billing/balance'
import { grantHalfPriceForLife } from '../../../src/server/billing/discounts'
import { applyDueChanges, schedulePlanChange } from '../../../src/server/billing/plan-changes'
import { DAY } from '../../../src/server/clock'
import { CARDS, renew, saveCard, signIn, subscription, topUp } from '../../support/billing-flows'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { type TrialLine, trialLine } from '../../support/service-flows'

interface Preview {
  effectiveDate: string
  direction: string
  discountEffect: string
  proration: {
    credit: { amountMinor: number }
    charge: { amountMinor: number }
    net: { amountMinor: number }
    fraction: { num: number; den: number }
  } | null
  notices: { code: string; params: Record<string, string | number>; text: string }[]
}
interface Entry {
  kind: string
  amount: { amountMinor: number }
}

describe.each(BACKENDS)('plan changes and discounts on %s', (backend) => {
  let svc: TestService
  beforeAll(async () => {
    svc = await startTestService(backend)
  })
  afterAll(() => svc.close())
  afterEach(() => svc.clock.set(new Date()))

  const subId = async (lineId: string) =>
    (
      await svc.service.ctx.db
        .selectFrom('subscriptions')
        .select('id')
        .where('line_id', '=', lineId)
        .executeTakeFirstOrThrow()
    ).id
  const entries = async (token: string) =>
    (await svc.api<{ entries: Entry[] }>('GET', '/v1/balance/entries?limit=100', undefined, token)).body
      .entries
  const change = (token: string, lineId: string, toPlanId: string, effectiveDate?: string, preview = false) =>
    svc.api<Preview & { error?: { reason: string; message: string } }>(
      'POST',
      `/v1/lines/${lineId}/plan-change${preview ? '/preview' : ''}`,
      { toPlanId, ...(effectiveDate ? { effectiveDate } : {}) },
      token
    )

  /**
   * A line on a tariff, the clock at noon UTC on `day`, from a balance of 20.00 (joining is paid from the balance:
   * billing/tariffs.ts), which then holds 20.00 less the month's share.
   */
  async function tariffLine(day: string, planId = 'home-plus@1'): Promise<TrialLine & { token: string }> {
    svc.clock.set(`${day}T12:00:00.000Z`)
    const line = await trialLine(svc)
    await topUp(svc, line.token, 2000)
    const r = await svc.api('POST', `/v1/lines/${line.lineId}/tariff`, { planId }, line.token)
    expect(r.status, JSON.stringify(r.body)).toBe(200)
    return line
  }

  it('charges a tariff’s first month from today (fixed 30 days), every month after in full, once, and a month the balance does not cover once it does, from that day', async () => {
    const line = await tariffLine('2026-12-19')
    expect(
      (await entries(line.token)).filter((e) => e.kind === 'recurring_fee').map((e) => e.amount.amountMinor)
    ).toEqual([-650])
    // The trial's 30 days still run past the month's end, so coverage stacks: the trial first, then the tariff.
    const paidThrough = async () =>
      (await subscription(svc, await signIn(svc, line), line.lineId)).coverage.paidThrough
    expect(await paidThrough()).toBe('2027-01-18T12:00:00.000Z')
    const fees = async () =>
      (await entries(await signIn(svc, line)))
        .filter((e) => e.kind === 'recurring_fee')
        .map((e) => e.amount.amountMinor)

    // January, at a balance of 13.50 for a month of 15.00: not charged, and the line's paid time ends with the
    // trial's. Still not on the 2nd (30 days left).
    svc.clock.set('2027-01-01T00:30:00.000Z')
    await chargeMonthlyFees(svc.service.ctx)
    expect(await fees()).toEqual([-650])
    expect(await paidThrough()).toBe('2027-01-18T12:00:00.000Z')
    svc.clock.set('2027-01-02T09:00:00.000Z')
    await chargeMonthlyFees(svc.service.ctx)
    expect(await fees()).toEqual([-650])

    // On the 5th the rest of January (27 of 30 days of 15.00) is what the balance holds: charged from that day, once.
    svc.clock.set('2027-01-05T09:00:00.000Z')
    await chargeMonthlyFees(svc.service.ctx)
    await chargeMonthlyFees(svc.service.ctx)
    expect(await fees()).toEqual([-1350, -650])
    expect(await paidThrough()).toBe('2027-02-01T00:00:00.000Z')

    // February at a zero balance: nothing until a top-up, then the whole month on its first day, once.
    svc.clock.set('2027-02-01T00:30:00.000Z')
    await chargeMonthlyFees(svc.service.ctx)
    expect(await fees()).toEqual([-1350, -650])
    await topUp(svc, await signIn(svc, line), 5000)
    await chargeMonthlyFees(svc.service.ctx)
    await chargeMonthlyFees(svc.service.ctx)
    expect(await fees()).toEqual([-1500, -1350, -650])
    expect(await paidThrough()).toBe('2027-03-01T00:00:00.000Z')

    // Joining asks the same of the balance: cancelled, and joined again at a balance short of March's share.
    svc.clock.set('2027-03-01T00:30:00.000Z')
    const token = await signIn(svc, line)
    await postEntry(svc.service.ctx, line.accountId, 'usage', -3400, `calls:${line.lineId}`, {
      code: 'call',
      params: { number: '+442079460958', minutes: 100 },
      text: 'calls abroad'
    })
    await svc.service.ctx.db
      .updateTable('subscriptions')
      .set({ status: 'canceled' })
      .where('line_id', '=', line.lineId)
      .execute()
    const again = await svc.api<{ error?: { reason?: string } }>(
      'POST',
      `/v1/lines/${line.lineId}/tariff`,
      { planId: 'home-plus@1' },
      token
    )
    expect([again.status, again.body.error?.reason]).toEqual([402, 'balance-too-low'])
  })

  it('lets a tariff cancelled and joined again in a month already paid go on at no charge, and names the way to another', async () => {
    const line = await tariffLine('2026-12-19')
    const fees = async () =>
      (await entries(line.token)).filter((e) => e.kind === 'recurring_fee').map((e) => e.amount.amountMinor)
    const join = (planId: string) =>
      svc.api<{ error?: { reason?: string } }>(
        'POST',
        `/v1/lines/${line.lineId}/tariff`,
        { planId },
        line.token
      )
    const cancel = async () =>
      expect((await svc.api('POST', `/v1/lines/${line.lineId}/cancel`, {}, line.token)).status).toBe(200)
    await cancel()
    // The same tariff again: December is paid, so it goes on (it was 402 "top up first", whatever the balance).
    const same = await join('home-plus@1')
    expect(same.status, JSON.stringify(same.body)).toBe(200)
    expect(await fees()).toEqual([-650])
    expect(await balanceOf(svc.service.ctx, line.accountId)).toBe(2000 - 650)
    expect((await subscription(svc, line.token, line.lineId)).status).toBe('active')
    // Another tariff is a change of plan, with its own price: refused with where to make it, nothing changed.
    await cancel()
    const other = await join('home-basic@1')
    expect([other.status, other.body.error?.reason]).toEqual([409, 'tariff-month-paid'])
    expect(await fees()).toEqual([-650])
    expect((await subscription(svc, line.token, line.lineId)).status).toBe('canceled')
    // Where the words send the person: resume, then change the tariff.
    expect((await svc.api('POST', `/v1/lines/${line.lineId}/resume`, {}, line.token)).status).toBe(200)
    // (previewed only: a change scheduled here would be applied by the next test's pass)
    const changed = await change(line.token, line.lineId, 'home-basic@1', '2026-12-20', true)
    expect(changed.status, JSON.stringify(changed.body)).toBe(200)
  })

  it('previews and applies a change 12 days before a month’s end: 1100 / 30 x 12 = 440', async () => {
    const line = await tariffLine('2026-12-19')
    expect(
      (await change(line.token, line.lineId, 'home-basic@1', '2026-12-19', true)).body.error?.reason
    ).toBe('too-soon')
    expect((await change(line.token, line.lineId, 'home-basic@1', undefined, true)).body.error?.reason).toBe(
      'date-required'
    )
    const preview = await change(line.token, line.lineId, 'home-basic@1', '2026-12-20', true)
    expect(preview.status, JSON.stringify(preview.body)).toBe(200)
    expect(preview.body).toMatchObject({
      effectiveDate: '2026-12-20',
      direction: 'downgrade',
      discountEffect: 'none'
    })
    expect(preview.body.proration).toMatchObject({
      fraction: { num: 12, den: 30 },
      credit: { amountMinor: 600 },
      charge: { amountMinor: 440 },
      net: { amountMinor: -160 }
    })
    expect((await change(line.token, line.lineId, 'home-basic@1', '2026-12-20')).status).toBe(200)
    expect(await applyDueChanges(svc.service.ctx)).toBe(0)
    svc.clock.set('2026-12-20T00:00:01.000Z')
    expect(await applyDueChanges(svc.service.ctx)).toBe(1)
    const after = await entries(line.token)
    expect(
      after
        .filter((e) => e.kind.startsWith('proration'))
        .map((e) => [e.kind, e.amount.amountMinor])
        .sort()
    ).toEqual([
      ['proration_charge', -440],
      ['proration_credit', 600]
    ])
    expect((await subscription(svc, line.token, line.lineId)).plan?.id).toBe('home-basic@1')
  })

  it('applies a change on its date whatever the balance, and allows one change per 10 days', async () => {
    const line = await tariffLine('2026-12-10')
    // Calls abroad took the balance below zero.
    await postEntry(svc.service.ctx, line.accountId, 'usage', -2000, `calls:${line.lineId}`, {
      code: 'call',
      params: { number: '+442079460958', minutes: 100 },
      text: 'calls abroad'
    })
    const balance = await svc.api<{ balance: { amountMinor: number } }>(
      'GET',
      '/v1/balance',
      undefined,
      line.token
    )
    expect(balance.body.balance.amountMinor).toBeLessThan(0)
    await change(line.token, line.lineId, 'home-basic@1', '2026-12-11')
    svc.clock.set('2026-12-11T00:00:01.000Z')
    expect(await applyDueChanges(svc.service.ctx)).toBe(1)
    const tooClose = await change(line.token, line.lineId, 'home-plus@1', '2026-12-20')
    expect(tooClose.status).toBe(400)
    expect(tooClose.body.error?.reason).toBe('ten-day-rule')
    expect((await change(line.token, line.lineId, 'home-plus@1', '2026-12-21')).status).toBe(200)
  })

  it('lets a newer request supersede a pending one, and a canceled one never applies', async () => {
    const line = await tariffLine('2026-12-10')
    await change(line.token, line.lineId, 'home-basic@1', '2026-12-15')
    await change(line.token, line.lineId, 'home-basic@1', '2026-12-18')
    const rows = await svc.service.ctx.db
      .selectFrom('scheduled_changes')
      .select(['status', 'effective_date'])
      .where('subscription_id', '=', await subId(line.lineId))
      .orderBy('requested_at')
      .execute()
    expect(rows.map((r) => r.status)).toEqual(['superseded', 'scheduled'])
    expect((await subscription(svc, line.token, line.lineId)).pendingChange?.effectiveDate).toBe('2026-12-18')
    expect(
      (await svc.api('DELETE', `/v1/lines/${line.lineId}/plan-change`, undefined, line.token)).status
    ).toBe(200)
    expect(
      (await svc.api('DELETE', `/v1/lines/${line.lineId}/plan-change`, undefined, line.token)).status
    ).toBe(404)
    svc.clock.set('2026-12-19T00:00:00.000Z')
    expect(await applyDueChanges(svc.service.ctx)).toBe(0)
    expect((await subscription(svc, await signIn(svc, line), line.lineId)).plan?.id).toBe('home-plus@1')
  })

  it('takes changes for companies only by written request, from the 1st of a month', async () => {
    const line = await tariffLine('2026-12-10')
    await svc.service.ctx.db
      .updateTable('accounts')
      .set({ type: 'legal_entity' })
      .where('id', '=', line.accountId)
      .execute()
    const self = await change(line.token, line.lineId, 'home-basic@1', '2027-01-01')
    expect(self.status).toBe(403)
    expect(self.body.error?.reason).toBe('written-request')
    const ctx = svc.service.ctx
    await expect(
      schedulePlanChange(ctx, line.accountId, line.lineId, 'home-basic@1', '2026-12-15', 'staff')
    ).rejects.toThrow(/1st of a month/)
    const staff = await schedulePlanChange(
      ctx,
      line.accountId,
      line.lineId,
      'home-basic@1',
      '2027-01-01',
      'staff'
    )
    expect(staff.proration).toBeNull()
  })

  it('changes a line-service plan at the end of the paid period, with nothing to recalculate', async () => {
    const line = await trialLine(svc)
    await renew(svc, line.token, line.lineId, 'line-1y@1', { card: CARDS.ok })
    const through = (await subscription(svc, line.token, line.lineId)).coverage.paidThrough ?? ''
    const p = await change(line.token, line.lineId, 'line-1m@1', undefined, true)
    expect(p.body).toMatchObject({ effectiveDate: through.slice(0, 10), proration: null })
    expect((await change(line.token, line.lineId, 'line-1m@1', '2027-01-01')).body.error?.reason).toBe(
      'end-of-term'
    )
  })

  describe('half price for life', () => {
    it('downgrade: lost when the downgrade applies, kept if it is canceled first', async () => {
      const line = await tariffLine('2026-12-10')
      await grantHalfPriceForLife(svc.service.ctx, line.accountId, await subId(line.lineId))
      const p = await change(line.token, line.lineId, 'home-basic@1', '2026-12-20', true)
      expect(p.body.discountEffect).toBe('lost-at-period-end')
      // A code and its date for the app to word; the English for API users.
      expect(p.body.notices).toContainEqual({
        code: 'discount-ends-on',
        params: { date: '2026-12-20' },
        text: expect.stringMatching(/ends your half-price-for-life discount on 2026-12-20/)
      })
      await change(line.token, line.lineId, 'home-basic@1', '2026-12-20')
      expect((await subscription(svc, line.token, line.lineId)).discount).toMatchObject({
        status: 'ending',
        endedReason: 'downgrade'
      })
      await svc.api('DELETE', `/v1/lines/${line.lineId}/plan-change`, undefined, line.token)
      expect((await subscription(svc, line.token, line.lineId)).discount).toMatchObject({
        status: 'active',
        endedReason: null
      })
      await change(line.token, line.lineId, 'home-basic@1', '2026-12-20')
      svc.clock.set('2026-12-20T00:00:01.000Z')
      await applyDueChanges(svc.service.ctx)
      expect((await subscription(svc, line.token, line.lineId)).discount).toMatchObject({
        status: 'ended',
        endedReason: 'downgrade'
      })
    })

    it('monthly to annual: lost at the switch, said before paying', async () => {
      const line = await trialLine(svc)
      await renew(svc, line.token, line.lineId, 'line-1m@1', { card: CARDS.ok })
      await grantHalfPriceForLife(svc.service.ctx, line.accountId, await subId(line.lineId))
      const monthly = await svc.api<{ items: { discountMinor: number; price: { amountMinor: number } }[] }>(
        'POST',
        '/v1/checkout/quote',
        { items: [{ kind: 'renewal', lineId: line.lineId, planId: 'line-1m@1' }] },
        line.token
      )
      expect(monthly.body.items[0]).toMatchObject({ discountMinor: 250, price: { amountMinor: 249 } })
      const annual = await svc.api<{ items: { discountMinor: number; notices: { code: string }[] }[] }>(
        'POST',
        '/v1/checkout/quote',
        { items: [{ kind: 'renewal', lineId: line.lineId, planId: 'line-1y@1' }] },
        line.token
      )
      expect(annual.body.items[0]?.discountMinor).toBe(0)
      expect(annual.body.items[0]?.notices.map((n) => n.code)).toEqual(['discount-ends-at-switch'])
      expect((await renew(svc, line.token, line.lineId, 'line-1y@1', { card: CARDS.ok })).status).toBe(201)
      expect((await subscription(svc, line.token, line.lineId)).discount).toMatchObject({
        status: 'ended',
        endedReason: 'interval_switch'
      })
    })

    it('dunning cancellation: lost for good', async () => {
      const line = await trialLine(svc)
      await renew(svc, line.token, line.lineId, 'line-1m@1', { card: CARDS.ok })
      await grantHalfPriceForLife(svc.service.ctx, line.accountId, await subId(line.lineId))
      const pm = await saveCard(svc, line.token, CARDS.failsLater)
      await svc.api(
        'PUT',
        `/v1/lines/${line.lineId}/auto-renew`,
        { enabled: true, paymentMethodId: pm },
        line.token
      )
      const through = new Date((await subscription(svc, line.token, line.lineId)).coverage.paidThrough ?? '')
      for (const d of [-1, ...svc.service.ctx.config.billing.dunningRetryDays]) {
        svc.clock.set(new Date(through.getTime() + d * DAY + 1000))
        await runAutoRenew(svc.service.ctx)
      }
      const sub = await subscription(svc, await signIn(svc, line), line.lineId)
      expect(sub.cancelReason).toBe('dunning')
      expect(sub.discount).toMatchObject({ status: 'ended', endedReason: 'dunning', reinstatableUntil: null })
    })

    it('voluntary cancel: kept when resubscribed before the period ends, lost after', async () => {
      const line = await trialLine(svc)
      await renew(svc, line.token, line.lineId, 'line-1m@1', { card: CARDS.ok })
      await grantHalfPriceForLife(svc.service.ctx, line.accountId, await subId(line.lineId))
      const through = (await subscription(svc, line.token, line.lineId)).coverage.paidThrough
      await svc.api('POST', `/v1/lines/${line.lineId}/cancel`, undefined, line.token)
      expect((await subscription(svc, line.token, line.lineId)).discount).toMatchObject({
        status: 'ending',
        reinstatableUntil: through
      })
      expect((await svc.api('POST', `/v1/lines/${line.lineId}/resume`, undefined, line.token)).status).toBe(
        200
      )
      expect((await subscription(svc, line.token, line.lineId)).discount).toMatchObject({
        status: 'active',
        endedReason: null
      })

      await svc.api('POST', `/v1/lines/${line.lineId}/cancel`, undefined, line.token)
      svc.clock.set(new Date(Date.parse(through ?? '') + 1000))
      const token = await signIn(svc, line)
      // After the period there is nothing to resume (issue 19): refused in words; renewing is the way back.
      const late = await svc.api<{ error: { reason: string } }>(
        'POST',
        `/v1/lines/${line.lineId}/resume`,
        undefined,
        token
      )
      expect(late.status).toBe(409)
      expect(late.body.error.reason).toBe('period-ended')
      expect((await subscription(svc, token, line.lineId)).discount).toMatchObject({
        status: 'ended',
        endedReason: 'voluntary'
      })
    })
  })
})
