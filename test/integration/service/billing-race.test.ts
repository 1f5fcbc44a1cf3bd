/**
 * Renewal, auto-renew and a voucher on one line from 50 concurrent clients, on SQLite and PostgreSQL, then the
 * ledger is audited: every successful charge has exactly one grant and every grant one charge (no double
 * charge, no double extension, no lost grant), the voucher counts once, and the grants stack end to start.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runAutoRenew } from '../../../src/server/billing/auto-renew'
import { activateAtTill, createBatch, shipBatch } from '../../../src/server/billing/vouchers'
import { DAY } from '../../../src/server/clock'
import { CARDS, key, renew, saveCard, subscription } from '../../support/billing-flows'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { trialLine } from '../../support/service-flows'

describe.each(BACKENDS)('50 clients renewing one line on %s', (backend) => {
  let svc: TestService
  beforeAll(async () => {
    svc = await startTestService(backend)
  })
  afterAll(() => svc.close())

  it('leaves a ledger with no double charge, no double extension and no lost grant', async () => {
    const ctx = svc.service.ctx
    const line = await trialLine(svc)
    const pm = await saveCard(svc, line.token, CARDS.ok)
    expect(
      (await renew(svc, line.token, line.lineId, 'line-1m@1', { paymentMethodId: pm }, { autoRenew: true }))
        .status
    ).toBe(201)
    const through = new Date((await subscription(svc, line.token, line.lineId)).coverage.paidThrough ?? '')
    // The moment auto-renew is due: all three ways meet.
    svc.clock.set(new Date(through.getTime() - DAY + 1000))
    const { batchId, cards } = await createBatch(ctx, {
      name: 'race',
      planId: 'line-1y@1',
      size: 1,
      expiresAt: new Date(through.getTime() + 90 * DAY)
    })
    await shipBatch(ctx, batchId)
    await activateAtTill(ctx, cards[0]?.serial ?? '')
    const token = (
      await svc.api<{ token: string }>('POST', '/v1/auth/sign-in', {
        identifier: line.email,
        password: line.password
      })
    ).body.token
    const sharedKey = key()
    const checkout = (k: string) =>
      svc.api(
        'POST',
        '/v1/checkout',
        {
          idempotencyKey: k,
          items: [{ kind: 'renewal', lineId: line.lineId, planId: 'line-1m@1' }],
          payment: { paymentMethodId: pm }
        },
        token
      )
    const clients: Promise<{ kind: string; status: number }>[] = []
    for (let i = 0; i < 50; i++) {
      const kind = ['checkout', 'checkout-same-key', 'voucher', 'auto-renew', 'checkout'][i % 5] ?? 'checkout'
      clients.push(
        (async () => {
          if (kind === 'checkout') return { kind, status: (await checkout(key())).status }
          if (kind === 'checkout-same-key') return { kind, status: (await checkout(sharedKey)).status }
          if (kind === 'voucher')
            return {
              kind,
              status: (
                await svc.api(
                  'POST',
                  '/v1/vouchers/redeem',
                  { idempotencyKey: key(), code: cards[0]?.pin, lineId: line.lineId },
                  token
                )
              ).status
            }
          await runAutoRenew(ctx)
          return { kind, status: 200 }
        })()
      )
    }
    const grouped = ctx.batch?.stats().batches ?? 0
    const results = await Promise.all(clients)
    // On SQLite the renewals of the race went through the group commit together (db/group-commit.ts), several
    // of them on one line: the ledger checks below hold for it too.
    if (ctx.batch) expect((ctx.batch.stats().batches ?? 0) - grouped).toBeGreaterThan(0)
    const unexpected = results.filter((r) => r.status >= 500)
    expect(unexpected).toEqual([])
    expect(results.filter((r) => r.kind === 'voucher' && r.status === 200)).toHaveLength(1)

    const sub = await ctx.db
      .selectFrom('subscriptions')
      .select('id')
      .where('line_id', '=', line.lineId)
      .executeTakeFirstOrThrow()
    const grants = await ctx.db
      .selectFrom('coverage_grants')
      .selectAll()
      .where('line_id', '=', line.lineId)
      .where('voided_at', 'is', null)
      .orderBy('starts_at')
      .execute()
    const orders = await ctx.db
      .selectFrom('checkout_orders')
      .selectAll()
      .where('account_id', '=', line.accountId)
      .execute()
    const paid = orders.filter((o) => o.status === 'paid')
    const charged = await ctx.db
      .selectFrom('sandbox_charges')
      .selectAll()
      .where('status', '=', 'succeeded')
      .execute()
    // Each paid order: one charge of its own, one grant of its own.
    for (const o of paid) {
      expect(charged.filter((c) => c.idempotency_key === `order:${o.id}`)).toHaveLength(1)
      expect(grants.filter((g) => g.source_type === 'order' && g.source_id === `${o.id}:0`)).toHaveLength(1)
    }
    expect(grants.filter((g) => g.source_type === 'order')).toHaveLength(paid.length)
    expect(orders.filter((o) => o.status === 'pending_payment')).toEqual([])
    // The shared key made one order at most; every checkout that got 201 is a paid order.
    expect(orders.filter((o) => o.idempotency_key === sharedKey).length).toBeLessThanOrEqual(1)
    const distinctOk = results.filter((r) => r.kind === 'checkout' && r.status === 201).length
    const sharedOk = results.some((r) => r.kind === 'checkout-same-key' && r.status === 201) ? 1 : 0
    // Plus the first renewal made before the race.
    expect(paid.length).toBe(distinctOk + sharedOk + 1)
    // Auto-renew charged and extended at most once for the period, and the two agree.
    const autoCharges = charged.filter((c) => c.idempotency_key.startsWith(`autorenew:${sub.id}:`))
    expect(autoCharges.length).toBeLessThanOrEqual(1)
    expect(grants.filter((g) => g.source_type === 'auto_renew')).toHaveLength(autoCharges.length)
    expect(grants.filter((g) => g.source_type === 'voucher')).toHaveLength(1)
    // Grants stack: each starts where the previous ended, so no paid time was lost or counted twice.
    for (let i = 1; i < grants.length; i++) expect(grants[i]?.starts_at).toBe(grants[i - 1]?.ends_at)
    svc.clock.set(new Date())
  }, 60_000)
})
