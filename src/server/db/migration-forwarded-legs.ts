/**
 * Migration 0026: a forwarded call's leg out to a carrier is the forwarding line's outgoing call (issue 23). Kamailio
 * writes three more accounting fields on the INVITE of such a call (`fwd_by`, the forwarding line's SIP user;
 * `fwd_to`, the number it forwarded to, digits; `fwd_from`, the caller as that line may see it: digits, or
 * `anonymous` when the caller withheld the number); the importer copies them into `call_records`, and rating puts the
 * leg on the forwarding line's usage with the original caller (`usage_records.forwarded_from`). On PostgreSQL
 * Kamailio writes `acc` / `missed_calls` itself, so those tables get the three columns too (nullable: acc writes
 * NULL for an unset AVP, which is every call that was not forwarded out, and every BYE).
 */
import type { Kysely, Migration } from 'kysely'
import type { Dialect } from './migrations'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's types
type AnyDb = Kysely<any>

export function forwardedLegs(dialect: Dialect): Migration {
  return {
    async up(db: AnyDb) {
      if (dialect === 'postgres') {
        for (const table of ['acc', 'missed_calls']) {
          await db.schema.alterTable(table).addColumn('fwd_by', 'varchar(64)').execute()
          await db.schema.alterTable(table).addColumn('fwd_to', 'varchar(64)').execute()
          await db.schema.alterTable(table).addColumn('fwd_from', 'varchar(64)').execute()
        }
      }
      await db.schema.alterTable('call_records').addColumn('fwd_by', 'text').execute()
      await db.schema.alterTable('call_records').addColumn('fwd_to', 'text').execute()
      await db.schema.alterTable('call_records').addColumn('fwd_from', 'text').execute()
      await db.schema.alterTable('usage_records').addColumn('forwarded_from', 'text').execute()
    }
  }
}
