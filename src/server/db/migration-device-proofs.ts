/**
 * Migration 0038 (registry actions): what an operator does to a dongle's standing in the manufacturing registry.
 *
 * - `device_registry.revoked_by` / `revoked_reason`: who revoked a leaked factory key and why (0009 kept only when),
 *   shown by `registry show`; cleared with `revoked_at` when an admin restores a key revoked in error.
 * - `device_proofs`: a proof of purchase support has seen for a dongle that cannot attest (a model without the
 *   firmware protocol, a failing or revoked key): the serial and model, the email of the person who showed it (the
 *   only one who may use it: the activation's new account, or a signed-in account with that address confirmed), the
 *   HMAC (service key) of the code emailed to that address (the activation gives it: the mailbox proves the person), what the
 *   proof was (a receipt or order reference, as written), who accepted it and why, until when it stands, and when a retail activation used it.
 *   At most one waits per serial (`device_proofs_waiting`, partial unique), so two operators cannot stack them.
 */
import { type Kysely, type Migration, sql } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's types
type AnyDb = Kysely<any>

export function deviceProofs(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('device_registry').addColumn('revoked_by', 'text').execute()
      await db.schema.alterTable('device_registry').addColumn('revoked_reason', 'text').execute()
      await db.schema
        .createTable('device_proofs')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('serial', 'text', (c) => c.notNull())
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('proof', 'text', (c) => c.notNull())
        .addColumn('code_hash', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .addColumn('used_by_account', 'text')
        .addColumn('withdrawn_at', 'text')
        .execute()
      await sql`CREATE INDEX IF NOT EXISTS device_proofs_serial ON device_proofs (serial)`.execute(db)
      await sql`CREATE UNIQUE INDEX IF NOT EXISTS device_proofs_waiting ON device_proofs (serial)
        WHERE used_at IS NULL AND withdrawn_at IS NULL`.execute(db)
    }
  }
}
