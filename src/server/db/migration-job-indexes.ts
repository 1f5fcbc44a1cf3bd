/**
 * Migration 0035 (job indexes): what three periodic jobs read on every pass, found by index instead of by reading
 * the whole table. `outbox_kept`: the messages whose bodies are not yet forgotten, by age; every second the outbox
 * sender forgets the bodies of day-old messages on a channel nothing delivers (the dev mailbox; SMS without a
 * gateway: src/server/mail/sender.ts), and forgotten bodies (and, with SMTP, sent messages) leave it, so it holds
 * about a day of messages. `outbox_account`: an account's messages by purpose, for the notices sent once per line
 * (billing/trial-notices.ts). `call_records_unrated`: the answered calls not yet rated, by time (billing/usage.ts
 * rateCalls, every 30 s; rated calls leave it), where the pass read every call record ever. The same statements on
 * both databases; IF NOT EXISTS because SQLite runs a migration outside a transaction, so a crash may have made an
 * index without recording the migration.
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
    }
  }
}
