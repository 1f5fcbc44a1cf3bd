/**
 * Calls to short codes (911, 933, 988, 711 and the other N11 services) are rated as what they are, on SQLite and
 * PostgreSQL: included, nothing charged, and shown as dialled; read as a prefix, an answered 911 call cost the
 * caller India's rate (91) and a 933 address test the default international one. A call abroad beside them is still
 * charged by its country's rate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rateCalls } from '../../../src/server/billing/usage'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { answeredCall, lineNumber, trialLine } from '../../support/service-flows'

interface Calls {
  calls: { destination: string; zone: string; billedMinutes: number; amount: { amountMinor: number } }[]
}

describe.each(BACKENDS)('short codes rated on %s', (backend) => {
  let svc: TestService
  beforeAll(async () => {
    svc = await startTestService(backend)
  })
  afterAll(() => svc.close())

  it('charges nothing for 911, 933, 988, 711 or 411, shows them as dialled, and still charges a call abroad', async () => {
    svc.clock.set('2027-06-10T12:00:00.000Z')
    const line = await trialLine(svc, { e911: true })
    const srcUser = (await lineNumber(svc, line.token, line.lineId)).slice(1)
    const balance = async () =>
      (await svc.api<{ balance: { amountMinor: number } }>('GET', '/v1/balance', undefined, line.token)).body
        .balance.amountMinor
    const before = await balance()
    const dialled = ['911', '933', '988', '711', '411', '442071234567']
    for (const [i, dst] of dialled.entries())
      await answeredCall(svc, {
        srcUser,
        dst: dst.length > 3 ? `011${dst}` : dst,
        at: new Date(svc.clock.now().getTime() - 3_600_000 + i * 60_000),
        seconds: 150
      })
    expect(await rateCalls(svc.service.ctx)).toBe(dialled.length)
    const r = await svc.api<Calls>(
      'GET',
      '/v1/usage/calls?from=2027-06-10&to=2027-06-10',
      undefined,
      line.token
    )
    expect(r.status, JSON.stringify(r.body)).toBe(200)
    expect(r.body.calls.map((c) => [c.destination, c.zone, c.billedMinutes, c.amount.amountMinor])).toEqual([
      ['911', 'domestic', 0, 0],
      ['933', 'domestic', 0, 0],
      ['988', 'domestic', 0, 0],
      ['711', 'domestic', 0, 0],
      ['411', 'domestic', 0, 0],
      ['+442071234567', 'international', 3, 6]
    ])
    // Only the call abroad was taken from the balance: three started minutes at 2 cents.
    expect(await balance()).toBe(before - 6)
  })
})
