/** What the billing tests repeat: idempotency keys, the sandbox's test cards, checkout and sign-in by API. */
import { randomUUID } from 'node:crypto'
import { expect } from 'vitest'
import type { TestService } from './service'
import type { TrialLine } from './service-flows'

export const key = (): string => randomUUID()
const FUTURE = { expMonth: 12, expYear: 2034, cvc: '123' }
export const CARDS = {
  ok: { number: '4242 4242 4242 4242', ...FUTURE },
  declined: { number: '4000 0000 0000 0002', ...FUTURE },
  insufficient: { number: '4000000000009995', ...FUTURE },
  expired: { number: '4000000000000069', ...FUTURE },
  failsLater: { number: '4000000000000341', ...FUTURE }
}

/** Tops the account's balance up by card (a tariff's month, a minutes pack and a paid service are paid from it). */
export async function topUp(svc: TestService, token: string, amountMinor: number): Promise<void> {
  const r = await svc.api(
    'POST',
    '/v1/balance/top-up',
    { idempotencyKey: key(), amountMinor, payment: { card: CARDS.ok } },
    token
  )
  expect(r.status, JSON.stringify(r.body)).toBe(200)
}

export async function signIn(svc: TestService, line: TrialLine): Promise<string> {
  const r = await svc.api<{ token: string }>('POST', '/v1/auth/sign-in', {
    identifier: line.email,
    password: line.password
  })
  expect(r.status, JSON.stringify(r.body)).toBe(200)
  return r.body.token
}

export async function saveCard(svc: TestService, token: string, card = CARDS.ok): Promise<string> {
  const r = await svc.api<{ id: string }>('POST', '/v1/payment-methods', { card }, token)
  expect(r.status, JSON.stringify(r.body)).toBe(201)
  return r.body.id
}

export interface Receipt {
  orderId: string
  total: { amountMinor: number }
  items: {
    lineId: string | null
    planId: string
    paidThrough: string | null
    discountMinor: number
    notices: string[]
  }[]
}

export function renew(
  svc: TestService,
  token: string,
  lineId: string,
  planId: string,
  payment: unknown,
  extra: Record<string, unknown> = {}
) {
  return svc.api<Receipt>(
    'POST',
    '/v1/checkout',
    { idempotencyKey: key(), items: [{ kind: 'renewal', lineId, planId }], payment, ...extra },
    token
  )
}

export interface SubView {
  plan: { id: string } | null
  status: string
  coverage: { state: string; paidThrough: string | null; trialEndsAt: string | null; reactivatable: boolean }
  autoRenew: { enabled: boolean; blockedBy: string[]; paymentMethodId: string | null }
  cancelReason: string | null
  dunning: { attempts: number; nextAttemptAt: string | null }
  discount: {
    status: string
    endedReason: string | null
    reinstatableUntil: string | null
    endsAt: string | null
  } | null
  pendingChange: { id: string; toPlanId: string; effectiveDate: string } | null
}

export async function subscription(svc: TestService, token: string, lineId: string): Promise<SubView> {
  const r = await svc.api<SubView>('GET', `/v1/lines/${lineId}/subscription`, undefined, token)
  expect(r.status, JSON.stringify(r.body)).toBe(200)
  return r.body
}

/** Charges the sandbox processor recorded, all or those whose idempotency key starts with a prefix. */
export async function charges(svc: TestService, keyPrefix = ''): Promise<number> {
  const rows = await svc.service.ctx.db
    .selectFrom('sandbox_charges')
    .select('id')
    .where('idempotency_key', 'like', `${keyPrefix}%`)
    .execute()
  return rows.length
}
