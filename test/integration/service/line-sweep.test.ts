/**
 * The line sweeper (provisioning/line-sweep.ts) on SQLite and PostgreSQL: every line whose coverage ran out lapses
 * in one sweep however many lines there are, while the rest are re-derived a slice per sweep (a state a defect left
 * behind is put right within lines / slice sweeps), not all of them every 30 seconds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sweepLines } from '../../../src/server/provisioning/line-sweep'
import { countingContext } from '../../bench/count-statements'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { type TrialLine, trialLine } from '../../support/service-flows'

describe.each(BACKENDS)('the line sweeper on %s', (backend) => {
  let svc: TestService
  let lines: TrialLine[]
  const statuses = async () =>
    Object.fromEntries(
      (
        await svc.service.ctx.db
          .selectFrom('lines')
          .select(['id', 'status'])
          .where(
            'id',
            'in',
            lines.map((l) => l.lineId)
          )
          .execute()
      ).map((r) => [r.id, r.status])
    )
  beforeAll(async () => {
    svc = await startTestService(backend)
    svc.clock.set(new Date('2026-12-01T17:00:00Z'))
    lines = [await trialLine(svc), await trialLine(svc), await trialLine(svc)]
  })
  afterAll(() => svc.close())

  it('re-derives one slice of the open lines per sweep, so a wrong state is put right within lines / slice sweeps', async () => {
    expect(Object.values(await statuses())).toEqual(['in_service', 'in_service', 'in_service'])
    // A defect's leftover: the line's E911 address gone without its line synced (it should be pending now).
    const broken = lines[1]?.lineId ?? ''
    await svc.service.ctx.db
      .updateTable('e911_addresses')
      .set({ superseded_at: svc.clock.now().toISOString() })
      .where('line_id', '=', broken)
      .execute()
    const counting = countingContext(svc.service.ctx)
    const open = await svc.service.ctx.db
      .selectFrom('lines')
      .select('id')
      .where('status', 'in', ['in_service', 'lapsed', 'pending'])
      .execute()
    let sweeps = 0
    while ((await statuses())[broken] !== 'pending') {
      const before = counting.transactions()
      await sweepLines(counting.ctx, { slice: 1 })
      // One line re-derived (one transaction): nothing else contradicts the time.
      expect(counting.transactions() - before).toBe(1)
      sweeps++
      expect(sweeps).toBeLessThanOrEqual(open.length)
    }
    expect(sweeps).toBeGreaterThanOrEqual(1)
    const after = await statuses()
    expect(after[lines[0]?.lineId ?? '']).toBe('in_service')
    expect(after[lines[2]?.lineId ?? '']).toBe('in_service')
  })

  it('lapses every line whose coverage ran out in one sweep, whatever the slice', async () => {
    svc.clock.advance(40 * 86_400_000)
    try {
      // Two in service lapse; the pending one (no E911 address) stays pending; one more line in the slice.
      expect(await sweepLines(svc.service.ctx, { slice: 1 })).toBe(2)
      const s = await statuses()
      expect([s[lines[0]?.lineId ?? ''], s[lines[1]?.lineId ?? ''], s[lines[2]?.lineId ?? '']]).toEqual([
        'lapsed',
        'pending',
        'lapsed'
      ])
      // Nothing left that the time contradicts: the next sweep re-derives its slice only and changes nothing.
      const counting = countingContext(svc.service.ctx)
      expect(await sweepLines(counting.ctx, { slice: 1 })).toBe(0)
      expect(counting.transactions()).toBe(1)
    } finally {
      svc.clock.advance(-40 * 86_400_000)
    }
  })
})
