/**
 * Migration 0045 (why a paid service went off): a paid service whose month the balance did not cover is switched
 * off by the monthly fees job (src/server/services/service-fees.ts) instead of running the balance below zero.
 * The line's state keeps why it is off until the next switch (the app says it beside the service, with the place to
 * top up), and the history's row says who switched it off: null for the person, `unpaid` for the job.
 */
import type { Kysely, Migration } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's types
type AnyDb = Kysely<any>

export function serviceOffReason(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('line_services').addColumn('off_reason', 'text').execute()
      await db.schema.alterTable('service_switches').addColumn('reason', 'text').execute()
    }
  }
}
