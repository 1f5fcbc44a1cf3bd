/**
 * What a connected service charges and gives back when what it was agreed at moves, on SQLite and PostgreSQL: a
 * month already paid is never switched off when the account's zone moves back across the month's start; a switch
 * off never gives back more than its month took, however often the zone moves west between a switch on and off
 * (review 36 L4's rest, attacker review 37 F0); a switch charges only the amounts the person was shown, refused
 * with `price-changed` when an operator repriced the service since the preview (attacker review 37 L1).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chargeServiceFees } from '../../../src/server/services/service-fees'
import { key } from '../../support/billing-flows'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { trialLine } from '../../support/service-flows'
import { DEC_20, type Service, WITHHELD, servicesApi } from '../../support/services-api'

describe.each(BACKENDS)(
  'what connected services charge when the zone or the price moves, on %s',
  (backend) => {
    let svc: TestService
    beforeAll(async () => {
      svc = await startTestService(backend)
    }, 60_000)
    afterAll(() => svc.close())
    const { list, flip, balance, history, topUp } = servicesApi(() => svc)

    it('never switches off a month already paid when the account’s zone moves back across the month’s start', async () => {
      // 1 February in Auckland is still 31 January in Los Angeles.
      svc.clock.set(new Date('2027-01-20T00:00:00Z'))
      const d = await trialLine(svc, { timeZone: 'Pacific/Auckland' })
      // 3.00 less January's 0.60 pays February's 1.50 and leaves less than a month's fee.
      await topUp(d, 300)
      expect((await flip(d, WITHHELD, true)).status).toBe(200)
      svc.clock.set(new Date('2027-01-31T12:00:00Z'))
      await chargeServiceFees(svc.service.ctx)
      const afterFebruary = await balance(d)
      expect(afterFebruary).toBe(300 - 60 - 150)
      const zone = await svc.api('PUT', '/v1/account/time-zone', { timeZone: 'America/Los_Angeles' }, d.token)
      expect(zone.status).toBe(200)
      svc.clock.set(new Date('2027-01-31T13:00:00Z'))
      await chargeServiceFees(svc.service.ctx)
      // February was paid: the service stays on, nothing charged or told.
      const row = (await list(d)).body.services.find((s) => s.code === WITHHELD) as Service & {
        offReason: unknown
      }
      expect([row.enabled, row.offReason]).toEqual([true, null])
      expect(await balance(d)).toBe(afterFebruary)
      expect(await history(d)).toHaveLength(1)
      svc.clock.set(DEC_20)
    })

    it('never gives back more than a month took, however often the zone moves west between a switch on and off', async () => {
      // 20 December 17:00 UTC is 21 December in Tokyo (11 days left: 150 x 11 / 30 = 55) and still the 20th in Los
      // Angeles (12 days: 60). Switched on in Tokyo and off in Los Angeles, the share back was a day more than taken.
      svc.clock.set(DEC_20)
      const f = await trialLine(svc, { timeZone: 'Asia/Tokyo' })
      await topUp(f, 300)
      const zone = async (timeZone: string) =>
        expect((await svc.api('PUT', '/v1/account/time-zone', { timeZone }, f.token)).status).toBe(200)
      for (let round = 0; round < 3; round++) {
        expect((await flip(f, WITHHELD, true)).status).toBe(200)
        expect(await balance(f)).toBe(300 - 55)
        await zone('America/Los_Angeles')
        expect((await flip(f, WITHHELD, false)).status).toBe(200)
        expect(await balance(f)).toBe(300)
        await zone('Asia/Tokyo')
      }
      const amounts = (await history(f)).map((h) => h.amount.amountMinor)
      expect(amounts.sort()).toEqual([-55, -55, -55, 55, 55, 55].sort())
      svc.clock.set(DEC_20)
    })

    it('charges only the amounts the person was shown: repriced since the preview, refused and nothing changed', async () => {
      svc.clock.set(DEC_20)
      const g = await trialLine(svc, { timeZone: 'America/New_York' })
      await topUp(g, 5000)
      const preview = async () =>
        (
          await svc.api<{ charge: { amountMinor: number }; credit: { amountMinor: number } }>(
            'POST',
            `/v1/lines/${g.lineId}/services/${WITHHELD}/preview`,
            { enabled: true },
            g.token
          )
        ).body
      const shown = await preview()
      expect(shown.charge.amountMinor).toBe(60)
      const switchOn = (expected: { chargeMinor: number; creditMinor: number }, idempotencyKey = key()) =>
        svc.api<{ error?: { reason?: string } }>(
          'POST',
          `/v1/lines/${g.lineId}/services/${WITHHELD}`,
          { enabled: true, idempotencyKey, expected },
          g.token
        )
      // An operator reprices it to 60.00 a month before the person confirms what they were shown (0.60).
      await svc.service.ctx.db
        .updateTable('service_catalog')
        .set({ price_minor: 6000 })
        .where('code', '=', WITHHELD)
        .execute()
      try {
        const first = key()
        const refused = await switchOn({ chargeMinor: 60, creditMinor: 0 }, first)
        expect([refused.status, refused.body.error?.reason]).toEqual([409, 'price-changed'])
        expect(await balance(g)).toBe(5000)
        expect(await history(g)).toHaveLength(0)
        // Its key with other amounts is another request, not a replay of that refusal.
        const reused = await switchOn({ chargeMinor: 2400, creditMinor: 0 }, first)
        expect([reused.status, reused.body.error?.reason]).toEqual([409, 'idempotency-mismatch'])
        // Shown again (24.00 for 12 days) and confirmed: charged that.
        const again = await preview()
        expect(again.charge.amountMinor).toBe(2400)
        const agreed = await switchOn({ chargeMinor: 2400, creditMinor: 0 })
        expect(agreed.status, JSON.stringify(agreed.body)).toBe(200)
        expect(await balance(g)).toBe(5000 - 2400)
      } finally {
        await svc.service.ctx.db
          .updateTable('service_catalog')
          .set({ price_minor: 150 })
          .where('code', '=', WITHHELD)
          .execute()
      }
    })
  }
)
