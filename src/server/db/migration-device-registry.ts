/**
 * Migration 0009: the manufacturing registry and attestation challenges (issue 21). `device_registry` has one row
 * per dongle the factory made: its model (vid:pid), serial, the raw Ed25519 public key whose private half lives
 * only in the dongle, the factory batch it came in (the ops CLI of issue 20 imports batches and shows a serial's
 * history from here), and a revocation instant for a key known to have leaked. `device_challenges` holds the
 * one-time challenges, by the SHA-256 of the challenge (the service never needs the challenge back: the app
 * presents it with the signature), with the serial and model it was issued for.
 */
import type { Kysely, Migration } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's types
type AnyDb = Kysely<any>

export function deviceRegistry(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('device_registry')
        .addColumn('serial', 'text', (c) => c.primaryKey())
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('public_key', 'text', (c) => c.notNull())
        .addColumn('batch', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .execute()
      await db.schema.createIndex('device_registry_batch').on('device_registry').column('batch').execute()
      await db.schema
        .createTable('device_challenges')
        .addColumn('challenge_hash', 'text', (c) => c.primaryKey())
        .addColumn('serial', 'text', (c) => c.notNull())
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('ip', 'text')
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('consumed_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('device_challenges_expiry')
        .on('device_challenges')
        .column('expires_at')
        .execute()
    }
  }
}
