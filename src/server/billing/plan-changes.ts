/**
 * Plan changes (research billing.md §3.2, the Mega-Line rules): a change is scheduled for a date, previewed with
 * its proration before the person confirms, and applied on that date by a job, whatever the balance.
 *   - end-of-term plans (line service) change at the end of the paid period: nothing to recalculate;
 *   - immediate plans (tariffs) change on the chosen date, not before today + the plan's minimum delay, with the
 *     prepaid month recalculated by the plan's convention (fixed 30 days: 1100 / 30 x 12 = 440);
 *   - at most one change per 10 days (between effective dates of applied changes);
 *   - a newer request supersedes a pending one; a past-due subscription cannot change;
 *   - legal entities change only from the 1st of a month, by written request to staff (not self-service).
 * The discount's fate is said in the preview and carried out by discounts.ts.
 */
import { sql } from 'kysely'
import type { z } from 'zod'
import type { planChangePreview } from '../../shared/api/billing'
import type { Notice } from '../../shared/api/notes'
import { type ServiceContext, inTransaction } from '../context'
import type { PlansTable, ScheduledChangesTable, SubscriptionsTable } from '../db/schema-billing'
import { conflict, forbidden, invalid, notFound } from '../http/errors'
import { ownLine } from '../numbers/own-line'
import { newId } from '../secrets'
import { accountZone, postEntry } from './balance'
import { annualized, getPlan, plansOnSale } from './catalog'
import { paidThrough } from './coverage'
import {
  DISCOUNT_ENDS_AT_SWITCH,
  currentDiscount,
  discountApplies,
  discountOff,
  onDowngradeScheduled,
  onDowngradeWithdrawn,
  onIntervalSwitch
} from './discounts'
import {
  addLocalDays,
  daysBetween,
  firstOfMonth,
  firstOfNextMonth,
  localDate,
  recalculate,
  startOfLocalDay
} from './proration'
import { pendingChange, planView, subscriptionOf } from './subscriptions'
import { eachItem } from '../job-items'

type Preview = z.output<typeof planChangePreview>
export const MIN_DAYS_BETWEEN_CHANGES = 10

interface Plan {
  readonly sub: SubscriptionsTable
  readonly from: PlansTable
  readonly to: PlansTable
  readonly effectiveDate: string
  readonly effectiveAt: Date
  readonly tz: string
}

const isSwitchToAnnual = (from: PlansTable, to: PlansTable) =>
  from.interval === 'month' && to.interval === 'year'

async function planTheChange(
  ctx: ServiceContext,
  accountId: string,
  lineId: string,
  toPlanId: string,
  requestedDate: string | undefined,
  channel: 'self' | 'staff'
): Promise<Plan> {
  await ownLine(ctx, accountId, lineId)
  const sub = await subscriptionOf(ctx, lineId)
  if (!sub || sub.status === 'canceled') throw conflict('no-plan', 'this line has no active plan to change')
  if (sub.status === 'past_due')
    throw conflict('past-due', 'settle the failed payment before changing the plan')
  const from = await getPlan(ctx, sub.plan_id)
  const to = await plansOnSale(ctx, toPlanId)
  if (to.id === from.id) throw invalid('toPlanId', 'this is already the line’s plan', 'same-plan')
  if ((from.kind === 'monthly_tariff') !== (to.kind === 'monthly_tariff') || to.kind === 'intl_minutes')
    throw invalid('toPlanId', `${to.name} cannot replace ${from.name}`, 'incompatible-plan')
  const account = await ctx.db
    .selectFrom('accounts')
    .select('type')
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow()
  const tz = await accountZone(ctx, accountId)
  const today = localDate(ctx.clock.now(), tz)
  let effectiveDate: string
  if (from.change_policy === 'end_of_term') {
    const through = await paidThrough(ctx, lineId)
    if (!through) throw conflict('no-period', 'this line has no paid period to change at the end of')
    effectiveDate = localDate(through, tz)
    if (requestedDate && requestedDate !== effectiveDate)
      throw invalid(
        'effectiveDate',
        `this plan changes at the end of the paid period, on ${effectiveDate}`,
        'end-of-term',
        { date: effectiveDate }
      )
  } else {
    if (!requestedDate)
      throw invalid('effectiveDate', 'choose the date the change takes effect', 'date-required')
    effectiveDate = requestedDate
    const earliest = addLocalDays(today, to.min_effective_delay_days)
    if (effectiveDate < earliest)
      throw invalid('effectiveDate', `the earliest date for ${to.name} is ${earliest}`, 'too-soon', {
        date: earliest
      })
    if (daysBetween(today, effectiveDate) > 366)
      throw invalid('effectiveDate', 'choose a date within a year', 'too-late')
  }
  if (account.type === 'legal_entity') {
    if (channel === 'self')
      throw forbidden(
        'written-request',
        'plan changes for companies are made by written request to support, from the 1st of a month'
      )
    if (!effectiveDate.endsWith('-01'))
      throw invalid('effectiveDate', 'companies change plans from the 1st of a month', 'first-of-month')
  }
  const applied = await ctx.db
    .selectFrom('scheduled_changes')
    .select('effective_date')
    .where('subscription_id', '=', sub.id)
    .where('status', '=', 'applied')
    .execute()
  const tooClose = applied.find(
    (c) => Math.abs(daysBetween(c.effective_date, effectiveDate)) < MIN_DAYS_BETWEEN_CHANGES
  )
  if (tooClose)
    throw invalid(
      'effectiveDate',
      `plans change at most once in ${MIN_DAYS_BETWEEN_CHANGES} days; the last change took effect on ${tooClose.effective_date}`,
      'ten-day-rule',
      { days: MIN_DAYS_BETWEEN_CHANGES, date: tooClose.effective_date }
    )
  return { sub, from, to, effectiveDate, effectiveAt: startOfLocalDay(effectiveDate, tz), tz }
}

