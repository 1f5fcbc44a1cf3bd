/**
 * Migration 0046 (what a paid service's month was paid): beside the month and the monthly price it was charged at,
 * the line's state keeps the amount this month's fee took from the balance, so that a switch off never gives back
 * more than that. The share given back is counted in the account's time zone at the switch off; a zone changed
 * westward since the charge made it a day longer than the share charged, one day's fee made from nothing at each
 * switch on and off across the change (review 36, L4). Null for months charged before it: no bound, as before.
 */
import type { Kysely, Migration } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's types
type AnyDb = Kysely<any>

export function serviceFeePaid(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('line_services').addColumn('fee_paid_minor', 'integer').execute()
    }
  }
}
