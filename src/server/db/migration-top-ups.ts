/**
 * Migration 0037 (top-ups): a card top-up recorded before its card is charged, as a checkout order is. Before it a
 * top-up wrote nothing until the balance entry after the charge: a crash (or a failed commit) between the two left
 * the card charged and the balance without the money, and the retry could not finish it (it tokenized the card
 * again, and the processor refuses one key with another card). Now the row holds the card and the request's key;
 * the retry, or the stranded job, charges under the same processor key and books the entry once.
 *
 * `top_ups_created`: the job reads the pending ones by age (a partial index would make the paid mark update an
 * index on PostgreSQL; top-ups are few, and this one the paid mark never changes).
 */
import { type Kysely, type Migration, sql } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's types
type AnyDb = Kysely<any>

export function topUps(): Migration {
  return {
    async up(db: AnyDb) {
      // IF NOT EXISTS: SQLite runs a migration outside a transaction, so a crash may have made part of it.
      await db.schema
        .createTable('top_ups')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('idempotency_key', 'text', (c) => c.notNull())
        .addColumn('amount_minor', 'integer', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('payment_method_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('charge_id', 'text')
        .addColumn('failure', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('top_ups_account_key', ['account_id', 'idempotency_key'])
        .execute()
      await sql`CREATE INDEX IF NOT EXISTS top_ups_created ON top_ups (created_at)`.execute(db)
    }
  }
}
