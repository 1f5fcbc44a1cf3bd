/**
 * The auto-renew scheduler. For each subscription with auto-renew on: a reminder before the renewal (once per
 * period; 30 days before on a yearly plan, 7 on a monthly one: reminder-window.ts), a warning when the card
 * expires before the renewal (once per period), and at the renewal instant a charge and one more period of
 * coverage. One renewal per line at a time (a lease on the subscription row); the paid-through is re-read after
 * taking the lease and before charging, so a manual renewal or a voucher that got there first means no charge. The
 * charge's key names the period and the attempt, the grant's names the period, so a crash or a second scheduler can
 * neither charge nor extend twice. Failures go into dunning: retries on the configured days with a notice each
 * time, then cancel (reason "dunning") or stay past due, by policy.
 */
import { sql } from 'kysely'
import { DAY } from '../clock'
import { type ServiceContext, inTransaction } from '../context'
import type { SubscriptionsTable } from '../db/schema-billing'
import { type AccountMessage, notifyPreferred } from '../mail/outbox'
import type { NoticePurpose } from '../../shared/api/notice-topics'
import { applySync, syncLine } from '../provisioning/lines'
import { planMonths, planMonthsSql } from './catalog'
import { extendCoverage, lockLine, paidThrough } from './coverage'
import { currentDiscount, discountOff, onDunningCancel } from './discounts'
import { type LineRef, billingNotices, declineWord } from './notices'
import { LONG_PLAN_MONTHS, reminderWindowMs } from './reminder-window'
import { cardValidUntil, usableMethod } from './subscriptions'
import { eachItem } from '../job-items'

const LEASE_MS = 2 * 60_000

export interface RenewalOutcome {
  readonly subscriptionId: string
  readonly outcome: 'renewed' | 'skipped' | 'failed' | 'canceled' | 'busy'
}

const tell = (ctx: ServiceContext, accountId: string, purpose: NoticePurpose, message: AccountMessage) =>
  notifyPreferred(ctx.db, ctx.clock, accountId, purpose, message)

export async function runAutoRenew(ctx: ServiceContext): Promise<RenewalOutcome[]> {
  // Each subscription on its own (job-items.ts): one that throws does not hold back the renewals after it.
  const { done } = await eachItem(
    ctx,
    'auto-renew',
    await dueSubscriptions(ctx),
    (sub) => sub.id,
    async (sub) => {
      const outcome = await considerSubscription(ctx, sub)
      return outcome ? { subscriptionId: sub.id, outcome } : null
    }
  )
  return done.filter((o): o is RenewalOutcome => o !== null)
}

/**
 * The auto-renew subscriptions something is due for now, in one statement: the renewal (renewAt reached and no
 * dunning retry still ahead), the reminder (inside its window, which is the plan's: a month's is shorter than a
 * year's, so the plan's months are read with the subscription; not sent for this paid-through) or the card warning
 * (the card runs out before renewAt, not sent for this paid-through); considerSubscription then decides each one
 * exactly as before. Considering every auto-renew subscription each pass (five statements each whether or not
 * anything was due) made a pass grow with the subscriptions, not with the work (docs/billing-jobs.md). renewAt is
 * paid-through minus the lead, and a card is valid until the first instant of the month after its expiry, so "the
 * card runs out first" is: the paid-through's month is past the card's, or is the card's and its time within the
 * month is the lead or more (a lead of 28 days or more: the same month at all, a few more to consider).
 */
