/**
 * Migration 0015: the operators' account actions (issue 20). `line_suspensions` holds each suspension of a line
 * by Dialtone support, with who, when and why, and its restoration; at most one is open per line (a partial unique
 * index, on SQLite and PostgreSQL alike), so suspending twice cannot race. `account_invitations` holds the
 * invitation of a business or legal-entity account made by an operator: the customer's first password comes
 * through the reset-code path, and the invitation says which address that code confirms; at most one is open per
 * address.
 */
import { type Kysely, type Migration, sql } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's types
type AnyDb = Kysely<any>

export function accountActions(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('line_suspensions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('line_id', 'text', (c) => c.notNull().references('lines.id'))
        .addColumn('status_before', 'text', (c) => c.notNull())
        .addColumn('suspended_at', 'text', (c) => c.notNull())
        .addColumn('suspended_by', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('restored_at', 'text')
        .addColumn('restored_by', 'text')
        .addColumn('restore_reason', 'text')
        .execute()
      await sql`create unique index line_suspensions_open on line_suspensions (line_id) where restored_at is null`.execute(
        db
      )
      await db.schema
        .createTable('account_invitations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('invited_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('sent_at', 'text', (c) => c.notNull())
        .addColumn('accepted_at', 'text')
        .execute()
      await db.schema
        .createIndex('account_invitations_account')
        .on('account_invitations')
        .column('account_id')
        .execute()
      // One open invitation per address: an operator's double submit makes one account, not two.
      await sql`create unique index account_invitations_open on account_invitations (email) where accepted_at is null`.execute(
        db
      )
    }
  }
}
