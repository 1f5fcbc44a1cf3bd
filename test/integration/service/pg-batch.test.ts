/**
 * Statements of concurrent requests sent to PostgreSQL together (db/statement-batch.ts), against a real server:
 * each caller gets the rows and counts it would have got alone; a statement that fails in a batch fails alone
 * and takes nothing of the others with it; a batch whose connection dies after it was sent is never sent again
 * (it may have committed); hostile text in a value stays a value, byte for byte; and inside a transaction nothing
 * is batched (the statement is the transaction's).
 */
import { CompiledQuery, sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { runBatchable } from '../../../src/server/billing/compiled-once'
import { literalOf, statementBatcher } from '../../../src/server/db/statement-batch'
import { type TestService, startTestService } from '../../support/service'
import { tcpRelay } from '../../support/tcp-relay'

let svc: TestService
beforeAll(async () => {
  svc = await startTestService('postgres')
  await sql`CREATE TABLE batch_probe (id text PRIMARY KEY, n integer NOT NULL, note text)`.execute(
    svc.service.ctx.db
  )
})
afterAll(() => svc.close())

const insert = (id: string, n: number, note: string | null = null) =>
  CompiledQuery.raw('INSERT INTO batch_probe (id, n, note) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
    id,
    n,
    note
  ])
const strictInsert = (id: string, n: number) =>
  CompiledQuery.raw('INSERT INTO batch_probe (id, n) VALUES ($1, $2)', [id, n])
const read = (id: string) =>
  CompiledQuery.raw('SELECT id, n, note FROM batch_probe WHERE id = $1', [id]) as CompiledQuery<{
    id: string
    n: number
    note: string | null
  }>

