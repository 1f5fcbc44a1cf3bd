/**
 * Migration 0044 (a transfer's code, emailed or not): when the code for a transfer request was last emailed to the
 * dongle's owner. A dongle's requests are emailed at most 5 a day whoever asks (the owner's inbox), and the ones
 * past that are kept, not refused, with no code sent: the owner sees them in the app and has the code emailed
 * there (src/server/devices/transfer.ts). Every request before this one was emailed when it was made.
 */
import { type Kysely, type Migration, sql } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's types
type AnyDb = Kysely<any>

export function transferCodes(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('device_transfers').addColumn('code_sent_at', 'text').execute()
      await sql`UPDATE device_transfers SET code_sent_at = created_at`.execute(db)
    }
  }
}
