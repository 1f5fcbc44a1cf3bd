/**
 * Migration 0023: help when stuck (issue 25). `support_requests` is one person's request (topic, status, the
 * diagnostics report they attached as JSON); `support_messages` the conversation, the person's and support's
 * messages in order (a position per request, unique: two writes at once cannot both take the same place); `retail_shops` the shops of the retail partners that sell Re-Up cards, with the ZIP's
 * centroid (for "nearest first") and the opening hours per weekday in the shop's time zone.
 */
import type { Kysely, Migration } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's types
type AnyDb = Kysely<any>

export function support(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('support_requests')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('topic', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('diagnostics', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('closed_at', 'text')
        .execute()
      await db.schema
        .createIndex('support_requests_account')
        .on('support_requests')
        .columns(['account_id', 'created_at'])
        .execute()
      await db.schema
        .createIndex('support_requests_status')
        .on('support_requests')
        .columns(['status', 'updated_at'])
        .execute()
      await db.schema
        .createTable('support_messages')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('request_id', 'text', (c) => c.notNull().references('support_requests.id'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('author', 'text', (c) => c.notNull())
        .addColumn('operator_id', 'text')
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('support_messages_request')
        .on('support_messages')
        .columns(['request_id', 'position'])
        .unique()
        .execute()
      await db.schema
        .createTable('retail_shops')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('street', 'text', (c) => c.notNull())
        .addColumn('city', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('zip', 'text', (c) => c.notNull())
        .addColumn('lat', 'double precision', (c) => c.notNull())
        .addColumn('lon', 'double precision', (c) => c.notNull())
        .addColumn('time_zone', 'text', (c) => c.notNull())
        .addColumn('hours', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('removed_at', 'text')
        .execute()
      await db.schema.createIndex('retail_shops_state').on('retail_shops').columns(['state']).execute()
    }
  }
}
