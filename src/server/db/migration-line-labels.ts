/**
 * Migration 0006: a label per line ("Front desk", "Kitchen"), so an account with several lines (a business) can
 * tell them apart at a glance. Optional; the number stays the line's identity.
 */
import type { Kysely, Migration } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's types
type AnyDb = Kysely<any>

export function lineLabels(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('lines').addColumn('label', 'text').execute()
    }
  }
}
