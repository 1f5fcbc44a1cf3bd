/**
 * The service's named prepared statements on PostgreSQL (database.ts): a statement sent with values is prepared
 * once per connection and answered through pg's ready query objects. What that must keep: the rows and counts
 * Kysely reads, an error that rejects with its SQLSTATE and leaves the connection usable, and a table changed
 * under a prepared statement by another process (a rolling upgrade) answered by preparing it again.
 */
import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { type TestService, startTestService } from '../../support/service'

let svc: TestService
beforeAll(async () => {
  svc = await startTestService('postgres')
})
afterAll(() => svc.close())

describe('prepared statements on PostgreSQL', () => {
  it('reads rows and counts, rejects with the SQLSTATE, and prepares again after the table changed', async () => {
    const db = svc.service.ctx.db
    await sql`CREATE TABLE prep_probe (id text PRIMARY KEY, n integer NOT NULL)`.execute(db)
    const insert = (id: string, n: number) =>
      sql`INSERT INTO prep_probe (id, n) VALUES (${id}, ${n})`.execute(db)
    expect(Number((await insert('a', 1)).numAffectedRows)).toBe(1)
    expect(Number((await insert('b', 2)).numAffectedRows)).toBe(1)
    const read = (id: string) =>
      sql<Record<string, unknown>>`SELECT * FROM prep_probe WHERE id = ${id}`.execute(db)
    expect((await read('b')).rows).toEqual([{ id: 'b', n: 2 }])
    // A duplicate key: the error rejects the query with its code; the connections stay usable.
    await expect(insert('a', 3)).rejects.toMatchObject({ code: '23505' })
    for (let i = 0; i < 12; i++) expect((await read('a')).rows).toEqual([{ id: 'a', n: 1 }])
    // Another process adds a column: every pooled connection's prepared SELECT * now has a stale result type.
    const name = (await sql<{ d: string }>`SELECT current_database() AS d`.execute(db)).rows[0]?.d ?? ''
    const other = new pg.Client({
      connectionString: inject('postgresUrl').replace(/\/postgres$/, `/${name}`)
    })
    await other.connect()
    await other.query("ALTER TABLE prep_probe ADD COLUMN label text NOT NULL DEFAULT 'x'")
    await other.end()
    const after = await Promise.all(Array.from({ length: 12 }, () => read('a')))
    for (const r of after) expect(r.rows).toEqual([{ id: 'a', n: 1, label: 'x' }])
  })
})
