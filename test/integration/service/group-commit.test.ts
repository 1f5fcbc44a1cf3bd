/**
 * SQLite's group commit (db/group-commit.ts) on a real file: concurrent short writes share one transaction and
 * each caller gets what it would have got alone; a unit that fails in a batch fails alone and the others are
 * written once; a file locked by another process refuses the whole batch once, not once per unit after a busy
 * timeout each; the sandbox processor's charges share commits too and still charge a key once; and inside a
 * transaction nothing is batched.
 */
import { CompiledQuery, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runGrouped } from '../../../src/server/db/group-commit'
import { type TestService, startTestService } from '../../support/service'
import { holdLock } from '../../support/sqlite-lock'

let svc: TestService
beforeAll(async () => {
  svc = await startTestService('sqlite')
  await sql`CREATE TABLE commit_probe (id text PRIMARY KEY, n integer NOT NULL)`.execute(svc.service.ctx.db)
})
afterAll(() => svc.close())

const insert = (id: string, n: number) =>
  CompiledQuery.raw('INSERT INTO commit_probe (id, n) VALUES (?, ?) ON CONFLICT DO NOTHING', [id, n])
const strictInsert = (id: string, n: number) =>
  CompiledQuery.raw('INSERT INTO commit_probe (id, n) VALUES (?, ?)', [id, n])
const count = async (like: string) =>
  Number(
    (
      await sql<{ c: number }>`SELECT count(*) AS c FROM commit_probe WHERE id LIKE ${like}`.execute(
        svc.service.ctx.db
      )
    ).rows[0]?.c
  )

const batcher = () => {
  const b = svc.service.ctx.batch
  if (!b) throw new Error('the SQLite service has no group commit')
  return b
}