async function previewOf(ctx: ServiceContext, p: Plan): Promise<Preview> {
  const direction =
    annualized(p.to) > annualized(p.from)
      ? 'upgrade'
      : annualized(p.to) < annualized(p.from)
        ? 'downgrade'
        : 'same'
  const grant = await currentDiscount(ctx, p.sub.id)
  const hasDiscount = discountApplies(grant, p.effectiveAt) || discountApplies(grant, ctx.clock.now())
  const discountEffect = !hasDiscount
    ? 'none'
    : isSwitchToAnnual(p.from, p.to)
      ? 'lost-at-switch'
      : direction === 'downgrade'
        ? 'lost-at-period-end'
        : 'kept'
  const notices: Notice[] = []
  if (discountEffect === 'lost-at-switch') notices.push(DISCOUNT_ENDS_AT_SWITCH)
  if (discountEffect === 'lost-at-period-end')
    notices.push({
      code: 'discount-ends-on',
      params: { date: p.effectiveDate },
      text: `This downgrade ends your half-price-for-life discount on ${p.effectiveDate}. Cancel the change before then to keep it.`
    })
  let proration: Preview['proration'] = null
  if (p.from.change_policy === 'immediate' && !p.effectiveDate.endsWith('-01')) {
    const month = {
      start: startOfLocalDay(firstOfMonth(p.effectiveDate), p.tz),
      end: startOfLocalDay(firstOfNextMonth(p.effectiveDate), p.tz)
    }
    const oldPaid = p.from.price_minor - discountOff(p.from.price_minor, grant, month.start)
    const newCost =
      p.to.price_minor - (discountEffect === 'kept' ? discountOff(p.to.price_minor, grant, p.effectiveAt) : 0)
    const r = recalculate({
      convention: p.from.proration,
      oldPriceMinor: oldPaid,
      newPriceMinor: newCost,
      period: month,
      effective: p.effectiveAt,
      tz: p.tz
    })
    const cur = p.to.currency
    proration = {
      convention: r.convention,
      fraction: r.fraction,
      credit: { amountMinor: r.creditMinor, currency: cur },
      charge: { amountMinor: r.chargeMinor, currency: cur },
      net: { amountMinor: r.netMinor, currency: cur }
    }
    notices.push({
      code: 'applies-whatever-balance',
      params: {},
      text: 'The change applies on its date whatever your balance.'
    })
  }
  return {
    fromPlan: planView(p.from),
    toPlan: planView(p.to),
    effectiveDate: p.effectiveDate,
    direction,
    proration,
    discountEffect,
    notices
  }
}

export async function previewPlanChange(
  ctx: ServiceContext,
  accountId: string,
  lineId: string,
  toPlanId: string,
  date?: string
) {
  return previewOf(ctx, await planTheChange(ctx, accountId, lineId, toPlanId, date, 'self'))
}

export async function schedulePlanChange(
  ctx: ServiceContext,
  accountId: string,
  lineId: string,
  toPlanId: string,
  date: string | undefined,
  channel: 'self' | 'staff' = 'self'
): Promise<Preview> {
  const p = await planTheChange(ctx, accountId, lineId, toPlanId, date, channel)
  const preview = await previewOf(ctx, p)
  await inTransaction(ctx, async (tx) => {
    const pending = await tx.db
      .selectFrom('scheduled_changes')
      .select('id')
      .where('subscription_id', '=', p.sub.id)
      .where('status', '=', 'scheduled')
      .execute()
    const now = tx.clock.now().toISOString()
    for (const old of pending) {
      await tx.db
        .updateTable('scheduled_changes')
        .set({ status: 'superseded', decided_at: now })
        .where('id', '=', old.id)
        .execute()
      await onDowngradeWithdrawn(tx, old.id)
    }
    const id = newId('chg')
    await tx.db
      .insertInto('scheduled_changes')
      .values({
        id,
        subscription_id: p.sub.id,
        from_plan_id: p.from.id,
        to_plan_id: p.to.id,
        effective_date: p.effectiveDate,
        effective_at: p.effectiveAt.toISOString(),
        status: 'scheduled',
        requested_at: now,
        decided_at: null,
        proration: null
      })
      .execute()
    if (preview.discountEffect === 'lost-at-period-end')
      await onDowngradeScheduled(tx, p.sub.id, id, p.effectiveAt)
    await tx.audit.record('plan-change.scheduled', {
      accountId,
      detail: { line: lineId, to: p.to.id, on: p.effectiveDate }
    })
  })
  return preview
}

