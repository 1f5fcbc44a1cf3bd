/**
 * The money balance (Tele2 / Mega-Line style): an append-only ledger, one row per event, unique per
 * (kind, source), so the balance is a sum and a replayed event cannot count twice. Top-ups by card (their
 * request and recovery in top-ups.ts), minutes packs, and promised payments here; monthly tariff fees
 * (tariffs.ts), usage (usage.ts) and plan-change recalculations (plan-changes.ts) post through postEntry. A
 * promised payment is a short credit when the balance is at or below zero, repaid by the next top-up or taken
 * back when due (then outgoing calls are held until a top-up).
 */
import { sql } from 'kysely'
import type { z } from 'zod'
import type { balanceView } from '../../shared/api/billing'
import { DAY } from '../clock'
import { type ServiceContext, inTransaction } from '../context'
import { lockAccount } from '../account-lock'
import type { BalanceEntriesTable, BalanceKind } from '../db/schema-billing'
import { MEMO_CODES, type Memo, type MemoCode } from '../../shared/api/notes'
import { ServiceError, conflict, invalid } from '../http/errors'
import { notifyPreferred } from '../mail/outbox'
import { syncCallsHeld } from '../provisioning/lines'
import { newId } from '../secrets'
import { plansOnSale } from './catalog'
import { idempotent } from './idempotency'
import { billingNotices } from './notices'
import { addLocalDays, localDate, startOfLocalDay } from './proration'
import { eachItem } from '../job-items'

export const CURRENCY = 'USD'

export async function postEntry(
  tx: ServiceContext,
  accountId: string,
  kind: BalanceKind,
  amountMinor: number,
  sourceRef: string,
  memo: Memo
): Promise<boolean> {
  const res = await tx.db
    .insertInto('balance_entries')
    .values({
      id: newId('bal'),
      account_id: accountId,
      kind,
      amount_minor: amountMinor,
      currency: CURRENCY,
      source_ref: sourceRef,
      memo: memo.text,
      memo_code: memo.code,
      memo_params: JSON.stringify(memo.params),
      created_at: tx.clock.now().toISOString()
    })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst()
  return Number(res.numInsertedOrUpdatedRows ?? 0n) === 1
}

export async function balanceOf(ctx: ServiceContext, accountId: string): Promise<number> {
  const row = await ctx.db
    .selectFrom('balance_entries')
    .select((eb) => eb.fn.sum<number | string | null>('amount_minor').as('total'))
    .where('account_id', '=', accountId)
    .executeTakeFirst()
  return Number(row?.total ?? 0)
}

/**
 * What the balance holds for spending: less the top-ups being given back to their card (a refund pending at the
 * processor takes its money off the balance when it completes). Every spender reads this under the account's lock
 * (account-lock.ts), so what one spends another cannot.
 */
export async function spendableBalance(tx: ServiceContext, accountId: string): Promise<number> {
  const pending = await tx.db
    .selectFrom('refunds')
    .select((eb) => eb.fn.sum<number | string | null>('amount_minor').as('total'))
    .where('account_id', '=', accountId)
    .where('charge_kind', '=', 'top_up')
    .where('status', '=', 'pending')
    .executeTakeFirst()
  return (await balanceOf(tx, accountId)) - Number(pending?.total ?? 0)
}

/**
 * A spend the balance does not cover, refused (402 `balance-too-low`, worded by the app beside its Top up): the
 * one refusal of every spender that must not take the balance below zero (a minutes pack, a service's or a
 * tariff's month). `what` names it for the developer's message.
 */
export const balanceTooLow = (what: string): ServiceError =>
  new ServiceError('payment-required', `the balance does not cover ${what}; top up first`, {
    reason: 'balance-too-low'
  })

export async function accountZone(ctx: ServiceContext, accountId: string): Promise<string> {
  const a = await ctx.db
    .selectFrom('accounts')
    .select('timezone')
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow()
  return a.timezone
}

/** Stored memo values, read defensively: only numbers and strings reach the app. */
export function memoParamsOf(json: string): Record<string, string | number> {
  try {
    const v = JSON.parse(json) as unknown
    if (v === null || typeof v !== 'object') return {}
    return Object.fromEntries(
      Object.entries(v).filter(([, x]) => typeof x === 'string' || typeof x === 'number')
    ) as Record<string, string | number>
  } catch {
    return {}
  }
}

export const entryView = (e: BalanceEntriesTable) => ({
  id: e.id,
  kind: e.kind,
  amount: { amountMinor: e.amount_minor, currency: e.currency },
  memo: e.memo,
  memoCode: (MEMO_CODES as readonly string[]).includes(e.memo_code) ? (e.memo_code as MemoCode) : 'other',
  memoParams: memoParamsOf(e.memo_params),
  at: e.created_at
})