async function dueSubscriptions(ctx: ServiceContext): Promise<SubscriptionsTable[]> {
  const cfg = ctx.config.billing
  const now = ctx.clock.now().getTime()
  const iso = (ms: number) => new Date(ms).toISOString()
  const renewBy = iso(now + cfg.renewalLeadMs)
  const remindBy = (months: number) => iso(now + cfg.renewalLeadMs + reminderWindowMs(cfg, months))
  const leadInMonth =
    cfg.renewalLeadMs < 28 * DAY ? iso(Date.UTC(2000, 0, 1) + cfg.renewalLeadMs).slice(8) : ''
  const open = ctx.db
    .selectFrom('subscriptions')
    .innerJoin('lines', 'lines.id', 'subscriptions.line_id')
    .innerJoin('plans', 'plans.id', 'subscriptions.plan_id')
    .selectAll('subscriptions')
    .select(planMonthsSql('plans').as('plan_months'))
    .select((eb) =>
      eb
        .selectFrom('coverage_grants as g')
        .select((g) => g.fn.max('g.ends_at').as('end'))
        .whereRef('g.line_id', '=', 'subscriptions.line_id')
        .where('g.voided_at', 'is', null)
        .as('through')
    )
    .where('subscriptions.auto_renew', '=', 1)
    .where('subscriptions.status', 'in', ['active', 'past_due'])
    .where('lines.status', '!=', 'closed')
    // A closing account is not charged for time after its closing (../identity/closure.ts); keeping it renews again.
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('account_closures as ac')
            .select('ac.id')
            .whereRef('ac.account_id', '=', 'subscriptions.account_id')
            .where('ac.status', '=', 'scheduled')
        )
      )
    )
  const month = sql<number>`CAST(substr(s.through, 1, 4) AS INTEGER) * 12 + CAST(substr(s.through, 6, 2) AS INTEGER) - 1`
  const cardMonth = sql<number>`pm.exp_year * 12 + pm.exp_month`
  const notSentFor = (mark: 'reminded_for' | 'card_warned_for') =>
    sql<boolean>`(${sql.ref(`s.${mark}`)} IS NULL OR ${sql.ref(`s.${mark}`)} <> s.through)`
  // The reminder window's end by the plan's length, as considerSubscription decides it (reminder-window.ts): a
  // year's or longer, else a month's (every plan shorter than a year has the short window).
  const [longBy, shortBy] = [remindBy(LONG_PLAN_MONTHS), remindBy(1)]
  const remindUntil = sql<string>`CASE WHEN s.plan_months >= ${sql.lit(LONG_PLAN_MONTHS)} THEN ${longBy} ELSE ${shortBy} END`
  // Materialized: each subscription's paid-through probed once. Inlined, PostgreSQL repeated the probe for every
  // mention of it below (eleven), 0.9 s of the database's CPU a pass at 33,000 subscriptions.
  return ctx.db
    .with(
      (cte) => cte('s').materialized(),
      () => open
    )
    .selectFrom('s')
    .leftJoin('payment_methods as pm', (j) =>
      j
        .onRef('pm.id', '=', 's.payment_method_id')
        .onRef('pm.account_id', '=', 's.account_id')
        .on('pm.removed_at', 'is', null)
    )
    .selectAll('s')
    .where('s.through', 'is not', null)
    .where((eb) =>
      eb.or([
        eb.and([
          eb('s.through', '<=', renewBy),
          eb.or([eb('s.next_attempt_at', 'is', null), eb('s.next_attempt_at', '<=', iso(now))])
        ]),
        eb.and([
          eb('s.through', '>', renewBy),
          eb('s.through', '<=', remindUntil),
          notSentFor('reminded_for')
        ]),
        eb.and([
          eb('pm.id', 'is not', null),
          notSentFor('card_warned_for'),
          sql<boolean>`(${month} > ${cardMonth} OR (${month} = ${cardMonth} AND substr(s.through, 9) >= ${leadInMonth}))`
        ])
      ])
    )
    .execute()
}

/**
 * A notice for one period, once, with several schedulers (service processes) running: the period is marked on the
 * subscription only where it is not marked yet, and the notice is queued in the same transaction by whoever marked
 * it. Reading the mark first and writing it after the notice let two processes both send it.
 */
