/**
 * Billing throughput on SQLite and PostgreSQL: online renewals (POST /v1/checkout with a saved card: quote,
 * order, sandbox charge, coverage grant, line sync, receipt) and Re-Up redemptions, each line its own account,
 * 8 concurrent keep-alive clients over loopback; next to the peer, a bare single-row INSERT through the same
 * Kysely connection in the same run, and the same renewal without HTTP (the checkout function on that handle) with
 * the statements and transactions it sends counted, the two alternating in rounds (the ratio is the rounds' median),
 * and the CPU time each costs this process and PostgreSQL's processes (cpu-time.ts: steadier under load than
 * rates). Rate limits stay on: the clock steps past the voucher window between batches. The goal's figures are
 * of commits that are not synced to disk on either database (SQLite `synchronous = NORMAL`, a development
 * service's; PostgreSQL the tests' cluster): what a renewal's own work costs. Beside them, PostgreSQL with its
 * default durability (every commit flushed, as a production cluster runs), where the flushes set both rates.
 * Run: node --import tsx test/bench/billing.bench.ts  (part of `npm run bench`).
 */
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { checkout } from '../../src/server/billing/checkout'
import { activateAtTill, createBatch, shipBatch } from '../../src/server/billing/vouchers'
import { ManualClock } from '../../src/server/clock'
import type { ServiceContext } from '../../src/server/context'
import { loadConfig } from '../../src/server/config'
import { readDurability } from '../../src/server/db/durability'
import { startService } from '../../src/server/service'
import { createDatabase, startPostgres } from '../support/postgres'
import { benchAccounts } from './bench-accounts'
import { countingContext } from './count-statements'
import { cpuNow, postmasterOf } from './cpu-time'
import { sized, writeResult } from './bench-run'
import { loadTest } from './stats'

const CONCURRENCY = 8
const LINES = sized(240, 8)
/**
 * Rounds of renewals (each renews every line once more, by a month) and of bare INSERTs, alternating, after one
 * round of each that is not counted (a line's first renewal here moves it to the monthly plan, by the general
 * path; the connections prepare their statements); and the INSERTs of each round (issue 24 goal 8 compares the two).
 */
const ROUNDS = sized(5, 1)
const INSERTS_PER_ROUND = sized(2000, 20)
/** Issue 24 goal 8: a renewal at least a tenth of the bare INSERT rate, same database, same run. */
const GOAL = 0.1

const load = (count: number, request: (i: number) => Promise<number>) => loadTest(count, CONCURRENCY, request)

/** SQLite's group commit (db/group-commit.ts): units per transaction, and batches that ran again one by one. */
function groupReport(
  before: ReturnType<NonNullable<ServiceContext['batch']>['stats']> | undefined,
  after: ReturnType<NonNullable<ServiceContext['batch']>['stats']> | undefined
) {
  if (!before || !after) return null
  const units = after.units - before.units
  return {
    units,
    batches: after.batches - before.batches,
    unitsPerTransaction: +(units / Math.max(1, after.transactions - before.transactions)).toFixed(2),
    retried: after.retried - before.retried
  }
}

