/**
 * Migration 0035 (outbox indexes), for two jobs that read the outbox on every pass. `outbox_kept`: the messages
 * whose bodies are not yet forgotten, by age. Every second the outbox sender forgets the bodies of day-old
 * messages on a channel nothing delivers (the dev mailbox; SMS without a gateway: src/server/mail/sender.ts);
 * without it that UPDATE read the whole outbox each time. Forgotten bodies (and, with SMTP, sent messages, whose
 * bodies go once they are out) leave it, so it holds about a day of messages. `outbox_account`: an account's
 * messages by purpose, for the notices sent once per line (billing/trial-notices.ts looks for the line's notice
 * in the account's, where it read the whole outbox for each line in its trial's last week). The same statements
 * on both databases; IF NOT EXISTS because SQLite runs a migration outside a transaction, so a crash may have
 * made an index without recording the migration.
 */
import { type Kysely, type Migration, sql } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's types
type AnyDb = Kysely<any>

export function outboxIndexes(): Migration {
  return {
    async up(db: AnyDb) {
      await sql`CREATE INDEX IF NOT EXISTS outbox_kept ON outbox (created_at) WHERE body IS NOT NULL`.execute(
        db
      )
      await sql`CREATE INDEX IF NOT EXISTS outbox_account ON outbox (account_id, purpose)`.execute(db)
    }
  }
}