async function noticeOnce(
  ctx: ServiceContext,
  sub: SubscriptionsTable,
  mark: 'reminded_for' | 'card_warned_for',
  period: string,
  purpose: NoticePurpose,
  message: AccountMessage
): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const claimed = await tx.db
      .updateTable('subscriptions')
      .set({ [mark]: period })
      .where('id', '=', sub.id)
      .where((eb) => eb.or([eb(mark, 'is', null), eb(mark, '!=', period)]))
      .executeTakeFirst()
    if (Number(claimed.numUpdatedRows) === 1) await tell(tx, sub.account_id, purpose, message)
  })
}

async function considerSubscription(
  ctx: ServiceContext,
  sub: SubscriptionsTable
): Promise<RenewalOutcome['outcome'] | null> {
  const cfg = ctx.config.billing
  const now = ctx.clock.now()
  const through = await paidThrough(ctx, sub.line_id)
  if (!through) return null
  const line = await ctx.db
    .selectFrom('lines')
    .innerJoin('devices', 'devices.id', 'lines.device_id')
    .select(['lines.phone_number', 'lines.label', 'devices.serial'])
    .where('lines.id', '=', sub.line_id)
    .executeTakeFirstOrThrow()
  // A line without a number is named by its label or its dongle's serial, as the app names it (notices.ts).
  const number: LineRef = line.phone_number ?? { label: line.label, serial: line.serial }
  const plan = await ctx.db
    .selectFrom('plans')
    .selectAll()
    .where('id', '=', sub.plan_id)
    .executeTakeFirstOrThrow()
  const method = await usableMethod(ctx, sub.account_id, sub.payment_method_id)
  const renewAt = new Date(through.getTime() - cfg.renewalLeadMs)
  const throughIso = through.toISOString()
  const grant = await currentDiscount(ctx, sub.id)
  const amount = plan.price_minor - discountOff(plan.price_minor, grant, renewAt)

  if (
    sub.reminded_for !== throughIso &&
    renewAt.getTime() - now.getTime() <= reminderWindowMs(cfg, planMonths(plan)) &&
    now < renewAt
  ) {
    await noticeOnce(ctx, sub, 'reminded_for', throughIso, 'renewal-reminder', (l) =>
      billingNotices(l).renewalReminder(number, renewAt.toISOString(), amount, plan.currency)
    )
  }
  if (method && sub.card_warned_for !== throughIso && cardValidUntil(method) <= renewAt) {
    await noticeOnce(ctx, sub, 'card_warned_for', throughIso, 'card-expiring', (l) =>
      billingNotices(l).cardExpiresFirst(number, method.last4, renewAt.toISOString())
    )
  }
  if (now < renewAt) return null
  if (sub.next_attempt_at && sub.next_attempt_at > now.toISOString()) return null

  // One renewal in flight per line.
  const leased = await ctx.db
    .updateTable('subscriptions')
    .set({ renewal_lease_until: new Date(now.getTime() + LEASE_MS).toISOString() })
    .where('id', '=', sub.id)
    .where((eb) =>
      eb.or([eb('renewal_lease_until', 'is', null), eb('renewal_lease_until', '<=', now.toISOString())])
    )
    .executeTakeFirst()
  if (Number(leased.numUpdatedRows) !== 1) return 'busy'
  const release = () =>
    ctx.db.updateTable('subscriptions').set({ renewal_lease_until: null }).where('id', '=', sub.id).execute()
  try {
    // Re-read under the lease: someone may have renewed since this pass began.
    const again = await paidThrough(ctx, sub.line_id)
    if (!again || again.getTime() - cfg.renewalLeadMs > ctx.clock.now().getTime()) return 'skipped'
    const attempt = sub.dunning_attempts
    const charge = method
      ? await ctx.gateway.charge({
          token: method.gateway_token,
          amountMinor: amount,
          currency: plan.currency,
          idempotencyKey: `autorenew:${sub.id}:${throughIso}:${attempt}`
        })
      : { id: '', status: 'failed' as const, declineCode: 'no_card' }
    ctx.fault('autorenew:after-charge')
    if (charge.status === 'succeeded') {
      const sync = await inTransaction(ctx, async (tx) => {
        await lockLine(tx, sub.line_id)
        const end = await extendCoverage(
          tx,
          sub.line_id,
          { type: 'auto_renew', id: `${sub.id}:${throughIso}` },
          { months: planMonths(plan) }
        )
        await tx.db
          .updateTable('subscriptions')
          .set({
            status: 'active',
            dunning_attempts: 0,
            next_attempt_at: null,
            updated_at: tx.clock.now().toISOString()
          })
          .where('id', '=', sub.id)
          .execute()
        // The charge beside the coverage it paid for: a receipt for it, and something an operator can refund.
        if (method)
          await tx.db
            .insertInto('renewal_charges')
            .values({
              id: charge.id,
              account_id: sub.account_id,
              line_id: sub.line_id,
              plan_id: plan.id,
              grant_source: `${sub.id}:${throughIso}`,
              amount_minor: amount,
              currency: plan.currency,
              payment_method_id: method.id,
              created_at: tx.clock.now().toISOString()
            })
            .onConflict((oc) => oc.doNothing())
            .execute()
        await tx.audit.record('renewal.charged', {
          accountId: sub.account_id,
          // The amount charged: the ops renewals report sums revenue from these (src/server/ops/reports.ts).
          detail: { line: sub.line_id, charge: charge.id, amountMinor: amount, currency: plan.currency }
        })
        if (end)
          await tell(tx, sub.account_id, 'renewed', (l) =>
            billingNotices(l).renewed(number, end.toISOString())
          )
        return syncLine(tx, sub.line_id)
      })
      await applySync(ctx, [sync])
      return 'renewed'
    }
    return await dunning(ctx, sub, number, charge.declineCode ?? 'card_declined', through)
  } finally {
    await release()
  }
}

