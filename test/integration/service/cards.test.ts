/**
 * Saved cards, cancel/resume and trials on SQLite and PostgreSQL (issue 19 items 3, 4 and 8, the service's side):
 * a card saved for later is checked with the issuer (a decline is refused and nothing is kept); each card lists
 * the lines whose auto-renewal charges it; replacing moves those (and a dunning retry) to the new card in one
 * step and refuses a card that is not the account's; choosing the auto-renew card moves every auto-renewal;
 * cancelling twice and resuming after the paid period are refused with the date; a trial line says when its
 * trial ends, and gets one email a week before. A removed or replaced card is deleted at the processor and its
 * token forgotten; a processor that fails then, or a payment still open with the card, leaves it to the daily
 * retention job.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { placeOrder } from '../../../src/server/billing/checkout'
import { removeMethod } from '../../../src/server/billing/payment-methods'
import { settleStrandedOrders } from '../../../src/server/billing/stranded'
import { DAY } from '../../../src/server/clock'
import type { ServiceContext } from '../../../src/server/context'
import { noticeTrialsEnding } from '../../../src/server/billing/trial-notices'
import { CARDS, renew, saveCard, subscription } from '../../support/billing-flows'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { mailbox, tableCounts, trialLine } from '../../support/service-flows'

interface Card {
  id: string
  last4: string
  isDefault: boolean
  autoRenewFor: { lineId: string; number: string | null }[]
}
type Refusal = { error: { reason: string; params?: Record<string, unknown> } }

describe.each(BACKENDS)('cards, cancel and trials on %s', (backend) => {
  let svc: TestService
  beforeAll(async () => {
    svc = await startTestService(backend)
  })
  afterAll(() => svc.close())
  afterEach(() => svc.clock.set(new Date()))

  const list = async (token: string): Promise<Card[]> =>
    (await svc.api<{ paymentMethods: Card[] }>('GET', '/v1/payment-methods', undefined, token)).body
      .paymentMethods

  it('checks a card with the issuer before saving it: a decline keeps nothing', async () => {
    const line = await trialLine(svc)
    const before = await tableCounts(svc)
    for (const [card, reason] of [
      [CARDS.declined, 'card_declined'],
      [CARDS.expired, 'expired_card']
    ] as const) {
      const r = await svc.api<Refusal>('POST', '/v1/payment-methods', { card }, line.token)
      expect(r.status, JSON.stringify(r.body)).toBe(402)
      expect(r.body.error.reason).toBe(reason)
    }
    expect(await tableCounts(svc)).toEqual(before)
    expect(await list(line.token)).toEqual([])
    // A card that only fails at charge time saves (auto-renew and dunning tests rely on it).
    await saveCard(svc, line.token, CARDS.failsLater)
    expect(await list(line.token)).toHaveLength(1)
  })

  it('counts the cards an account gives, declines included: the eleventh in an hour is refused before the issuer', async () => {
    // Each answer says whether a card is good: a stolen-card tester's oracle, bounded per account.
    const tester = await trialLine(svc)
    const issuer = vi.spyOn(svc.service.ctx.gateway, 'tokenize')
    const answers: number[] = []
    for (let i = 0; i < 11; i++)
      answers.push(
        (await svc.api('POST', '/v1/payment-methods', { card: CARDS.declined }, tester.token)).status
      )
    expect(answers).toEqual([...Array<number>(10).fill(402), 429])
    // The eleventh never reached the processor.
    expect(issuer).toHaveBeenCalledTimes(10)
    issuer.mockRestore()
    const limited = await svc.api<Refusal & { error: { params?: { retryAfterS?: number } } }>(
      'POST',
      '/v1/payment-methods',
      { card: CARDS.ok },
      tester.token
    )
    expect([limited.status, limited.body.error.reason]).toEqual([429, 'rate-limited'])
    expect(await list(tester.token)).toEqual([])
    // Another account is not held by it; the tester may try again in the next hour.
    const other = await trialLine(svc)
    await saveCard(svc, other.token)
    svc.clock.advance(60 * 60_000)
    await saveCard(svc, tester.token)
    expect(await list(tester.token)).toHaveLength(1)
  })

  const tokenOf = async (id: string) =>
    (
      await svc.service.ctx.db
        .selectFrom('payment_methods')
        .select('gateway_token')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).gateway_token
  /** Whether the processor (the sandbox) still stores the card of this token. */
  const stored = async (token: string) =>
    (await svc.service.ctx.db
      .selectFrom('sandbox_cards')
      .select('token')
      .where('token', '=', token)
      .executeTakeFirst()) !== undefined
  const chargeOnce = (token: string) =>
    svc.service.ctx.gateway.charge({
      token,
      amountMinor: 100,
      currency: 'USD',
      idempotencyKey: randomUUID()
    })

  it('deletes a removed card at the processor and forgets its token; a replaced card too', async () => {
    const line = await trialLine(svc)
    const id = await saveCard(svc, line.token)
    const token = await tokenOf(id)
    expect(await stored(token)).toBe(true)
    const removed = await svc.api('DELETE', `/v1/payment-methods/${id}`, undefined, line.token)
    expect(removed.status, JSON.stringify(removed.body)).toBeLessThan(300)
    expect(await tokenOf(id)).toBe(`deleted:${id}`)
    expect(await stored(token)).toBe(false)
    // The processor no longer charges it.
    expect((await chargeOnce(token)).status).toBe('failed')

    const kept = await saveCard(svc, line.token)
    const keptToken = await tokenOf(kept)
    const replaced = await svc.api<{ id: string }>(
      'POST',
      '/v1/payment-methods',
      { card: CARDS.ok, replaces: kept },
      line.token
    )
    expect(replaced.status, JSON.stringify(replaced.body)).toBe(201)
    expect(await tokenOf(kept)).toBe(`deleted:${kept}`)
    expect(await stored(keptToken)).toBe(false)
    expect(await stored(await tokenOf(replaced.body.id))).toBe(true)
  })

  it('a processor that fails the deletion is logged without the token; the retention job deletes it later', async () => {
    const line = await trialLine(svc)
    const id = await saveCard(svc, line.token)
    const token = await tokenOf(id)
    const ctx = svc.service.ctx
    const down: ServiceContext = {
      ...ctx,
      gateway: {
        ...ctx.gateway,
        deleteStoredCard: () =>
          Promise.reject(Object.assign(new Error(`refused ${token}`), { code: 'ECONNRESET' }))
      }
    }
    const logged = svc.logged.length
    // The removal itself stands: the card is gone from the account.
    await removeMethod(down, line.accountId, id)
    expect(await list(line.token)).toEqual([])
    expect(await tokenOf(id)).toBe(token)
    expect(await stored(token)).toBe(true)
    const said = svc.logged.slice(logged).join('\n')
    expect(said).toContain(`payment method ${id}`)
    expect(said).toContain('system-econnreset')
    expect(said).not.toContain(token)

    // The daily job takes removed cards a day old (a card given to pay once is removed from its first instant).
    await svc.service.runRetention()
    expect(await tokenOf(id)).toBe(token)
    svc.clock.advance(DAY + 60_000)
    await svc.service.runRetention()
    expect(await tokenOf(id)).toBe(`deleted:${id}`)
    expect(await stored(token)).toBe(false)
  })

  it('keeps the stored card while a payment recorded before its charge is still open with it', async () => {
    const line = await trialLine(svc)
    const id = await saveCard(svc, line.token)
    const token = await tokenOf(id)
    const ctx = svc.service.ctx
    // An order recorded, its request gone before the charge (a crash): the stranded-order job charges it later.
    const order = await placeOrder(ctx, line.accountId, {
      idempotencyKey: randomUUID(),
      items: [{ kind: 'renewal', lineId: line.lineId, planId: 'line-1m@1' }],
      payment: { paymentMethodId: id },
      autoRenew: false
    })
    expect(order.order.status).toBe('pending_payment')
    expect((await svc.api('DELETE', `/v1/payment-methods/${id}`, undefined, line.token)).status).toBeLessThan(
      300
    )
    expect(await tokenOf(id)).toBe(token)
    svc.clock.advance(DAY + 60_000)
    await svc.service.runRetention()
    expect(await stored(token)).toBe(true)
    // Charged with it, once; then the next pass deletes it.
    expect(await settleStrandedOrders(ctx)).toBe(1)
    await svc.service.runRetention()
    expect(await tokenOf(id)).toBe(`deleted:${id}`)
    expect(await stored(token)).toBe(false)
  })

  it('replaces a card in one step: its auto-renewal and a dunning retry move to the new card', async () => {
    const line = await trialLine(svc)
    const paid = await renew(
      svc,
      line.token,
      line.lineId,
      'line-1m@1',
      { card: CARDS.ok, save: true },
      {
        autoRenew: true
      }
    )
    expect(paid.status, JSON.stringify(paid.body)).toBe(201)
    const [old] = await list(line.token)
    expect(old?.autoRenewFor.map((l) => l.lineId)).toEqual([line.lineId])

    // Someone else's card id, or a decline, changes nothing.
    const stranger = await trialLine(svc)
    const theirs = await saveCard(svc, stranger.token)
    const before = await tableCounts(svc)
    const foreign = await svc.api<Refusal>(
      'POST',
      '/v1/payment-methods',
      { card: CARDS.ok, replaces: theirs },
      line.token
    )
    expect(foreign.status).toBe(404)
    const declined = await svc.api<Refusal>(
      'POST',
      '/v1/payment-methods',
      { card: CARDS.declined, replaces: old?.id },
      line.token
    )
    expect(declined.body.error.reason).toBe('card_declined')
    expect(await tableCounts(svc)).toEqual(before)

    const r = await svc.api<Card>(
      'POST',
      '/v1/payment-methods',
      { card: { ...CARDS.ok, number: '5555555555554444' }, replaces: old?.id },
      line.token
    )
    expect(r.status, JSON.stringify(r.body)).toBe(201)
    expect(r.body).toMatchObject({ last4: '4444', isDefault: true })
    expect(r.body.autoRenewFor.map((l) => l.lineId)).toEqual([line.lineId])
    expect((await list(line.token)).map((c) => c.id)).toEqual([r.body.id])
    const sub = await subscription(svc, line.token, line.lineId)
    expect(sub.autoRenew).toMatchObject({ enabled: true, paymentMethodId: r.body.id })
  })

  it('chooses the card every auto-renewal charges', async () => {
    const line = await trialLine(svc)
    await renew(
      svc,
      line.token,
      line.lineId,
      'line-1m@1',
      { card: CARDS.ok, save: true },
      { autoRenew: true }
    )
    const second = await saveCard(svc, line.token, { ...CARDS.ok, number: '5555555555554444' })
    // Saving a card makes it the default for new payments, but auto-renew keeps its card until asked.
    expect((await subscription(svc, line.token, line.lineId)).autoRenew.paymentMethodId).not.toBe(second)
    const r = await svc.api<{ paymentMethods: Card[] }>(
      'PUT',
      `/v1/payment-methods/${second}/default`,
      undefined,
      line.token
    )
    expect(r.status, JSON.stringify(r.body)).toBe(200)
    expect(r.body.paymentMethods.find((c) => c.id === second)).toMatchObject({
      isDefault: true,
      autoRenewFor: [{ lineId: line.lineId }]
    })
    expect((await subscription(svc, line.token, line.lineId)).autoRenew.paymentMethodId).toBe(second)
    // Another account's card is not found here, and nothing moves.
    const stranger = await trialLine(svc)
    const theirs = await saveCard(svc, stranger.token)
    const foreign = await svc.api<Refusal>(
      'PUT',
      `/v1/payment-methods/${theirs}/default`,
      undefined,
      line.token
    )
    expect(foreign.status).toBe(404)
    expect((await subscription(svc, line.token, line.lineId)).autoRenew.paymentMethodId).toBe(second)
  })

  it('refuses a second cancel and a resume after the paid period, with the date', async () => {
    const line = await trialLine(svc)
    await renew(svc, line.token, line.lineId, 'line-1m@1', { card: CARDS.ok })
    const through = new Date((await subscription(svc, line.token, line.lineId)).coverage.paidThrough ?? '')
    const cancel = () => svc.api<Refusal>('POST', `/v1/lines/${line.lineId}/cancel`, undefined, line.token)
    expect((await cancel()).status).toBe(200)
    const canceled = await subscription(svc, line.token, line.lineId)
    const again = await cancel()
    expect(again.status).toBe(409)
    expect(again.body.error).toMatchObject({ reason: 'already-canceled' })
    expect(again.body.error.params?.date).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(await subscription(svc, line.token, line.lineId)).toEqual(canceled)

    svc.clock.set(new Date(through.getTime() + 1000))
    const token = (
      await svc.api<{ token: string }>('POST', '/v1/auth/sign-in', {
        identifier: line.email,
        password: line.password
      })
    ).body.token
    const late = await subscription(svc, token, line.lineId)
    const resume = await svc.api<Refusal>('POST', `/v1/lines/${line.lineId}/resume`, undefined, token)
    expect(resume.status).toBe(409)
    expect(resume.body.error.reason).toBe('period-ended')
    expect(await subscription(svc, token, line.lineId)).toEqual(late)
  })

  it('says when a trial ends, and emails once a week before', async () => {
    const line = await trialLine(svc)
    const sub = await subscription(svc, line.token, line.lineId)
    expect(sub.coverage.trialEndsAt).toBe(sub.coverage.paidThrough)
    const end = new Date(sub.coverage.trialEndsAt ?? '')
    svc.clock.set(new Date(end.getTime() - 6 * DAY))
    expect(await noticeTrialsEnding(svc.service.ctx)).toBeGreaterThanOrEqual(1)
    await noticeTrialsEnding(svc.service.ctx)
    expect((await mailbox(svc, line.email)).filter((m) => m.purpose === 'trial-ending')).toHaveLength(1)
    svc.clock.set(new Date())
    await renew(svc, line.token, line.lineId, 'line-1m@1', { card: CARDS.ok })
    expect((await subscription(svc, line.token, line.lineId)).coverage.trialEndsAt).toBeNull()
  })
})
