/**
 * A line's subscription: which plan it renews on, auto-renew and its card, cancellation, dunning, the discount
 * and any scheduled plan change, and the view the app shows (with why auto-renew cannot be switched on).
 * Statuses follow Stripe's vocabulary (active, past_due, canceled); coverage is the ledger's (coverage.ts).
 */
import type { PlanView, SubscriptionView } from '../../shared/api/billing'
import { type ServiceContext, inTransaction } from '../context'
import type { PaymentMethodsTable, PlansTable, SubscriptionsTable } from '../db/schema-billing'
import { conflict, invalid, notFound } from '../http/errors'
import { ownLine } from '../numbers/own-line'
import { newId } from '../secrets'
import { accountZone } from './balance'
import { planMonths } from './catalog'
import { coverageState, paidThrough, trialEnd } from './coverage'
import { localDate } from './proration'
import { currentDiscount, onResubscribe, onVoluntaryCancel } from './discounts'

export function planView(p: PlansTable): PlanView {
  return {
    id: p.id,
    code: p.code,
    version: p.version,
    name: p.name,
    kind: p.kind,
    interval: p.interval,
    intervalCount: p.interval_count,
    price: { amountMinor: p.price_minor, currency: p.currency },
    autoRenewEligible: p.auto_renew_eligible === 1,
    proration: p.proration,
    changePolicy: p.change_policy,
    minEffectiveDelayDays: p.min_effective_delay_days,
    minutes: p.minutes
  }
}

export async function subscriptionOf(
  ctx: ServiceContext,
  lineId: string
): Promise<SubscriptionsTable | undefined> {
  return ctx.db.selectFrom('subscriptions').selectAll().where('line_id', '=', lineId).executeTakeFirst()
}

/** The line's subscription, created on the given plan when it has none; an existing one keeps its plan. */
export async function ensureSubscription(
  tx: ServiceContext,
  accountId: string,
  lineId: string,
  planId: string
): Promise<SubscriptionsTable> {
  const existing = await subscriptionOf(tx, lineId)
  if (existing) return existing
  const now = tx.clock.now().toISOString()
  const row: SubscriptionsTable = {
    id: newId('sub'),
    account_id: accountId,
    line_id: lineId,
    plan_id: planId,
    status: 'active',
    auto_renew: 0,
    payment_method_id: null,
    cancel_at_period_end: 0,
    canceled_at: null,
    cancel_reason: null,
    dunning_attempts: 0,
    next_attempt_at: null,
    reminded_for: null,
    card_warned_for: null,
    renewal_lease_until: null,
    created_at: now,
    updated_at: now
  }
  // Two first renewals of one line at once: one row wins, both use it.
  await tx.db
    .insertInto('subscriptions')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .execute()
  return (await subscriptionOf(tx, lineId)) ?? row
}

/** The subscription's scheduled (not yet applied) plan change, if any. */
export function pendingChange(ctx: ServiceContext, subscriptionId: string) {
  return ctx.db
    .selectFrom('scheduled_changes')
    .selectAll()
    .where('subscription_id', '=', subscriptionId)
    .where('status', '=', 'scheduled')
    .executeTakeFirst()
}

/** Back to active after a voluntary cancel (resume, or auto-renew switched on again); the discount follows. */
async function reopen(tx: ServiceContext, subscriptionId: string, extra: Partial<SubscriptionsTable> = {}) {
  await tx.db
    .updateTable('subscriptions')
    .set({
      status: 'active',
      cancel_at_period_end: 0,
      canceled_at: null,
      cancel_reason: null,
      ...extra,
      updated_at: tx.clock.now().toISOString()
    })
    .where('id', '=', subscriptionId)
    .execute()
  await onResubscribe(tx, subscriptionId)
}

export async function usableMethod(
  ctx: ServiceContext,
  accountId: string,
  id: string | null
): Promise<PaymentMethodsTable | undefined> {
  if (!id) return undefined
  return ctx.db
    .selectFrom('payment_methods')
    .selectAll()
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .where('removed_at', 'is', null)
    .executeTakeFirst()
}

/** The first instant after a card's expiry month. */
export const cardValidUntil = (m: Pick<PaymentMethodsTable, 'exp_month' | 'exp_year'>): Date =>
  new Date(Date.UTC(m.exp_year, m.exp_month, 1))

