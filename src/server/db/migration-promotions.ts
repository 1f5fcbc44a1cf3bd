/**
 * Migration 0014: promotions (issue 20). `promotions` holds the campaigns (code, kind, dates, eligibility, the
 * limit and the running count the limit is checked against in one conditional UPDATE); `promotion_redemptions`
 * one row per account and campaign (unique), tied to the checkout order that pays for it, so a campaign is used
 * once per account and an order grants at most once.
 */
import type { Kysely, Migration } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's types
type AnyDb = Kysely<any>

export function promotions(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('promotions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('code', 'text', (c) => c.notNull().unique())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('percent_off', 'integer', (c) => c.notNull())
        .addColumn('starts_at', 'text', (c) => c.notNull())
        .addColumn('ends_at', 'text', (c) => c.notNull())
        .addColumn('eligible', 'text', (c) => c.notNull())
        .addColumn('audience', 'text', (c) => c.notNull())
        .addColumn('max_grants', 'integer')
        .addColumn('grants', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('ended_at', 'text')
        .addColumn('ended_by', 'text')
        .execute()
      await db.schema
        .createTable('promotion_redemptions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('promotion_id', 'text', (c) => c.notNull().references('promotions.id'))
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('line_id', 'text', (c) => c.notNull())
        .addColumn('order_id', 'text', (c) => c.notNull().unique())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('discount_grant_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('granted_at', 'text')
        .execute()
      await db.schema
        .createIndex('promotion_redemptions_once')
        .on('promotion_redemptions')
        .columns(['promotion_id', 'account_id'])
        .unique()
        .execute()
    }
  }
}
