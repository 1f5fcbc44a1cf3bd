/**
 * Migration 0035 (outbox kept): the outbox messages whose bodies are not yet forgotten, by age. Every second the
 * outbox sender forgets the bodies of day-old messages on a channel nothing delivers (the dev mailbox; SMS without
 * a gateway: src/server/mail/sender.ts); without this index that UPDATE read the whole outbox each time, every
 * message ever queued. Forgotten bodies (and, with SMTP, sent messages, whose bodies go once they are out) leave
 * the index, so it holds about a day of messages. The same statement on both databases; IF NOT EXISTS because
 * SQLite runs a migration outside a transaction, so a crash may have made the index without recording the migration.
 */
import { type Kysely, type Migration, sql } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's types
type AnyDb = Kysely<any>

export function outboxKept(): Migration {
  return {
    async up(db: AnyDb) {
      await sql`CREATE INDEX IF NOT EXISTS outbox_kept ON outbox (created_at) WHERE body IS NOT NULL`.execute(
        db
      )
    }
  }
}
