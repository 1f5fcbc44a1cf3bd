/**
 * Migration 0021: voicemail (issue 23). Two tables the service alone writes:
 *   voicemail_messages   one row per message left in a line's box: who called, why the call came here, when, how
 *                        long, and the recording itself (a small G.711 WAV, 8 KB per second) in the row;
 *   voicemail_greetings  the line's own greeting, when the person recorded one (else the default prompt plays).
 * Audio lives in the database, not in files: a message is removed with its row in one statement (and with the
 * account, in the same transaction), backups hold both, and every service instance can serve it without a shared
 * folder. The box limits (count, seconds, age) keep a box well under a few megabytes.
 */
import type { Kysely, Migration } from 'kysely'
import type { Dialect } from './migrations'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's types
type AnyDb = Kysely<any>

export function voicemail(dialect: Dialect): Migration {
  const blob = dialect === 'postgres' ? 'bytea' : 'blob'
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('voicemail_messages')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('line_id', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('caller', 'text', (c) => c.notNull())
        .addColumn('caller_name', 'text')
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addColumn('duration_ms', 'integer', (c) => c.notNull())
        .addColumn('size_bytes', 'integer', (c) => c.notNull())
        .addColumn('audio', blob, (c) => c.notNull())
        .addColumn('heard_at', 'text')
        .execute()
      await db.schema
        .createIndex('voicemail_messages_line')
        .on('voicemail_messages')
        .columns(['line_id', 'received_at'])
        .execute()
      await db.schema
        .createIndex('voicemail_messages_account')
        .on('voicemail_messages')
        .column('account_id')
        .execute()
      await db.schema
        .createTable('voicemail_greetings')
        .addColumn('line_id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('duration_ms', 'integer', (c) => c.notNull())
        .addColumn('audio', blob, (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute()
    }
  }
}
