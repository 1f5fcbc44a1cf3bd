/**
 * The billing pass's recovery jobs: card orders a crash left between the order and its fulfilment, card refunds
 * left between the processor and the ledger, card top-ups left between their record and the balance entry
 * (top-ups.ts), and device orders left between their record and their paid mark (upgrade-offers.ts), settled once
 * they are a minute old (a live request finishes its own
 * first). Each item is settled by settle-retries.ts: one that fails waits its turn (a minute, doubling to six
 * hours) while the others go on, and an operator sees it (`dialtone-ops settlements stuck`).
 *
 * Orders are the one table here that grows with every renewal, so the job reads only the orders made since its
 * mark (`job_marks`, by the `checkout_orders_created` index) and the ones whose retry is due, never every order
 * ever made. The mark moves to ten minutes before now once a pass has seen everything after it, held back by any
 * pending order a request is still at (changed in the last minute, or its lease held: a retry re-takes an order by
 * its lease, and its `created_at` stays as it was). Ten minutes covers an order whose `created_at` was read from
 * the clock a little before its INSERT committed, and clocks that differ a little between the service's
 * processes; an hourly backstop finds any order a larger difference would have hidden.
 */
import { sql } from 'kysely'
import type { ServiceContext } from '../context'
import type { CheckoutOrdersTable } from '../db/schema-billing'
import type { RefundsTable } from '../db/schema-money'
import { settleOrder } from './checkout-settle'
import { settleRefund } from './refunds'
import { type Settlement, notWaiting, settleEach } from './settle-retries'
import { topUpSettlement } from './top-ups'
import { deviceOrderSettlement } from './upgrade-offers'

/** Items per pass: the rest wait for the next pass (30 s). */
export const STRANDED_BATCH = 100
const SETTLE_AFTER_MS = 60_000
const MARK_SLACK_MS = 10 * 60_000
const ORDERS_MARK = 'stranded-orders'
const BACKSTOP_MARK = 'stranded-orders-backstop'
const BACKSTOP_EVERY_MS = 60 * 60_000

const iso = (ms: number) => new Date(ms).toISOString()

export const orderSettlement = (ctx: ServiceContext): Settlement<CheckoutOrdersTable> => ({
  kind: 'order',
  settle: (order) => settleOrder(ctx, order),
  state: async (id) => {
    const o = await ctx.db
      .selectFrom('checkout_orders')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirst()
    return o?.status === 'pending_payment' ? 'open' : o?.status === 'paid' ? 'settled' : 'closed'
  }
})

export const refundSettlement = (ctx: ServiceContext): Settlement<RefundsTable> => ({
  kind: 'refund',
  settle: (r) => settleRefund(ctx, r),
  state: async (id) => {
    const r = await ctx.db.selectFrom('refunds').select('status').where('id', '=', id).executeTakeFirst()
    return r?.status === 'pending' ? 'open' : r?.status === 'done' ? 'settled' : 'closed'
  }
})

async function readMark(ctx: ServiceContext, name: string): Promise<string | null> {
  const row = await ctx.db.selectFrom('job_marks').select('value').where('name', '=', name).executeTakeFirst()
  return row?.value ?? null
}

async function writeMark(ctx: ServiceContext, name: string, value: string): Promise<void> {
  await ctx.db
    .insertInto('job_marks')
    .values({ name, value })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value }))
    .execute()
}

/** Job: card orders left pending (older than a minute) are settled now; the number settled. */
export async function settleStrandedOrders(ctx: ServiceContext): Promise<number> {
  const now = ctx.clock.now().getTime()
  const before = iso(now - SETTLE_AFTER_MS)
  const leasedSince = iso(now - ctx.config.billing.idempotencyLeaseMs)
  // A request is at it: one changed it in the last minute, or one holds its lease (checkout-keyed.ts: a retry
  // re-takes an order by its lease, which moves `key_leased_at` and not `updated_at`).
  const live = (o: CheckoutOrdersTable) =>
    o.updated_at > before || (o.key_leased_at !== null && o.key_leased_at > leasedSince)
  const mark = await readMark(ctx, ORDERS_MARK)
  // Literals for the statuses, so that PostgreSQL's generic plan still sees what it can use.
  const pending = ctx.db
    .selectFrom('checkout_orders as o')
    .selectAll('o')
    .where('o.status', '=', sql.lit('pending_payment'))
  // Since the mark: every pending order not waiting out a failure, the live ones too (they hold the mark back).
  const recent = await pending
    .$if(mark !== null, (q) => q.where('o.created_at', '>=', mark ?? ''))
    .where(notWaiting('order', 'o.id', iso(now)))
    .orderBy('o.created_at')
    .limit(STRANDED_BATCH)
    .execute()
  // Before the mark: the orders whose retry is due (a failure recorded them), and once an hour any other still
  // pending (the backstop below).
  const retried =
    mark === null
      ? []
      : await pending
          .innerJoin('settle_retries as r', (j) =>
            j.onRef('r.ref_id', '=', 'o.id').on('r.kind', '=', sql.lit('order'))
          )
          .where('r.next_at', '<=', iso(now))
          .where('o.created_at', '<', mark)
          .orderBy('r.next_at')
          .limit(STRANDED_BATCH)
          .execute()
  const missed = mark === null ? [] : await backstop(ctx, mark, now)
  const due = [...retried, ...missed, ...recent].filter((o) => !live(o))
  const settled = await settleEach(ctx, orderSettlement(ctx), due)
  if (recent.length < STRANDED_BATCH) {
    const held = recent
      .filter(live)
      .reduce((m, o) => (o.created_at < m ? o.created_at : m), iso(now - MARK_SLACK_MS))
    if (mark === null || held > mark) await writeMark(ctx, ORDERS_MARK, held)
  }
  return settled
}

