/**
 * Migration 0011 (order cards): the saved or one-off card a device order was paid with, so its receipt names the
 * card (brand and last 4) like a checkout's. Null for orders placed before this column existed.
 */
import type { Kysely, Migration } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's types
type AnyDb = Kysely<any>

export function orderCards(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('device_orders').addColumn('payment_method_id', 'text').execute()
    }
  }
}
