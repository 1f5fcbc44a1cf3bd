/**
 * Migration 0040 (account closures): a person's request to close their account (src/server/identity/closure.ts).
 * One row per request, kept after it ends: `scheduled` until the grace period's end (`closes_at`), then
 * `completed` by the job that closes the account, or `cancelled` when the owner signed in and kept it. At most
 * one scheduled request per account (a partial unique index on both databases).
 *
 * `account_closures_due`: the job reads the scheduled ones by their date.
 */
import { type Kysely, type Migration, sql } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's types
type AnyDb = Kysely<any>

export function accountClosures(): Migration {
  return {
    async up(db: AnyDb) {
      // IF NOT EXISTS: SQLite runs a migration outside a transaction, so a crash may have made part of it.
      await db.schema
        .createTable('account_closures')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('requested_at', 'text', (c) => c.notNull())
        .addColumn('requested_ip', 'text')
        .addColumn('closes_at', 'text', (c) => c.notNull())
        .addColumn('ended_at', 'text')
        .execute()
      await sql`CREATE UNIQUE INDEX IF NOT EXISTS account_closures_one_open
        ON account_closures (account_id) WHERE status = 'scheduled'`.execute(db)
      await sql`CREATE INDEX IF NOT EXISTS account_closures_due
        ON account_closures (closes_at) WHERE status = 'scheduled'`.execute(db)
    }
  }
}
