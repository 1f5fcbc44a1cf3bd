/**
 * The monthly fees job of connected services (src/server/services/service-fees.ts), on SQLite and PostgreSQL, with
 * the line's coverage as the grants make it and its state as the sweeper derives it: a line whose coverage ended a
 * moment before the pass is not charged; a line back in service after the month's start (its coverage, its 911
 * address or a suspension's end) pays the rest of that month from the day it came back, however late the pass,
 * the next month whole; when the balance covers one of two services the one switched on first stays on, and
 * everything switched off in a pass is told in one email (none when the owner turned payment problems off, the
 * app still saying why); a service that keeps failing holds back none of the account's others; the job racing the
 * person's switch and top-ups leaves the money exact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chargeServiceFees } from '../../../src/server/services/service-fees'
import { balanceOf } from '../../../src/server/billing/balance'
import { sweepLines } from '../../../src/server/provisioning/line-sweep'
import { restoreLine, suspendLine } from '../../../src/server/ops/accounts/suspend'
import { newId } from '../../../src/server/secrets'
import { failingFor } from '../../support/failing-db'
import { key, signIn, topUp as topUpBy } from '../../support/billing-flows'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { type TrialLine, US_ADDRESS, addRetailLine, lineNumber, trialLine } from '../../support/service-flows'

interface ServiceRow {
  code: string
  enabled: boolean
  offReason: string | null
}

/** 20 December in New York: 12 days left, so a 1.50 fee's share is 150 x 12 / 30 = 60 exactly. */
const DEC_20 = new Date('2026-12-20T17:00:00Z')
const JAN_1 = new Date('2027-01-01T15:00:00Z')
const WITHHELD = 'caller-id-withheld'
const WAITING = 'call-waiting'