export async function listEntries(ctx: ServiceContext, accountId: string, limit: number) {
  const rows = await ctx.db
    .selectFrom('balance_entries')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
  return rows.map(entryView)
}

type PromiseWhy = 'positive-balance' | 'too-deep' | 'already-open' | 'too-new'

/** Why a promised payment cannot be taken now (a code the app words itself, and the service's sentence), or null. */
async function promisedEligibility(
  ctx: ServiceContext,
  accountId: string
): Promise<{ why: PromiseWhy; reason: string } | null> {
  const cfg = ctx.config.billing.promisedPayment
  // An open one first: right after it is granted the balance is positive, but that is not the reason.
  const open = await ctx.db
    .selectFrom('promised_payments')
    .select('id')
    .where('account_id', '=', accountId)
    .where('status', 'in', ['active', 'overdue'])
    .executeTakeFirst()
  if (open)
    return { why: 'already-open', reason: 'a promised payment is already open; top up to repay it first' }
  const balance = await balanceOf(ctx, accountId)
  if (balance > 0)
    return { why: 'positive-balance', reason: 'a promised payment is for a balance at or below zero' }
  if (balance < cfg.lowestBalanceMinor)
    return { why: 'too-deep', reason: 'the balance is too far below zero; top up instead' }
  const account = await ctx.db
    .selectFrom('accounts')
    .select('created_at')
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow()
  if (ctx.clock.now().getTime() - Date.parse(account.created_at) < cfg.minTenureDays * DAY)
    return {
      why: 'too-new',
      reason: `accounts younger than ${cfg.minTenureDays} days cannot take a promised payment`
    }
  return null
}

export async function balanceSummary(
  ctx: ServiceContext,
  accountId: string
): Promise<z.output<typeof balanceView>> {
  const cfg = ctx.config.billing.promisedPayment
  const latest = (kinds: BalanceKind[], sign: 'pos' | 'neg') =>
    ctx.db
      .selectFrom('balance_entries')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('kind', 'in', kinds)
      .where('amount_minor', sign === 'pos' ? '>' : '<', 0)
      .orderBy('created_at', 'desc')
      .executeTakeFirst()
  const topUp = await latest(['top_up'], 'pos')
  const charge = await latest(['recurring_fee', 'usage', 'proration_charge', 'minutes_pack'], 'neg')
  const pp = await ctx.db
    .selectFrom('promised_payments')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('granted_at', 'desc')
    .executeTakeFirst()
  const packs = await ctx.db
    .selectFrom('minute_packs')
    .select(['minutes', 'used', 'expires_at'])
    .where('account_id', '=', accountId)
    .where('expires_at', '>', ctx.clock.now().toISOString())
    .orderBy('expires_at')
    .execute()
  const no = await promisedEligibility(ctx, accountId)
  return {
    balance: { amountMinor: await balanceOf(ctx, accountId), currency: CURRENCY },
    restricted: pp?.status === 'overdue',
    lastTopUp: topUp ? entryView(topUp) : null,
    lastCharge: charge ? entryView(charge) : null,
    promisedPayment: pp
      ? {
          id: pp.id,
          amount: { amountMinor: pp.amount_minor, currency: CURRENCY },
          fee: { amountMinor: pp.fee_minor, currency: CURRENCY },
          status: pp.status,
          grantedAt: pp.granted_at,
          dueAt: pp.due_at
        }
      : null,
    promisedPaymentOffer: {
      eligible: no === null,
      why: no?.why ?? null,
      reason: no?.reason ?? null,
      minTenureDays: cfg.minTenureDays,
      amount: { amountMinor: cfg.amountMinor, currency: CURRENCY },
      fee: { amountMinor: cfg.feeMinor, currency: CURRENCY },
      termDays: cfg.termDays
    },
    minutePacks: packs.map((p) => ({ minutes: p.minutes, used: p.used, expiresAt: p.expires_at }))
  }
}

/** Repays open promised payments from a top-up just posted (top-ups.ts). */
export async function repayPromised(tx: ServiceContext, accountId: string): Promise<void> {
  const open = await tx.db
    .selectFrom('promised_payments')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('status', 'in', ['active', 'overdue'])
    .execute()
  for (const pp of open) {
    // An overdue one was already taken back when it fell due; an active one is taken back now.
    if (pp.status === 'active')
      await postEntry(tx, accountId, 'promised_repayment', -pp.amount_minor, pp.id, {
        code: 'promised-repaid',
        params: {},
        text: 'Promised payment repaid'
      })
    await tx.db
      .updateTable('promised_payments')
      .set({ status: 'repaid', settled_at: tx.clock.now().toISOString() })
      .where('id', '=', pp.id)
      .execute()
  }
  // Kamailio lets the account's lines call again (it holds calls while a promise is overdue).
  if (open.some((pp) => pp.status === 'overdue')) await syncCallsHeld(tx, accountId)
}

