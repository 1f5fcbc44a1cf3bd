/**
 * A card top-up is finished whatever fails after its card is charged (migration 0037, top-ups.ts), on SQLite and
 * PostgreSQL: the request that failed after the charge is retried with the same key and books the money once, with
 * the card of the first try (a card typed in is not tokenized again: the processor refuses one key with another
 * card); a top-up nobody came back for is finished by the billing pass's stranded job; the same key with another
 * amount is refused. Before, the card stayed charged and the balance short.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { settleStrandedTopUps } from '../../../src/server/billing/stranded'
import { retrySettlement, stuckSettlements } from '../../../src/server/billing/stuck-settlements'
import { CARDS, key } from '../../support/billing-flows'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { trialLine } from '../../support/service-flows'

describe.each(BACKENDS)('card top-ups after a failure on %s', (backend) => {
  let svc: TestService
  beforeAll(async () => {
    svc = await startTestService(backend)
  })
  afterAll(() => svc.close())
  afterEach(() => {
    vi.restoreAllMocks()
    svc.clock.set(new Date())
  })

  type Balance = { balance: { amountMinor: number }; error?: { reason: string } }
  const topUp = (token: string, k: string, amountMinor = 2500) =>
    svc.api<Balance>(
      'POST',
      '/v1/balance/top-up',
      { idempotencyKey: k, amountMinor, payment: { card: CARDS.ok } },
      token
    )
  const balance = async (token: string) =>
    (await svc.api<Balance>('GET', '/v1/balance', undefined, token)).body.balance.amountMinor
  const count = async (table: 'sandbox_charges' | 'payment_methods' | 'top_ups', accountId?: string) =>
    (
      await svc.service.ctx.db
        .selectFrom(table)
        .select('id')
        .$if(accountId !== undefined && table !== 'sandbox_charges', (q) =>
          q.where('account_id', '=', accountId ?? '')
        )
        .execute()
    ).length
  /** The processor charges, then the service fails before the balance entry (as a crash or a failed commit). */
  const failAfterTheCharge = () => {
    const gateway = svc.service.ctx.gateway
    const charge = gateway.charge.bind(gateway)
    return vi.spyOn(gateway, 'charge').mockImplementationOnce(async (req) => {
      await charge(req)
      throw new Error('the service died after the charge')
    })
  }

  it('a retry with the same key finishes it with the first card: charged once, booked once', async () => {
    const line = await trialLine(svc)
    const k = key()
    const charges = await count('sandbox_charges')
    failAfterTheCharge()
    const failed = await topUp(line.token, k)
    expect(failed.status).toBeGreaterThanOrEqual(500)
    expect(await balance(line.token)).toBe(0)
    expect(await count('sandbox_charges')).toBe(charges + 1)
    const cards = await count('payment_methods', line.accountId)
    const retried = await topUp(line.token, k)
    expect(retried.status, JSON.stringify(retried.body)).toBe(200)
    expect(retried.body.balance.amountMinor).toBe(2500)
    expect(await count('sandbox_charges')).toBe(charges + 1)
    expect(await count('payment_methods', line.accountId)).toBe(cards)
    // And again: the same answer, nothing more.
    expect((await topUp(line.token, k)).body.balance.amountMinor).toBe(2500)
    expect(await balance(line.token)).toBe(2500)
    // The same key with another amount is another request.
    expect((await topUp(line.token, k, 4000)).status).toBe(409)
  })

  it('one the job cannot finish is on the operators’ stuck list with its amount, and their retry books it once', async () => {
    const line = await trialLine(svc)
    failAfterTheCharge()
    expect((await topUp(line.token, key(), 1500)).status).toBeGreaterThanOrEqual(500)
    svc.clock.advance(61_000)
    // The processor unreachable when the job tries.
    vi.spyOn(svc.service.ctx.gateway, 'charge').mockRejectedValueOnce(
      Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' })
    )
    expect(await settleStrandedTopUps(svc.service.ctx)).toBe(0)
    const listed = await stuckSettlements(svc.service.ctx)
    const mine = listed.settlements.find((x) => x.kind === 'top-up' && x.accountId === line.accountId)
    expect(mine).toMatchObject({ amountMinor: 1500, currency: 'USD', attempts: 1 })
    expect(listed.stuck['top-up']).toBeGreaterThanOrEqual(1)
    const retried = await retrySettlement(svc.service.ctx, 'top-up', mine?.id ?? '')
    expect(retried).toMatchObject({ settled: true, settlement: null })
    expect(await balance(line.token)).toBe(1500)
  })

  it('one nobody came back for is finished by the stranded job once a minute old', async () => {
    const line = await trialLine(svc)
    failAfterTheCharge()
    expect((await topUp(line.token, key())).status).toBeGreaterThanOrEqual(500)
    expect(await settleStrandedTopUps(svc.service.ctx)).toBe(0) // a request may still be at it
    svc.clock.advance(61_000)
    expect(await settleStrandedTopUps(svc.service.ctx)).toBe(1)
    expect(await balance(line.token)).toBe(2500)
    expect(await settleStrandedTopUps(svc.service.ctx)).toBe(0)
    const row = await svc.service.ctx.db
      .selectFrom('top_ups')
      .select(['status', 'charge_id'])
      .where('account_id', '=', line.accountId)
      .executeTakeFirstOrThrow()
    expect(row).toMatchObject({ status: 'paid', charge_id: expect.stringMatching(/^ch_/) })
  })
})
