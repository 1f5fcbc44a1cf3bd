/**
 * Migration 0011: the computer's time zone given when a trial starts, kept on the trial request until its code
 * makes the account (the account's business dates are counted in it). Null on older requests: the account then
 * starts in UTC, as every account did before.
 */
import type { Kysely, Migration } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's types
type AnyDb = Kysely<any>

export function trialTimeZone(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('trial_requests').addColumn('timezone', 'text').execute()
    }
  }
}
