/**
 * What an operator sees of the settlements the jobs could not finish (settle-retries.ts): each stuck order,
 * refund, top-up or device order with its amount, and each call the rating job could not rate with its two ends, how often and since when
 * it failed, why (a code) and its next turn, longest failing first; and "try it again now", which runs the job's
 * own settlement of that one item at once (the processor's key makes a charge or refund happen once whatever is
 * tried; a call is rated once, by whichever rating marks it first: usage.ts's rateCall). Only an item on record as
 * stuck can be retried. The list is cut per kind (STUCK_LIST_LIMIT) and says how many of each there are.
 */
import type { z } from 'zod'
import type { stuckSettlement } from '../../shared/ops/routes-money'
import { SETTLE_KINDS } from '../../shared/ops/settle-kinds'
import type { ServiceContext } from '../context'
import type { CallRecordsTable } from '../db/schema'
import { notFound } from '../http/errors'
import { reasonOf } from '../job-items'
import { type SettleKind, type SettleOutcome, type Settlement, settleOne } from './settle-retries'
import { orderSettlement, refundSettlement } from './stranded'
import { topUpSettlement } from './top-ups'
import { deviceOrderSettlement } from './upgrade-offers'
import { rateCall } from './usage'

export type StuckSettlement = z.infer<typeof stuckSettlement>

/**
 * At most this many of each kind, the longest failing first: a list an operator can read. Per kind, so that a day of
 * calls the rating could not rate never hides a stuck card order or refund behind them.
 */
export const STUCK_LIST_LIMIT = 200

/**
 * The retry rows whose item is still open: an item a request's retry settled meanwhile is not stuck (forgetSettled
 * clears its row later).
 */
const openRetries = (ctx: ServiceContext) =>
  ctx.db
    .selectFrom('settle_retries as r')
    .leftJoin('checkout_orders as o', (j) => j.onRef('o.id', '=', 'r.ref_id').on('r.kind', '=', 'order'))
    .leftJoin('refunds as f', (j) => j.onRef('f.id', '=', 'r.ref_id').on('r.kind', '=', 'refund'))
    .leftJoin('top_ups as t', (j) => j.onRef('t.id', '=', 'r.ref_id').on('r.kind', '=', 'top-up'))
    .leftJoin('device_orders as d', (j) => j.onRef('d.id', '=', 'r.ref_id').on('r.kind', '=', 'device-order'))
    .leftJoin('call_records as c', (j) => j.onRef('c.id', '=', 'r.ref_id').on('r.kind', '=', 'call'))
    .where((eb) =>
      eb.or([
        eb.and([eb('r.kind', '=', 'order'), eb('o.status', '=', 'pending_payment')]),
        eb.and([eb('r.kind', '=', 'refund'), eb('f.status', '=', 'pending')]),
        eb.and([eb('r.kind', '=', 'top-up'), eb('t.status', '=', 'pending')]),
        eb.and([eb('r.kind', '=', 'device-order'), eb('d.status', '=', 'pending')]),
        eb.and([eb('r.kind', '=', 'call'), eb('c.id', 'is not', null), eb('c.rated_at', 'is', null)])
      ])
    )

/** One kind's stuck items (or the one named), the longest failing first, at most STUCK_LIST_LIMIT. */
async function stuck(ctx: ServiceContext, kind: SettleKind, id?: string): Promise<StuckSettlement[]> {
  const rows = await openRetries(ctx)
    // Who pays for a leg, as rateCall decides: the caller's line for the call dialled, the forwarding line for the
    // leg it forwarded out (only when it did: fwd_to set).
    .leftJoin('sip_accounts as cs', 'cs.username', 'c.src_user')
    .leftJoin('lines as cl', 'cl.id', 'cs.line_id')
    .leftJoin('sip_accounts as fs', (j) =>
      j.onRef('fs.username', '=', 'c.fwd_by').on('c.fwd_to', 'is not', null)
    )
    .leftJoin('lines as fl', 'fl.id', 'fs.line_id')
    .selectAll('r')
    // A row joins only its own kind's table (openRetries), so of each money column one is set: the item's.
    .select((eb) => [
      eb.fn.coalesce('o.total_minor', 'f.amount_minor', 't.amount_minor', 'd.amount_minor').as('money_minor'),
      eb.fn.coalesce('o.currency', 'f.currency', 't.currency', 'd.currency').as('money_currency'),
      eb.fn.coalesce('o.created_at', 'f.created_at', 't.created_at', 'd.created_at').as('money_created')
    ])
    .select([
      'c.at as call_at',
      'c.src_user as call_from',
      'c.dst_user as call_to',
      'c.fwd_to as call_forwarded_to',
      'cl.account_id as caller_account',
      'fl.account_id as forwarder_account'
    ])
    .where('r.kind', '=', kind)
    .$if(id !== undefined, (q) => q.where('r.ref_id', '=', id ?? ''))
    .orderBy('r.first_failed_at')
    .orderBy('r.ref_id')
    .limit(STUCK_LIST_LIMIT)
    .execute()
  return rows.map((r) => {
    const times = {
      attempts: r.attempts,
      reason: r.reason,
      firstFailedAt: r.first_failed_at,
      lastFailedAt: r.last_failed_at,
      nextAt: r.next_at
    }
    // A call is not priced until it is rated: no amount; its ends say which call it is.
    if (r.kind === 'call') {
      // An account beside the number it pays for: the caller's with the number dialled, else the forwarding line's
      // with the number it forwarded to.
      const byCaller = r.caller_account !== null || r.forwarder_account === null
      return {
        kind: 'call',
        id: r.ref_id,
        accountId: (byCaller ? r.caller_account : r.forwarder_account) ?? null,
        createdAt: String(r.call_at),
        call: {
          from: r.call_from ?? '',
          to: (byCaller ? (r.call_to ?? r.call_forwarded_to) : r.call_forwarded_to) ?? ''
        },
        ...times
      } as const
    }
    return {
      kind: r.kind,
      id: r.ref_id,
      accountId: r.account_id,
      amountMinor: Number(r.money_minor),
      currency: String(r.money_currency),
      createdAt: String(r.money_created),
      ...times
    }
  })
}

