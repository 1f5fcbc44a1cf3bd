/**
 * Spending the balance at once, on SQLite and PostgreSQL: what the balance covers goes through once, the rest is
 * refused with `balance-too-low`, and the balance never goes below zero (src/server/account-lock.ts). On
 * PostgreSQL, without the account's lock, twenty packs bought at once from the price of one made 4 to 10 packs and
 * a balance of down to -45.00, and a paid service switched on for four lines at once from one share switched all
 * four.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { key, topUp } from '../../support/billing-flows'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { addRetailLine, trialLine } from '../../support/service-flows'

interface Balance {
  balance: { amountMinor: number }
  minutePacks: unknown[]
}

describe.each(BACKENDS)('spending the balance at once on %s', (backend) => {
  let svc: TestService
  beforeAll(async () => {
    svc = await startTestService(backend)
  })
  afterAll(() => svc.close())

  const balance = async (token: string): Promise<Balance> =>
    (await svc.api<Balance>('GET', '/v1/balance', undefined, token)).body

  it('buys one minutes pack from the price of one, however many are asked for at once', async () => {
    const plans = await svc.api<{ plans: { id: string; kind: string; price: { amountMinor: number } }[] }>(
      'GET',
      '/v1/plans'
    )
    const pack = plans.body.plans.find((p) => p.kind === 'intl_minutes')
    if (!pack) throw new Error('no minutes pack on sale')
    // Three accounts, twenty at once each: one round alone can miss the race it is here for.
    for (let round = 0; round < 3; round++) {
      const line = await trialLine(svc)
      await topUp(svc, line.token, pack.price.amountMinor)
      const answers = await Promise.all(
        Array.from({ length: 20 }, () =>
          svc.api<{ error?: { reason: string } }>(
            'POST',
            '/v1/balance/minutes',
            { idempotencyKey: key(), planId: pack.id },
            line.token
          )
        )
      )
      expect(answers.filter((a) => a.status === 200)).toHaveLength(1)
      for (const a of answers.filter((a) => a.status !== 200)) {
        expect(a.status).toBe(402)
        expect(a.body.error?.reason).toBe('balance-too-low')
      }
      const after = await balance(line.token)
      expect(after.balance.amountMinor).toBe(0)
      expect(after.minutePacks).toHaveLength(1)
    }
  }, 60_000)

  it('switches a paid service on as many lines as the balance covers when all are asked at once', async () => {
    svc.clock.set(new Date('2026-12-01T17:00:00Z'))
    try {
      const owner = await trialLine(svc, { timeZone: 'America/New_York' })
      const lines = [owner.lineId]
      for (let i = 0; i < 3; i++) lines.push((await addRetailLine(svc, owner.token)).lineId)
      const preview = await svc.api<{ charge: { amountMinor: number } }>(
        'POST',
        `/v1/lines/${owner.lineId}/services/caller-id-withheld/preview`,
        { enabled: true },
        owner.token
      )
      const share = preview.body.charge.amountMinor
      expect(share).toBeGreaterThan(0)
      // Enough for one line's share, not two.
      await topUp(svc, owner.token, Math.ceil(share * 1.5))
      const answers = await Promise.all(
        lines.map((l) =>
          svc.api<{ error?: { reason: string } }>(
            'POST',
            `/v1/lines/${l}/services/caller-id-withheld`,
            { enabled: true, idempotencyKey: key() },
            owner.token
          )
        )
      )
      expect(answers.filter((a) => a.status === 200)).toHaveLength(1)
      for (const a of answers.filter((a) => a.status !== 200))
        expect(a.body.error?.reason).toBe('balance-too-low')
      expect((await balance(owner.token)).balance.amountMinor).toBe(Math.ceil(share * 1.5) - share)
    } finally {
      svc.clock.set(new Date())
    }
  }, 120_000)
})
