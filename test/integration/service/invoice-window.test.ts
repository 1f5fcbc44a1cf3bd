/**
 * A business's invoices when its time zone moves between two months, on SQLite and PostgreSQL (attacker review 37,
 * M1): each invoice covers its month in the account's zone, joined to its neighbours, so a charge made in the up to
 * 26 hours a move shifts is on exactly one numbered invoice, whichever way the zone moved and in whichever order
 * the months are issued; each month starts at the instant the one before ended.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { issueEndedMonths, issueInvoice } from '../../../src/server/business/invoices'
import { key, signIn, topUp } from '../../support/billing-flows'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { type TrialLine, trialLine } from '../../support/service-flows'

const EAST = 'Pacific/Kiritimati' // UTC+14
const WEST = 'Etc/GMT+12' // UTC-12

describe.each(BACKENDS)('invoice windows across a time zone move on %s', (backend) => {
  let svc: TestService
  beforeAll(async () => {
    svc = await startTestService(backend)
  }, 60_000)
  afterAll(() => svc.close())

  const at = (iso: string) => svc.clock.set(new Date(iso))
  const invoices = (accountId: string) =>
    svc.service.ctx.db
      .selectFrom('invoices')
      .select(['period', 'content', 'starts_at', 'ends_at'])
      .where('account_id', '=', accountId)
      .orderBy('period')
      .execute()
  /** The months whose invoice lists the minutes pack. */
  const invoicedIn = async (accountId: string) =>
    (await invoices(accountId))
      .filter((i) =>
        (JSON.parse(i.content ?? '{}') as { lines: { code: string }[] }).lines.some(
          (l) => l.code === 'minutes-pack'
        )
      )
      .map((i) => i.period)
  const business = async (name: string, timeZone: string) => {
    at('2027-02-10T12:00:00Z')
    const b = await trialLine(svc, { accountType: 'business', name, timeZone })
    await topUp(svc, b.token, 2000)
    return b
  }
  const buyPack = async (b: TrialLine) => {
    const pack = await svc.api(
      'POST',
      '/v1/balance/minutes',
      { idempotencyKey: key(), planId: 'intl-100@1' },
      b.token
    )
    expect(pack.status, JSON.stringify(pack.body)).toBe(200)
  }
  const moveTo = async (b: TrialLine, timeZone: string) => {
    // Signed in again: a session from February has expired by April.
    const z = await svc.api('PUT', '/v1/account/time-zone', { timeZone }, await signIn(svc, b))
    expect(z.status, JSON.stringify(z.body)).toBe(200)
  }
  const chained = async (accountId: string) => {
    const [feb, mar] = await invoices(accountId)
    expect([feb?.period, mar?.period]).toEqual(['2027-02', '2027-03'])
    expect(mar?.starts_at).toBe(feb?.ends_at)
  }

  it('puts a charge on one invoice when the zone moves east after the first (it was on both)', async () => {
    const b = await business('Ada West', WEST)
    // 28 February 11:00 UTC: the 27th in UTC-12, already 1 March in UTC+14.
    at('2027-02-28T11:00:00Z')
    await buyPack(b)
    // February ends in UTC-12 at 1 March 12:00 UTC: its invoice; then the move east.
    at('2027-03-01T13:00:00Z')
    await issueEndedMonths(svc.service.ctx)
    await moveTo(b, EAST)
    at('2027-04-01T13:00:00Z')
    await issueEndedMonths(svc.service.ctx)
    expect(await invoicedIn(b.accountId)).toEqual(['2027-02'])
    await chained(b.accountId)
  })

  it('puts a charge on one invoice when the zone moves west after the first (it was on none)', async () => {
    const b = await business('Bea East', EAST)
    // February ends in UTC+14 at 28 February 10:00 UTC: its invoice, then the move west.
    at('2027-02-28T10:20:00Z')
    await issueEndedMonths(svc.service.ctx)
    await moveTo(b, WEST)
    // Still 27 February in UTC-12, and after February's invoice: March's.
    at('2027-02-28T11:00:00Z')
    await buyPack(b)
    at('2027-04-01T13:00:00Z')
    await issueEndedMonths(svc.service.ctx)
    expect(await invoicedIn(b.accountId)).toEqual(['2027-03'])
    await chained(b.accountId)
  })

  it('joins the months the same way when the later one is issued first', async () => {
    const b = await business('Cy West', WEST)
    at('2027-02-28T11:00:00Z')
    await buyPack(b)
    // An operator issues March first (from 1 March 12:00 UTC in UTC-12), then the zone moves east, then February
    // (which would end at 28 February 10:00 UTC in UTC+14, before the pack).
    at('2027-04-01T13:00:00Z')
    await issueInvoice(svc.service.ctx, b.accountId, '2027-03', 'operator:test')
    await moveTo(b, EAST)
    await issueInvoice(svc.service.ctx, b.accountId, '2027-02', 'operator:test')
    expect(await invoicedIn(b.accountId)).toEqual(['2027-02'])
    await chained(b.accountId)
  })
})
