/**
 * Past card orders for an account with many (a line renewed monthly for years): each checkout's item carries the
 * paid-through its own grant gave, and the list reads the database the same number of times however many orders
 * there are (the grants of every order in one read, not one read per order). SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listOrders } from '../../../src/server/billing/orders'
import { countingContext } from '../../bench/count-statements'
import { CARDS, renew } from '../../support/billing-flows'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { type TrialLine, trialLine } from '../../support/service-flows'

describe.each(BACKENDS)('past card orders of a long-renewed line on %s', (backend) => {
  let svc: TestService
  let line: TrialLine
  beforeAll(async () => {
    svc = await startTestService(backend)
    svc.clock.set(new Date('2026-12-01T17:00:00Z'))
    line = await trialLine(svc)
  })
  afterAll(() => svc.close())

  const statementsToList = async () => {
    const counting = countingContext(svc.service.ctx)
    const list = await listOrders(counting.ctx, line.accountId)
    return { list, statements: counting.statements() }
  }

  it('gives each order its own paid-through, in the same number of reads for one order or five', async () => {
    expect((await renew(svc, line.token, line.lineId, 'line-1m@1', { card: CARDS.ok })).status).toBe(201)
    const one = await statementsToList()
    expect(one.list.orders.filter((o) => o.kind === 'checkout')).toHaveLength(1)
    for (let i = 0; i < 4; i++) {
      svc.clock.advance(86_400_000)
      expect((await renew(svc, line.token, line.lineId, 'line-1m@1', { card: CARDS.ok })).status).toBe(201)
    }
    const five = await statementsToList()
    const checkouts = five.list.orders.filter((o) => o.kind === 'checkout')
    expect(checkouts).toHaveLength(5)
    expect(five.statements).toBe(one.statements)
    // Newest first, each a month beyond the one before it: its own grant's end, not another order's.
    const through = checkouts.map((o) => o.items[0]?.paidThrough)
    const grants = await svc.service.ctx.db
      .selectFrom('coverage_grants')
      .select(['source_id', 'ends_at'])
      .where('source_type', '=', 'order')
      .where('line_id', '=', line.lineId)
      .execute()
    expect(through).toEqual(checkouts.map((o) => grants.find((g) => g.source_id === `${o.id}:0`)?.ends_at))
    expect(new Set(through).size).toBe(5)
    expect([...through].sort().reverse()).toEqual(through)
  })
})