/**
 * Once an hour, the pending orders from before the mark that no failure recorded and nothing changed for an hour.
 * None should exist: the mark passes an order only once a pass has seen it. One could if a process's clock ran
 * more than the mark's ten minutes behind the job's (its `created_at` then lands behind the mark) and its request
 * died; this finds it within the hour. It reads the orders from before the mark, which grow with every renewal:
 * once an hour, not every pass.
 */
async function backstop(ctx: ServiceContext, mark: string, now: number): Promise<CheckoutOrdersTable[]> {
  const last = await readMark(ctx, BACKSTOP_MARK)
  if (last !== null && last > iso(now - BACKSTOP_EVERY_MS)) return []
  await writeMark(ctx, BACKSTOP_MARK, iso(now))
  return ctx.db
    .selectFrom('checkout_orders as o')
    .selectAll('o')
    .where('o.status', '=', sql.lit('pending_payment'))
    .where('o.created_at', '<', mark)
    .where('o.updated_at', '<=', iso(now - BACKSTOP_EVERY_MS))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('settle_retries as r')
            .select('r.ref_id')
            .where('r.kind', '=', sql.lit('order'))
            .whereRef('r.ref_id', '=', 'o.id')
        )
      )
    )
    .orderBy('o.created_at')
    .limit(STRANDED_BATCH)
    .execute()
}

/** Job: card refunds left pending (older than a minute) are finished now; the number settled. */
export async function settleStrandedRefunds(ctx: ServiceContext): Promise<number> {
  const now = ctx.clock.now().getTime()
  const stranded = await ctx.db
    .selectFrom('refunds as f')
    .selectAll('f')
    .where('f.status', '=', sql.lit('pending'))
    .where('f.created_at', '<=', iso(now - SETTLE_AFTER_MS))
    .where(notWaiting('refund', 'f.id', iso(now)))
    .orderBy('f.created_at')
    .limit(STRANDED_BATCH)
    .execute()
  return settleEach(ctx, refundSettlement(ctx), stranded)
}

/** Job: card top-ups left pending (older than a minute) are finished now (top-ups.ts); the number settled. */
export async function settleStrandedTopUps(ctx: ServiceContext): Promise<number> {
  const now = ctx.clock.now().getTime()
  const stranded = await ctx.db
    .selectFrom('top_ups as t')
    .selectAll('t')
    .where('t.status', '=', sql.lit('pending'))
    .where('t.created_at', '<=', iso(now - SETTLE_AFTER_MS))
    .where('t.updated_at', '<=', iso(now - SETTLE_AFTER_MS))
    .where(notWaiting('top-up', 't.id', iso(now)))
    .orderBy('t.created_at')
    .limit(STRANDED_BATCH)
    .execute()
  return settleEach(ctx, topUpSettlement(ctx), stranded)
}

/** Job: device orders left pending (older than a minute) are finished now (upgrade-offers.ts); the number settled. */
export async function settleStrandedDeviceOrders(ctx: ServiceContext): Promise<number> {
  const now = ctx.clock.now().getTime()
  // Few (one per line and offer at most): read without an index of their own.
  const stranded = await ctx.db
    .selectFrom('device_orders as d')
    .selectAll('d')
    .where('d.status', '=', sql.lit('pending'))
    .where('d.created_at', '<=', iso(now - SETTLE_AFTER_MS))
    .where(notWaiting('device-order', 'd.id', iso(now)))
    .orderBy('d.created_at')
    .limit(STRANDED_BATCH)
    .execute()
  return settleEach(ctx, deviceOrderSettlement(ctx), stranded)
}
