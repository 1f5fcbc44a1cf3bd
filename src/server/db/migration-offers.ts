/**
 * Migration 0005: device orders, one per line and upgrade offer. The row is written 'pending' before the card is
 * charged, so the unique pair keeps a concurrent second order from charging at all; it becomes 'paid' with the
 * charge, or goes away when the card is declined. The address it ships to is kept as it was when ordered.
 */
import type { Kysely, Migration } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's types
type AnyDb = Kysely<any>

export function deviceOrders(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('device_orders')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('line_id', 'text', (c) => c.notNull().references('lines.id'))
        .addColumn('offer_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('amount_minor', 'integer', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('idempotency_key', 'text', (c) => c.notNull())
        .addColumn('charge_id', 'text')
        .addColumn('ship_to', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('device_orders_line_offer', ['line_id', 'offer_id'])
        .execute()
    }
  }
}
