/**
 * Connected services through the service's API (issue 25 part 1), on SQLite and PostgreSQL: the catalog with each
 * line's state and fees; switching a paid service on charges the rest of the month (fixed 30 days, exact cents)
 * and needs the balance, off gives the unused days back, the history keeps both and Kamailio's view follows; five
 * switches at once make one change and one charge; the monthly job charges each month once; another account's
 * session is refused on every route and bad or hostile input changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chargeServiceFees } from '../../../src/server/services/service-fees'
import { key } from '../../support/billing-flows'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { type TrialLine, lineNumber, trialLine } from '../../support/service-flows'
import { DEC_20, type Service, WITHHELD, servicesApi } from '../../support/services-api'

describe.each(BACKENDS)('connected services on %s', (backend) => {
  let svc: TestService
  let a: TrialLine
  let b: TrialLine
  beforeAll(async () => {
    svc = await startTestService(backend)
    svc.clock.set(DEC_20)
    a = await trialLine(svc, { timeZone: 'America/New_York' })
    b = await trialLine(svc, { timeZone: 'America/New_York' })
  }, 60_000)
  afterAll(() => svc.close())

  const { list, flip, balance, history, topUp } = servicesApi(() => svc)
  const kamailioRow = async (l: TrialLine) =>
    svc.service.ctx.db
      .selectFrom('kamailio_services')
      .selectAll()
      .where('username', '=', (await lineNumber(svc, l.token, l.lineId)).slice(1))
      .executeTakeFirstOrThrow()

  it('lists the catalog with the line’s state, fees and conditions; what is on adds up', async () => {
    const r = await list(a)
    expect(r.status, JSON.stringify(r.body)).toBe(200)
    const by = Object.fromEntries(r.body.services.map((s) => [s.code, s]))
    expect(by[WITHHELD]).toMatchObject({
      enabled: false,
      free: false,
      switchable: true,
      monthlyFee: { amountMinor: 150 }
    })
    expect(by['international-calling']).toMatchObject({ enabled: true, free: true, switchable: true })
    expect(by['call-forwarding']).toMatchObject({ enabled: false, switchable: false })
    expect(by['voicemail']?.conditions).toContain('no-deposit-when-off')
    expect(r.body.monthlyTotal.amountMinor).toBe(0)
    expect(await kamailioRow(a)).toMatchObject({ caller_id_withheld: 0, international: 1, voicemail: 1 })
  })

  it('charges the rest of the month to switch on (balance needed), gives the unused days back to switch off', async () => {
    const preview = await svc.api<{ charge: { amountMinor: number }; nextPeriodDate: string }>(
      'POST',
      `/v1/lines/${a.lineId}/services/${WITHHELD}/preview`,
      { enabled: true },
      a.token
    )
    expect(preview.body).toMatchObject({ charge: { amountMinor: 60 }, nextPeriodDate: '2027-01-01' })
    const poor = await flip(a, WITHHELD, true)
    expect(poor.status).toBe(402)
    expect(poor.body.error?.reason).toBe('balance-too-low')
    expect(await history(a)).toEqual([])
    await topUp(a, 1000)
    const on = await flip(a, WITHHELD, true)
    expect(on.status, JSON.stringify(on.body)).toBe(200)
    expect(on.body.services.find((s) => s.code === WITHHELD)?.enabled).toBe(true)
    expect(on.body.monthlyTotal.amountMinor).toBe(150)
    expect(await balance(a)).toBe(940)
    expect(await kamailioRow(a)).toMatchObject({ caller_id_withheld: 1 })
    const off = await flip(a, WITHHELD, false)
    expect(off.status).toBe(200)
    expect(await balance(a)).toBe(1000)
    expect(await kamailioRow(a)).toMatchObject({ caller_id_withheld: 0 })
    expect((await history(a)).map((h) => [h.enabled, h.amount.amountMinor])).toEqual([
      [false, 60],
      [true, -60]
    ])
    const statement = await svc.api<{ entries: { memoCode: string; memoParams: Record<string, string> }[] }>(
      'GET',
      '/v1/balance/entries',
      undefined,
      a.token
    )
    expect(statement.status).toBe(200)
    expect(statement.body.entries.map((e) => e.memoCode)).toEqual(
      expect.arrayContaining(['service-fee', 'service-unused-days'])
    )
  })

  it('makes one change and one charge of five switches at once, and replays a key’s answer', async () => {
    await topUp(b, 1000)
    const k = key()
    const all = await Promise.all([k, key(), key(), key(), key()].map((x) => flip(b, WITHHELD, true, x)))
    expect(all.map((r) => r.status)).toEqual([200, 200, 200, 200, 200])
    expect(await balance(b)).toBe(940)
    expect((await flip(b, WITHHELD, true, k)).status).toBe(200)
    expect(await balance(b)).toBe(940)
    expect((await flip(b, WITHHELD, false, k)).status).toBe(409)
    expect(await history(b)).toHaveLength(1)
  })

  it('charges each month once on its first day, at the catalog’s price then', async () => {
    svc.clock.set(new Date('2027-01-01T15:00:00Z'))
    await chargeServiceFees(svc.service.ctx)
    await chargeServiceFees(svc.service.ctx)
    expect(await balance(b)).toBe(940 - 150)
    expect(await balance(a)).toBe(1000)
    svc.clock.set(DEC_20)
  })

  it('switches a paid service off when the balance does not cover its month, says why and tells the owner', async () => {
    svc.clock.set(DEC_20)
    const c = await trialLine(svc, { timeZone: 'America/New_York' })
    // The smallest top-up, 1.00, less December's 0.60: 0.40 left, short of January's 1.50.
    await topUp(c, 100)
    expect((await flip(c, WITHHELD, true)).status).toBe(200)
    expect(await balance(c)).toBe(40)

    svc.clock.set(new Date('2027-01-01T15:00:00Z'))
    expect(await chargeServiceFees(svc.service.ctx)).toBe(0)
    // Nothing charged: the balance stays as it was, the service is off, for this reason, since the job ran.
    expect(await balance(c)).toBe(40)
    const off = (await list(c)).body.services.find((s) => s.code === WITHHELD) as Service & {
      offReason: string | null
      since: string | null
    }
    expect([off.enabled, off.offReason, off.since]).toEqual([false, 'unpaid', '2027-01-01T15:00:00.000Z'])
    expect((await list(c)).body.monthlyTotal.amountMinor).toBe(0)
    expect((await kamailioRow(c)).caller_id_withheld).toBe(0)
    const [latest] = (await history(c)) as (Awaited<ReturnType<typeof history>>[number] & {
      reason: unknown
    })[]
    expect([latest?.enabled, latest?.amount.amountMinor, latest?.reason]).toEqual([false, 0, 'unpaid'])
    // The owner is told once, in words: the service, the line, what the month costs and what the balance held.
    const told = () =>
      svc.service.ctx.db
        .selectFrom('outbox')
        .select(['recipient', 'subject', 'body'])
        .where('purpose', '=', 'service-unpaid')
        .where('recipient', '=', c.email)
        .execute()
    const number = await lineNumber(svc, c.token, c.lineId)
    const [mail, ...more] = await told()
    expect(more).toHaveLength(0)
    expect(mail?.subject).toBe(`Caller ID withheld by default is off on your line ${number}`)
    expect(mail?.body).toContain(
      `Your balance ($0.40) did not cover this month’s fee of $1.50 for Caller ID withheld by default on your line ${number}`
    )
    expect(mail?.body).toContain('Account → Overview → Balance')
    // A second pass: nothing more charged, switched or told.
    expect(await chargeServiceFees(svc.service.ctx)).toBe(0)
    expect(await history(c)).toHaveLength(2)
    expect(await told()).toHaveLength(1)

    // Topped up, the person switches it on again: January's whole month, and the reason is gone.
    await topUp(c, 150)
    expect((await flip(c, WITHHELD, true)).status).toBe(200)
    expect(await balance(c)).toBe(40)
    const on = (await list(c)).body.services.find((s) => s.code === WITHHELD) as Service & {
      offReason: unknown
    }
    expect([on.enabled, on.offReason]).toEqual([true, null])
    // Switched off by the person: no reason, their share back.
    expect((await flip(c, WITHHELD, false)).status).toBe(200)
    const mine = (await list(c)).body.services.find((s) => s.code === WITHHELD) as Service & {
      offReason: unknown
    }
    expect([mine.enabled, mine.offReason]).toEqual([false, null])
    const [last] = await history(c)
    expect(last?.reason).toBeNull()
    svc.clock.set(DEC_20)
  })

  it('leaves a lapsed line’s service as it is: not charged, not switched off, nobody told', async () => {
    svc.clock.set(DEC_20)
    const e = await trialLine(svc, { timeZone: 'America/New_York' })
    await topUp(e, 100)
    expect((await flip(e, WITHHELD, true)).status).toBe(200)
    await svc.service.ctx.db
      .updateTable('lines')
      .set({ status: 'lapsed' })
      .where('id', '=', e.lineId)
      .execute()
    svc.clock.set(new Date('2027-01-01T15:00:00Z'))
    await chargeServiceFees(svc.service.ctx)
    const row = (await list(e)).body.services.find((s) => s.code === WITHHELD) as Service & {
      offReason: unknown
    }
    expect([row.enabled, row.offReason]).toEqual([true, null])
    expect(await balance(e)).toBe(40)
    expect(await history(e)).toHaveLength(1)
    const told = await svc.service.ctx.db
      .selectFrom('outbox')
      .select('id')
      .where('purpose', '=', 'service-unpaid')
      .where('recipient', '=', e.email)
      .execute()
    expect(told).toHaveLength(0)
    svc.clock.set(DEC_20)
  })

  it('tells the owner of a retired service switched off that it cannot be switched on again', async () => {
    svc.clock.set(DEC_20)
    const f = await trialLine(svc, { timeZone: 'America/New_York' })
    await topUp(f, 100)
    expect((await flip(f, WITHHELD, true)).status).toBe(200)
    await svc.service.ctx.db
      .updateTable('service_catalog')
      .set({ retired_at: DEC_20.toISOString() })
      .where('code', '=', WITHHELD)
      .execute()
    try {
      svc.clock.set(new Date('2027-01-01T15:00:00Z'))
      await chargeServiceFees(svc.service.ctx)
      const [mail] = await svc.service.ctx.db
        .selectFrom('outbox')
        .select('body')
        .where('purpose', '=', 'service-unpaid')
        .where('recipient', '=', f.email)
        .execute()
      expect(mail?.body).toContain('This service is no longer offered, so it cannot be switched on again.')
      expect(mail?.body).not.toContain('Switch on')
    } finally {
      await svc.service.ctx.db
        .updateTable('service_catalog')
        .set({ retired_at: null })
        .where('code', '=', WITHHELD)
        .execute()
      svc.clock.set(DEC_20)
    }
  })

  it('refuses another account’s session on every route, and a request without one', async () => {
    const theirs = [
      ['GET', `/v1/lines/${a.lineId}/services`, undefined],
      ['POST', `/v1/lines/${a.lineId}/services/${WITHHELD}/preview`, { enabled: true }],
      ['POST', `/v1/lines/${a.lineId}/services/${WITHHELD}`, { enabled: true, idempotencyKey: key() }],
      ['GET', `/v1/lines/${a.lineId}/services-history`, undefined]
    ] as const
    for (const [method, path, body] of theirs) {
      const r = await svc.api<{ error: { reason: string } }>(method, path, body, b.token)
      expect(r.status, path).toBe(404)
      expect(r.body.error.reason).toBe('line-not-found')
      expect((await svc.api(method, path, body)).status, path).toBe(401)
    }
    expect((await kamailioRow(a)).caller_id_withheld).toBe(0)
    expect(await balance(a)).toBe(1000)
  })

  it('refuses bad and hostile input with a reason and changes nothing', async () => {
    const before = await history(a)
    const bad = [
      [`/v1/lines/${a.lineId}/services/${encodeURIComponent("x'; drop table lines;--")}`, 400],
      [`/v1/lines/${a.lineId}/services/${'a'.repeat(300)}`, 414],
      [`/v1/lines/${a.lineId}/services/no-such-service`, 404],
      [`/v1/lines/${a.lineId}/services/call-forwarding`, 409],
      [`/v1/lines/${encodeURIComponent('../../etc')}/services/${WITHHELD}`, 400]
    ] as const
    for (const [path, status] of bad)
      expect(
        (await svc.api('POST', path, { enabled: true, idempotencyKey: key() }, a.token)).status,
        path
      ).toBe(status)
    for (const body of [
      { enabled: 'yes', idempotencyKey: key() },
      { enabled: true },
      { enabled: true, idempotencyKey: key(), priceMinor: 0 },
      { enabled: true, idempotencyKey: '<script>' }
    ])
      expect(
        (await svc.api('POST', `/v1/lines/${a.lineId}/services/${WITHHELD}`, body, a.token)).status
      ).toBe(400)
    expect(await history(a)).toEqual(before)
    expect(await balance(a)).toBe(1000)
  })
})
