/**
 * Migration 0042 (a used trial request's copies): an activated trial's request kept the password's hash and the
 * billing address it was made with, beside the account that holds its own. Activation now clears them
 * (src/server/devices/trial.ts); this clears those of the requests used before. The rest (who, which dongle, when)
 * stays as the record of the trial.
 */
import { type Kysely, type Migration, sql } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's types
type AnyDb = Kysely<any>

export function trialCopies(): Migration {
  return {
    async up(db: AnyDb) {
      await sql`UPDATE trial_requests SET password_hash = '', billing_address = ''
        WHERE consumed_at IS NOT NULL AND (password_hash <> '' OR billing_address <> '')`.execute(db)
    }
  }
}