export async function cancelPlanChange(
  ctx: ServiceContext,
  accountId: string,
  lineId: string
): Promise<void> {
  await ownLine(ctx, accountId, lineId)
  const sub = await subscriptionOf(ctx, lineId)
  const change = sub ? await pendingChange(ctx, sub.id) : undefined
  if (!change) throw notFound('change-not-found', 'a scheduled plan change')
  // A company's change is made by written request, and so is withdrawing it (seed 003): an operator takes it.
  const account = await ctx.db
    .selectFrom('accounts')
    .select('type')
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow()
  if (account.type === 'legal_entity')
    throw forbidden(
      'written-request',
      'plan changes for companies are made and withdrawn by written request to support'
    )
  await withdrawChange(ctx, accountId, lineId, change.id)
}

/**
 * Withdraws a line's scheduled change, whoever asked: the person in the app (cancelPlanChange) or an operator
 * taking a company's written request (ops/accounts/plan-request.ts). Nothing happens to a change no longer
 * scheduled (it took effect or was withdrawn meanwhile): 'change-not-found'.
 */
export async function withdrawChange(
  ctx: ServiceContext,
  accountId: string,
  lineId: string,
  changeId: string
): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const done = await tx.db
      .updateTable('scheduled_changes')
      .set({ status: 'canceled', decided_at: tx.clock.now().toISOString() })
      .where('id', '=', changeId)
      .where('status', '=', 'scheduled')
      .executeTakeFirst()
    if (Number(done.numUpdatedRows) !== 1) throw notFound('change-not-found', 'a scheduled plan change')
    await onDowngradeWithdrawn(tx, changeId)
    await tx.audit.record('plan-change.canceled', { accountId, detail: { line: lineId } })
  })
}

/** Job: changes whose date has come are applied, with their recalculation posted to the balance. */
export async function applyDueChanges(ctx: ServiceContext): Promise<number> {
  const due = await ctx.db
    .selectFrom('scheduled_changes')
    .selectAll()
    // A literal, so both databases read it from the index of changes still ahead (migration 0035), not every one.
    .where('status', '=', sql.lit('scheduled'))
    .where('effective_at', '<=', ctx.clock.now().toISOString())
    .execute()
  // Each change on its own (job-items.ts): one that throws does not hold back the others.
  await eachItem(
    ctx,
    'plan-changes',
    due,
    (c) => c.id,
    (change) => applyChange(ctx, change)
  )
  return due.length
}

async function applyChange(ctx: ServiceContext, change: ScheduledChangesTable): Promise<void> {
  const sub = await ctx.db
    .selectFrom('subscriptions')
    .selectAll()
    .where('id', '=', change.subscription_id)
    .executeTakeFirstOrThrow()
  const from = await getPlan(ctx, change.from_plan_id)
  const to = await getPlan(ctx, change.to_plan_id)
  const tz = await accountZone(ctx, sub.account_id)
  const p: Plan = {
    sub,
    from,
    to,
    effectiveDate: change.effective_date,
    effectiveAt: new Date(change.effective_at),
    tz
  }
  const preview = await previewOf(ctx, p)
  await inTransaction(ctx, async (tx) => {
    const claimed = await tx.db
      .updateTable('scheduled_changes')
      .set({
        status: 'applied',
        decided_at: tx.clock.now().toISOString(),
        proration: JSON.stringify(preview.proration)
      })
      .where('id', '=', change.id)
      .where('status', '=', 'scheduled')
      .executeTakeFirst()
    if (Number(claimed.numUpdatedRows) !== 1) return
    await tx.db
      .updateTable('subscriptions')
      .set({ plan_id: to.id, updated_at: tx.clock.now().toISOString() })
      .where('id', '=', sub.id)
      .execute()
    if (preview.proration) {
      const month = change.effective_date.slice(0, 7)
      await postEntry(
        tx,
        sub.account_id,
        'proration_credit',
        preview.proration.credit.amountMinor,
        change.id,
        {
          code: 'unused-days',
          params: { plan: from.code, month },
          text: `${from.name}: unused days of ${month}`
        }
      )
      await postEntry(
        tx,
        sub.account_id,
        'proration_charge',
        -preview.proration.charge.amountMinor,
        change.id,
        {
          code: 'remaining-days',
          params: { plan: to.code, month },
          text: `${to.name}: remaining days of ${month}`
        }
      )
    }
    if (isSwitchToAnnual(from, to)) await onIntervalSwitch(tx, sub.id)
    await tx.audit.record('plan-change.applied', {
      accountId: sub.account_id,
      detail: { line: sub.line_id, to: to.id }
    })
  })
}
