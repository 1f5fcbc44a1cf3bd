/**
 * Migration 0025: business accounts (issue 25 part 2). `business_members` links a person's own sign-in (an account
 * row of its own, made by the invitation) to the business account they work for, with their role and, for a line
 * user, their one line. `invoices` are the monthly invoices, numbered and immutable once issued: a trigger on
 * both databases refuses any UPDATE or DELETE, so not even a bug or an operator's SQL session can change one.
 * `document_requests` are the documents a business asks for (a signed statement of a period) until an operator
 * fulfils them with the file.
 */
import { type Kysely, type Migration, sql } from 'kysely'
import type { Dialect } from './migrations'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's types
type AnyDb = Kysely<any>

async function immutable(db: AnyDb, dialect: Dialect, table: string): Promise<void> {
  const message = `${table} are immutable once issued`
  if (dialect === 'postgres') {
    await sql
      .raw(
        `CREATE FUNCTION ${table}_immutable() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ` +
          `RAISE EXCEPTION '${message}'; END $$`
      )
      .execute(db)
    await sql
      .raw(
        `CREATE TRIGGER ${table}_immutable BEFORE UPDATE OR DELETE ON ${table} ` +
          `FOR EACH ROW EXECUTE FUNCTION ${table}_immutable()`
      )
      .execute(db)
    return
  }
  for (const op of ['UPDATE', 'DELETE'])
    await sql
      .raw(
        `CREATE TRIGGER ${table}_no_${op.toLowerCase()} BEFORE ${op} ON ${table} ` +
          `BEGIN SELECT RAISE(ABORT, '${message}'); END`
      )
      .execute(db)
}

export function business(dialect: Dialect): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('business_members')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        // One business per person: the person's own sign-in row.
        .addColumn('person_id', 'text', (c) => c.notNull().unique().references('accounts.id'))
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('line_id', 'text', (c) => c.references('lines.id'))
        .addColumn('invited_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('business_members_account')
        .on('business_members')
        .columns(['account_id'])
        .execute()
      await db.schema
        .createTable('invoices')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('number', 'text', (c) => c.notNull().unique())
        // The running number behind `number`: unique, so two issuers at once cannot take the same one.
        .addColumn('seq', 'integer', (c) => c.notNull().unique())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('period', 'text', (c) => c.notNull())
        .addColumn('total_minor', 'integer', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('pdf', 'text', (c) => c.notNull())
        .addColumn('issued_by', 'text', (c) => c.notNull())
        .addColumn('issued_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('invoices_account_period')
        .on('invoices')
        .columns(['account_id', 'period'])
        .unique()
        .execute()
      await immutable(db, dialect, 'invoices')
      await db.schema
        .createTable('document_requests')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('requested_by', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('period_from', 'text', (c) => c.notNull())
        .addColumn('period_to', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('file', 'text')
        .addColumn('filename', 'text')
        .addColumn('fulfilled_by', 'text')
        .addColumn('fulfilled_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('document_requests_status')
        .on('document_requests')
        .columns(['status', 'created_at'])
        .execute()
    }
  }
}