export async function takePromisedPayment(ctx: ServiceContext, accountId: string, key: string) {
  await idempotent(ctx, { accountId, key, endpoint: 'promised-payment', request: {} }, async () => {
    await inTransaction(ctx, async (tx) => {
      const no = await promisedEligibility(tx, accountId)
      if (no) throw conflict('promised-not-eligible', no.reason)
      const cfg = tx.config.billing.promisedPayment
      const now = tx.clock.now()
      const id = newId('pp')
      // Once a day at most, enforced by the ledger's unique source even under concurrency.
      const zone = await accountZone(tx, accountId)
      const day = localDate(now, zone)
      if (
        !(await postEntry(tx, accountId, 'promised_credit', cfg.amountMinor, `${accountId}:${day}`, {
          code: 'promised-credit',
          params: {},
          text: 'Promised payment'
        }))
      )
        throw conflict('promised-not-eligible', 'one promised payment a day')
      if (cfg.feeMinor > 0)
        await postEntry(tx, accountId, 'promised_fee', -cfg.feeMinor, id, {
          code: 'promised-fee',
          params: {},
          text: 'Promised payment fee'
        })
      await tx.db
        .insertInto('promised_payments')
        .values({
          id,
          account_id: accountId,
          amount_minor: cfg.amountMinor,
          fee_minor: cfg.feeMinor,
          status: 'active',
          granted_at: now.toISOString(),
          // Due when the term's last day ends in the account's zone: a promise taken at 23:50 gets whole days.
          due_at: startOfLocalDay(addLocalDays(day, cfg.termDays + 1), zone).toISOString(),
          settled_at: null
        })
        .execute()
      await tx.audit.record('promised-payment.granted', { accountId, detail: { amount: cfg.amountMinor } })
    })
    return { status: 200, body: null }
  })
  return balanceSummary(ctx, accountId)
}

/** Job: promised payments past due are taken back (the balance may go negative) and the account held. */
export async function settlePromisedPayments(ctx: ServiceContext): Promise<number> {
  const due = await ctx.db
    .selectFrom('promised_payments')
    .selectAll()
    // A literal, so both databases read it from the index of open promises (migration 0035), not every promise.
    .where('status', '=', sql.lit('active'))
    .where('due_at', '<=', ctx.clock.now().toISOString())
    .execute()
  // Each promise on its own (job-items.ts): one that throws does not hold back the others.
  await eachItem(
    ctx,
    'promised-payments',
    due,
    (pp) => pp.id,
    (pp) =>
      inTransaction(ctx, async (tx) => {
        await postEntry(tx, pp.account_id, 'promised_repayment', -pp.amount_minor, pp.id, {
          code: 'promised-due',
          params: {},
          text: 'Promised payment due'
        })
        await tx.db
          .updateTable('promised_payments')
          .set({ status: 'overdue' })
          .where('id', '=', pp.id)
          .where('status', '=', 'active')
          .execute()
        // Held at Kamailio too, so it holds when the app is off or modified: every call but 911 and 933.
        await syncCallsHeld(tx, pp.account_id)
        await notifyPreferred(tx.db, tx.clock, pp.account_id, 'promised-overdue', (l) =>
          billingNotices(l).promisedPaymentOverdue(pp.amount_minor, CURRENCY)
        )
      })
  )
  return due.length
}

/** Buys a minutes pack from the balance (it may not go below zero for this). */
export async function buyMinutesFromBalance(
  ctx: ServiceContext,
  accountId: string,
  key: string,
  planId: string
) {
  const plan = await plansOnSale(ctx, planId)
  if (plan.kind !== 'intl_minutes')
    throw invalid('planId', `${plan.name} is not a minutes pack`, 'wrong-plan-kind')
  await idempotent(
    ctx,
    { accountId, key, endpoint: 'minutes-from-balance', request: { planId } },
    async () => {
      await inTransaction(ctx, async (tx) => {
        await lockAccount(tx, accountId)
        if ((await spendableBalance(tx, accountId)) < plan.price_minor) throw balanceTooLow('this pack')
        const ref = `${accountId}:${key}`
        await postEntry(tx, accountId, 'minutes_pack', -plan.price_minor, ref, {
          code: 'minutes-pack',
          params: { plan: plan.code },
          text: plan.name
        })
        const now = tx.clock.now()
        await tx.db
          .insertInto('minute_packs')
          .values({
            id: newId('pk'),
            account_id: accountId,
            source_ref: ref,
            minutes: plan.minutes ?? 0,
            used: 0,
            expires_at: new Date(now.getTime() + 30 * DAY).toISOString(),
            created_at: now.toISOString()
          })
          .execute()
      })
      return { status: 200, body: null }
    }
  )
  return balanceSummary(ctx, accountId)
}
