/**
 * Migration 0047 (the instants an invoice covers): an invoice covers its month in the account's time zone, and
 * the zone can move between two invoices. Each month computed alone in the zone of its issue overlapped the last
 * one (a charge on two numbered invoices) after a move east, or left a gap (a charge on none) after a move west,
 * up to 26 hours either way (attacker review 37, M1). The invoice now keeps the instants it covers, and the next
 * month's starts where this one ended. Null for invoices issued before: their window is their month in the zone.
 */
import type { Kysely, Migration } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's types
type AnyDb = Kysely<any>

export function invoiceWindow(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('invoices').addColumn('starts_at', 'text').execute()
      await db.schema.alterTable('invoices').addColumn('ends_at', 'text').execute()
    }
  }
}
