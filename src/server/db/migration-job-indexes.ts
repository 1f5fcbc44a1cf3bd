/**
 * Migration 0035 (job indexes): what the periodic jobs read on every pass, found by index instead of by reading
 * the whole table. `outbox_kept`: the messages whose bodies are not yet forgotten, by age; every second the outbox
 * sender forgets the bodies of day-old messages on a channel nothing delivers (the dev mailbox; SMS without a
 * gateway: src/server/mail/sender.ts), and forgotten bodies (and, with SMTP, sent messages) leave it, so it holds
 * about a day of messages. `outbox_account`: an account's messages by purpose, for the notices sent once per line
 * (billing/trial-notices.ts). `call_records_unrated`: the answered calls not yet rated, by time (billing/usage.ts
 * rateCalls; rated calls leave it). Then the billing pass's other reads of what is open, each a partial index of
 * the rows still open, which leave it once settled: orders pending payment (checkout-settle.ts), promised payments
 * not yet settled (balance.ts), plan changes ahead (plan-changes.ts), the active cards by batch (vouchers.ts
 * expireVouchers). Without them each pass read every call record, order, promise, change, or card of an expired
 * batch, ever. The jobs send those statuses as literals, so that a plan made for any bound value (a generic plan)
 * still matches the indexes' conditions. The same statements on both databases; IF NOT EXISTS because SQLite runs a
 * migration outside a transaction, so a crash may have made an index without recording the migration.
 */
import { type Kysely, type Migration, sql } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's types
type AnyDb = Kysely<any>

export function jobIndexes(): Migration {
  return {
    async up(db: AnyDb) {
      await sql`CREATE INDEX IF NOT EXISTS outbox_kept ON outbox (created_at) WHERE body IS NOT NULL`.execute(
        db
      )
      await sql`CREATE INDEX IF NOT EXISTS outbox_account ON outbox (account_id, purpose)`.execute(db)
      await sql`
        CREATE INDEX IF NOT EXISTS call_records_unrated ON call_records (at)
        WHERE method = 'INVITE' AND sip_code = '200' AND missed = 0 AND rated_at IS NULL
      `.execute(db)
      const partial = [
        ['checkout_orders_stranded', 'checkout_orders', 'updated_at', "status = 'pending_payment'"],
        ['promised_payments_due', 'promised_payments', 'due_at', "status = 'active'"],
        ['scheduled_changes_due', 'scheduled_changes', 'effective_at', "status = 'scheduled'"],
        ['vouchers_active', 'vouchers', 'batch_id', "state = 'active'"]
      ] as const
      for (const [name, table, column, where] of partial)
        await sql.raw(`CREATE INDEX IF NOT EXISTS ${name} ON ${table} (${column}) WHERE ${where}`).execute(db)
    }
  }
}