type Blocker = SubscriptionView['autoRenew']['blockedBy'][number]

function autoRenewBlockers(
  plan: PlansTable | undefined,
  sub: SubscriptionsTable | undefined,
  method: PaymentMethodsTable | undefined,
  renewsAt: Date | null
): Blocker[] {
  const out: Blocker[] = []
  if (!plan || plan.auto_renew_eligible !== 1) out.push('plan-not-eligible')
  if (sub?.status === 'canceled' && sub.cancel_reason === 'dunning') out.push('canceled')
  if (!method) out.push('no-card')
  else if (renewsAt && cardValidUntil(method) <= renewsAt) out.push('card-expires-first')
  return out
}

export async function subscriptionView(
  ctx: ServiceContext,
  accountId: string,
  lineId: string
): Promise<SubscriptionView> {
  await ownLine(ctx, accountId, lineId)
  const sub = await subscriptionOf(ctx, lineId)
  const plan = sub
    ? await ctx.db.selectFrom('plans').selectAll().where('id', '=', sub.plan_id).executeTakeFirst()
    : undefined
  const now = ctx.clock.now()
  const through = await paidThrough(ctx, lineId)
  const cov = coverageState(through, now, ctx.config.billing, plan ? planMonths(plan) : null)
  const method = await usableMethod(ctx, accountId, sub?.payment_method_id ?? null)
  const renewsAt =
    sub?.auto_renew === 1 && through ? new Date(through.getTime() - ctx.config.billing.renewalLeadMs) : null
  const discount = sub ? await currentDiscount(ctx, sub.id) : undefined
  const change = sub ? await pendingChange(ctx, sub.id) : undefined
  const nowIso = now.toISOString()
  return {
    lineId,
    plan: plan ? planView(plan) : null,
    status: sub?.status ?? 'none',
    coverage: {
      state: cov.state,
      paidThrough: through?.toISOString() ?? null,
      trialEndsAt: (await trialEnd(ctx, lineId))?.toISOString() ?? null,
      reactivatable: cov.reactivatable
    },
    autoRenew: {
      enabled: sub?.auto_renew === 1,
      paymentMethodId: method?.id ?? null,
      blockedBy: autoRenewBlockers(plan, sub, method, through),
      nextRenewalAt: renewsAt?.toISOString() ?? null
    },
    cancelAtPeriodEnd: sub?.cancel_at_period_end === 1,
    cancelReason: sub?.cancel_reason ?? null,
    dunning: { attempts: sub?.dunning_attempts ?? 0, nextAttemptAt: sub?.next_attempt_at ?? null },
    discount: discount
      ? {
          kind: discount.kind,
          percentOff: discount.percent_off,
          status: discount.ends_at === null ? 'active' : discount.ends_at > nowIso ? 'ending' : 'ended',
          endsAt: discount.ends_at,
          endedReason: discount.ended_reason,
          reinstatableUntil: discount.reinstatable_until
        }
      : null,
    pendingChange: change
      ? {
          id: change.id,
          fromPlanId: change.from_plan_id,
          toPlanId: change.to_plan_id,
          effectiveDate: change.effective_date,
          status: change.status,
          requestedAt: change.requested_at
        }
      : null
  }
}

