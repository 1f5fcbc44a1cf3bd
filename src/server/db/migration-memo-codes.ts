/**
 * Migration 0007: a balance entry's memo as a code with values (src/shared/api/notes.ts), so the app words it in
 * the person's language; the English memo stays for API users. Older rows keep code 'other' and words by kind.
 */
import type { Kysely, Migration } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's types
type AnyDb = Kysely<any>

export function memoCodes(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema
        .alterTable('balance_entries')
        .addColumn('memo_code', 'text', (c) => c.notNull().defaultTo('other'))
        .execute()
      await db.schema
        .alterTable('balance_entries')
        .addColumn('memo_params', 'text', (c) => c.notNull().defaultTo('{}'))
        .execute()
    }
  }
}
