/**
 * Device upgrade offers on SQLite and PostgreSQL: a new line is told when it may take the offer and is refused
 * until then; after 90 days in service it orders once by card, ships to the billing address and gets an email; a
 * retry with the same key answers the same order without a second charge, another intent is refused, two at once
 * charge once, and a declined card leaves nothing behind.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { settleStrandedDeviceOrders } from '../../../src/server/billing/stranded'
import { DAY } from '../../../src/server/clock'
import { CARDS, charges, key, renew, signIn } from '../../support/billing-flows'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { mailbox, trialLine } from '../../support/service-flows'

interface OfferLine {
  lineId: string
  eligible: boolean
  reason: string | null
  orderId: string | null
}
interface Offers {
  offers: { id: string; offerMinor: number; regularMinor: number; lines: OfferLine[] }[]
}
interface Order {
  id: string
  lineId: string
  amountMinor: number
  status: string
  shipTo: { city: string; postalCode: string }
  error?: { code: string; reason?: string; message: string }
}

describe.each(BACKENDS)('device upgrade offers on %s', (backend) => {
  let svc: TestService
  beforeAll(async () => {
    svc = await startTestService(backend)
  })
  afterAll(() => svc.close())
  afterEach(() => svc.clock.set(new Date()))

  const offers = async (token: string) => (await svc.api<Offers>('GET', '/v1/offers', undefined, token)).body
  const order = (token: string, lineId: string, idempotencyKey = key(), card = CARDS.ok) =>
    svc.api<Order>(
      'POST',
      '/v1/offers/order',
      { idempotencyKey, offerId: 'usb-c-2027', lineId, payment: { card } },
      token
    )
  /** A line paid a year ahead, 91 days on (signed in again: sessions do not last that long). */
  const loyalLine = async () => {
    const line = await trialLine(svc)
    const paid = await renew(svc, line.token, line.lineId, 'line-1y@1', { card: CARDS.ok })
    expect(paid.status, JSON.stringify(paid.body)).toBe(201)
    svc.clock.advance(91 * DAY)
    return { ...line, token: await signIn(svc, line) }
  }
  const orders = async (accountId: string) =>
    svc.service.ctx.db.selectFrom('device_orders').selectAll().where('account_id', '=', accountId).execute()

  it('says when a new line may take the offer, and refuses it until then without charging', async () => {
    const line = await trialLine(svc)
    const [offer] = (await offers(line.token)).offers
    expect(offer).toMatchObject({ id: 'usb-c-2027', offerMinor: 1995, regularMinor: 3995 })
    expect(offer?.lines).toEqual([
      {
        lineId: line.lineId,
        phoneNumber: expect.any(String),
        eligible: false,
        why: 'too-soon',
        availableFrom: expect.stringMatching(/^\d{4}-\d\d-\d\d$/),
        reason: expect.stringMatching(
          /^available once the line has been in service for 90 days, from \d{4}-\d\d-\d\d$/
        ),
        orderId: null
      }
    ])
    const before = await charges(svc, 'upgrade:')
    const r = await order(line.token, line.lineId)
    expect(r.status).toBe(409)
    expect(r.body.error?.message).toMatch(/cannot take the offer: available once/)
    expect(await charges(svc, 'upgrade:')).toBe(before)
    expect(await orders(line.accountId)).toEqual([])
  })

  it('orders once after 90 days: same key answers the same order, another intent is refused, one charge', async () => {
    const line = await loyalLine()
    expect((await offers(line.token)).offers[0]?.lines[0]).toMatchObject({ eligible: true, reason: null })
    const before = await charges(svc, 'upgrade:')
    const k = key()
    const first = await order(line.token, line.lineId, k)
    expect(first.status, JSON.stringify(first.body)).toBe(200)
    expect(first.body).toMatchObject({ lineId: line.lineId, amountMinor: 1995, status: 'paid' })
    expect(first.body.shipTo.postalCode).toMatch(/\S/)
    const again = await order(line.token, line.lineId, k)
    expect(again.body.id).toBe(first.body.id)
    const other = await order(line.token, line.lineId)
    expect(other.status).toBe(409)
    expect(other.body.error?.message).toBe('this line has already ordered this upgrade')
    expect(await charges(svc, 'upgrade:')).toBe(before + 1)
    expect((await offers(line.token)).offers[0]?.lines[0]).toMatchObject({
      eligible: false,
      why: 'ordered',
      reason: 'already ordered',
      orderId: first.body.id
    })
    const listed = await svc.api<{ orders: Order[] }>('GET', '/v1/device-orders', undefined, line.token)
    expect(listed.body.orders.map((o) => o.id)).toEqual([first.body.id])
    expect((await mailbox(svc, line.email)).some((m) => /is on its way/.test(m.subject))).toBe(true)
  })

  it('an order cut short after the charge is finished by its retry, with its first card, or by the stranded job', async () => {
    // The processor charges, then the service fails before the paid mark (as a crash or a failed commit).
    const failAfterTheCharge = () => {
      const gateway = svc.service.ctx.gateway
      const charge = gateway.charge.bind(gateway)
      return vi.spyOn(gateway, 'charge').mockImplementationOnce(async (req) => {
        await charge(req)
        throw new Error('the service died after the charge')
      })
    }
    const cards = async (accountId: string) =>
      (
        await svc.service.ctx.db
          .selectFrom('payment_methods')
          .select('id')
          .where('account_id', '=', accountId)
          .execute()
      ).length
    const line = await loyalLine()
    const before = await charges(svc, 'upgrade:')
    const k = key()
    failAfterTheCharge()
    expect((await order(line.token, line.lineId, k)).status).toBeGreaterThanOrEqual(500)
    expect((await orders(line.accountId)).map((o) => o.status)).toEqual(['pending'])
    const kept = await cards(line.accountId)
    const retried = await order(line.token, line.lineId, k)
    expect(retried.status, JSON.stringify(retried.body)).toBe(200)
    expect(retried.body.status).toBe('paid')
    expect(await charges(svc, 'upgrade:')).toBe(before + 1)
    expect(await cards(line.accountId)).toBe(kept)
    // Nobody comes back for the next one: the billing pass finishes it once it is a minute old.
    const other = await loyalLine()
    failAfterTheCharge()
    expect((await order(other.token, other.lineId)).status).toBeGreaterThanOrEqual(500)
    expect(await settleStrandedDeviceOrders(svc.service.ctx)).toBe(0)
    svc.clock.advance(61_000)
    expect(await settleStrandedDeviceOrders(svc.service.ctx)).toBe(1)
    expect((await orders(other.accountId)).map((o) => o.status)).toEqual(['paid'])
    expect(await charges(svc, 'upgrade:')).toBe(before + 2)
    expect((await mailbox(svc, other.email)).filter((m) => /is on its way/.test(m.subject))).toHaveLength(1)
    vi.restoreAllMocks()
  })

  it('charges once when two orders for one line arrive together, and leaves nothing after a declined card', async () => {
    const line = await loyalLine()
    const declined = await order(line.token, line.lineId, key(), CARDS.declined)
    expect(declined.status).toBe(402)
    expect(await orders(line.accountId)).toEqual([])
    const before = await charges(svc, 'upgrade:')
    const both = await Promise.all([order(line.token, line.lineId), order(line.token, line.lineId)])
    expect(both.map((r) => r.status).sort()).toEqual([200, 409])
    expect(await charges(svc, 'upgrade:')).toBe(before + 1)
    expect((await orders(line.accountId)).map((o) => o.status)).toEqual(['paid'])
  })
})
