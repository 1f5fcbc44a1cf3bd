/**
 * The renewal's queries compiled once (src/server/billing/compiled-once.ts): built by Kysely a single time, then run
 * with each call's values in the kept SQL. A value that equals a placeholder is only a value; a value under a name
 * the first run did not have is refused, not dropped.
 */
import Database from 'better-sqlite3'
import { Kysely, SqliteDialect, sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { runCompiledOnce } from '../../../src/server/billing/compiled-once'

interface Db {
  lines: { id: string; owner: string }
}
const db = new Kysely<Db>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) })
const ctx = { db, dialect: 'sqlite' } as unknown as Parameters<typeof runCompiledOnce>[0]
afterAll(() => db.destroy())

const byOwner = (owner: string) =>
  runCompiledOnce(ctx, 'test:lines-by-owner', { owner }, (slot) =>
    db.selectFrom('lines').select('id').where('owner', '=', slot.owner).orderBy('id').limit(10)
  )

describe('a query compiled once', () => {
  it("runs each call with that call's values, the limit kept as the query's own constant", async () => {
    await sql`create table lines (id text primary key, owner text not null)`.execute(db)
    await db
      .insertInto('lines')
      .values([
        { id: 'a', owner: 'ana' },
        { id: 'b', owner: 'bo' },
        { id: 'c', owner: 'ana' },
        { id: 'd', owner: '\u0000slot:test:lines-by-owner:owner' }
      ])
      .execute()
    expect((await byOwner('ana')).rows).toEqual([{ id: 'a' }, { id: 'c' }])
    expect((await byOwner('bo')).rows).toEqual([{ id: 'b' }])
    expect((await byOwner("x' or 1=1 --")).rows).toEqual([])
    // A hostile value spelled like the placeholder is a value like any other.
    expect((await byOwner('\u0000slot:test:lines-by-owner:owner')).rows).toEqual([{ id: 'd' }])
  })

  it('refuses a value under a name the first run did not have', async () => {
    await expect(
      runCompiledOnce(ctx, 'test:lines-by-owner', { owner: 'ana', extra: 1 } as { owner: string }, (slot) =>
        db.selectFrom('lines').select('id').where('owner', '=', slot.owner)
      )
    ).rejects.toThrow('no place for the value extra')
  })
})
