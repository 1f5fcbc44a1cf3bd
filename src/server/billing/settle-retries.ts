/**
 * Orders and refunds the periodic jobs could not settle, and calls they could not rate (migration 0036): each
 * failure is recorded with a code for why and a time before which the job leaves it alone, so one that keeps
 * failing neither calls the card processor every pass nor holds up the others, and an operator can see the orders,
 * refunds and calls (`dialtone-ops settlements stuck`) and try one again at once (`settlements retry`). Nothing here is
 * written while settlements succeed: a renewal costs the same.
 *
 * The wait doubles from a minute after the first failure up to six hours (1, 2, 4 … 256 minutes, then 6 h): a
 * processor that is down for a minute is retried within a minute or two, one that refuses an order for a reason
 * that will not pass by itself is tried four times a day until someone looks.
 */
import { sql } from 'kysely'
import type { ServiceContext } from '../context'
import type { SettleRetriesTable } from '../db/schema-money'
import { reasonOf } from '../job-items'

export type SettleKind = SettleRetriesTable['kind']

const MINUTE = 60_000
const MAX_WAIT_MS = 6 * 60 * MINUTE

/** When a settlement that has now failed `attempts` times may be tried again. */
export function nextTry(attempts: number, now: Date): string {
  const wait = Math.min(MAX_WAIT_MS, MINUTE * 2 ** Math.min(attempts - 1, 20))
  return new Date(now.getTime() + wait).toISOString()
}

/** `ref` (an order's or refund's id column) is not waiting out a failure: it has no retry, or its time has come. */
export function notWaiting(kind: SettleKind, ref: string, now: string) {
  return sql<boolean>`NOT EXISTS (SELECT 1 FROM settle_retries r WHERE r.kind = ${sql.lit(kind)} AND r.ref_id = ${sql.ref(ref)} AND r.next_at > ${now})`
}

/** Records one more failure of `item` with its wait (a first failure makes its row). */
export async function recordFailure(
  ctx: ServiceContext,
  kind: SettleKind,
  item: { readonly id: string; readonly account_id: string },
  reason: string
): Promise<void> {
  const now = ctx.clock.now()
  const at = now.toISOString()
  const before = await ctx.db
    .selectFrom('settle_retries')
    .select('attempts')
    .where('kind', '=', kind)
    .where('ref_id', '=', item.id)
    .executeTakeFirst()
  const attempts = (before?.attempts ?? 0) + 1
  const next = nextTry(attempts, now)
  await ctx.db
    .insertInto('settle_retries')
    .values({
      kind,
      ref_id: item.id,
      account_id: item.account_id,
      attempts,
      reason,
      first_failed_at: at,
      last_failed_at: at,
      next_at: next
    })
    .onConflict((oc) =>
      oc.columns(['kind', 'ref_id']).doUpdateSet({
        attempts,
        reason,
        last_failed_at: at,
        next_at: next
      })
    )
    .execute()
}

export const clearRetry = (ctx: ServiceContext, kind: SettleKind, id: string) =>
  ctx.db.deleteFrom('settle_retries').where('kind', '=', kind).where('ref_id', '=', id).execute()

/** Where an item stands: still to settle, settled (paid, refunded), or closed without it (declined, refused). */
export type SettleState = 'open' | 'settled' | 'closed'

export interface Settlement<T> {
  readonly kind: SettleKind
  /** Charges or refunds and records it; throws when it could not (the item stays open). */
  settle(item: T): Promise<unknown>
  /** Where the item stands now (another runner may have settled it meanwhile: a request's retry, the operator). */
  state(id: string): Promise<SettleState>
}

export type SettleOutcome = { readonly settled: true } | { readonly settled: false; readonly reason: string }

/**
 * Settles one item: a success, or an item that someone else settled or closed meanwhile, clears its retry; any
 * other failure (of any kind: the processor unreachable, a database fault) is recorded with its wait and logged
 * with the item's id and code. A final refusal (a decline) closes the item and answers its reason.
 */
export async function settleOne<T extends { readonly id: string; readonly account_id: string }>(
  ctx: ServiceContext,
  s: Settlement<T>,
  item: T
): Promise<SettleOutcome> {
  try {
    await s.settle(item)
  } catch (err) {
    const reason = reasonOf(err)
    const now = await s.state(item.id)
    if (now === 'open') {
      await recordFailure(ctx, s.kind, item, reason)
      ctx.log.warn(`could not settle ${s.kind} ${item.id} (${reason}); it is tried again later`)
      return { settled: false, reason }
    }
    await clearRetry(ctx, s.kind, item.id)
    return now === 'settled' ? { settled: true } : { settled: false, reason }
  }
  await clearRetry(ctx, s.kind, item.id)
  return { settled: true }
}

/** Each item in turn, every one tried whatever the others did; the number settled. */
export async function settleEach<T extends { readonly id: string; readonly account_id: string }>(
  ctx: ServiceContext,
  s: Settlement<T>,
  items: readonly T[]
): Promise<number> {
  let settled = 0
  for (const item of items) if ((await settleOne(ctx, s, item)).settled) settled++
  return settled
}

/**
 * Forgets the retries of items no longer open (settled by a request's retry or the operator, or closed; a call
 * rated): the job's own reads skip them, and the operator's list must not show them. One statement per kind; the
 * table holds only what failed.
 */
export async function forgetSettled(ctx: ServiceContext): Promise<void> {
  // Each kind's table and what "still open" is there.
  const open = [
    ['order', 'checkout_orders', sql`t.status = 'pending_payment'`],
    ['refund', 'refunds', sql`t.status = 'pending'`],
    ['call', 'call_records', sql`t.rated_at IS NULL`]
  ] as const
  for (const [kind, table, stillOpen] of open)
    await sql`DELETE FROM settle_retries WHERE kind = ${sql.lit(kind)} AND NOT EXISTS (
      SELECT 1 FROM ${sql.table(table)} t WHERE t.id = settle_retries.ref_id AND ${stillOpen})`.execute(
      ctx.db
    )
}
