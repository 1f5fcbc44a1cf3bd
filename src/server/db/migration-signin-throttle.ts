/**
 * Migration 0008: sign-in throttling per (identifier, client) with growing delays (issue 21). One row per key —
 * `ip:<address>:<identifier>`, `id:<identifier>` (clients that never signed in before) or `dev:<device token id>`
 * — holding the attempts since the last success and the earliest instant the next attempt may run. The
 * identifier is kept in its own column so a password reset can clear every row of the account's identifiers.
 */
import type { Kysely, Migration } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's types
type AnyDb = Kysely<any>

export function signinThrottle(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('signin_throttle')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('identifier', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('signin_throttle_identifier')
        .on('signin_throttle')
        .column('identifier')
        .execute()
    }
  }
}
