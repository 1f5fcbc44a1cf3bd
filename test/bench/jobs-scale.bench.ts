/**
 * The periodic jobs at scale on PostgreSQL (run separately; docs/billing-jobs.md, docs/service.md's
 * line sweeper): LINES real benchmark lines made through the service's own functions (a third on auto-renew with a
 * year paid, a third on a monthly tariff, a third with a paid service), one billing pass run so that nothing is due,
 * then every row of those lines copied COPIES times in SQL with suffixed ids (the number pool holds a few hundred
 * numbers, so 100,000 lines cannot be made one by one), and each job's pass run twice: the statements it sends, its
 * transactions, its wall time and the CPU of this process and of PostgreSQL's. The peer is the pass itself at the
 * real lines' size, measured first in the same run: with nothing due a pass should cost the same at any size.
 * Run: COPIES=333 node --import tsx test/bench/jobs-scale.bench.ts   (LINES=300 by default; 100,200 lines)
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { runAutoRenew } from '../../src/server/billing/auto-renew'
import { postEntry } from '../../src/server/billing/balance'
import { extendCoverage } from '../../src/server/billing/coverage'
import { runBillingJobs } from '../../src/server/billing/jobs'
import { ensureSubscription } from '../../src/server/billing/subscriptions'
import { chargeMonthlyFees, subscribeTariff } from '../../src/server/billing/tariffs'
import { noticeTrialsEnding } from '../../src/server/billing/trial-notices'
import { ManualClock } from '../../src/server/clock'
import { loadConfig } from '../../src/server/config'
import type { ServiceContext } from '../../src/server/context'
import { sweepLines } from '../../src/server/provisioning/line-sweep'
import { startService } from '../../src/server/service'
import { chargeServiceFees } from '../../src/server/services/service-fees'
import { createDatabase, startPostgres } from '../support/postgres'
import { benchAccounts } from './bench-accounts'
import { countingContext } from './count-statements'
import { cpuNow, postmasterOf } from './cpu-time'

const LINES = Number(process.env.LINES ?? 300)
const COPIES = Number(process.env.COPIES ?? 333)

/** The id-like columns of each copied table, suffixed per copy (unique ones too). */
const SUFFIXED: Readonly<Record<string, readonly string[]>> = {
  accounts: ['id', 'email'],
  lines: ['id', 'account_id', 'phone_number'],
  subscriptions: ['id', 'account_id', 'line_id', 'payment_method_id'],
  payment_methods: ['id', 'account_id', 'gateway_token'],
  coverage_grants: ['id', 'line_id', 'source_id'],
  line_services: ['line_id'],
  balance_entries: ['id', 'account_id', 'source_ref']
}

const JOBS: readonly [string, (ctx: ServiceContext) => Promise<unknown>][] = [
  ['auto-renew', runAutoRenew],
  ['tariff months', chargeMonthlyFees],
  ['paid services', chargeServiceFees],
  ['trial notices', noticeTrialsEnding],
  ['whole billing pass', runBillingJobs],
  ['line sweeper (with its 200-line slice)', (ctx) => sweepLines(ctx)]
]

const pg = await startPostgres()
const dir = mkdtempSync(join(tmpdir(), 'dialtone-bench-jobs-'))
const clock = new ManualClock(new Date('2026-12-10T12:00:00Z'))
const service = await startService(
  {
    ...loadConfig({ DIALTONE_PASSWORD_COST: 'test' }, dir),
    databaseUrl: await createDatabase(pg.adminUrl, `jobs_${process.pid}`),
    jobs: false
  },
  { clock }
)
const ctx = service.ctx
try {
  const lines = await benchAccounts(ctx, LINES, 'JOB')
  for (const [i, l] of lines.entries()) {
    const paid = { type: 'admin', id: `bench:${l.lineId}` } as const
    if (i % 3 === 0) {
      await extendCoverage(ctx, l.lineId, paid, { months: 12 })
      const sub = await ensureSubscription(ctx, l.accountId, l.lineId, 'line-1m@1')
      await ctx.db
        .updateTable('subscriptions')
        .set({ auto_renew: 1, payment_method_id: l.pm })
        .where('id', '=', sub.id)
        .execute()
    } else if (i % 3 === 1) {
      // Joining and each month are paid from the balance (tariffs.ts): a year's worth first. Its reference starts
      // as a subscription's does, so that the copies below make one of their own.
      await postEntry(ctx, l.accountId, 'top_up', 13_200, `sub_bench-top-up-${l.lineId}`, {
        code: 'top-up',
        params: { last4: '4242' },
        text: 'bench'
      })
      await subscribeTariff(ctx, l.accountId, l.lineId, 'home-basic@1')
    } else {
      await extendCoverage(ctx, l.lineId, paid, { months: 12 })
      await ctx.db
        .insertInto('line_services')
        .values({
          line_id: l.lineId,
          feature: 'caller-id-withheld',
          code: 'caller-id-withheld',
          enabled: 1,
          fee_month: '2026-12',
          fee_price_minor: 150,
          updated_at: clock.now().toISOString()
        })
        .execute()
    }
  }
  // What is due now is done, so every pass below finds nothing due (as almost every pass does).
  await runBillingJobs(ctx)
  await sweepLines(ctx)
  const postmaster = postmasterOf(
    Number((await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(ctx.db)).rows[0]?.pid)
  )
  const passes = async (size: string) => {
    const rows: string[] = []
    for (let round = 0; round < 2; round++)
      for (const [name, job] of JOBS) {
        const counting = countingContext(ctx)
        const before = cpuNow(postmaster)
        const t0 = performance.now()
        await job(counting.ctx)
        const ms = performance.now() - t0
        const after = cpuNow(postmaster)
        if (round === 1)
          rows.push(
            `| ${size} | ${name} | ${counting.statements()} | ${counting.transactions()} | ${ms.toFixed(0)} | ${((after.service - before.service) / 1e6).toFixed(0)} + ${((after.database - before.database) / 1e6).toFixed(0)} |`
          )
      }
    return rows
  }
  const count = async () =>
    (await sql<{ n: string }>`SELECT count(*) AS n FROM lines`.execute(ctx.db)).rows[0]?.n ?? '?'
  const small = await passes(`${await count()} lines`)
  for (const [table, cols] of Object.entries(SUFFIXED)) {
    const all = (
      await sql<{ column_name: string }>`SELECT column_name FROM information_schema.columns
        WHERE table_name = ${table} ORDER BY ordinal_position`.execute(ctx.db)
    ).rows.map((r) => r.column_name)
    const select = all
      .map((c) =>
        !cols.includes(c)
          ? c
          : c === 'source_ref'
            ? `regexp_replace(source_ref, '^(sub_[^:]*)', '\\1-' || g)`
            : `${c} || '-' || g`
      )
      .join(', ')
    await sql
      .raw(
        `INSERT INTO ${table} (${all.join(', ')}) SELECT ${select} FROM ${table} CROSS JOIN generate_series(1, ${COPIES}) g`
      )
      .execute(ctx.db)
  }
  await sql`ANALYZE`.execute(ctx.db)
  const large = await passes(`${await count()} lines`)
  console.log(
    [
      `Periodic jobs with nothing due, PostgreSQL (${new Date().toISOString()}; the second of two passes each)`,
      '',
      '| size | pass | statements | transactions | ms | CPU ms, service + database |',
      '|---|---|---|---|---|---|',
      ...small,
      ...large
    ].join('\n')
  )
} finally {
  await service.close()
  await pg.stop()
  rmSync(dir, { recursive: true, force: true })
}
