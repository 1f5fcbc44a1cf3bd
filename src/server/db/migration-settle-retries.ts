/**
 * Migration 0036 (settle retries): what the stranded-order and stranded-refund jobs need to stay fair and cheap.
 *
 * `settle_retries`: one row per order or refund the job tried to settle and could not (the processor unreachable, a
 * fault in the fulfilment), or call record it could not rate, with how many times, since when, the reason as a code
 * and when to try next. Written only when that fails, so a renewal writes nothing here; the operator reads it
 * (`dialtone-ops settlements stuck`). Before it, an order that kept failing was tried (and its processor called)
 * every 30 s for ever, and an error that was not a refusal stopped the whole billing pass behind it.
 *
 * `checkout_orders_created`: orders by when they were made, so the job reads only the orders made since its mark
 * (`job_marks`) instead of every order ever made. A plain index on a column the paid mark never changes: the paid
 * mark stays a heap-only update on PostgreSQL (a partial index on the status broke that and cost issue 24's goal 8
 * a fifth of a renewal: docs/billing-jobs.md), and a renewal's cost did not move measurably with it (in-process A/B,
 * two databases, ten rounds of 240 renewals each, twice: 1,377 µs of CPU per renewal with it, 1,409 without).
 *
 * `job_marks`: a job's place, kept in the database so that every process and every restart continues from it.
 */
import { type Kysely, type Migration, sql } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's types
type AnyDb = Kysely<any>

export function settleRetries(): Migration {
  return {
    async up(db: AnyDb) {
      // IF NOT EXISTS: SQLite runs a migration outside a transaction, so a crash may have made part of it.
      await db.schema
        .createTable('settle_retries')
        .ifNotExists()
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('ref_id', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('first_failed_at', 'text', (c) => c.notNull())
        .addColumn('last_failed_at', 'text', (c) => c.notNull())
        .addColumn('next_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('settle_retries_pk', ['kind', 'ref_id'])
        .execute()
      await db.schema
        .createTable('job_marks')
        .ifNotExists()
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute()
      await sql`CREATE INDEX IF NOT EXISTS checkout_orders_created ON checkout_orders (created_at)`.execute(
        db
      )
    }
  }
}