describe('group commit on SQLite', () => {
  it('commits concurrent writes together, each caller told its own count', async () => {
    const ctx = svc.service.ctx
    const before = batcher().stats()
    const made = await Promise.all(Array.from({ length: 30 }, (_, i) => runGrouped(ctx, insert(`c${i}`, i))))
    expect(made.map((r) => Number(r.numAffectedRows))).toEqual(Array(30).fill(1))
    const again = await Promise.all(Array.from({ length: 30 }, (_, i) => runGrouped(ctx, insert(`c${i}`, 0))))
    expect(again.map((r) => Number(r.numAffectedRows))).toEqual(Array(30).fill(0))
    const after = batcher().stats()
    expect(after.units - before.units).toBe(60)
    expect(after.batches - before.batches).toBeGreaterThan(0)
    expect(after.transactions - before.transactions).toBeLessThan(60)
    expect(await count('c%')).toBe(30)
  })

  it('fails only the unit that fails: a constraint, or a unit that throws its own error', async () => {
    const ctx = svc.service.ctx
    await runGrouped(ctx, insert('taken', 0))
    const before = batcher().stats()
    const settled = await Promise.allSettled([
      ...Array.from({ length: 5 }, (_, i) => runGrouped(ctx, strictInsert(`u${i}`, i))),
      runGrouped(ctx, strictInsert('taken', 1)),
      batcher().transaction(async (db) => {
        await db.executeQuery(strictInsert('thrower', 1))
        throw new Error('the facts changed')
      }),
      ...Array.from({ length: 5 }, (_, i) => runGrouped(ctx, strictInsert(`v${i}`, i)))
    ])
    expect(settled.map((s) => s.status)).toEqual([
      ...Array(5).fill('fulfilled'),
      'rejected',
      'rejected',
      ...Array(5).fill('fulfilled')
    ])
    expect(settled[5]).toMatchObject({ reason: { code: 'SQLITE_CONSTRAINT_PRIMARYKEY' } })
    expect(settled[6]).toMatchObject({ reason: { message: 'the facts changed' } })
    expect(batcher().stats().retried - before.retried).toBeGreaterThan(0)
    expect(await count('u%')).toBe(5)
    expect(await count('v%')).toBe(5)
    expect(await count('thrower')).toBe(0)
  })

  it('gives a batch refused by a locked file that refusal once, after one busy timeout', async () => {
    const ctx = svc.service.ctx
    const holder = await holdLock(svc.service.database.sqliteFile ?? '', 12_000)
    const t0 = Date.now()
    const settled = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => runGrouped(ctx, insert(`l${i}`, i)))
    )
    const waited = Date.now() - t0
    holder.kill('SIGKILL')
    await new Promise((resolve) => holder.once('exit', resolve))
    for (const s of settled) expect(s).toMatchObject({ status: 'rejected', reason: { code: 'SQLITE_BUSY' } })
    // One busy timeout (5 s), not six of them one after another.
    expect(waited).toBeGreaterThanOrEqual(4500)
    expect(waited).toBeLessThan(9000)
    expect(await count('l%')).toBe(0)
    expect(Number((await runGrouped(ctx, insert('l0', 0))).numAffectedRows)).toBe(1)
  }, 30_000)

  it('commits the sandbox processor’s concurrent charges together, a key used twice in one batch charged once', async () => {
    const ctx = svc.service.ctx
    const card = await ctx.gateway.tokenize({
      number: '4242424242424242',
      expMonth: 12,
      expYear: 2040,
      cvc: '123'
    })
    const declining = await ctx.gateway.tokenize({
      number: '4000000000000341',
      expMonth: 12,
      expYear: 2040,
      cvc: '123'
    })
    const before = batcher().stats()
    const charges = await Promise.all([
      ...Array.from({ length: 10 }, (_, i) =>
        ctx.gateway.charge({
          token: card.token,
          amountMinor: 100 + i,
          currency: 'USD',
          idempotencyKey: `gc:${i}`
        })
      ),
      // The same key again in the same turn: the first's charge answers, no second charge.
      ctx.gateway.charge({ token: card.token, amountMinor: 100, currency: 'USD', idempotencyKey: 'gc:0' }),
      ctx.gateway.charge({
        token: declining.token,
        amountMinor: 500,
        currency: 'USD',
        idempotencyKey: 'gc:d'
      })
    ])
    const after = batcher().stats()
    expect(after.batches - before.batches).toBeGreaterThan(0)
    expect(after.transactions - before.transactions).toBeLessThan(12)
    expect(charges.slice(0, 10).every((c) => c.status === 'succeeded')).toBe(true)
    expect(new Set(charges.slice(0, 10).map((c) => c.id)).size).toBe(10)
    expect(charges[10]).toEqual(charges[0])
    expect(charges[11]).toMatchObject({ status: 'failed', declineCode: 'card_declined' })
    const stored = await sql<{ c: number; total: number }>`
      SELECT count(*) AS c, sum(amount_minor) AS total FROM sandbox_charges WHERE idempotency_key LIKE 'gc:%'
    `.execute(ctx.db)
    expect(stored.rows[0]).toEqual({ c: 11, total: 1045 + 500 })
    // The same key with another amount is still refused, as a processor refuses it.
    await expect(
      ctx.gateway.charge({ token: card.token, amountMinor: 999, currency: 'USD', idempotencyKey: 'gc:1' })
    ).rejects.toMatchObject({ reason: 'idempotency-mismatch' })
  })

  it('batches nothing inside a transaction: the write is the transaction’s', async () => {
    const ctx = svc.service.ctx
    await expect(
      ctx.db.transaction().execute(async (trx) => {
        // Batched, it would wait for the connection this transaction holds: the test would time out.
        await runGrouped({ ...ctx, db: trx }, insert('tx1', 1))
        const inside = await sql<{
          c: number
        }>`SELECT count(*) AS c FROM commit_probe WHERE id = 'tx1'`.execute(trx)
        expect(Number(inside.rows[0]?.c)).toBe(1)
        throw new Error('roll back')
      })
    ).rejects.toThrow('roll back')
    expect(await count('tx1')).toBe(0)
  })
})
