/**
 * An account's lines as the app lists them (GET /v1/lines, provisioning/line-view.ts) on SQLite and PostgreSQL:
 * read in the same number of statements for one line or three (the app lists them after every change, and a
 * business account has dozens), each as GET /v1/lines/:id shows it, with what keeps a line from service, its
 * paid-through (its live grants' end) and its E911 address; and the operator's view of the account, whose lines
 * are one statement too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LineInfo } from '../../../src/shared/api/devices'
import { listLines } from '../../../src/server/numbers/lines-service'
import { accountViewOf } from '../../../src/server/ops/accounts/view'
import { countingContext } from '../../bench/count-statements'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { type TrialLine, addRetailLine, trialLine } from '../../support/service-flows'

describe.each(BACKENDS)('the account’s line list on %s', (backend) => {
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
    const lines = await listLines(counting.ctx, line.accountId)
    return { lines, statements: counting.statements() }
  }

  it('reads one line or three in the same statements, each as its own view shows it', async () => {
    const one = await statementsToList()
    expect(one.lines.map((l) => l.id)).toEqual([line.lineId])
    const [trial] = one.lines as [LineInfo]
    expect(trial).toMatchObject({ status: 'in_service', missing: [], sipAccount: true, suspendedAt: null })
    expect(trial.e911?.address.country).toBe('US')
    const through = await svc.service.ctx.db
      .selectFrom('coverage_grants')
      .select((eb) => eb.fn.max('ends_at').as('m'))
      .where('line_id', '=', line.lineId)
      .where('voided_at', 'is', null)
      .executeTakeFirstOrThrow()
    expect(trial.paidThrough).toBe(through.m)

    svc.clock.advance(60_000)
    const second = await addRetailLine(svc, line.token)
    svc.clock.advance(60_000)
    const third = await addRetailLine(svc, line.token)
    const three = await statementsToList()
    expect(three.statements).toBe(one.statements)
    expect(three.lines.map((l) => l.id)).toEqual([line.lineId, second.lineId, third.lineId])
    // A line bought at a shop has no E911 address yet: that keeps it from service, and no address is shown.
    expect(three.lines[1]).toMatchObject({ e911: null, missing: expect.arrayContaining(['e911']) })
    // The list and each line's own view agree.
    for (const l of three.lines) {
      const own = await svc.api<LineInfo>('GET', `/v1/lines/${l.id}`, undefined, line.token)
      expect(own.status).toBe(200)
      expect(own.body).toEqual(l)
    }
    const listed = await svc.api<{ lines: LineInfo[] }>('GET', '/v1/lines', undefined, line.token)
    expect(listed.body.lines).toEqual(three.lines)
  })

  it('shows an operator every line of the account in the same statements for one line or three', async () => {
    const single = await trialLine(svc)
    const opsView = async (accountId: string) => {
      const counting = countingContext(svc.service.ctx)
      const view = await accountViewOf(counting.ctx, accountId, { cards: false })
      return { view, statements: counting.statements() }
    }
    const one = await opsView(single.accountId)
    const three = await opsView(line.accountId)
    expect(three.view.lines).toHaveLength(3)
    expect(three.statements).toBe(one.statements)
    // Each line as the app's own view has it.
    const app = await listLines(svc.service.ctx, line.accountId)
    expect(three.view.lines.map((l) => [l.id, l.status, l.number, l.deviceSerial, l.paidThrough])).toEqual(
      app.map((l) => [l.id, l.status, l.number, l.deviceSerial, l.paidThrough])
    )
  })
})
