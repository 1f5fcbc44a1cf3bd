/**
 * Re-Up vouchers on SQLite and PostgreSQL: the lifecycle (only sold cards redeem), one uniform refusal, single
 * redemption under concurrency, blocking and expiry, and the PIN never stored.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  activateAtTill,
  blockBatch,
  createBatch,
  expireVouchers,
  shipBatch
} from '../../../src/server/billing/vouchers'
import { DAY } from '../../../src/server/clock'
import { key, subscription } from '../../support/billing-flows'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { trialLine } from '../../support/service-flows'

describe.each(BACKENDS)('Re-Up vouchers on %s', (backend) => {
  let svc: TestService
  beforeAll(async () => {
    svc = await startTestService(backend)
  })
  afterAll(() => svc.close())
  afterEach(() => svc.clock.set(new Date()))

  const batch = (size = 3, days = 365) =>
    createBatch(svc.service.ctx, {
      name: 'test',
      planId: 'line-1y@1',
      size,
      expiresAt: new Date(svc.clock.now().getTime() + days * DAY)
    })
  const redeem = (token: string, lineId: string, code: string, idempotencyKey = key()) =>
    svc.api<{ paidThrough: string; error?: { message: string; reason: string } }>(
      'POST',
      '/v1/vouchers/redeem',
      { idempotencyKey, code, lineId },
      token
    )

  it('refuses a card that would pay the line past six years ahead, and leaves the card unspent', async () => {
    const { batchId, cards } = await batch(7)
    await shipBatch(svc.service.ctx, batchId)
    for (const c of cards) await activateAtTill(svc.service.ctx, c.serial)
    const line = await trialLine(svc)
    const answers: number[] = []
    for (const c of cards) answers.push((await redeem(line.token, line.lineId, c.pin)).status)
    // The trial month plus five years fit; the sixth year would not.
    expect(answers).toEqual([200, 200, 200, 200, 200, 409, 409])
    const last = cards[6]
    if (!last) throw new Error('no card')
    const refused = await redeem(line.token, line.lineId, last.pin)
    expect(refused.body.error?.reason).toBe('coverage-cap')
    const state = await svc.service.ctx.db
      .selectFrom('vouchers')
      .select('state')
      .where('serial', '=', last.serial)
      .executeTakeFirstOrThrow()
    expect(state.state).toBe('active')
  })

  it('redeems only a card sold at the till, once, extending the line by the plan', async () => {
    const { batchId, cards } = await batch()
    const [card] = cards
    if (!card) throw new Error('no card')
    const line = await trialLine(svc)
    const before = await subscription(svc, line.token, line.lineId)
    const generated = await redeem(line.token, line.lineId, card.pin)
    expect(generated.status).toBe(400)
    await shipBatch(svc.service.ctx, batchId)
    const inactive = await redeem(line.token, line.lineId, card.pin)
    expect(inactive.body).toEqual(generated.body)
    expect(await activateAtTill(svc.service.ctx, card.serial)).toBe(1)
    const ok = await redeem(
      line.token,
      line.lineId,
      `${card.pin.slice(0, 4)}-${card.pin.slice(4, 8)} ${card.pin.slice(8)}`
    )
    expect(ok.status, JSON.stringify(ok.body)).toBe(200)
    const expected = new Date(before.coverage.paidThrough ?? '')
    expected.setUTCFullYear(expected.getUTCFullYear() + 1)
    expect(ok.body.paidThrough).toBe(expected.toISOString())
    const again = await redeem(line.token, line.lineId, card.pin)
    expect(again.status).toBe(400)
    expect(again.body).toEqual(generated.body)
    expect(generated.body.error?.message).toBe('this code is invalid or has already been used')
  })

  it('gives the same answer for a wrong, a used, a blocked and an expired code', async () => {
    const line = await trialLine(svc)
    const a = await batch(2)
    await shipBatch(svc.service.ctx, a.batchId)
    for (const c of a.cards) await activateAtTill(svc.service.ctx, c.serial)
    await blockBatch(svc.service.ctx, a.batchId)
    const blocked = await redeem(line.token, line.lineId, a.cards[0]?.pin ?? '')
    const wrong = await redeem(line.token, line.lineId, '0000000000000000')
    const short = await redeem(line.token, line.lineId, '1234')
    const b = await batch(1, 1)
    await shipBatch(svc.service.ctx, b.batchId)
    await activateAtTill(svc.service.ctx, b.cards[0]?.serial ?? '')
    svc.clock.advance(2 * DAY)
    expect(await expireVouchers(svc.service.ctx)).toBe(1)
    const expired = await redeem(line.token, line.lineId, b.cards[0]?.pin ?? '')
    for (const r of [blocked, wrong, short, expired]) {
      expect(r.status).toBe(400)
      expect(r.body).toEqual(wrong.body)
    }
    const states = await svc.service.ctx.db
      .selectFrom('vouchers')
      .select('state')
      .where('batch_id', 'in', [a.batchId, b.batchId])
      .execute()
    expect(states.map((s) => s.state).sort()).toEqual(['blocked', 'blocked', 'expired'])
  })

  it('refuses forbidden moves with the states named', async () => {
    const { batchId, cards } = await batch(1)
    const serial = cards[0]?.serial ?? ''
    await expect(activateAtTill(svc.service.ctx, serial)).rejects.toThrow(
      /is generated: it cannot become active/
    )
    await shipBatch(svc.service.ctx, batchId)
    await blockBatch(svc.service.ctx, batchId)
    await expect(activateAtTill(svc.service.ctx, serial)).rejects.toThrow(
      /is blocked: it cannot become active/
    )
  })

  it('lets exactly one of two accounts racing one PIN win', async () => {
    const { batchId, cards } = await batch(1)
    await shipBatch(svc.service.ctx, batchId)
    await activateAtTill(svc.service.ctx, cards[0]?.serial ?? '')
    const [x, y] = await Promise.all([trialLine(svc), trialLine(svc)])
    const results = await Promise.all([
      redeem(x.token, x.lineId, cards[0]?.pin ?? ''),
      redeem(y.token, y.lineId, cards[0]?.pin ?? ''),
      redeem(x.token, x.lineId, cards[0]?.pin ?? ''),
      redeem(y.token, y.lineId, cards[0]?.pin ?? '')
    ])
    expect(results.filter((r) => r.status === 200)).toHaveLength(1)
    const grants = await svc.service.ctx.db
      .selectFrom('coverage_grants')
      .select('id')
      .where('source_type', '=', 'voucher')
      .where('line_id', 'in', [x.lineId, y.lineId])
      .execute()
    expect(grants).toHaveLength(1)
  })

  it('replays a redemption with the same key, and keeps no PIN', async () => {
    const { batchId, cards } = await batch(1)
    await shipBatch(svc.service.ctx, batchId)
    await activateAtTill(svc.service.ctx, cards[0]?.serial ?? '')
    const line = await trialLine(svc)
    const k = key()
    const first = await redeem(line.token, line.lineId, cards[0]?.pin ?? '', k)
    const second = await redeem(line.token, line.lineId, cards[0]?.pin ?? '', k)
    expect(first.status).toBe(200)
    expect(second.status).toBe(200)
    expect(second.body).toEqual(first.body)
    const rows = await svc.service.ctx.db
      .selectFrom('vouchers')
      .selectAll()
      .where('batch_id', '=', batchId)
      .execute()
    expect(JSON.stringify(rows)).not.toContain(cards[0]?.pin)
  })

  it('limits redemption attempts per account', async () => {
    const line = await trialLine(svc)
    const statuses: number[] = []
    for (let i = 0; i < 12; i++)
      statuses.push((await redeem(line.token, line.lineId, `${1000000000000000 + i}`)).status)
    expect(statuses.slice(0, 10).every((s) => s === 400)).toBe(true)
    expect(statuses.slice(10)).toEqual([429, 429])
  })
})