async function measure(databaseUrl: string, dir: string) {
  const clock = new ManualClock(new Date())
  const service = await startService(
    { ...loadConfig({ DIALTONE_PASSWORD_COST: 'test' }, dir), databaseUrl, jobs: false },
    { clock }
  )
  const ctx = service.ctx
  await service.app.listen({ host: '127.0.0.1', port: 0 })
  const base = `http://127.0.0.1:${(service.app.server.address() as { port: number }).port}`
  const post = async (path: string, body: unknown, token: string) =>
    (
      await fetch(base + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body)
      }).then(async (r) => (await r.arrayBuffer(), r))
    ).status

  // Lines: each a trial on its own account (its own "IP", as the trial limits are per IP), with a saved card.
  const lines = await benchAccounts(ctx, LINES, 'BILL')

  const renewals = await load(LINES, (i) => {
    const l = lines[i] as (typeof lines)[number]
    return post(
      '/v1/checkout',
      {
        idempotencyKey: randomUUID(),
        items: [{ kind: 'renewal', lineId: l.lineId, planId: 'line-1y@1' }],
        payment: { paymentMethodId: l.pm }
      },
      l.token
    )
  })

  const { batchId, cards } = await createBatch(ctx, {
    name: 'bench',
    planId: 'line-1y@1',
    size: LINES,
    expiresAt: new Date(clock.now().getTime() + 365 * 86_400_000)
  })
  await shipBatch(ctx, batchId)
  for (const c of cards) await activateAtTill(ctx, c.serial)
  // 30 redemptions per IP per hour: batches of 30 (fewer in a smoke run), the clock stepped an hour between them.
  const REDEEM_BATCH = Math.min(30, LINES)
  const runs = []
  for (let b = 0; b < LINES / REDEEM_BATCH; b++) {
    clock.advance(61 * 60_000)
    runs.push(
      await load(REDEEM_BATCH, (i) => {
        const n = b * REDEEM_BATCH + i
        const l = lines[n] as (typeof lines)[number]
        return post(
          '/v1/vouchers/redeem',
          { idempotencyKey: randomUUID(), code: cards[n]?.pin, lineId: l.lineId },
          l.token
        )
      })
    )
  }
  const vouchers = {
    requests: LINES,
    perSecond: +(runs.reduce((a, r) => a + r.perSecond, 0) / runs.length).toFixed(1),
    p99: Math.max(...runs.map((r) => r.p99)),
    median: +(runs.map((r) => r.median).sort((a, b) => a - b)[Math.floor(runs.length / 2)] ?? 0)
  }

  // The same renewal without HTTP, through the service's own function on the same database handle as the bare
  // INSERT below: what a renewal costs the database, counted in statements and transactions. The two alternate
  // in ROUNDS rounds and the ratio is the median of each round's own ratio: on a shared machine whose load swings
  // within a minute, a renewal and an INSERT measured seconds apart are compared under the same load.
  await sql`CREATE TABLE bench_insert (id text PRIMARY KEY, n integer NOT NULL)`.execute(ctx.db)
  const renewRound = (on: ServiceContext) =>
    load(LINES, async (i) => {
      const l = lines[i] as (typeof lines)[number]
      await checkout(on, l.accountId, {
        idempotencyKey: randomUUID(),
        items: [{ kind: 'renewal', lineId: l.lineId, planId: 'line-1m@1' }],
        payment: { paymentMethodId: l.pm },
        autoRenew: false
      })
      return 200
    })
  const insertRound = () =>
    load(INSERTS_PER_ROUND, async (i) => {
      await sql`INSERT INTO bench_insert (id, n) VALUES (${randomUUID()}, ${i})`.execute(ctx.db)
      return 200
    })
  // A round trip alone: a one-parameter SELECT that reads no table (what every statement costs both sides before
  // its own work), so the report can say how much of a renewal is its round trips and how much the rest.
  const roundTripRound = () =>
    load(INSERTS_PER_ROUND, async (i) => {
      await sql`SELECT ${i} AS n`.execute(ctx.db)
      return 200
    })
  await renewRound(ctx)
  await insertRound()
  await roundTripRound()
  const rounds: { renewals: Awaited<ReturnType<typeof load>>; inserts: Awaited<ReturnType<typeof load>> }[] =
    []
  // CPU time of each side too (cpu-time.ts): this process, and on PostgreSQL the cluster's processes.
  const postmaster =
    ctx.dialect === 'postgres'
      ? postmasterOf(
          Number((await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(ctx.db)).rows[0]?.pid)
        )
      : undefined
  const cpu = {
    renewals: { service: 0, database: 0 },
    inserts: { service: 0, database: 0 },
    roundTrips: { service: 0, database: 0 }
  }
  const timed = async <T>(side: keyof typeof cpu, run: () => Promise<T>): Promise<T> => {
    const before = cpuNow(postmaster)
    const out = await run()
    const after = cpuNow(postmaster)
    cpu[side].service += after.service - before.service
    cpu[side].database += after.database - before.database
    return out
  }
  const counting = countingContext(ctx)
  const groupBefore = ctx.batch?.stats()
  for (let r = 0; r < ROUNDS; r++) {
    const renewalsRound = await timed('renewals', () => renewRound(counting.ctx))
    const insertsRound = await timed('inserts', insertRound)
    await timed('roundTrips', roundTripRound)
    rounds.push({ renewals: renewalsRound, inserts: insertsRound })
  }
  const renewalsCounted = LINES * ROUNDS
  const insertsCounted = INSERTS_PER_ROUND * ROUNDS
  const perRenewal = {
    statements: +(counting.statements() / renewalsCounted).toFixed(1),
    transactions: +(counting.transactions() / renewalsCounted).toFixed(1),
    roundTrips: +(counting.roundTrips() / renewalsCounted).toFixed(2),
    // SQLite: what the group commit did with the renewals' short writes.
    groupCommit: groupReport(groupBefore, ctx.batch?.stats())
  }
  const median = (xs: number[]) => {
    const s = [...xs].sort((x, y) => x - y)
    return s.length % 2
      ? (s[(s.length - 1) / 2] ?? 0)
      : ((s[s.length / 2 - 1] ?? 0) + (s[s.length / 2] ?? 0)) / 2
  }
  const summary = (k: 'renewals' | 'inserts') => ({
    requests: rounds.reduce((a, x) => a + x[k].requests, 0),
    perSecond: +median(rounds.map((x) => x[k].perSecond)).toFixed(1),
    median: +median(rounds.map((x) => x[k].median)).toFixed(1),
    p99: Math.max(...rounds.map((x) => x[k].p99)),
    rounds: rounds.map((x) => x[k].perSecond)
  })
  const bareInsert = summary('inserts')
  const inProcess = summary('renewals')
  const share = +median(rounds.map((x) => x.renewals.perSecond / x.inserts.perSecond)).toFixed(3)
  // Microseconds of CPU per renewal and per INSERT, each side; the share is the INSERT's total over the renewal's.
  const us = (ns: number, n: number) => +(ns / n / 1000).toFixed(1)
  const cpuPer = {
    renewal: {
      service: us(cpu.renewals.service, renewalsCounted),
      database: us(cpu.renewals.database, renewalsCounted)
    },
    insert: {
      service: us(cpu.inserts.service, insertsCounted),
      database: us(cpu.inserts.database, insertsCounted)
    },
    roundTrip: {
      service: us(cpu.roundTrips.service, insertsCounted),
      database: us(cpu.roundTrips.database, insertsCounted)
    }
  }
  // What a renewal costs beyond its round trips (each priced at the bare round trip's CPU): its statements' own
  // work, the WAL, and the service's JavaScript.
  const roundTripCpu = cpuPer.roundTrip.service + cpuPer.roundTrip.database
  const beyondRoundTrips = +(
    cpuPer.renewal.service +
    cpuPer.renewal.database -
    perRenewal.roundTrips * roundTripCpu
  ).toFixed(1)
  const cpuShare = +(
    (cpu.inserts.service + cpu.inserts.database) /
    insertsCounted /
    ((cpu.renewals.service + cpu.renewals.database) / renewalsCounted)
  ).toFixed(3)
  // Which cluster this was (PostgreSQL: flushing nothing, or every commit), read on the service's own handle.
  const durability = ctx.dialect === 'postgres' ? await readDurability(ctx.db) : undefined
  await service.close()
  return {
    durability,
    bareInsert,
    renewals,
    renewalsInProcess: { ...inProcess, ...perRenewal },
    vouchers,
    renewalShareOfInsert: share,
    cpuMicrosecondsPer: cpuPer,
    renewalCpuBeyondRoundTrips: beyondRoundTrips,
    renewalShareOfInsertByCpu: cpuShare,
    renewalGoal: GOAL,
    renewalGoalMet: share >= GOAL,
    httpRenewalShareOfInsert: +(renewals.perSecond / bareInsert.perSecond).toFixed(3)
  }
}

