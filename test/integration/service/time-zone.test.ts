/**
 * The account's time zone on SQLite and PostgreSQL: given by the computer at sign-up (validated as an IANA zone,
 * UTC when missing), changed by PUT /v1/account/time-zone, and the zone every business date is counted in: the
 * earliest plan-change day for a Los Angeles account at 20:00 (already tomorrow in UTC), a change on Santiago's
 * midnight-jump day taking effect at 01:00 there, and a promised payment due when the local day ends.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { topUp } from '../../support/billing-flows'
import { startTrial, tableCounts, trialLine } from '../../support/service-flows'

interface Profile {
  timeZone: string
}
interface Refusal {
  error?: { reason?: string; params?: Record<string, string>; issues?: { path: string; code: string }[] }
}

describe.each(BACKENDS)('the account’s time zone on %s', (backend) => {
  let svc: TestService
  beforeAll(async () => {
    svc = await startTestService(backend)
  })
  afterAll(() => svc.close())
  afterEach(() => svc.clock.set(new Date()))

  const profile = async (token: string) =>
    (await svc.api<Profile>('GET', '/v1/account', undefined, token)).body

  it('keeps the zone the computer gave at sign-up, UTC when none, and refuses one that is not a zone', async () => {
    const la = await trialLine(svc, { timeZone: 'America/Los_Angeles' })
    expect((await profile(la.token)).timeZone).toBe('America/Los_Angeles')
    const none = await trialLine(svc)
    expect((await profile(none.token)).timeZone).toBe('UTC')
    const before = await tableCounts(svc)
    for (const timeZone of ['Mars/Olympus', '+03:00', 'EST5EDT; drop table', '']) {
      const bad = (await startTrial(svc, { timeZone })).r as { status: number; body: Refusal }
      expect(bad.status, timeZone).toBe(400)
      expect(bad.body.error?.issues?.[0]?.path).toBe('timeZone')
    }
    expect(await tableCounts(svc)).toEqual(before)
  })

  it('changes the zone, and a bad one changes nothing', async () => {
    const line = await trialLine(svc, { timeZone: 'Asia/Tokyo' })
    const bad = await svc.api<Refusal>(
      'PUT',
      '/v1/account/time-zone',
      { timeZone: 'Europe/Atlantis' },
      line.token
    )
    expect(bad.status).toBe(400)
    expect(bad.body.error?.issues?.[0]).toMatchObject({ path: 'timeZone', code: 'not-allowed-value' })
    expect((await profile(line.token)).timeZone).toBe('Asia/Tokyo')
    const ok = await svc.api<Profile>(
      'PUT',
      '/v1/account/time-zone',
      { timeZone: 'America/Santiago' },
      line.token
    )
    expect(ok.status, JSON.stringify(ok.body)).toBe(200)
    expect(ok.body.timeZone).toBe('America/Santiago')
    expect((await svc.api('PUT', '/v1/account/time-zone', { timeZone: 'UTC' })).status).toBe(401)
  })

  it('counts the earliest plan-change day in Los Angeles at 20:00, when UTC is already on tomorrow', async () => {
    svc.clock.set('2026-12-04T04:00:00.000Z') // 20:00 on 3 December in Los Angeles
    const la = await trialLine(svc, { timeZone: 'America/Los_Angeles' })
    const utc = await trialLine(svc)
    for (const l of [la, utc]) await topUp(svc, l.token, 2000)
    for (const l of [la, utc])
      expect(
        (await svc.api('POST', `/v1/lines/${l.lineId}/tariff`, { planId: 'home-plus@1' }, l.token)).status
      ).toBe(200)
    const preview = (token: string, lineId: string, effectiveDate: string) =>
      svc.api<Refusal & { effectiveDate?: string }>(
        'POST',
        `/v1/lines/${lineId}/plan-change/preview`,
        { toPlanId: 'home-basic@1', effectiveDate },
        token
      )
    expect((await preview(la.token, la.lineId, '2026-12-04')).status).toBe(200)
    const early = await preview(la.token, la.lineId, '2026-12-03')
    expect(early.body.error).toMatchObject({ reason: 'too-soon', params: { date: '2026-12-04' } })
    const utcEarly = await preview(utc.token, utc.lineId, '2026-12-04')
    expect(utcEarly.body.error).toMatchObject({ reason: 'too-soon', params: { date: '2026-12-05' } })
    // Los Angeles' December fee was charged for 29 days (3..31 December), UTC's for 28.
    const fee = async (token: string) =>
      (
        await svc.api<{ entries: { kind: string; amount: { amountMinor: number } }[] }>(
          'GET',
          '/v1/balance/entries?limit=10',
          undefined,
          token
        )
      ).body.entries.find((e) => e.kind === 'recurring_fee')?.amount.amountMinor
    expect(await fee(la.token)).toBe(-Math.round((1500 * 29) / 30))
    expect(await fee(utc.token)).toBe(-1400)
  })

  it('starts a change on Santiago’s midnight-jump day at 01:00 there', async () => {
    svc.clock.set('2026-09-01T15:00:00.000Z')
    const line = await trialLine(svc, { timeZone: 'America/Santiago' })
    await topUp(svc, line.token, 2000)
    expect(
      (await svc.api('POST', `/v1/lines/${line.lineId}/tariff`, { planId: 'home-plus@1' }, line.token)).status
    ).toBe(200)
    const r = await svc.api(
      'POST',
      `/v1/lines/${line.lineId}/plan-change`,
      { toPlanId: 'home-basic@1', effectiveDate: '2026-09-06' },
      line.token
    )
    expect(r.status, JSON.stringify(r.body)).toBe(200)
    const change = await svc.service.ctx.db
      .selectFrom('scheduled_changes')
      .select(['effective_date', 'effective_at'])
      .where('status', '=', 'scheduled')
      .where('to_plan_id', '=', 'home-basic@1')
      .orderBy('requested_at', 'desc')
      .executeTakeFirstOrThrow()
    expect(change).toEqual({ effective_date: '2026-09-06', effective_at: '2026-09-06T04:00:00.000Z' })
  })

  it('makes a promised payment due when its third local day ends', async () => {
    svc.clock.set('2026-12-04T04:00:00.000Z') // 20:00 on 3 December in Los Angeles
    const line = await trialLine(svc, { timeZone: 'America/Los_Angeles' })
    const r = await svc.api<{ promisedPayment: { dueAt: string } }>(
      'POST',
      '/v1/balance/promised-payment',
      { idempotencyKey: `k-${Date.now()}-${Math.random().toString(36).slice(2)}` },
      line.token
    )
    expect(r.status, JSON.stringify(r.body)).toBe(200)
    expect(r.body.promisedPayment.dueAt).toBe('2026-12-07T08:00:00.000Z')
  })
})
