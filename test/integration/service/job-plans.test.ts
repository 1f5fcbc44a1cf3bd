/**
 * The periodic jobs' reads of what is open, on SQLite and PostgreSQL, go through their partial indexes (migration
 * 0035, src/server/db/migration-job-indexes.ts) instead of reading every row the table ever held: each job runs
 * once on a handle that records what it sends, and the database's plan for that statement names the index.
 * PostgreSQL plans on a small table would read it whole anyway, so there sequential scans are priced out (SET
 * LOCAL enable_seqscan = off): what is asked is whether the index can serve the statement as written (a status
 * sent as a bound value, say, cannot use an index whose condition names it, on SQLite).
 */
import { CompiledQuery, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { settlePromisedPayments } from '../../../src/server/billing/balance'
import { settleStrandedOrders } from '../../../src/server/billing/checkout-settle'
import { applyDueChanges } from '../../../src/server/billing/plan-changes'
import { rateCalls } from '../../../src/server/billing/usage'
import { expireVouchers } from '../../../src/server/billing/vouchers'
import type { ServiceContext } from '../../../src/server/context'
import { createOutboxSender } from '../../../src/server/mail/sender'
import { BACKENDS, type TestService, startTestService } from '../../support/service'

describe.each(BACKENDS)('the periodic jobs’ plans on %s', (backend) => {
  let svc: TestService
  beforeAll(async () => {
    svc = await startTestService(backend)
  })
  afterAll(() => svc.close())

  /** The statements `job` sends that read `table`, as compiled. */
  async function statements(job: (ctx: ServiceContext) => Promise<unknown>, table: string) {
    const base = svc.service.ctx
    const executor = base.db.getExecutor()
    const seen: CompiledQuery[] = []
    const db = base.db.withPlugin({
      transformQuery: (args) => {
        seen.push(executor.compileQuery(args.node, args.queryId))
        return args.node
      },
      transformResult: (args) => Promise.resolve(args.result)
    })
    await job({ ...base, db })
    return seen.filter((q) => new RegExp(`^(select\\b.*?\\bfrom|update) "${table}"`, 'i').test(q.sql))
  }
  /** The database's plan for one statement, as text. */
  async function plan(query: CompiledQuery): Promise<string> {
    const db = svc.service.ctx.db
    if (backend === 'sqlite') {
      const r = await db.executeQuery<{ detail: string }>(
        CompiledQuery.raw(`EXPLAIN QUERY PLAN ${query.sql}`, [...query.parameters])
      )
      return r.rows.map((row) => row.detail).join('\n')
    }
    return db.transaction().execute(async (trx) => {
      await sql`SET LOCAL enable_seqscan = off`.execute(trx)
      const r = await trx.executeQuery<{ 'QUERY PLAN': string }>(
        CompiledQuery.raw(`EXPLAIN ${query.sql}`, [...query.parameters])
      )
      return r.rows.map((row) => row['QUERY PLAN']).join('\n')
    })
  }

  const noSender = () => undefined
  it.each([
    ['settleStrandedOrders', settleStrandedOrders, 'checkout_orders', 'checkout_orders_stranded'],
    ['settlePromisedPayments', settlePromisedPayments, 'promised_payments', 'promised_payments_due'],
    ['applyDueChanges', applyDueChanges, 'scheduled_changes', 'scheduled_changes_due'],
    ['expireVouchers', expireVouchers, 'vouchers', 'vouchers_active'],
    ['rateCalls', rateCalls, 'call_records', 'call_records_unrated'],
    [
      'the outbox flush',
      (ctx: ServiceContext) => createOutboxSender(ctx.db, ctx.clock, null, noSender).flush(),
      'outbox',
      'outbox_kept'
    ]
  ] as const)('%s reads its table through its index', async (_name, job, table, index) => {
    const found = await statements(job, table)
    expect(found.length, `no statement of the job reads ${table}`).toBeGreaterThan(0)
    const first = found[0] as CompiledQuery
    expect(await plan(first), first.sql).toContain(index)
  })
})
