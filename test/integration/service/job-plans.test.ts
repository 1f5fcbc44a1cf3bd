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
import { applyDueChanges } from '../../../src/server/billing/plan-changes'
import { settleStrandedOrders } from '../../../src/server/billing/stranded'
import { rateCalls } from '../../../src/server/billing/usage'
import { expireVouchers } from '../../../src/server/billing/vouchers'
import type { ServiceContext } from '../../../src/server/context'
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

  it.each([
    ['settlePromisedPayments', settlePromisedPayments, 'promised_payments', 'promised_payments_due'],
    ['applyDueChanges', applyDueChanges, 'scheduled_changes', 'scheduled_changes_due'],
    ['expireVouchers', expireVouchers, 'vouchers', 'vouchers_active'],
    ['rateCalls', rateCalls, 'call_records', 'call_records_unrated']
  ] as const)('%s reads its table through its index', async (_name, job, table, index) => {
    const found = await statements(job, table)
    expect(found.length, `no statement of the job reads ${table}`).toBeGreaterThan(0)
    const first = found[0] as CompiledQuery
    expect(await plan(first), first.sql).toContain(index)
  })

  it('settleStrandedOrders reads the orders made since its mark through their index', async () => {
    await settleStrandedOrders(svc.service.ctx) // the first pass sets the mark
    const found = await statements(settleStrandedOrders, 'checkout_orders')
    expect(found.length).toBeGreaterThan(0)
    const first = found[0] as CompiledQuery
    expect(first.sql).toContain('"o"."created_at" >=')
    expect(await plan(first), first.sql).toContain('checkout_orders_created')
  })

  // What a renewal writes stays out of the jobs' indexes (migration 0035 says why): an index on the pending orders
  // took the paid mark off PostgreSQL's heap-only update, and two on the outbox gave each receipt two more entries;
  // together a renewal fell from 0.084 to 0.067 of a bare INSERT's rate (docs/billing-jobs.md). A new index on
  // either table must be weighed against that, and named here.
  it('keeps the tables every renewal writes to the indexes it needs', async () => {
    const db = svc.service.ctx.db
    // Each index by name; SQLite's own for a UNIQUE constraint (sqlite_autoindex_*) by what it makes unique.
    const indexes = async (table: string): Promise<string[]> => {
      if (backend === 'postgres')
        return (
          await sql<{ name: string }>`SELECT indexname AS name FROM pg_indexes WHERE tablename = ${table}
            AND indexname NOT LIKE '%_pkey'`.execute(db)
        ).rows
          .map((r) => r.name)
          .sort()
      const list = await sql<{
        name: string
        origin: string
      }>`SELECT name, origin FROM pragma_index_list(${table})
        WHERE origin <> 'pk'`.execute(db)
      const named = await Promise.all(
        list.rows.map(async (r) =>
          r.origin === 'u'
            ? `unique(${(
                await sql<{
                  name: string
                }>`SELECT name FROM pragma_index_info(${r.name}) ORDER BY seqno`.execute(db)
              ).rows
                .map((c) => c.name)
                .join(', ')})`
            : r.name
        )
      )
      return named.sort()
    }
    const key = backend === 'postgres' ? 'checkout_orders_key' : 'unique(account_id, idempotency_key)'
    // By when an order was made (migration 0036): a column the paid mark never changes, so it stays heap-only.
    expect(await indexes('checkout_orders')).toEqual(['checkout_orders_created', key])
    expect(await indexes('outbox')).toEqual(['outbox_pending', 'outbox_trial_notices'])
  })
})
