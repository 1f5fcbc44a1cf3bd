/**
 * Migration 0032 (grant through): a line's paid-through read from one index entry instead of from every grant the
 * line ever had (issue 24 goal 8). Every query of a line's grants asks for its live ones (`voided_at IS NULL`):
 * paid-through (`max(ends_at)`, twice a renewal: the price and the paid mark), coverage now, the trial's end,
 * "has paid coverage". The index on `line_id` alone made each of them read every grant of the line from the table
 * (a monthly line adds twelve a year); this one is the live grants by line in `ends_at` order, so `max(ends_at)`
 * is its last entry (PostgreSQL: an index-only scan backward, one row; SQLite: its min/max probe) and coverage now
 * reads only the grants ending after now. It replaces the old index rather than joining it: a renewal writes the
 * same number of index entries as before (a voided grant leaves it). Lines are never deleted, so no foreign-key
 * check needs `line_id` alone. The same statement on both databases.
 */
import { type Kysely, type Migration, sql } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's types
type AnyDb = Kysely<any>

export function grantThrough(): Migration {
  return {
    async up(db: AnyDb) {
      // IF NOT EXISTS / IF EXISTS: SQLite runs a migration outside a transaction (no transactional DDL in Kysely's
      // SQLite dialect), so a crash between these two statements leaves the first done and the migration unrecorded;
      // the next start runs it again and must not stop on its own index.
      await sql`
        CREATE INDEX IF NOT EXISTS coverage_grants_live ON coverage_grants (line_id, ends_at)
        WHERE voided_at IS NULL
      `.execute(db)
      await db.schema.dropIndex('coverage_grants_line').ifExists().execute()
    }
  }
}