const sqliteDir = mkdtempSync(join(tmpdir(), 'dialtone-bench-billing-'))
const sqlite = await measure(`sqlite:${join(sqliteDir, 'service.db')}`, sqliteDir)
rmSync(sqliteDir, { recursive: true, force: true })

/** The PostgreSQL half on a cluster of its own, flushing nothing or every commit; its settings kept with it. */
async function onPostgres(durable: boolean) {
  const pg = await startPostgres({ durable })
  const pgDir = mkdtempSync(join(tmpdir(), 'dialtone-bench-billing-pg-'))
  try {
    return await measure(await createDatabase(pg.adminUrl, `bench_${process.pid}`), pgDir)
  } finally {
    await pg.stop()
    rmSync(pgDir, { recursive: true, force: true })
  }
}
// The goal's figure: the tests' cluster, whose commits cost CPU only, as SQLite's do here (docs/renewal-cost.md, "What
// the goal measures"). Beside it, PostgreSQL's defaults: each commit waits for its flush.
const postgres = await onPostgres(false)
const postgresDurable = await onPostgres(true)

const result = {
  environment: `${LINES} lines, each its own account; ${CONCURRENCY} concurrent clients on loopback; sandbox gateway; Node ${process.version}`,
  sqlite,
  postgres,
  postgresDurable
}
writeResult('billing', result)
