/**
 * Monthly tariffs billed from the balance (the Mega-Line model): joining mid-month charges the rest of the month
 * (fixed 30 days), then each month is charged once, from the balance, and extends the line's coverage to the next
 * month's start. A month is charged only when the balance covers it (as a minutes pack or a paid service is
 * bought): charged whatever the balance, a tariff kept a line in service for ever on a debt nobody collects (a
 * trial line put on a tariff at a zero balance reached -48.40 in five months). A month the balance does not cover
 * is not charged: the line's paid time ends with the month before and it lapses (911 only) as any line whose paid
 * time ran out; once the balance covers it (a top-up, a promised payment), the job's next pass charges the rest of
 * the month from that day (fixed 30 days, the whole month on its first day) and the line is back. Joining asks
 * the same of the balance (402 `balance-too-low`: otherwise cancelling and joining again brought a lapsed line
 * back unpaid); plan changes between tariffs (plan-changes.ts) take effect whatever the balance (seed 003), so
 * what a line can owe is one change's recalculation. The account's row is locked first (account-lock.ts), as every
 * spender of the balance does.
 */
import { type SqlBool, sql } from 'kysely'
import { type ServiceContext, inTransaction } from '../context'
import { conflict, invalid } from '../http/errors'
import { ownLine } from '../numbers/own-line'
import { applySync, syncLine } from '../provisioning/lines'
import { lockAccount } from '../account-lock'
import { accountZone, balanceTooLow, postEntry, spendableBalance } from './balance'
import { plansOnSale } from './catalog'
import { extendCoverage, lockLine } from './coverage'
import { currentDiscount, discountOff } from './discounts'
import { monthsNow } from './due-months'
import {
  applyFraction,
  firstOfMonth,
  firstOfNextMonth,
  localDate,
  remainingFraction,
  startOfLocalDay
} from './proration'
import { ensureSubscription, subscriptionOf } from './subscriptions'
import { eachItem } from '../job-items'

/** The fee of a tariff month for a subscription, discount included, prorated from `from` (fixed 30 days). */
async function tariffFee(
  ctx: ServiceContext,
  subId: string,
  priceMinor: number,
  month: { start: Date; end: Date },
  from: Date,
  tz: string
) {
  const grant = await currentDiscount(ctx, subId)
  const net = priceMinor - discountOff(priceMinor, grant, from)
  return applyFraction(net, remainingFraction('fixed_30', month, from, tz))
}

/** Puts a line on a monthly tariff billed from the balance; this month's share is charged now. */
export async function subscribeTariff(
  ctx: ServiceContext,
  accountId: string,
  lineId: string,
  planId: string
) {
  const plan = await plansOnSale(ctx, planId)
  if (plan.kind !== 'monthly_tariff')
    throw invalid('planId', `${plan.name} is not a monthly tariff`, 'wrong-plan-kind')
  const line = await ownLine(ctx, accountId, lineId)
  if (line.status === 'closed') throw conflict('line-closed', 'this line is closed')
  const existing = await subscriptionOf(ctx, lineId)
  if (existing && existing.status !== 'canceled')
    throw conflict('already-subscribed', 'this line already has a plan; schedule a plan change instead')
  const sync = await inTransaction(ctx, async (tx) => {
    await lockAccount(tx, accountId)
    await lockLine(tx, lineId)
    const sub = await ensureSubscription(tx, accountId, lineId, plan.id)
    // Cancelled and joined again in a month already paid: the same tariff simply goes on (nothing to pay, as a
    // resume); another would be a plan change, which has its own price (refused with where to make it). Before,
    // both met the month's charge already taken and were told to top up, which could not help (review 37, L2).
    const paidAlready = await monthCharged(tx, accountId, sub.id)
    if (paidAlready && sub.plan_id !== plan.id)
      throw conflict(
        'tariff-month-paid',
        'this month is paid on the line’s tariff: resume it, then change the tariff'
      )
    await tx.db
      .updateTable('subscriptions')
      .set({ plan_id: plan.id, status: 'active', canceled_at: null, cancel_reason: null, auto_renew: 0 })
      .where('id', '=', sub.id)
      .execute()
    // The month's share from the balance, as every month after: joined whatever the balance, a line lapsed for
    // an unpaid month came back by cancelling and joining again, for ever.
    if (!paidAlready) {
      const paid = await chargeTariffMonth(tx, accountId, sub.id, lineId, plan.price_minor, plan)
      if (!paid) throw balanceTooLow('this month’s share')
    }
    return syncLine(tx, lineId)
  })
  await applySync(ctx, [sync])
}

/** A tariff month's ledger reference: the subscription and the month in the account's zone (YYYY-MM). */
const monthRef = (subId: string, today: string): string => `${subId}:${today.slice(0, 7)}`

