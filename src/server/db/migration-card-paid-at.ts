/**
 * Migration 0028 (card paid at): when a checkout order's or a device order's card payment went through. An
 * invoice counts what was paid by card in its month by this time, not by when the order was made: an order made
 * in a month's last minute whose card result arrives after midnight was paid in the next month, and goes on that
 * month's invoice (src/server/business/invoice-card-lines.ts). Filled for the orders paid before it existed: a
 * checkout order's `updated_at` (its last change is the payment), a device order's `created_at` (it was paid in
 * the same request).
 */
import { type Kysely, type Migration, sql } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's types
type AnyDb = Kysely<any>

export function cardPaidAt(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('checkout_orders').addColumn('paid_at', 'text').execute()
      await db.schema.alterTable('device_orders').addColumn('paid_at', 'text').execute()
      await sql`update checkout_orders set paid_at = updated_at where status = 'paid'`.execute(db)
      await sql`update device_orders set paid_at = created_at where status = 'paid'`.execute(db)
    }
  }
}
