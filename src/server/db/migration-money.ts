/**
 * Migration 0016 (refunds, issue 20): `refunds`, every operator refund of a charge the account paid (a checkout
 * order, a device order, a balance top-up, an auto-renewal) to the card it was paid with or to the account's balance, unique per
 * (account, idempotency key) so the same request twice is one refund; and `sandbox_refunds`, the sandbox card
 * processor's own record of refunds (it stands for the processor's side, like sandbox_charges), unique per key;
 * and `renewal_charges`, each auto-renewal's card charge (the processor's charge id, the line, plan, card and
 * amount), written with the coverage it paid for, so an auto-renewal has a receipt and can be refunded like an order.
 */
import type { Kysely, Migration } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's types
type AnyDb = Kysely<any>

export function refunds(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('refunds')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('charge_kind', 'text', (c) => c.notNull())
        .addColumn('charge_ref', 'text', (c) => c.notNull())
        .addColumn('gateway_charge_id', 'text')
        .addColumn('amount_minor', 'integer', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('destination', 'text', (c) => c.notNull())
        .addColumn('idempotency_key', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('failure', 'text')
        .addColumn('gateway_refund_id', 'text')
        .addColumn('card_brand', 'text')
        .addColumn('card_last4', 'text')
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('operator_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('settled_at', 'text')
        .addUniqueConstraint('refunds_account_key', ['account_id', 'idempotency_key'])
        .execute()
      await db.schema.createIndex('refunds_charge').on('refunds').column('charge_ref').execute()
      await db.schema.createIndex('refunds_status').on('refunds').column('status').execute()
      await db.schema
        .createTable('sandbox_refunds')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('charge_id', 'text', (c) => c.notNull())
        .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
        .addColumn('amount_minor', 'integer', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('sandbox_refunds_charge')
        .on('sandbox_refunds')
        .column('charge_id')
        .execute()
      await db.schema
        .createTable('renewal_charges')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('line_id', 'text', (c) => c.notNull())
        .addColumn('plan_id', 'text', (c) => c.notNull())
        .addColumn('grant_source', 'text', (c) => c.notNull().unique())
        .addColumn('amount_minor', 'integer', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('payment_method_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('renewal_charges_account')
        .on('renewal_charges')
        .column('account_id')
        .execute()
    }
  }
}
