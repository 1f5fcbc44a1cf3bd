/**
 * Migration 0035 (job indexes): what the periodic jobs read on every pass, found by index instead of by reading
 * the whole table. `outbox_trial_notices`: an account's trial-ending notices, for the notice sent once per line
 * (billing/trial-notices.ts); partial, so that no other message (a renewal's receipt above all) writes an entry.
 * `call_records_unrated`: the answered calls not yet rated, by time (billing/usage.ts rateCalls; rated calls leave
 * it). Then the billing pass's other reads of what is open, each a partial index of the rows still open, which
 * leave it once settled: promised payments not yet settled (balance.ts), plan changes ahead (plan-changes.ts), the
 * active cards by batch (vouchers.ts expireVouchers). Without them each pass read every call record, promise,
 * change, or card of an expired batch, ever. The jobs send those statuses and the purpose as literals, so that a
 * plan made for any bound value (a generic plan) still matches the indexes' conditions.
 *
 * Not indexed, on purpose: the pending orders (the stranded-order job) and the outbox's unforgotten bodies (its
 * retention). Both are written by every renewal (its order, its receipt), and an index there cost issue 24's goal 8
 * more than the jobs gained: with it, each paid mark left PostgreSQL's heap-only update (the order's status is in
 * the index's condition) and each receipt wrote two more index entries; a renewal fell from 0.084 to 0.067 of a
 * bare INSERT's rate (docs/billing-jobs.md). The same statements on both databases; IF NOT EXISTS because SQLite runs
 * a migration outside a transaction, so a crash may have made an index without recording the migration.
 */
import { type Kysely, type Migration, sql } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's types
type AnyDb = Kysely<any>

export function jobIndexes(): Migration {
  return {
    async up(db: AnyDb) {
      await sql`
        CREATE INDEX IF NOT EXISTS outbox_trial_notices ON outbox (account_id) WHERE purpose = 'trial-ending'
      `.execute(db)
      await sql`
        CREATE INDEX IF NOT EXISTS call_records_unrated ON call_records (at)
        WHERE method = 'INVITE' AND sip_code = '200' AND missed = 0 AND rated_at IS NULL
      `.execute(db)
      const partial = [
        ['promised_payments_due', 'promised_payments', 'due_at', "status = 'active'"],
        ['scheduled_changes_due', 'scheduled_changes', 'effective_at', "status = 'scheduled'"],
        ['vouchers_active', 'vouchers', 'batch_id', "state = 'active'"]
      ] as const
      for (const [name, table, column, where] of partial)
        await sql.raw(`CREATE INDEX IF NOT EXISTS ${name} ON ${table} (${column}) WHERE ${where}`).execute(db)
    }
  }
}
