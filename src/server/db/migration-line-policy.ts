/**
 * Migration 0019: what Kamailio needs to enforce a line's policy itself (issue 22), so it holds when the app is off
 * or modified. Extra columns on Kamailio's `subscriber` (its own columns and version stay as auth_db 7 expects;
 * auth_db's load_credentials reads the extras into AVPs with the credentials): the line's state (anything but
 * in_service may call only 911 and 933), whether the account's calls are held (an overdue promised payment), and
 * the line's 911 location as a ready PIDF-LO document. A view gives Kamailio each line's blocked callers without
 * reading the tables behind it (on PostgreSQL its role is granted the view alone).
 */
import { type Kysely, type Migration, sql } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's types
type AnyDb = Kysely<any>

export function linePolicy(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema
        .alterTable('subscriber')
        .addColumn('line_state', 'text', (c) => c.notNull().defaultTo('in_service'))
        .execute()
      await db.schema
        .alterTable('subscriber')
        .addColumn('calls_held', 'integer', (c) => c.notNull().defaultTo(0))
        .execute()
      await db.schema.alterTable('subscriber').addColumn('e911_pidf', 'text').execute()
      // callee: the SIP user (the line's number without '+'); caller: a blocked number, also without '+'.
      await db.schema
        .createView('kamailio_blocked_callers')
        .as(
          db
            .selectFrom('sip_accounts as s')
            .innerJoin('lines as l', 'l.id', 's.line_id')
            .innerJoin('blocked_numbers as b', 'b.account_id', 'l.account_id')
            .select(['s.username as callee', sql<string>`substr(b.number, 2)`.as('caller')])
        )
        .execute()
    }
  }
}