/** Auto-renew on or off. On needs an eligible plan and a card that outlives the next renewal. */
export async function setAutoRenew(
  ctx: ServiceContext,
  accountId: string,
  lineId: string,
  enabled: boolean,
  paymentMethodId: string | undefined
): Promise<void> {
  const line = await ownLine(ctx, accountId, lineId)
  if (line.status === 'closed') throw conflict('line-closed', 'this line is closed')
  const sub = await subscriptionOf(ctx, lineId)
  if (!sub) throw conflict('no-plan', 'renew this line once first; auto-renew then continues on that plan')
  await inTransaction(ctx, async (tx) => {
    if (!enabled) {
      await tx.db
        .updateTable('subscriptions')
        .set({ auto_renew: 0, updated_at: tx.clock.now().toISOString() })
        .where('id', '=', sub.id)
        .execute()
      await tx.audit.record('autorenew.off', { accountId, detail: { line: lineId } })
      return
    }
    const plan = await tx.db
      .selectFrom('plans')
      .selectAll()
      .where('id', '=', sub.plan_id)
      .executeTakeFirstOrThrow()
    const methodId = paymentMethodId ?? sub.payment_method_id ?? (await defaultMethodId(tx, accountId))
    const method = await usableMethod(tx, accountId, methodId)
    const blockers = autoRenewBlockers(plan, sub, method, await paidThrough(tx, lineId))
    if (paymentMethodId && !method) throw notFound('payment-method-not-found', 'the payment method')
    if (blockers.includes('plan-not-eligible'))
      throw conflict('plan-not-eligible', `${plan.name} cannot renew automatically; choose a plan that can`)
    if (blockers.includes('no-card'))
      throw conflict('no-card', 'add a card first: auto-renew charges it at each renewal')
    if (blockers.includes('card-expires-first'))
      throw conflict('card-expires-first', 'this card expires before the next renewal; add a newer card')
    if (sub.status === 'canceled')
      await reopen(tx, sub.id, { auto_renew: 1, payment_method_id: method?.id ?? null })
    else
      await tx.db
        .updateTable('subscriptions')
        .set({
          auto_renew: 1,
          payment_method_id: method?.id ?? null,
          updated_at: tx.clock.now().toISOString()
        })
        .where('id', '=', sub.id)
        .execute()
    await tx.audit.record('autorenew.on', { accountId, detail: { line: lineId } })
  })
}

export async function defaultMethodId(ctx: ServiceContext, accountId: string): Promise<string | null> {
  const row = await ctx.db
    .selectFrom('payment_methods')
    .select('id')
    .where('account_id', '=', accountId)
    .where('removed_at', 'is', null)
    .orderBy('is_default', 'desc')
    .orderBy('created_at', 'desc')
    .executeTakeFirst()
  return row?.id ?? null
}

/** Voluntary cancel: nothing renews; service runs to the end of what is paid; the discount waits until then. */
export async function cancelSubscription(
  ctx: ServiceContext,
  accountId: string,
  lineId: string
): Promise<void> {
  await ownLine(ctx, accountId, lineId)
  const sub = await subscriptionOf(ctx, lineId)
  const end = (await paidThrough(ctx, lineId)) ?? ctx.clock.now()
  if (sub?.status === 'canceled' && sub.cancel_reason === 'voluntary') {
    const date = localDate(end, await accountZone(ctx, accountId))
    throw conflict('already-canceled', `this line is already canceled; it ends on ${date}`, { date })
  }
  if (!sub || sub.status === 'canceled')
    throw conflict('not-subscribed', 'this line has no subscription to cancel')
  await inTransaction(ctx, async (tx) => {
    await tx.db
      .updateTable('subscriptions')
      .set({
        auto_renew: 0,
        cancel_at_period_end: 1,
        status: 'canceled',
        canceled_at: tx.clock.now().toISOString(),
        cancel_reason: 'voluntary',
        updated_at: tx.clock.now().toISOString()
      })
      .where('id', '=', sub.id)
      .execute()
    await onVoluntaryCancel(tx, sub.id, end)
    await tx.audit.record('subscription.canceled', {
      accountId,
      detail: { line: lineId, reason: 'voluntary' }
    })
  })
}

/** Resubscribe after a voluntary cancel: keeps the discount if the last paid period has not ended. */
export async function resumeSubscription(
  ctx: ServiceContext,
  accountId: string,
  lineId: string
): Promise<void> {
  await ownLine(ctx, accountId, lineId)
  const sub = await subscriptionOf(ctx, lineId)
  if (!sub || sub.status !== 'canceled')
    throw conflict('not-canceled', 'this line’s subscription is not canceled')
  if (sub.cancel_reason === 'dunning')
    throw invalid(
      'lineId',
      'this subscription ended after failed payments; renew the line instead',
      'dunning'
    )
  // After the paid period the line has lapsed: resuming would promise service nobody paid for.
  const end = await paidThrough(ctx, lineId)
  if (!end || end <= ctx.clock.now()) {
    const date = end ? localDate(end, await accountZone(ctx, accountId)) : ''
    throw conflict(
      'period-ended',
      `the paid period ended on ${date}, and the discount with it; renew the line instead`,
      { date }
    )
  }
  await inTransaction(ctx, (tx) => reopen(tx, sub.id))
}
