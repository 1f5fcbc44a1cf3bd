/**
 * Migration 0010: an email belongs to an account only once it is confirmed (issue 21). Until then it is a claim,
 * and several accounts may claim one address (someone typing another person's email must get the same answer as
 * anyone else, so their account is created with the claim). What stays unique: a confirmed address (one owner),
 * and an address within one account. SQLite cannot drop the column's UNIQUE constraint, so the table is rebuilt
 * there (nothing references it); PostgreSQL drops the constraint by its default name.
 */
import { type Kysely, type Migration, sql } from 'kysely'
import type { Dialect } from './migrations'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's types
type AnyDb = Kysely<any>

export function emailClaims(dialect: Dialect): Migration {
  return {
    async up(db: AnyDb) {
      if (dialect === 'postgres') {
        await sql`ALTER TABLE account_emails DROP CONSTRAINT account_emails_address_key`.execute(db)
      } else {
        await db.schema
          .createTable('account_emails_next')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
          .addColumn('address', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('verified_at', 'text')
          .addColumn('preferred', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute()
        await sql`INSERT INTO account_emails_next (id, account_id, address, role, verified_at, preferred, created_at)
          SELECT id, account_id, address, role, verified_at, preferred, created_at FROM account_emails`.execute(
          db
        )
        await db.schema.dropTable('account_emails').execute()
        await db.schema.alterTable('account_emails_next').renameTo('account_emails').execute()
        await db.schema
          .createIndex('account_emails_account')
          .on('account_emails')
          .column('account_id')
          .execute()
      }
      await db.schema
        .createIndex('account_emails_confirmed')
        .on('account_emails')
        .column('address')
        .unique()
        .where(sql.ref('verified_at'), 'is not', null)
        .execute()
      await db.schema
        .createIndex('account_emails_per_account')
        .on('account_emails')
        .columns(['account_id', 'address'])
        .unique()
        .execute()
      await db.schema.createIndex('account_emails_address').on('account_emails').column('address').execute()
    }
  }
}