async function dunning(
  ctx: ServiceContext,
  sub: SubscriptionsTable,
  number: LineRef,
  decline: string,
  through: Date
): Promise<RenewalOutcome['outcome']> {
  const cfg = ctx.config.billing
  const attempts = sub.dunning_attempts + 1
  const reason = declineWord(decline)
  const retryDay = cfg.dunningRetryDays[attempts - 1]
  return inTransaction(ctx, async (tx) => {
    const now = tx.clock.now().toISOString()
    await tx.audit.record('renewal.failed', {
      accountId: sub.account_id,
      detail: { line: sub.line_id, attempt: attempts, decline }
    })
    if (retryDay !== undefined) {
      const next = new Date(through.getTime() + retryDay * DAY).toISOString()
      await tx.db
        .updateTable('subscriptions')
        .set({ status: 'past_due', dunning_attempts: attempts, next_attempt_at: next, updated_at: now })
        .where('id', '=', sub.id)
        .execute()
      await tell(tx, sub.account_id, 'renewal-failed', (l) =>
        billingNotices(l).renewalFailed(number, reason, next)
      )
      return 'failed'
    }
    if (cfg.dunningFinal === 'cancel') {
      await tx.db
        .updateTable('subscriptions')
        .set({
          status: 'canceled',
          auto_renew: 0,
          canceled_at: now,
          cancel_reason: 'dunning',
          dunning_attempts: attempts,
          next_attempt_at: null,
          updated_at: now
        })
        .where('id', '=', sub.id)
        .execute()
      await onDunningCancel(tx, sub.id)
      await tell(tx, sub.account_id, 'dunning-canceled', (l) =>
        billingNotices(l).canceledForNonPayment(number)
      )
      return 'canceled'
    }
    await tx.db
      .updateTable('subscriptions')
      .set({
        status: 'past_due',
        auto_renew: 0,
        dunning_attempts: attempts,
        next_attempt_at: null,
        updated_at: now
      })
      .where('id', '=', sub.id)
      .execute()
    await tell(tx, sub.account_id, 'renewal-failed', (l) =>
      billingNotices(l).renewalFailed(number, reason, null)
    )
    return 'failed'
  })
}
