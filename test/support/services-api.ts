/**
 * A line's connected services through the service's API, for the tests that switch them (services.test.ts,
 * services-agreed.test.ts): the list, a switch, the balance, the history of switches and a card top-up, each as the
 * app calls it with the line's session.
 */
import { expect } from 'vitest'
import { CARDS, key } from './billing-flows'
import type { TestService } from './service'
import type { TrialLine } from './service-flows'

export interface Service {
  code: string
  feature: string
  monthlyFee: { amountMinor: number }
  free: boolean
  switchable: boolean
  conditions: string[]
  enabled: boolean
}
export interface Services {
  services: Service[]
  monthlyTotal: { amountMinor: number }
  error?: { reason: string }
}

/** 20 December in New York: 12 days left, so a 1.50 fee's share is 150 x 12 / 30 = 60 exactly. */
export const DEC_20 = new Date('2026-12-20T17:00:00Z')
export const WITHHELD = 'caller-id-withheld'

/** `service` is read at each call: the tests' service starts in beforeAll, after this is made. */
export function servicesApi(service: () => TestService) {
  const svc = { api: ((...a) => service().api(...a)) as TestService['api'] }
  return {
    list: (l: TrialLine, lineId = l.lineId) =>
      svc.api<Services>('GET', `/v1/lines/${lineId}/services`, undefined, l.token),
    flip: (l: TrialLine, code: string, enabled: boolean, k = key(), lineId = l.lineId) =>
      svc.api<Services>(
        'POST',
        `/v1/lines/${lineId}/services/${code}`,
        { enabled, idempotencyKey: k },
        l.token
      ),
    balance: async (l: TrialLine) =>
      (await svc.api<{ balance: { amountMinor: number } }>('GET', '/v1/balance', undefined, l.token)).body
        .balance.amountMinor,
    history: async (l: TrialLine) =>
      (
        await svc.api<{
          switches: {
            code: string
            enabled: boolean
            amount: { amountMinor: number }
            reason: string | null
          }[]
        }>('GET', `/v1/lines/${l.lineId}/services-history`, undefined, l.token)
      ).body.switches,
    topUp: async (l: TrialLine, amountMinor: number) =>
      expect(
        (
          await svc.api(
            'POST',
            '/v1/balance/top-up',
            { idempotencyKey: key(), amountMinor, payment: { card: CARDS.ok } },
            l.token
          )
        ).status
      ).toBe(200)
  }
}
