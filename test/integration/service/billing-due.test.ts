/**
 * The billing pass's periodic jobs on SQLite and PostgreSQL read only what is due (auto-renewals, tariff months,
 * paid services' fees, notices of trials ending, call rating: docs/billing-jobs.md): a pass with nothing due costs the
 * same few statements and no transaction with one subscription (or call) as with five, and what is due is still
 * charged, renewed, reminded or rated exactly once, in the account's own time zone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runAutoRenew } from '../../../src/server/billing/auto-renew'
import { extendCoverage, paidThrough } from '../../../src/server/billing/coverage'
import { ensureSubscription } from '../../../src/server/billing/subscriptions'
import { chargeMonthlyFees } from '../../../src/server/billing/tariffs'
import { noticeTrialsEnding } from '../../../src/server/billing/trial-notices'
import { rateCalls } from '../../../src/server/billing/usage'
import type { ServiceContext } from '../../../src/server/context'
import { newId } from '../../../src/server/secrets'
import { chargeServiceFees } from '../../../src/server/services/service-fees'
import { countingContext } from '../../bench/count-statements'
import { CARDS, key, saveCard } from '../../support/billing-flows'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import {
  type TrialLine,
  answeredCall,
  lineNumber,
  tariffLine as newTariffLine,
  tariffMonths,
  trialLine
} from '../../support/service-flows'

describe.each(BACKENDS)('billing jobs with nothing due on %s', (backend) => {
  let svc: TestService
  beforeAll(async () => {
    svc = await startTestService(backend)
  })
  afterAll(() => svc.close())

  /** One run of a job on a counting handle: its answer, the statements it sent and the transactions it began. */
  async function pass<T>(job: (ctx: ServiceContext) => Promise<T>) {
    const counting = countingContext(svc.service.ctx)
    const result = await job(counting.ctx)
    return { result, statements: counting.statements(), transactions: counting.transactions() }
  }
  /** The messages queued for an account with a purpose. */
  const sent = async (accountId: string, purpose: string) =>
    (
      await svc.service.ctx.db
        .selectFrom('outbox')
        .select('id')
        .where('account_id', '=', accountId)
        .where('purpose', '=', purpose)
        .execute()
    ).length
  const balance = async (l: TrialLine) =>
    (await svc.api<{ balance: { amountMinor: number } }>('GET', '/v1/balance', undefined, l.token)).body
      .balance.amountMinor

  it('charges each tariff month once, in the account’s zone, and reads no tariff whose month is paid', async () => {
    svc.clock.set('2026-12-10T12:00:00.000Z')
    const tariffLine = (timeZone: string) => newTariffLine(svc, timeZone)
    const months = (l: TrialLine) => tariffMonths(svc, l)
    const tokyo = await tariffLine('Asia/Tokyo')
    const one = await pass(chargeMonthlyFees)
    const newYork = [
      await tariffLine('America/New_York'),
      await tariffLine('America/New_York'),
      await tariffLine('America/New_York'),
      await tariffLine('America/New_York')
    ]
    const five = await pass(chargeMonthlyFees)
    expect([one.result, five.result]).toEqual([0, 0])
    expect(five.statements).toBe(one.statements)
    expect([one.transactions, five.transactions]).toEqual([0, 0])
    // The month's turn: January began in Tokyo at 15:00 UTC on 31 December, in New York it begins at 05:00 UTC.
    svc.clock.set('2027-01-01T03:00:00.000Z')
    expect((await pass(chargeMonthlyFees)).result).toBe(1)
    const waiting = await pass(chargeMonthlyFees)
    expect([waiting.result, waiting.transactions]).toEqual([0, 0])
    svc.clock.set('2027-01-01T06:00:00.000Z')
    expect((await pass(chargeMonthlyFees)).result).toBe(4)
    svc.clock.set('2027-01-02T13:00:00.000Z')
    const after = await pass(chargeMonthlyFees)
    expect([after.result, after.statements, after.transactions]).toEqual([0, one.statements, 0])
    for (const l of [tokyo, ...newYork]) expect(await months(l)).toEqual(['2026-12', '2027-01'])
  })

  it('charges each paid service’s month once, and reads no service whose month is paid', async () => {
    svc.clock.set('2027-01-10T12:00:00.000Z')
    const serviceLine = async () => {
      const l = await trialLine(svc, { timeZone: 'America/New_York' })
      const paid = await svc.api(
        'POST',
        '/v1/balance/top-up',
        { idempotencyKey: key(), amountMinor: 1000, payment: { card: CARDS.ok } },
        l.token
      )
      expect(paid.status).toBe(200)
      const on = await svc.api(
        'POST',
        `/v1/lines/${l.lineId}/services/caller-id-withheld`,
        { enabled: true, idempotencyKey: key() },
        l.token
      )
      expect(on.status, JSON.stringify(on.body)).toBe(200)
      return l
    }
    const lines = [await serviceLine()]
    const one = await pass(chargeServiceFees)
    for (let i = 0; i < 4; i++) lines.push(await serviceLine())
    const five = await pass(chargeServiceFees)
    expect([one.result, five.result]).toEqual([0, 0])
    expect(five.statements).toBe(one.statements)
    expect([one.transactions, five.transactions]).toEqual([0, 0])
    const before = await Promise.all(lines.map(balance))
    svc.clock.set('2027-02-01T12:00:00.000Z')
    expect((await pass(chargeServiceFees)).result).toBe(5)
    const after = await pass(chargeServiceFees)
    expect([after.result, after.statements, after.transactions]).toEqual([0, one.statements, 0])
    expect(await Promise.all(lines.map(balance))).toEqual(before.map((b) => b - 150))
  })

  it('considers only the auto-renewals something is due for: the reminder once, the renewal once', async () => {
    svc.clock.set('2027-02-02T12:00:00.000Z')
    const ctx = svc.service.ctx
    /** A line renewing itself on the monthly plan with a saved card, paid `months` past its trial. */
    const autoRenewLine = async (months: number) => {
      const l = await trialLine(svc)
      const pm = await saveCard(svc, l.token)
      if (months > 0)
        await extendCoverage(ctx, l.lineId, { type: 'admin', id: `due:${l.lineId}` }, { months })
      const sub = await ensureSubscription(ctx, l.accountId, l.lineId, 'line-1m@1')
      await ctx.db
        .updateTable('subscriptions')
        .set({ auto_renew: 1, payment_method_id: pm })
        .where('id', '=', sub.id)
        .execute()
      return { ...l, subId: sub.id }
    }
    await autoRenewLine(12)
    const one = await pass(runAutoRenew)
    for (let i = 0; i < 4; i++) await autoRenewLine(12)
    const five = await pass(runAutoRenew)
    expect([one.result, five.result]).toEqual([[], []])
    expect(five.statements).toBe(one.statements)
    expect([one.transactions, five.transactions]).toEqual([0, 0])
    // On its 30-day trial alone: inside 30 days of its renewal from the start, but a monthly plan's reminder window
    // is its last week (reminder-window.ts): nothing read until then, then one reminder.
    const due = await autoRenewLine(0)
    const early = await pass(runAutoRenew)
    expect([early.result, early.statements, early.transactions]).toEqual([[], one.statements, 0])
    const through = (await paidThrough(ctx, due.lineId))?.getTime() ?? 0
    svc.clock.set(new Date(through - ctx.config.billing.renewalLeadMs - 7 * 86_400_000 + 60_000))
    expect((await pass(runAutoRenew)).result).toEqual([])
    const reminded = await pass(runAutoRenew)
    expect([reminded.result, reminded.statements, reminded.transactions]).toEqual([[], one.statements, 0])
    expect(await sent(due.accountId, 'renewal-reminder')).toBe(1)
    svc.clock.set(new Date(through - ctx.config.billing.renewalLeadMs + 60_000))
    expect((await pass(runAutoRenew)).result).toEqual([{ subscriptionId: due.subId, outcome: 'renewed' }])
    const renewed = await pass(runAutoRenew)
    expect([renewed.result, renewed.statements, renewed.transactions]).toEqual([[], one.statements, 0])
    const charges = await ctx.db
      .selectFrom('renewal_charges')
      .select('amount_minor')
      .where('line_id', '=', due.lineId)
      .execute()
    expect(charges).toHaveLength(1)
    expect(await sent(due.accountId, 'renewal-reminder')).toBe(1)
  })

  it('warns of a card that runs out before the renewal, to the instant, and reads no card that outlasts it', async () => {
    svc.clock.set('2027-03-01T12:00:00.000Z')
    const ctx = svc.service.ctx
    const quiet = await pass(runAutoRenew)
    expect([quiet.result, quiet.transactions]).toEqual([[], 0])
    /** A line paid up to `until` exactly, renewing itself with a card that expires at the end of April 2028. */
    const cardLine = async (until: string) => {
      const l = await trialLine(svc)
      const pm = await saveCard(svc, l.token, { ...CARDS.ok, expMonth: 4, expYear: 2028 })
      await extendCoverage(
        ctx,
        l.lineId,
        { type: 'admin', id: `card:${l.lineId}` },
        { until: new Date(until) }
      )
      const sub = await ensureSubscription(ctx, l.accountId, l.lineId, 'line-1m@1')
      await ctx.db
        .updateTable('subscriptions')
        .set({ auto_renew: 1, payment_method_id: pm })
        .where('id', '=', sub.id)
        .execute()
      return l
    }
    const warnings = (l: TrialLine) => sent(l.accountId, 'card-expiring')
    expect(ctx.config.billing.renewalLeadMs).toBe(86_400_000)
    // Renews at 1 May 2028 00:00 UTC, the first instant the card is no longer valid: warned.
    const warned = await cardLine('2028-05-02T00:00:00.000Z')
    // Renews a millisecond earlier, while the card is still valid: nothing to say, nothing read.
    const lasting = await cardLine('2028-05-01T23:59:59.999Z')
    await pass(runAutoRenew)
    const again = await pass(runAutoRenew)
    expect([again.result, again.statements, again.transactions]).toEqual([[], quiet.statements, 0])
    expect([await warnings(warned), await warnings(lasting)]).toEqual([1, 0])
  })

  it('tells each line on its trial alone once in its last week, and reads no line already told or paid for', async () => {
    svc.clock.set('2027-04-01T12:00:00.000Z')
    const ctx = svc.service.ctx
    const quiet = await pass(noticeTrialsEnding)
    expect([quiet.result, quiet.transactions]).toEqual([0, 0])
    const lines: TrialLine[] = []
    for (let i = 0; i < 5; i++) lines.push(await trialLine(svc))
    const paid = await trialLine(svc)
    await extendCoverage(ctx, paid.lineId, { type: 'admin', id: `paid:${paid.lineId}` }, { months: 1 })
    const told = (l: TrialLine) => sent(l.accountId, 'trial-ending')
    // Six days before the 30-day trials end.
    svc.clock.set('2027-04-25T12:00:00.000Z')
    expect((await pass(noticeTrialsEnding)).result).toBe(5)
    const again = await pass(noticeTrialsEnding)
    expect([again.result, again.statements, again.transactions]).toEqual([0, quiet.statements, 0])
    expect(await Promise.all([...lines, paid].map(told))).toEqual([1, 1, 1, 1, 1, 0])
  })

  it('rates each ended call once, gives up on one without a BYE after 12 hours, and reads no call still going', async () => {
    svc.clock.set('2027-05-01T12:00:00.000Z')
    const ctx = svc.service.ctx
    const line = await trialLine(svc)
    const srcUser = (await lineNumber(svc, line.token, line.lineId)).slice(1)
    /** An answered call still going: its INVITE 200 in, no BYE yet. */
    const going = (minutesAgo: number) => {
      const callId = newId('call')
      return ctx.db
        .insertInto('call_records')
        .values({
          id: newId('cdr'),
          source_key: `test:${callId}:INVITE`,
          method: 'INVITE',
          from_tag: 'a',
          to_tag: 'b',
          call_id: callId,
          sip_code: '200',
          sip_reason: 'OK',
          at: new Date(ctx.clock.now().getTime() - minutesAgo * 60_000).toISOString(),
          src_user: srcUser,
          dst_user: '12125550100',
          missed: 0,
          rated_at: null
        })
        .execute()
    }
    await going(60)
    const one = await pass(rateCalls)
    for (let i = 0; i < 4; i++) await going(50 - i)
    const five = await pass(rateCalls)
    expect([one.result, five.result]).toEqual([0, 0])
    expect(five.statements).toBe(one.statements)
    expect([one.transactions, five.transactions]).toEqual([0, 0])
    await answeredCall(svc, {
      srcUser,
      dst: '12125550100',
      at: new Date(ctx.clock.now().getTime() - 600_000),
      seconds: 60
    })
    expect((await pass(rateCalls)).result).toBe(1)
    const rated = await pass(rateCalls)
    expect([rated.result, rated.statements, rated.transactions]).toEqual([0, one.statements, 0])
    svc.clock.set('2027-05-02T00:30:00.000Z')
    expect((await pass(rateCalls)).result).toBe(5)
    const after = await pass(rateCalls)
    expect([after.result, after.statements, after.transactions]).toEqual([0, one.statements, 0])
  })
})