export interface StuckList {
  readonly settlements: StuckSettlement[]
  readonly stuck: Record<SettleKind, number>
  readonly listed: number
}

/** Each kind's longest failing (at most STUCK_LIST_LIMIT of each), longest failing first, and how many there are. */
export async function stuckSettlements(ctx: ServiceContext): Promise<StuckList> {
  const [lists, counted] = await Promise.all([
    Promise.all(SETTLE_KINDS.map((kind) => stuck(ctx, kind))),
    openRetries(ctx)
      .select(['r.kind', (eb) => eb.fn.countAll<number | string>().as('n')])
      .groupBy('r.kind')
      .execute()
  ])
  const order = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0)
  const byAge = (a: StuckSettlement, b: StuckSettlement): number =>
    order(a.firstFailedAt, b.firstFailedAt) || order(a.id, b.id)
  const count = (kind: SettleKind): number => Number(counted.find((c) => c.kind === kind)?.n ?? 0)
  return {
    settlements: lists.flat().sort(byAge),
    stuck: Object.fromEntries(SETTLE_KINDS.map((kind) => [kind, count(kind)])) as Record<SettleKind, number>,
    listed: STUCK_LIST_LIMIT
  }
}

/** Settles one stuck item now; what it is afterwards (null when settled or closed) and why this try failed. */
export async function retrySettlement(
  ctx: ServiceContext,
  kind: SettleKind,
  id: string
): Promise<{ settled: boolean; settlement: StuckSettlement | null; reason: string | null }> {
  const [before] = await stuck(ctx, kind, id)
  if (!before) throw notFound('settlement-not-stuck', `a stuck ${kind} ${id}`)
  const outcome = await retryOne(ctx, kind, id).catch(
    // The settlement itself is caught by settleOne; this is the reads and writes around it failing (the database
    // gone): what the item is now cannot be told, so the answer says so by the code.
    (err: unknown): SettleOutcome => ({ settled: false, reason: reasonOf(err) })
  )
  const [after] = await stuck(ctx, kind, id).catch(() => [before])
  return {
    settled: outcome.settled,
    settlement: after ?? null,
    reason: outcome.settled ? null : outcome.reason
  }
}

async function retryOne(ctx: ServiceContext, kind: SettleKind, id: string): Promise<SettleOutcome> {
  if (kind === 'call')
    return await settleOne(ctx, callSettlement(ctx), {
      ...(await ctx.db.selectFrom('call_records').selectAll().where('id', '=', id).executeTakeFirstOrThrow()),
      account_id: ''
    })
  if (kind === 'device-order')
    return await settleOne(
      ctx,
      deviceOrderSettlement(ctx),
      await ctx.db.selectFrom('device_orders').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    )
  if (kind === 'top-up')
    return await settleOne(
      ctx,
      topUpSettlement(ctx),
      await ctx.db.selectFrom('top_ups').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    )
  return kind === 'order'
    ? await settleOne(
        ctx,
        orderSettlement(ctx),
        await ctx.db.selectFrom('checkout_orders').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
      )
    : await settleOne(
        ctx,
        refundSettlement(ctx),
        await ctx.db.selectFrom('refunds').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
      )
}

/**
 * A call's rating as the job does it, for the operator's retry. A call on the stuck list was tried by the job, so
 * its BYE is in or it was given up on: rateCall rates it or throws. Its retry row is the call's (no account, as the
 * job records it).
 */
const callSettlement = (ctx: ServiceContext): Settlement<CallRecordsTable & { account_id: string }> => ({
  kind: 'call',
  settle: (call) => rateCall(ctx, call),
  state: async (id) => {
    const row = await ctx.db
      .selectFrom('call_records')
      .select('rated_at')
      .where('id', '=', id)
      .executeTakeFirst()
    return row?.rated_at ? 'settled' : 'open'
  }
})
