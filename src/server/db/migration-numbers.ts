/**
 * Migration 0017 (issue 20, numbers and reports): `device_shipments`, a dongle leaving the factory's stock for a
 * partner (a retail shop or the web shop's warehouse) — the "shipped" step of a serial's history between "made"
 * and "sold". One row per serial: a dongle is shipped once. Number ranges need no table of their own: a range is
 * rows of `number_pool`, and who added it and why is in the ops audit log.
 */
import type { Kysely, Migration } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's types
type AnyDb = Kysely<any>

export function numberRanges(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('device_shipments')
        .addColumn('serial', 'text', (c) => c.primaryKey().references('device_registry.serial'))
        .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
        .addColumn('shipped_at', 'text', (c) => c.notNull())
        .addColumn('shipped_by', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('device_shipments_partner')
        .on('device_shipments')
        .column('partner_id')
        .execute()
    }
  }
}