/** Whether this month (in the account's zone) is charged already for the subscription. */
async function monthCharged(tx: ServiceContext, accountId: string, subId: string): Promise<boolean> {
  const today = localDate(tx.clock.now(), await accountZone(tx, accountId))
  const entry = await tx.db
    .selectFrom('balance_entries')
    .select('id')
    .where('kind', '=', 'recurring_fee')
    .where('source_ref', '=', monthRef(subId, today))
    .executeTakeFirst()
  return entry !== undefined
}

/**
 * Charges a tariff month once, from now (the whole month on its first day, the rest of it later: a line joining
 * mid-month, or a month charged once the balance covers it), and not at all when the balance is short: whether it
 * was charged.
 */
async function chargeTariffMonth(
  tx: ServiceContext,
  accountId: string,
  subId: string,
  lineId: string,
  price: number,
  plan: { readonly name: string; readonly code: string }
): Promise<boolean> {
  const tz = await accountZone(tx, accountId)
  const now = tx.clock.now()
  const today = localDate(now, tz)
  const monthStart = firstOfMonth(today)
  const month = { start: startOfLocalDay(monthStart, tz), end: startOfLocalDay(firstOfNextMonth(today), tz) }
  const fee = await tariffFee(tx, subId, price, month, now, tz)
  if ((await spendableBalance(tx, accountId)) < fee) return false
  const ref = monthRef(subId, today)
  if (
    !(await postEntry(tx, accountId, 'recurring_fee', -fee, ref, {
      code: 'recurring-fee',
      params: { plan: plan.code, month: today.slice(0, 7) },
      text: `${plan.name}, ${today.slice(0, 7)}`
    }))
  )
    return false
  await extendCoverage(tx, lineId, { type: 'tariff', id: ref }, { until: month.end })
  return true
}

/**
 * Job: each tariff subscription's month is charged once, on the first run in that month (account time). Only the
 * subscriptions whose month is not charged yet are read (no recurring fee under this month's reference: the
 * ledger's unique source, so one index probe each), so a pass with nothing due is one or two statements
 * (due-months.ts), not a transaction and a line sync (which woke the account's held polls) for every tariff line
 * every 30 seconds. A month the balance does not cover is read again only while the balance would pay a day of it
 * (then its share shrinks day by day until the balance pays the rest of the month).
 */
export async function chargeMonthlyFees(ctx: ServiceContext): Promise<number> {
  const months = await monthsNow(ctx, ctx.clock.now())
  const subs = await ctx.db
    .selectFrom('subscriptions')
    .innerJoin('plans', 'plans.id', 'subscriptions.plan_id')
    .innerJoin('lines', 'lines.id', 'subscriptions.line_id')
    .innerJoin('accounts', 'accounts.id', 'subscriptions.account_id')
    .select([
      'subscriptions.id',
      'subscriptions.account_id',
      'subscriptions.line_id',
      'plans.price_minor',
      'plans.name',
      'plans.code'
    ])
    .where('plans.kind', '=', 'monthly_tariff')
    .where('subscriptions.status', '=', 'active')
    .where((eb) =>
      eb.or(
        months.map((m) =>
          eb.and([
            ...(m.zones ? [eb('accounts.timezone', 'in', m.zones)] : []),
            eb.not(
              eb.exists(
                eb
                  .selectFrom('balance_entries as b')
                  .select('b.id')
                  .where('b.kind', '=', 'recurring_fee')
                  .where('b.source_ref', '=', sql<string>`${sql.ref('subscriptions.id')} || ${`:${m.key}`}`)
              )
            )
          ])
        )
      )
    )
    // Last, for the few whose month is not charged: only while the balance would pay a day of it (fixed 30 days,
    // before any discount), so an account that cannot pay is not locked and read again every pass.
    .where(
      sql<SqlBool>`(SELECT coalesce(sum(owed.amount_minor), 0) FROM balance_entries owed WHERE owed.account_id = subscriptions.account_id) * 30 >= plans.price_minor`
    )
    .execute()
  // Each on its own (job-items.ts): one that throws does not hold back the others.
  const { done } = await eachItem(
    ctx,
    'tariff-fees',
    subs,
    (s) => s.id,
    async (s) => {
      const sync = await inTransaction(ctx, async (tx) => {
        await lockAccount(tx, s.account_id)
        await lockLine(tx, s.line_id)
        const charged = await chargeTariffMonth(tx, s.account_id, s.id, s.line_id, s.price_minor, s)
        return charged ? syncLine(tx, s.line_id) : null
      })
      if (sync) await applySync(ctx, [sync])
    }
  )
  return done.length
}
