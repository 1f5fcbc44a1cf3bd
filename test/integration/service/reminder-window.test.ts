/**
 * The renewal reminder's window by the plan's length, on SQLite and PostgreSQL (src/server/billing/reminder-window.ts):
 * a monthly subscription is reminded a week before each renewal, once, and not the moment a renewal goes through;
 * the due query reads it only inside that week (a pass outside it costs what a pass with nothing due costs); a
 * yearly one is still reminded 30 days ahead; and the line's coverage state says "expiring soon" on the same terms.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { runAutoRenew } from '../../../src/server/billing/auto-renew'
import { subscriptionView } from '../../../src/server/billing/subscriptions'
import { DAY } from '../../../src/server/clock'
import { countingContext } from '../../bench/count-statements'
import { CARDS, renew } from '../../support/billing-flows'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { type TrialLine, trialLine } from '../../support/service-flows'

const MINUTE = 60_000

describe.each(BACKENDS)('the renewal reminder by plan length on %s', (backend) => {
  let svc: TestService
  beforeAll(async () => {
    svc = await startTestService(backend)
  })
  afterAll(() => svc.close())
  // Each test's subscriptions stop renewing after it, so the next test's passes read its own lines alone.
  afterEach(async () => {
    await svc.service.ctx.db.updateTable('subscriptions').set({ auto_renew: 0 }).execute()
    svc.clock.set(new Date())
  })

  /** One auto-renew pass on a counting handle: its outcomes and the statements it sent. */
  async function pass() {
    const counting = countingContext(svc.service.ctx)
    const result = await runAutoRenew(counting.ctx)
    return { result, statements: counting.statements() }
  }
  /** The renewal reminders queued for the line's account, by the renewal date each names. */
  const reminders = async (l: TrialLine) =>
    (
      await svc.service.ctx.db
        .selectFrom('outbox')
        .select('body')
        .where('account_id', '=', l.accountId)
        .where('purpose', '=', 'renewal-reminder')
        .execute()
    ).map((m) => m.body)
  const view = (l: TrialLine) => subscriptionView(svc.service.ctx, l.accountId, l.lineId)
  const paidThrough = async (l: TrialLine) => Date.parse((await view(l)).coverage.paidThrough ?? '')
  /** A line on its trial, then paid on `planId` with a saved card and auto-renew on. */
  async function autoRenewing(planId: string) {
    const l = await trialLine(svc)
    const paid = await renew(
      svc,
      l.token,
      l.lineId,
      planId,
      { card: CARDS.ok, save: true },
      { autoRenew: true }
    )
    expect(paid.status, JSON.stringify(paid.body)).toBe(201)
    return l
  }
  const lead = () => svc.service.ctx.config.billing.renewalLeadMs
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)

  it('reminds a monthly subscription a week before each renewal, once, and not when a renewal goes through', async () => {
    // Paid through 10 February 2027 after its trial, so the renewal moves it 28 days (to 10 March): a 30-day window
    // is entered at the renewal itself.
    svc.clock.set('2026-12-11T12:00:00.000Z')
    const quiet = await pass()
    expect(quiet.result).toEqual([])
    const line = await autoRenewing('line-1m@1')
    const first = await paidThrough(line)
    expect(day(first)).toBe('2027-02-10')
    const renewsAt = first - lead()

    // Three weeks before the renewal: outside the monthly window, so not even read.
    svc.clock.set(new Date(renewsAt - 20 * DAY))
    const early = await pass()
    expect([early.result, early.statements]).toEqual([[], quiet.statements])
    expect(await reminders(line)).toEqual([])
    expect((await view(line)).coverage.state).toBe('active')

    // Inside the week before it: one reminder naming the renewal day, read no more once it is sent.
    svc.clock.set(new Date(renewsAt - 7 * DAY + MINUTE))
    expect((await pass()).result).toEqual([])
    const again = await pass()
    expect([again.result, again.statements]).toEqual([[], quiet.statements])
    expect(await reminders(line)).toEqual([expect.stringContaining(day(renewsAt))])
    // "Ends soon" counts to the paid-through (a day after the renewal instant), a week before it.
    expect((await view(line)).coverage.state).toBe('active')
    svc.clock.set(new Date(first - 7 * DAY))
    expect((await view(line)).coverage.state).toBe('expiring_soon')

    // The renewal: paid through 28 days later, and nothing to remind of until the next week before.
    svc.clock.set(new Date(renewsAt + MINUTE))
    expect((await pass()).result).toEqual([expect.objectContaining({ outcome: 'renewed' })])
    const second = await paidThrough(line)
    expect(second - first).toBe(28 * DAY)
    svc.clock.set(new Date(renewsAt + 2 * MINUTE))
    const after = await pass()
    expect([after.result, after.statements]).toEqual([[], quiet.statements])
    expect(await reminders(line)).toHaveLength(1)
    expect((await view(line)).coverage.state).toBe('active')

    svc.clock.set(new Date(second - lead() - 7 * DAY - MINUTE))
    expect((await pass()).statements).toBe(quiet.statements)
    svc.clock.set(new Date(second - lead() - 7 * DAY + MINUTE))
    await pass()
    await pass()
    expect(await reminders(line)).toEqual([
      expect.stringContaining(day(renewsAt)),
      expect.stringContaining(day(second - lead()))
    ])
  })

  it('still reminds a yearly subscription 30 days ahead, once', async () => {
    svc.clock.set('2027-03-01T12:00:00.000Z')
    const quiet = await pass()
    const line = await autoRenewing('line-1y@1')
    const renewsAt = (await paidThrough(line)) - lead()

    svc.clock.set(new Date(renewsAt - 30 * DAY - MINUTE))
    const early = await pass()
    expect([early.result, early.statements]).toEqual([[], quiet.statements])
    expect(await reminders(line)).toEqual([])
    expect((await view(line)).coverage.state).toBe('active')

    svc.clock.set(new Date(renewsAt - 29 * DAY))
    await pass()
    const again = await pass()
    expect([again.result, again.statements]).toEqual([[], quiet.statements])
    expect(await reminders(line)).toEqual([expect.stringContaining(day(renewsAt))])
    expect((await view(line)).coverage.state).toBe('expiring_soon')
  })

  it('reads only the monthly subscription inside its week, not those outside it', async () => {
    svc.clock.set('2027-06-01T12:00:00.000Z')
    const quiet = await pass()
    // Four monthly lines begun 0, 10, 14 and 18 days apart: when the first is 6 days from its renewal, the others
    // are 16, 20 and 24 days from theirs (all inside a 30-day window).
    const start = svc.clock.now().getTime()
    const lines: TrialLine[] = []
    for (const days of [0, 10, 14, 18]) {
      svc.clock.set(new Date(start + days * DAY))
      lines.push(await autoRenewing('line-1m@1'))
    }
    const renewals = await Promise.all(lines.map(async (l) => (await paidThrough(l)) - lead()))
    // Two days earlier all four are inside 30 days of their renewals and outside their week: none is read.
    svc.clock.set(new Date((renewals[0] ?? 0) - 8 * DAY))
    const outside = await pass()
    expect([outside.result, outside.statements]).toEqual([[], quiet.statements])
    svc.clock.set(new Date((renewals[0] ?? 0) - 6 * DAY))
    expect(renewals.map((r) => Math.round((r - svc.clock.now().getTime()) / DAY))).toEqual([6, 16, 20, 24])
    await pass()
    const after = await pass()
    expect([after.result, after.statements]).toEqual([[], quiet.statements])
    expect(await Promise.all(lines.map(async (l) => (await reminders(l)).length))).toEqual([1, 0, 0, 0])
    expect(await Promise.all(lines.map(async (l) => (await view(l)).coverage.state))).toEqual([
      'expiring_soon',
      'active',
      'active',
      'active'
    ])
  })
})
