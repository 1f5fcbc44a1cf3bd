/**
 * What an operator sees of the settlements the jobs could not finish (settle-retries.ts): each stuck order or
 * refund with its amount, how often and since when it failed, why (a code) and its next turn, longest failing
 * first; and "try it again now", which runs the job's own settlement of that one item at once (the processor's
 * key makes the charge or refund happen once whatever is tried). Only an item on record as stuck can be retried.
 */
import type { z } from 'zod'
import type { stuckSettlement } from '../../shared/ops/routes-money'
import type { ServiceContext } from '../context'
import type { SettleRetriesTable } from '../db/schema-money'
import { notFound } from '../http/errors'
import { reasonOf } from '../job-items'
import { type SettleKind, type SettleOutcome, settleOne } from './settle-retries'
import { orderSettlement, refundSettlement } from './stranded'

export type StuckSettlement = z.infer<typeof stuckSettlement>

/** At most this many, the longest failing first: a list an operator can read. */
const LIST_LIMIT = 200

async function stuck(
  ctx: ServiceContext,
  only?: { kind: SettleKind; id: string }
): Promise<StuckSettlement[]> {
  const rows = await ctx.db
    .selectFrom('settle_retries as r')
    .leftJoin('checkout_orders as o', (j) => j.onRef('o.id', '=', 'r.ref_id').on('r.kind', '=', 'order'))
    .leftJoin('refunds as f', (j) => j.onRef('f.id', '=', 'r.ref_id').on('r.kind', '=', 'refund'))
    .selectAll('r')
    .select([
      'o.total_minor as order_minor',
      'o.currency as order_currency',
      'o.created_at as order_created',
      'f.amount_minor as refund_minor',
      'f.currency as refund_currency',
      'f.created_at as refund_created'
    ])
    // Only what is still open: an item a request's retry settled meanwhile is not stuck (forgetSettled clears it).
    .where((eb) =>
      eb.or([
        eb.and([eb('r.kind', '=', 'order'), eb('o.status', '=', 'pending_payment')]),
        eb.and([eb('r.kind', '=', 'refund'), eb('f.status', '=', 'pending')])
      ])
    )
    .$if(only !== undefined, (q) =>
      q.where('r.kind', '=', only?.kind ?? 'order').where('r.ref_id', '=', only?.id ?? '')
    )
    .orderBy('r.first_failed_at')
    .orderBy('r.ref_id')
    .limit(LIST_LIMIT)
    .execute()
  return rows.map((r: SettleRetriesTable & Record<string, unknown>) => ({
    // Orders and refunds only (the filter above): a call's rating has no amount to show.
    kind: r.kind === 'refund' ? 'refund' : 'order',
    id: r.ref_id,
    accountId: r.account_id,
    amountMinor: Number(r.kind === 'order' ? r.order_minor : r.refund_minor),
    currency: String(r.kind === 'order' ? r.order_currency : r.refund_currency),
    createdAt: String(r.kind === 'order' ? r.order_created : r.refund_created),
    attempts: r.attempts,
    reason: r.reason,
    firstFailedAt: r.first_failed_at,
    lastFailedAt: r.last_failed_at,
    nextAt: r.next_at
  }))
}

export const stuckSettlements = (ctx: ServiceContext): Promise<StuckSettlement[]> => stuck(ctx)

/** Settles one stuck item now; what it is afterwards (null when settled or closed) and why this try failed. */
export async function retrySettlement(
  ctx: ServiceContext,
  kind: SettleKind,
  id: string
): Promise<{ settled: boolean; settlement: StuckSettlement | null; reason: string | null }> {
  const [before] = await stuck(ctx, { kind, id })
  if (!before) throw notFound('settlement-not-stuck', `a stuck ${kind} ${id}`)
  const outcome = await retryOne(ctx, kind, id).catch(
    // The settlement itself is caught by settleOne; this is the reads and writes around it failing (the database
    // gone): what the item is now cannot be told, so the answer says so by the code.
    (err: unknown): SettleOutcome => ({ settled: false, reason: reasonOf(err) })
  )
  const [after] = await stuck(ctx, { kind, id }).catch(() => [before])
  return {
    settled: outcome.settled,
    settlement: after ?? null,
    reason: outcome.settled ? null : outcome.reason
  }
}

async function retryOne(ctx: ServiceContext, kind: SettleKind, id: string): Promise<SettleOutcome> {
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
