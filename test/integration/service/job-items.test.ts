/**
 * A periodic job's items each on its own (src/server/job-items.ts), on SQLite and PostgreSQL: when every statement
 * about one item fails (a fault the test injects by that item's id), the tariff job still charges the other line's
 * month, the call rating still rates the other call, and the line sweeper still puts the other line right; the
 * failure is logged with the job, the item and a code, never the error's words; the failed item is done on the next
 * pass once the fault is gone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chargeMonthlyFees } from '../../../src/server/billing/tariffs'
import { rateCalls } from '../../../src/server/billing/usage'
import type { ServiceContext } from '../../../src/server/context'
import { eachItem, reasonOf } from '../../../src/server/job-items'
import { sweepLines } from '../../../src/server/provisioning/line-sweep'
import { failingFor as failingDb } from '../../support/failing-db'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import {
  type TrialLine,
  answeredCall,
  lineNumber,
  tariffLine,
  tariffMonths,
  trialLine
} from '../../support/service-flows'

describe.each(BACKENDS)('a job with one failing item on %s', (backend) => {
  let svc: TestService
  beforeAll(async () => {
    svc = await startTestService(backend)
  })
  afterAll(() => svc.close())

  /** The service's context, where every statement whose values include `id` fails as a database would. */
  const failingFor = (id: string): ServiceContext => failingDb(svc.service.ctx, id)
  /** What the service logged while `run` ran. */
  async function logs(run: () => Promise<unknown>): Promise<string> {
    const from = svc.logged.length
    await run()
    return svc.logged.slice(from).join('\n')
  }

  it('the tariff job charges the other line’s month and the failed one on the next pass', async () => {
    svc.clock.set('2027-02-10T12:00:00.000Z')
    const [a, b] = [await tariffLine(svc), await tariffLine(svc)]
    const fees = async (l: TrialLine) => (await tariffMonths(svc, l)).length
    const before = [await fees(a), await fees(b)]
    svc.clock.set('2027-03-02T12:00:00.000Z')
    const said = await logs(() => chargeMonthlyFees(failingFor(a.lineId)))
    expect([await fees(a), await fees(b)]).toEqual([before[0], (before[1] ?? 0) + 1])
    expect(said).toMatch(/tariff-fees: sub_\S+ failed \(database-40p01\)/)
    expect(said).not.toContain('tok_secret')
    await chargeMonthlyFees(svc.service.ctx)
    expect([await fees(a), await fees(b)]).toEqual([(before[0] ?? 0) + 1, (before[1] ?? 0) + 1])
  })

  it('the call rating rates the other call, and the failed one on the next pass', async () => {
    svc.clock.set('2027-05-01T12:00:00.000Z')
    const line = await trialLine(svc)
    const srcUser = (await lineNumber(svc, line.token, line.lineId)).slice(1)
    const at = new Date(svc.clock.now().getTime() - 600_000)
    await answeredCall(svc, { srcUser, dst: '12125550100', at, seconds: 60 })
    await answeredCall(svc, { srcUser, dst: '12125550101', at: new Date(at.getTime() + 1000), seconds: 60 })
    const invites = await svc.service.ctx.db
      .selectFrom('call_records')
      .select(['id', 'call_id', 'rated_at'])
      .where('src_user', '=', srcUser)
      .where('method', '=', 'INVITE')
      .orderBy('at')
      .execute()
    const [first, second] = invites
    const said = await logs(async () => expect(await rateCalls(failingFor(first?.call_id ?? ''))).toBe(1))
    expect(said).toContain(`call-rating: ${first?.id} failed (database-40p01)`)
    const rated = async () =>
      (
        await svc.service.ctx.db
          .selectFrom('call_records')
          .select('id')
          .where('id', 'in', [first?.id ?? '', second?.id ?? ''])
          .where('rated_at', 'is not', null)
          .execute()
      ).map((r) => r.id)
    expect(await rated()).toEqual([second?.id])
    // It waits out a pause (settle-retries.ts), so that records that always fail cannot take every place.
    expect(await rateCalls(svc.service.ctx)).toBe(0)
    svc.clock.advance(61_000)
    expect(await rateCalls(svc.service.ctx)).toBe(1)
    expect((await rated()).sort()).toEqual([first?.id, second?.id].sort())
  })

  it('the line sweeper puts the other line right, and the failed one on the next sweep', async () => {
    const [a, b] = [await trialLine(svc), await trialLine(svc)]
    // Both lines' stored state contradicts their facts (as a crash between a grant and its sync would leave it).
    const db = svc.service.ctx.db
    const status = async (id: string) =>
      (await db.selectFrom('lines').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status
    const right = await status(a.lineId)
    await db.updateTable('lines').set({ status: 'lapsed' }).where('id', 'in', [a.lineId, b.lineId]).execute()
    const said = await logs(() => sweepLines(failingFor(a.lineId), { slice: 10_000 }))
    expect(said).toContain(`line-sweeper: ${a.lineId} failed (database-40p01)`)
    expect([await status(a.lineId), await status(b.lineId)]).toEqual(['lapsed', right])
    await sweepLines(svc.service.ctx, { slice: 10_000 })
    expect([await status(a.lineId), await status(b.lineId)]).toEqual([right, right])
  })
})

describe('eachItem and reasonOf', () => {
  it('goes on past an item that throws, answers the rest in order and counts the failures', async () => {
    const logged: string[] = []
    const ctx = { log: { error: (m: string) => void logged.push(m) } } as unknown as ServiceContext
    const out = await eachItem(ctx, 'job', [1, 2, 3], String, async (n) => {
      if (n === 2) throw new TypeError('x is undefined in secret row')
      return n * 10
    })
    expect(out).toEqual({ done: [10, 30], failed: 1 })
    expect(logged).toEqual(['job: 2 failed (error-typeerror); the others go on, it is tried again later'])
  })

  it('words an error as a code, never its message', () => {
    expect(reasonOf(Object.assign(new Error('m'), { code: 'ECONNREFUSED' }))).toBe('system-econnrefused')
    expect(reasonOf(Object.assign(new Error('m'), { code: '23505', severity: 'ERROR' }))).toBe(
      'database-23505'
    )
    // A five-character code without a database's severity is not taken for a SQLSTATE.
    expect(reasonOf(Object.assign(new Error('m'), { code: 'ABCDE' }))).toBe('error-error')
    expect(reasonOf(Object.assign(new Error('m'), { name: 'bad name with spaces' }))).toBe('error-error')
    expect(reasonOf(Object.assign(new Error('m'), { code: 'SQLITE_BUSY' }))).toBe('database-sqlite_busy')
    // fetch's network failure: a TypeError whose cause has the system's code.
    expect(reasonOf(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }))).toBe(
      'system-econnrefused'
    )
    expect(reasonOf('a string')).toBe('error-error')
    expect(reasonOf(null)).toBe('error-error')
  })
})