describe.each(BACKENDS)('the monthly fees of connected services on %s', (backend) => {
  let svc: TestService
  beforeAll(async () => {
    svc = await startTestService(backend)
  }, 60_000)
  afterAll(() => svc.close())

  const db = () => svc.service.ctx.db
  const at = (iso: string | Date) => svc.clock.set(new Date(iso))
  const flip = (token: string, lineId: string, code: string, enabled: boolean) =>
    svc.api<{ error?: { reason: string } }>(
      'POST',
      `/v1/lines/${lineId}/services/${code}`,
      { enabled, idempotencyKey: key() },
      token
    )
  const switchOn = async (l: TrialLine, code = WITHHELD, lineId = l.lineId) => {
    const r = await flip(l.token, lineId, code, true)
    expect(r.status, JSON.stringify(r.body)).toBe(200)
  }
  const topUp = (token: string, amountMinor: number) => topUpBy(svc, token, amountMinor)
  // Read from the ledger and the tables: the sessions of December have expired by March.
  const ledger = (l: TrialLine) => balanceOf(svc.service.ctx, l.accountId)
  const state = (lineId: string, code = WITHHELD) =>
    db()
      .selectFrom('line_services')
      .select(['enabled', 'fee_month', 'off_reason'])
      .where('line_id', '=', lineId)
      .where('code', '=', code)
      .executeTakeFirstOrThrow()
  const status = async (lineId: string) =>
    (await db().selectFrom('lines').select('status').where('id', '=', lineId).executeTakeFirstOrThrow())
      .status
  const told = (email: string) =>
    db()
      .selectFrom('outbox')
      .select(['subject', 'body'])
      .where('purpose', '=', 'service-unpaid')
      .where('recipient', '=', email)
      .execute()
  /** The line's coverage ends at `iso` (its trial's grant moved), as if its paid time ran out then. */
  const coverageEnds = (lineId: string, iso: string) =>
    db().updateTable('coverage_grants').set({ ends_at: iso }).where('line_id', '=', lineId).execute()
  /** Paid time from `from` to `to`, as an operator's grant gives it. */
  const cover = (lineId: string, from: string, to: string) =>
    db()
      .insertInto('coverage_grants')
      .values({
        id: newId('cg'),
        line_id: lineId,
        starts_at: new Date(from).toISOString(),
        ends_at: new Date(to).toISOString(),
        source_type: 'admin',
        source_id: newId('adm'),
        voided_at: null,
        created_at: new Date(from).toISOString()
      })
      .execute()

  /** A line in New York with 10.00, caller ID withheld switched on on 20 December, and January charged: 7.90 left. */
  const chargedForJanuary = async (): Promise<TrialLine> => {
    at(DEC_20)
    const l = await trialLine(svc, { timeZone: 'America/New_York' })
    await topUp(l.token, 1000)
    await switchOn(l)
    at(JAN_1)
    await chargeServiceFees(svc.service.ctx)
    expect(await ledger(l)).toBe(940 - 150)
    return l
  }

  it('charges nothing for a line whose coverage ended a moment before the pass, though its state says in service', async () => {
    at(DEC_20)
    const l = await trialLine(svc, { timeZone: 'America/New_York' })
    await topUp(l.token, 1000)
    await switchOn(l)
    await coverageEnds(l.lineId, '2027-01-01T14:59:00Z')
    at(JAN_1)
    // The sweeper has not run: the stored state still says in service.
    expect(await status(l.lineId)).toBe('in_service')
    expect(await chargeServiceFees(svc.service.ctx)).toBe(0)
    expect(await ledger(l)).toBe(940)
    expect(await state(l.lineId)).toMatchObject({ enabled: 1, fee_month: '2026-12', off_reason: null })
    expect(await told(l.email)).toHaveLength(0)
  })

  it('charges a line that lapsed after the month’s start and came back the next month the rest of that month', async () => {
    const l = await chargedForJanuary()
    // The trial ends on 19 January: lapsed, and February is not charged while it is.
    at('2027-01-25T15:00:00Z')
    await sweepLines(svc.service.ctx)
    expect(await status(l.lineId)).toBe('lapsed')
    at('2027-02-01T15:00:00Z')
    await chargeServiceFees(svc.service.ctx)
    expect(await ledger(l)).toBe(790)
    // Back on 15 February: 14 days of February left, 150 x 14 / 30 = 70 (the whole month before the fix).
    at('2027-02-15T15:00:00Z')
    await cover(l.lineId, '2027-02-15T15:00:00Z', '2027-04-15T15:00:00Z')
    await sweepLines(svc.service.ctx)
    expect(await status(l.lineId)).toBe('in_service')
    expect(await chargeServiceFees(svc.service.ctx)).toBe(1)
    expect(await ledger(l)).toBe(790 - 70)
    // In service at March's start: March whole, once.
    at('2027-03-01T15:00:00Z')
    await chargeServiceFees(svc.service.ctx)
    await chargeServiceFees(svc.service.ctx)
    expect(await ledger(l)).toBe(790 - 70 - 150)
  })

  it('charges a line back after a whole month out the rest of the month it is back in', async () => {
    at(DEC_20)
    const l = await trialLine(svc, { timeZone: 'America/New_York' })
    await topUp(l.token, 200)
    await switchOn(l)
    await coverageEnds(l.lineId, '2026-12-26T17:00:00Z')
    at('2026-12-27T15:00:00Z')
    await sweepLines(svc.service.ctx)
    at(JAN_1)
    await chargeServiceFees(svc.service.ctx)
    expect(await ledger(l)).toBe(140)
    // Back on 10 February: 19 of 30 days of 1.50 is 0.95.
    at('2027-02-10T15:00:00Z')
    await cover(l.lineId, '2027-02-10T15:00:00Z', '2027-04-10T15:00:00Z')
    await sweepLines(svc.service.ctx)
    expect(await chargeServiceFees(svc.service.ctx)).toBe(1)
    expect(await ledger(l)).toBe(140 - 95)
    expect(await state(l.lineId)).toMatchObject({ enabled: 1, fee_month: '2027-02' })
  })

  it('gives back a share of the price a month was charged at when the job finds that month already charged', async () => {
    const l = await chargedForJanuary()
    // The state says December though January's entry is there (a zone moved east over the month's start and back,
    // with a switch off and on between), and the price has risen since January was charged.
    await db()
      .updateTable('line_services')
      .set({ fee_month: '2026-12', fee_price_minor: 150 })
      .where('line_id', '=', l.lineId)
      .where('code', '=', WITHHELD)
      .execute()
    await db().updateTable('service_catalog').set({ price_minor: 300 }).where('code', '=', WITHHELD).execute()
    try {
      at('2027-01-02T15:00:00Z')
      expect(await chargeServiceFees(svc.service.ctx)).toBe(0)
      expect(await ledger(l)).toBe(790)
      expect(await state(l.lineId)).toMatchObject({ enabled: 1, fee_month: '2027-01' })
      // Off on 20 January, 12 days left: 150 x 12 / 30 back, not 300 x 12 / 30.
      at('2027-01-20T17:00:00Z')
      const off = await flip(await signIn(svc, l), l.lineId, WITHHELD, false)
      expect(off.status, JSON.stringify(off.body)).toBe(200)
      expect(await ledger(l)).toBe(790 + 60)
    } finally {
      await db()
        .updateTable('service_catalog')
        .set({ price_minor: 150 })
        .where('code', '=', WITHHELD)
        .execute()
    }
  })

  it('keeps on the service switched on first when the balance covers one, and tells the owner once of the rest', async () => {
    // A second paid service for this test: call waiting at 1.50 a month, off for a new line. Its feature sorts
    // before caller ID's, so an order by feature (or by nothing) would keep it instead.
    await db()
      .updateTable('service_catalog')
      .set({ price_minor: 150, default_on: 0 })
      .where('code', '=', WAITING)
      .execute()
    try {
      at(DEC_20)
      const owner = await trialLine(svc, { timeZone: 'America/New_York' })
      const second = (await addRetailLine(svc, owner.token)).lineId
      const e911 = await svc.api('PUT', `/v1/lines/${second}/e911`, { address: US_ADDRESS }, owner.token)
      expect(e911.status, JSON.stringify(e911.body)).toBe(200)
      expect(await status(second)).toBe('in_service')
      // 4.20 less December's three shares of 0.60: 2.40, January's first 1.50 and not a second.
      await topUp(owner.token, 420)
      await switchOn(owner)
      at('2026-12-20T17:01:00Z')
      await switchOn(owner, WAITING)
      at('2026-12-20T17:02:00Z')
      await switchOn(owner, WITHHELD, second)
      expect(await ledger(owner)).toBe(240)
      at(JAN_1)
      expect(await chargeServiceFees(svc.service.ctx)).toBe(1)
      expect(await ledger(owner)).toBe(90)
      expect(await state(owner.lineId)).toMatchObject({ enabled: 1, fee_month: '2027-01' })
      expect(await state(owner.lineId, WAITING)).toMatchObject({ enabled: 0, off_reason: 'unpaid' })
      expect(await state(second)).toMatchObject({ enabled: 0, off_reason: 'unpaid' })
      // One email for the pass, listing both with their line and their month's fee.
      const first = await lineNumber(svc, owner.token, owner.lineId)
      const other = await lineNumber(svc, owner.token, second)
      const mails = await told(owner.email)
      expect(mails).toHaveLength(1)
      expect(mails[0]?.subject).toBe('Some of your paid services are off')
      expect(mails[0]?.body).toContain(
        'Your balance ($0.90) did not cover this month’s fees for the services below'
      )
      expect(mails[0]?.body).toContain(
        `  - Call waiting on your line ${first}: $1.50 this month\n  - Caller ID withheld by default on your line ${other}: $1.50 this month`
      )
      expect(mails[0]?.body).toContain(
        'To have them again, top up in Dialtone → Account → Overview → Balance'
      )
      // A second pass: nothing more switched or told.
      await chargeServiceFees(svc.service.ctx)
      expect(await told(owner.email)).toHaveLength(1)
      expect(await ledger(owner)).toBe(90)
    } finally {
      await db()
        .updateTable('service_catalog')
        .set({ price_minor: 0, default_on: 1 })
        .where('code', '=', WAITING)
        .execute()
    }
  })

  it('charges a line suspended over the month’s start from the day it is restored', async () => {
    at(DEC_20)
    const l = await trialLine(svc, { timeZone: 'America/New_York' })
    await cover(l.lineId, '2026-12-20T17:00:00Z', '2027-06-01T00:00:00Z')
    await topUp(l.token, 1000)
    await switchOn(l)
    at('2026-12-28T15:00:00Z')
    await suspendLine(svc.service.ctx, l.lineId, 'opr_test', 'a test')
    at(JAN_1)
    await chargeServiceFees(svc.service.ctx)
    expect(await ledger(l)).toBe(940)
    // Restored on 10 February: 19 of 30 days of 1.50 is 0.95, though the line was covered all along.
    at('2027-02-10T15:00:00Z')
    await restoreLine(svc.service.ctx, l.lineId, 'opr_test', 'a test')
    expect(await status(l.lineId)).toBe('in_service')
    // A pass a few days late charges what a pass that day would have.
    at('2027-02-12T15:00:00Z')
    expect(await chargeServiceFees(svc.service.ctx)).toBe(1)
    expect(await ledger(l)).toBe(940 - 95)
  })

  it('charges a line without a 911 address at the month’s start from the day one is registered', async () => {
    at(DEC_20)
    const l = await trialLine(svc, { timeZone: 'America/New_York' })
    await cover(l.lineId, '2026-12-20T17:00:00Z', '2027-06-01T00:00:00Z')
    await topUp(l.token, 1000)
    await switchOn(l)
    at(JAN_1)
    await chargeServiceFees(svc.service.ctx)
    expect(await ledger(l)).toBe(790)
    // The address is gone on 25 January (as a move of the number to another country takes it): no service.
    at('2027-01-25T15:00:00Z')
    await db()
      .updateTable('e911_addresses')
      .set({ superseded_at: '2027-01-25T15:00:00.000Z' })
      .where('line_id', '=', l.lineId)
      .where('superseded_at', 'is', null)
      .execute()
    await sweepLines(svc.service.ctx, { slice: 1_000_000 })
    expect(await status(l.lineId)).not.toBe('in_service')
    // A new address on 20 February: 9 of 30 days of 1.50 is 0.45.
    at('2027-02-20T15:00:00Z')
    const token = await signIn(svc, l)
    const e911 = await svc.api('PUT', `/v1/lines/${l.lineId}/e911`, { address: US_ADDRESS }, token)
    expect(e911.status, JSON.stringify(e911.body)).toBe(200)
    expect(await status(l.lineId)).toBe('in_service')
    expect(await chargeServiceFees(svc.service.ctx)).toBe(1)
    expect(await ledger(l)).toBe(790 - 45)
  })

  it('charges an account’s other services when one keeps failing, and that one on the next pass', async () => {
    at(DEC_20)
    const owner = await trialLine(svc, { timeZone: 'America/New_York' })
    const second = (await addRetailLine(svc, owner.token)).lineId
    const e911 = await svc.api('PUT', `/v1/lines/${second}/e911`, { address: US_ADDRESS }, owner.token)
    expect(e911.status, JSON.stringify(e911.body)).toBe(200)
    await topUp(owner.token, 1000)
    await switchOn(owner)
    await switchOn(owner, WITHHELD, second)
    at(JAN_1)
    // Every statement about the first line fails, as a database would: the account's pass is undone, the second
    // line's month charged on its own all the same, the failure logged with its item and a code.
    const from = svc.logged.length
    expect(await chargeServiceFees(failingFor(svc.service.ctx, owner.lineId))).toBe(1)
    expect(svc.logged.slice(from).join('\n')).toMatch(
      new RegExp(`service-fees: ${owner.lineId}:caller-id-withheld failed \\(database-40p01\\)`)
    )
    expect(await state(second)).toMatchObject({ enabled: 1, fee_month: '2027-01' })
    expect(await state(owner.lineId)).toMatchObject({ enabled: 1, fee_month: '2026-12' })
    expect(await ledger(owner)).toBe(1000 - 120 - 150)
    expect(await chargeServiceFees(svc.service.ctx)).toBe(1)
    expect(await ledger(owner)).toBe(1000 - 120 - 300)
  })

  it('switches off without an email when the owner turned payment problems off, and the app still says why', async () => {
    at(DEC_20)
    const l = await trialLine(svc, { timeZone: 'America/New_York' })
    const quiet = await svc.api('PATCH', '/v1/account/notifications', { paymentProblems: false }, l.token)
    expect(quiet.status, JSON.stringify(quiet.body)).toBe(200)
    await topUp(l.token, 100)
    await switchOn(l)
    at(JAN_1)
    await chargeServiceFees(svc.service.ctx)
    expect(await told(l.email)).toHaveLength(0)
    const list = await svc.api<{ services: ServiceRow[] }>(
      'GET',
      `/v1/lines/${l.lineId}/services`,
      undefined,
      l.token
    )
    expect(list.body.services.find((s) => s.code === WITHHELD)).toMatchObject({
      enabled: false,
      offReason: 'unpaid'
    })
    expect(await ledger(l)).toBe(40)
  })

  it('leaves the money exact when the job races the person’s switch off and a top-up', async () => {
    at(DEC_20)
    const accounts: TrialLine[] = []
    for (let i = 0; i < 3; i++) {
      const l = await trialLine(svc, { timeZone: 'America/New_York' })
      // 2.10 less December's 0.60: exactly January's 1.50.
      await topUp(l.token, 210)
      await switchOn(l)
      accounts.push(l)
    }
    at(JAN_1)
    at(DEC_20)
    // And three whose balance is short of January until a top-up arrives, which races the job.
    const short: TrialLine[] = []
    for (let i = 0; i < 3; i++) {
      const l = await trialLine(svc, { timeZone: 'America/New_York' })
      await topUp(l.token, 100)
      await switchOn(l)
      short.push(l)
    }
    at(JAN_1)
    await Promise.all([
      chargeServiceFees(svc.service.ctx),
      chargeServiceFees(svc.service.ctx),
      ...accounts.flatMap((l) => [flip(l.token, l.lineId, WITHHELD, false), topUp(l.token, 100)]),
      ...short.map((l) => topUp(l.token, 150))
    ])
    await chargeServiceFees(svc.service.ctx)
    for (const l of accounts) {
      // Charged and given back whole (off on the 1st), or never charged: 1.50 and the top-up, whichever came first.
      expect(await ledger(l)).toBe(250)
      expect(await state(l.lineId)).toMatchObject({ enabled: 0, off_reason: null })
      const fees = await db()
        .selectFrom('balance_entries')
        .select('amount_minor')
        .where('account_id', '=', l.accountId)
        .where('kind', 'in', ['service_fee', 'service_credit'])
        .execute()
      // December's share, and January's fee with its credit or neither.
      expect(fees.map((f) => Number(f.amount_minor)).reduce((a, b) => a + b, 0)).toBe(-60)
      expect(fees.length === 1 || fees.length === 3).toBe(true)
      expect(await told(l.email)).toHaveLength(0)
    }
    for (const l of short) {
      // 0.40 left after December, 1.50 topped up: January charged (the top-up first) or the service switched off
      // (the job first), never both, never neither, and the balance never below zero.
      const s = await state(l.lineId)
      const mails = await told(l.email)
      if (s.enabled === 1) {
        expect([s.fee_month, await ledger(l), mails.length]).toEqual(['2027-01', 40, 0])
      } else {
        expect([s.off_reason, await ledger(l), mails.length]).toEqual(['unpaid', 190, 1])
      }
    }
  }, 60_000)
})