describe('statements batched on PostgreSQL', () => {
  it('answers each caller with its own rows and counts, in fewer round trips than statements', async () => {
    const ctx = svc.service.ctx
    const batch = ctx.batch
    if (!batch) throw new Error('the PostgreSQL service has no batcher')
    const before = batch.stats()
    const made = await Promise.all(
      Array.from({ length: 40 }, (_, i) => runBatchable(ctx, insert(`r${i}`, i)))
    )
    expect(made.map((r) => Number(r.numAffectedRows))).toEqual(Array(40).fill(1))
    // The same keys again: ON CONFLICT DO NOTHING inserts nothing, and each caller is told so.
    const again = await Promise.all(
      Array.from({ length: 40 }, (_, i) => runBatchable(ctx, insert(`r${i}`, -1)))
    )
    expect(again.map((r) => Number(r.numAffectedRows))).toEqual(Array(40).fill(0))
    const rows = await Promise.all(Array.from({ length: 40 }, (_, i) => runBatchable(ctx, read(`r${i}`))))
    rows.forEach((r, i) => expect(r.rows).toEqual([{ id: `r${i}`, n: i, note: null }]))
    const after = batch.stats()
    expect(after.statements - before.statements).toBe(120)
    expect(after.batches - before.batches).toBeGreaterThan(0)
    expect(after.roundTrips - before.roundTrips).toBeLessThan(120)
    expect(after.retried - before.retried).toBe(0)
  })

  it('fails only the statement that fails: the others of its batch are written once', async () => {
    const ctx = svc.service.ctx
    await runBatchable(ctx, insert('taken', 0))
    const before = ctx.batch?.stats()
    const settled = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) =>
        runBatchable(ctx, i === 7 ? strictInsert('taken', 7) : strictInsert(`f${i}`, i))
      )
    )
    settled.forEach((s, i) => {
      if (i === 7) expect(s).toMatchObject({ status: 'rejected', reason: { code: '23505' } })
      else expect(s).toMatchObject({ status: 'fulfilled', value: { numAffectedRows: 1n } })
    })
    expect((ctx.batch?.stats().retried ?? 0) - (before?.retried ?? 0)).toBeGreaterThan(0)
    const count = await sql<{ c: string }>`SELECT count(*) AS c FROM batch_probe WHERE id LIKE 'f%'`.execute(
      ctx.db
    )
    expect(Number(count.rows[0]?.c)).toBe(11)
    const taken = await runBatchable(ctx, read('taken'))
    expect(taken.rows).toEqual([{ id: 'taken', n: 0, note: null }])
  })

  it('keeps hostile text a value, byte for byte', async () => {
    const ctx = svc.service.ctx
    const batches = ctx.batch?.stats().batches ?? 0
    const hostile = [
      "it's",
      "'); DROP TABLE batch_probe; --",
      'back\\slash \\x41 \\047',
      "E'\\'' $$ $1 $tag$ ; /* */ -- end",
      'line\nbreak\r\ttab',
      'ünïcödé ☎ 𝄞 مرحبا',
      "\\'; SELECT 1; --",
      ''
    ]
    await Promise.all(hostile.map((note, i) => runBatchable(ctx, insert(`h${i}`, i, note))))
    const back = await Promise.all(hostile.map((_, i) => runBatchable(ctx, read(`h${i}`))))
    back.forEach((r, i) => expect(r.rows[0]?.note).toBe(hostile[i]))
    expect((ctx.batch?.stats().batches ?? 0) - batches, 'written as literals, in batches').toBeGreaterThan(0)
    const table = await sql<{ c: string }>`SELECT count(*) AS c FROM batch_probe`.execute(ctx.db)
    expect(Number(table.rows[0]?.c)).toBeGreaterThan(0)
    // A NUL cannot be written into a message (it would end it): that statement goes alone, as a bind value,
    // and PostgreSQL refuses it there as it always did.
    expect(literalOf('a\u0000b')).toBeUndefined()
    const nul = await Promise.allSettled([
      runBatchable(ctx, insert('n0', 0, 'fine')),
      runBatchable(ctx, insert('n1', 1, 'a\u0000b')),
      runBatchable(ctx, insert('n2', 2, 'fine')),
      runBatchable(ctx, insert('n3', 3, 'fine'))
    ])
    expect(nul.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled'])
    expect(nul[1]).toMatchObject({ reason: { code: '22021' } })
  })

  it('writes numbers, booleans, big integers and nulls as their parameters take them', () => {
    expect(literalOf(null)).toBe('NULL')
    expect(literalOf(undefined)).toBe('NULL')
    expect(literalOf(true)).toBe("'true'")
    expect(literalOf(-12.5)).toBe("'-12.5'")
    expect(literalOf(12n)).toBe("'12'")
    expect(literalOf(Number.NaN)).toBeUndefined()
    expect(literalOf({ a: 1 })).toBeUndefined()
    expect(literalOf("o'k\\")).toBe(" E'o''k\\\\'")
  })

  it('sends nothing past a transaction: inside one, the statement is the transaction’s', async () => {
    const ctx = svc.service.ctx
    await expect(
      ctx.db.transaction().execute(async (trx) => {
        await runBatchable({ ...ctx, db: trx }, insert('tx1', 1))
        const inside = await runBatchable({ ...ctx, db: trx }, read('tx1'))
        expect(inside.rows).toHaveLength(1)
        throw new Error('roll back')
      })
    ).rejects.toThrow('roll back')
    expect((await runBatchable(ctx, read('tx1'))).rows).toEqual([])
  })

  it('never sends again a batch whose connection died after it went: each caller gets the error, nothing twice', async () => {
    const ctx = svc.service.ctx
    await sql`CREATE TABLE batch_ledger (seq serial PRIMARY KEY, entry text NOT NULL)`.execute(ctx.db)
    const database =
      (await sql<{ d: string }>`SELECT current_database() AS d`.execute(ctx.db)).rows[0]?.d ?? ''
    const target = new URL(inject('postgresUrl'))
    const relay = await tcpRelay(target.hostname, Number(target.port))
    const pool = new pg.Pool({
      connectionString: `postgres://postgres@127.0.0.1:${relay.port}/${database}`,
      max: 4
    })
    pool.on('error', () => undefined)
    const batcher = statementBatcher(pool, async (q) => {
      const r = await pool.query(q.sql, [...q.parameters])
      return { rows: r.rows as unknown[], numAffectedRows: BigInt(r.rowCount ?? 0) }
    })
    // Not idempotent on purpose: a statement run twice leaves two rows.
    const entry = (e: string) => CompiledQuery.raw('INSERT INTO batch_ledger (entry) VALUES ($1)', [e])
    const sleep = (s: number) => CompiledQuery.raw('SELECT pg_sleep($1::float8)', [s])
    try {
      // Two go alone at once (two messages in flight); the rest wait and go together, the server sleeping inside.
      const first = [batcher.run(sleep(0.3)), batcher.run(sleep(0.3))]
      const batch = [
        batcher.run(entry('a')),
        batcher.run(entry('b')),
        batcher.run(sleep(0.6)),
        batcher.run(entry('c'))
      ]
      await Promise.all(first)
      await new Promise((r) => setTimeout(r, 250))
      relay.cut()
      const settled = await Promise.allSettled(batch)
      expect(settled.map((x) => x.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected'])
      // The two alone, then the four in one message: none sent again.
      expect(batcher.stats()).toMatchObject({ roundTrips: 3, batches: 0, retried: 0 })
      // The server went on without its client and committed; nothing was sent a second time.
      await new Promise((r) => setTimeout(r, 800))
      const rows = await sql<{ entry: string; n: string }>`
        SELECT entry, count(*) AS n FROM batch_ledger GROUP BY entry ORDER BY entry`.execute(ctx.db)
      for (const r of rows.rows) expect(Number(r.n), `entry ${r.entry}`).toBe(1)
    } finally {
      await pool.end().catch(() => undefined)
      await relay.close()
    }
  })
})
