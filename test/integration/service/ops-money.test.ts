/**
 * Operator refunds end to end on SQLite and PostgreSQL (issue 20): `dialtone-ops refunds candidates|create|list`
 * as a real process; a refund to the balance changes it by exactly the amount, a refund to the card reaches the
 * sandbox processor once; the same key answers the same refund and refuses another amount; more than is left of
 * a charge is refused and changes nothing; support above its limit and a retail partner are refused and audited;
 * refunds racing on one charge never pass what it captured; a crash between the processor and the ledger is
 * finished by the job (after waiting out a pause while the processor was unreachable), the card refunded once;
 * an automatic renewal is refundable like an order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bootstrapAdmin } from '../../../src/server/ops/operators'
import { refund } from '../../../src/server/billing/refunds'
import { settleStrandedRefunds } from '../../../src/server/billing/stranded'
import type { ServiceContext } from '../../../src/server/context'
import { runAutoRenew } from '../../../src/server/billing/auto-renew'
import { CARDS, key, renew, subscription } from '../../support/billing-flows'
import { OpsCli, type Operator, enrolAndSignIn, freshCode, makeOperator } from '../../support/ops'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { type TrialLine, trialLine } from '../../support/service-flows'

interface Refunded {
  refund: { id: string; amountMinor: number; to: string; status: string; card: { last4: string } | null }
  balanceMinor: number
}
interface Candidates {
  balanceMinor: number
  charges: { id: string; kind: string; amountMinor: number; refundedMinor: number; refundableMinor: number }[]
}

describe.each(BACKENDS)('refunds on %s', (backend) => {
  let svc: TestService
  let adminToken = ''
  let billing: Operator
  let support: Operator
  let till: Operator
  let billingCli: OpsCli
  let supportCli: OpsCli
  let person: TrialLine
  let renewalId = ''

  const db = () => svc.service.ctx.db
  const balance = async (accountId = person.accountId) =>
    Number(
      (
        await db()
          .selectFrom('balance_entries')
          .select((eb) => eb.fn.sum<number | string | null>('amount_minor').as('t'))
          .where('account_id', '=', accountId)
          .executeTakeFirst()
      )?.t ?? 0
    )
  const sandboxRefunds = (chargeId: string) =>
    db().selectFrom('sandbox_refunds').selectAll().where('charge_id', '=', chargeId).execute()
  const counts = async () => ({
    refunds: (await db().selectFrom('refunds').select('id').execute()).length,
    ledger: (await db().selectFrom('balance_entries').select('id').execute()).length,
    processor: (await db().selectFrom('sandbox_refunds').select('id').execute()).length
  })
  /** The refund audit entries of one actor and outcome (the test clock stands still, so not by time). */
  const audits = (actorId: string, outcome: 'ok' | 'refused' | 'failed') =>
    db()
      .selectFrom('ops_audit')
      .selectAll()
      .where('action', '=', 'refunds-create')
      .where('actor_id', '=', actorId)
      .where('outcome', '=', outcome)
      .execute()
  const apiRefund = (token: string, body: Record<string, unknown>) =>
    svc.api<Refunded & { error?: { reason: string } }>(
      'POST',
      '/ops/v1/refunds',
      { accountId: person.accountId, reason: 'customer asked by phone', idempotencyKey: key(), ...body },
      token
    )
  const buy = async (items: unknown[]) => {
    const r = await svc.api<{ orderId: string; total: { amountMinor: number } }>(
      'POST',
      '/v1/checkout',
      { idempotencyKey: key(), items, payment: { card: CARDS.ok } },
      person.token
    )
    expect(r.status, JSON.stringify(r.body)).toBe(201)
    return r.body
  }
  const topUp = async (amountMinor: number) => {
    const r = await svc.api(
      'POST',
      '/v1/balance/top-up',
      {
        idempotencyKey: key(),
        amountMinor,
        payment: { card: CARDS.ok }
      },
      person.token
    )
    expect(r.status, JSON.stringify(r.body)).toBe(200)
    const e = await db()
      .selectFrom('balance_entries')
      .select('source_ref')
      .where('account_id', '=', person.accountId)
      .where('kind', '=', 'top_up')
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow()
    return e.source_ref
  }
  const signInCli = async (op: Operator): Promise<OpsCli> => {
    const cli = new OpsCli(svc)
    const r = await cli.run(['login', '--email', op.email, '--code', freshCode(svc, op.secret)], {
      DIALTONE_OPS_PASSWORD: op.password
    })
    expect(r.code, r.stderr).toBe(0)
    return cli
  }

  beforeAll(async () => {
    svc = await startTestService(backend)
    const boot = await bootstrapAdmin(svc.service.ctx, { email: 'admin@ops.dialtone.test', name: 'Admin' })
    adminToken = (await enrolAndSignIn(svc, 'admin@ops.dialtone.test', boot.enrolmentToken)).token
    billing = await makeOperator(svc, adminToken, 'billing')
    support = await makeOperator(svc, adminToken, 'support')
    const shop = await svc.api<{ partner: { id: string } }>(
      'POST',
      '/ops/v1/partners',
      { name: 'Corner Shop', kind: 'retail' },
      adminToken
    )
    till = await makeOperator(svc, adminToken, 'retail-partner', shop.body.partner.id)
    billingCli = await signInCli(billing)
    supportCli = await signInCli(support)
    person = await trialLine(svc)
    const paid = await renew(svc, person.token, person.lineId, 'line-1y@1', { card: CARDS.ok })
    expect(paid.status, JSON.stringify(paid.body)).toBe(201)
    renewalId = paid.body.orderId
  }, 120_000)
  afterAll(() => svc.close())

  it('the CLI lists what can be refunded, refunds 12.50 to the balance exactly, once per key, and lists it', async () => {
    const listed = await billingCli.json<Candidates>(['refunds', 'candidates', '--account', person.accountId])
    const renewal = listed.charges.find((c) => c.id === renewalId)
    expect(renewal).toMatchObject({
      kind: 'checkout',
      amountMinor: 3500,
      refundedMinor: 0,
      refundableMinor: 3500
    })
    const human = await billingCli.run(['refunds', 'candidates', '--account', person.accountId])
    expect(human.stdout).toContain('35.00 USD')

    const before = await balance()
    const args = [
      'refunds',
      'create',
      '--account',
      person.accountId,
      '--charge',
      renewalId,
      '--amount',
      '12.50'
    ]
    const made = await supportCli.json<Refunded>([
      ...args,
      '--to',
      'balance',
      '--reason',
      'line was down for two days',
      '--key',
      'ticket-4711'
    ])
    expect(made.refund).toMatchObject({ amountMinor: 1250, to: 'balance', status: 'done' })
    expect(made.balanceMinor).toBe(before + 1250)
    expect(await balance()).toBe(before + 1250)
    const entry = await db()
      .selectFrom('balance_entries')
      .selectAll()
      .where('source_ref', '=', made.refund.id)
      .execute()
    expect(entry.map((e) => [e.kind, e.amount_minor, e.memo_code])).toEqual([
      ['refund', 1250, 'refund-to-balance']
    ])

    // The same command again (a retry): the same refund, nothing moves.
    const again = await supportCli.json<Refunded>([
      ...args,
      '--to',
      'balance',
      '--reason',
      'line was down for two days',
      '--key',
      'ticket-4711'
    ])
    expect(again.refund.id).toBe(made.refund.id)
    expect(await balance()).toBe(before + 1250)
    // The same key with another amount: refused, exit 3, nothing moves.
    const other = await supportCli.run([
      'refunds',
      'create',
      '--account',
      person.accountId,
      '--charge',
      renewalId,
      '--amount',
      '12.00',
      '--to',
      'balance',
      '--reason',
      'line was down for two days',
      '--key',
      'ticket-4711'
    ])
    expect(other.code).toBe(3)
    expect(other.stderr).toContain('idempotency key was used for a different refund')
    expect(await balance()).toBe(before + 1250)
    const bad = await supportCli.run([
      ...args.slice(0, -1),
      '12.505',
      '--to',
      'balance',
      '--reason',
      'xxxxxxx'
    ])
    expect(bad.code).toBe(2)

    const list = await supportCli.run(['refunds', 'list', '--account', person.accountId])
    expect(list.code, list.stderr).toBe(0)
    expect(list.stdout).toContain(made.refund.id)
    expect(list.stdout).toContain('12.50 USD')

    // Audited with the reason and the amounts before and after: the first call moved money, the replay did not.
    const done = await audits(support.id, 'ok')
    expect(done.map((a) => a.reason)).toEqual(['line was down for two days', 'line was down for two days'])
    const befores = done.map((a) => JSON.parse(a.before ?? '{}') as { refundedMinor: number })
    const first = done[befores.findIndex((b) => b.refundedMinor === 0)]
    expect(JSON.parse(first?.before ?? '{}')).toEqual({
      refundedMinor: 0,
      refundableMinor: 3500,
      balanceMinor: before
    })
    expect(JSON.parse(first?.after ?? '{}')).toMatchObject({
      refundedMinor: 1250,
      refundableMinor: 2250,
      balanceMinor: before + 1250,
      amountMinor: 1250,
      to: 'balance'
    })
  }, 60_000)

  it('billing refunds the rest to the card: the processor refunds once, the person sees it, more is refused', async () => {
    const before = await balance()
    const order = await db()
      .selectFrom('checkout_orders')
      .select('charge_id')
      .where('id', '=', renewalId)
      .executeTakeFirstOrThrow()
    const cmd = [
      'refunds',
      'create',
      '--account',
      person.accountId,
      '--charge',
      renewalId,
      '--amount',
      '22.50',
      '--to',
      'card',
      '--reason',
      'refund the rest of the year',
      '--key',
      'ticket-4712-card'
    ]
    const made = await billingCli.json<Refunded>(cmd)
    expect(made.refund).toMatchObject({
      amountMinor: 2250,
      to: 'card',
      status: 'done',
      card: { last4: '4242' }
    })
    expect(await billingCli.json<Refunded>(cmd)).toMatchObject({ refund: { id: made.refund.id } })
    const atProcessor = await sandboxRefunds(order.charge_id ?? '')
    expect(atProcessor.map((r) => r.amount_minor)).toEqual([2250])
    // A card refund of an order leaves the balance alone.
    expect(await balance()).toBe(before)

    const orders = await svc.api<{
      orders: { id: string; refunds: { to: string; amount: { amountMinor: number } }[] }[]
    }>('GET', '/v1/orders', undefined, person.token)
    expect(
      // The test clock stands still: both refunds have one instant, so their order is the ids'.
      orders.body.orders
        .find((o) => o.id === renewalId)
        ?.refunds.map((r) => [r.to, r.amount.amountMinor])
        .sort()
    ).toEqual([
      ['balance', 1250],
      ['card', 2250]
    ])
    const mail = await db()
      .selectFrom('outbox')
      .selectAll()
      .where('account_id', '=', person.accountId)
      .where('purpose', '=', 'refund')
      .execute()
    expect(mail.map((m) => m.subject).sort()).toEqual([
      'Dialtone refunded $12.50',
      'Dialtone refunded $22.50'
    ])

    // Nothing is left: one cent more is refused and changes nothing.
    const seen = await counts()
    const more = await apiRefund(billing.token, { chargeId: renewalId, amountMinor: 1, to: 'balance' })
    expect(more.status).toBe(409)
    expect(more.body.error?.reason).toBe('refund-too-large')
    expect(await counts()).toEqual(seen)
    expect(await balance()).toBe(before)
  }, 60_000)

  it('support above its limit and a retail partner are refused and audited; a reason is required', async () => {
    const minutes = await buy([{ kind: 'minutes', planId: 'intl-100@1' }])
    const bigTopUp = await topUp(5000)
    const seen = await counts()
    const over = await apiRefund(support.token, { chargeId: bigTopUp, amountMinor: 2001, to: 'card' })
    expect(over.status).toBe(403)
    expect(over.body.error?.reason).toBe('refund-above-limit')
    const refused = await audits(support.id, 'refused')
    expect(refused.map((a) => a.error)).toEqual([
      'refund-above-limit: support may refund at most 20.00 USD at once; ask billing or an admin'
    ])
    expect(JSON.parse(refused[0]?.before ?? '{}')).toMatchObject({ refundableMinor: 5000, refundedMinor: 0 })
    const cli = await supportCli.run([
      'refunds',
      'create',
      '--account',
      person.accountId,
      '--charge',
      bigTopUp,
      '--amount',
      '20.01',
      '--to',
      'card',
      '--reason',
      'goodwill gesture'
    ])
    expect(cli.code).toBe(5)
    expect(cli.stderr).toContain('support may refund at most 20.00 USD')

    const partner = await apiRefund(till.token, {
      chargeId: minutes.orderId,
      amountMinor: 100,
      to: 'balance'
    })
    expect(partner.status).toBe(403)
    expect(partner.body.error?.reason).toBe('ops-permission')
    expect((await audits(till.id, 'refused')).map((a) => a.error)).toEqual(['ops-permission: refunds.create'])
    const listing = await svc.api(
      'GET',
      `/ops/v1/refunds?accountId=${person.accountId}`,
      undefined,
      till.token
    )
    expect(listing.status).toBe(403)

    const noReason = await svc.api<{ error: { reason: string } }>(
      'POST',
      '/ops/v1/refunds',
      {
        accountId: person.accountId,
        chargeId: minutes.orderId,
        amountMinor: 100,
        to: 'balance',
        idempotencyKey: key()
      },
      billing.token
    )
    expect(noReason.status).toBe(400)
    const topUpToBalance = await apiRefund(billing.token, {
      chargeId: bigTopUp,
      amountMinor: 100,
      to: 'balance'
    })
    expect(topUpToBalance.status).toBe(400)
    expect(topUpToBalance.body.error?.reason).toBe('refund-destination')
    const stranger = await apiRefund(billing.token, {
      chargeId: 'ord_nosuchorder0000',
      amountMinor: 100,
      to: 'card'
    })
    expect(stranger.status).toBe(404)
    expect(await counts()).toEqual(seen)

    // Within the limit support may; billing above it.
    expect(
      (await apiRefund(support.token, { chargeId: bigTopUp, amountMinor: 2000, to: 'card' })).status
    ).toBe(201)
    expect(
      (await apiRefund(billing.token, { chargeId: bigTopUp, amountMinor: 3000, to: 'card' })).status
    ).toBe(201)
    expect((await sandboxRefunds(bigTopUp)).map((r) => r.amount_minor).sort()).toEqual([2000, 3000])
  }, 60_000)

  it('operators racing on one charge never refund more than it captured; one key racing is one refund', async () => {
    // To the balance: a 5.00 minutes pack, eight refunds of 1.00 at once.
    const pack = await buy([{ kind: 'minutes', planId: 'intl-100@1' }])
    const before = await balance()
    const tokens = [billing.token, support.token]
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        apiRefund(tokens[i % 2] ?? '', { chargeId: pack.orderId, amountMinor: 100, to: 'balance' })
      )
    )
    expect(answers.map((a) => a.status).sort()).toEqual([201, 201, 201, 201, 201, 409, 409, 409])
    expect(await balance()).toBe(before + 500)

    // To the card: a 30.00 top-up, eight refunds of 10.00 at once.
    const charge = await topUp(3000)
    const mid = await balance()
    const card = await Promise.all(
      Array.from({ length: 8 }, () =>
        apiRefund(billing.token, { chargeId: charge, amountMinor: 1000, to: 'card' })
      )
    )
    expect(card.map((a) => a.status).sort()).toEqual([201, 201, 201, 409, 409, 409, 409, 409])
    expect((await sandboxRefunds(charge)).reduce((s, r) => s + r.amount_minor, 0)).toBe(3000)
    expect(await balance()).toBe(mid - 3000)

    // One key, six at once (a double-clicked submit): one refund, one processor call, the same answer.
    const again = await buy([{ kind: 'minutes', planId: 'intl-100@1' }])
    const body = { chargeId: again.orderId, amountMinor: 300, to: 'card', idempotencyKey: key() }
    const same = await Promise.all(Array.from({ length: 6 }, () => apiRefund(billing.token, body)))
    const ok = same.filter((a) => a.status === 201)
    expect(ok.length).toBeGreaterThan(0)
    for (const a of same) expect([201, 409]).toContain(a.status)
    expect(new Set(ok.map((a) => a.body.refund.id)).size).toBe(1)
    const rows = await db()
      .selectFrom('refunds')
      .select('id')
      .where('charge_ref', '=', again.orderId)
      .execute()
    expect(rows).toHaveLength(1)
    const order = await db()
      .selectFrom('checkout_orders')
      .select('charge_id')
      .where('id', '=', again.orderId)
      .executeTakeFirstOrThrow()
    expect(await sandboxRefunds(order.charge_id ?? '')).toHaveLength(1)
  }, 90_000)

  it('a crash between the processor and the ledger loses nothing: the job finishes it, the card refunded once', async () => {
    const charge = await topUp(1500)
    const before = await balance()
    const ctx = svc.service.ctx
    // The processor refunds, then the process dies before the ledger is written.
    const crashing: ServiceContext = {
      ...ctx,
      gateway: {
        ...ctx.gateway,
        refund: async (req) => {
          await ctx.gateway.refund(req)
          throw new Error('power cut')
        }
      }
    }
    const by = { id: billing.id, limited: false }
    const req = {
      accountId: person.accountId,
      chargeId: charge,
      amountMinor: 1500,
      to: 'card' as const,
      reason: 'crash test refund',
      idempotencyKey: key()
    }
    await expect(refund(crashing, by, req)).rejects.toThrow('power cut')
    const pending = await db().selectFrom('refunds').selectAll().where('charge_ref', '=', charge).execute()
    expect(pending.map((r) => r.status)).toEqual(['pending'])
    expect(await balance()).toBe(before)
    // A second operator meanwhile cannot refund what the pending one holds.
    expect((await apiRefund(billing.token, { chargeId: charge, amountMinor: 1, to: 'card' })).status).toBe(
      409
    )
    svc.clock.advance(120_000)
    // The processor unreachable when the job first comes: the refund waits a minute, recorded with why.
    const unreachable: ServiceContext = {
      ...ctx,
      gateway: {
        ...ctx.gateway,
        refund: () => Promise.reject(Object.assign(new Error('connect ECONNRESET'), { code: 'ECONNRESET' }))
      }
    }
    expect(await settleStrandedRefunds(unreachable)).toBe(0)
    const waiting = await db().selectFrom('settle_retries').selectAll().where('kind', '=', 'refund').execute()
    expect(waiting).toEqual([
      expect.objectContaining({ ref_id: pending[0]?.id, attempts: 1, reason: 'system-econnreset' })
    ])
    expect(await settleStrandedRefunds(ctx)).toBe(0) // inside its pause
    svc.clock.advance(60_000)
    expect(await settleStrandedRefunds(ctx)).toBe(1)
    expect(await settleStrandedRefunds(ctx)).toBe(0)
    expect(
      await db().selectFrom('settle_retries').selectAll().where('kind', '=', 'refund').execute()
    ).toEqual([])
    const done = await db().selectFrom('refunds').selectAll().where('charge_ref', '=', charge).execute()
    expect(done.map((r) => r.status)).toEqual(['done'])
    expect(await sandboxRefunds(charge)).toHaveLength(1)
    expect(await balance()).toBe(before - 1500)
    // The operator's retry with the same key answers the finished refund.
    expect((await refund(ctx, by, req)).status).toBe('done')
    expect(await sandboxRefunds(charge)).toHaveLength(1)
  }, 60_000)

  it('the processor refuses what a card processor would; a refused refund answers the same and holds nothing', async () => {
    const ctx = svc.service.ctx
    const charge = await topUp(1000)
    const gw = ctx.gateway
    expect(await gw.refund({ chargeId: charge, amountMinor: 1001, idempotencyKey: key() })).toMatchObject({
      status: 'failed',
      failureCode: 'amount_too_large'
    })
    expect(
      await gw.refund({ chargeId: 'ch_nosuchcharge0000', amountMinor: 1, idempotencyKey: key() })
    ).toMatchObject({ status: 'failed', failureCode: 'charge_not_refundable' })
    const k = key()
    expect((await gw.refund({ chargeId: charge, amountMinor: 100, idempotencyKey: k })).status).toBe(
      'succeeded'
    )
    await expect(gw.refund({ chargeId: charge, amountMinor: 200, idempotencyKey: k })).rejects.toThrow(
      'other parameters'
    )
    expect((await sandboxRefunds(charge)).map((r) => r.amount_minor)).toEqual([100])

    // The service's side of a refusal: the refund is failed, the same key answers the same refusal, nothing held.
    const refusing: ServiceContext = {
      ...ctx,
      gateway: {
        ...gw,
        refund: async () => ({ id: 're_x', status: 'failed', failureCode: 'amount_too_large' })
      }
    }
    const req = {
      accountId: person.accountId,
      chargeId: charge,
      amountMinor: 500,
      to: 'card' as const,
      reason: 'processor refusal test',
      idempotencyKey: key()
    }
    const by = { id: billing.id, limited: false }
    const before = await balance()
    await expect(refund(refusing, by, req)).rejects.toMatchObject({ reason: 'refund-failed' })
    await expect(refund(ctx, by, req)).rejects.toMatchObject({ reason: 'refund-failed' })
    const rows = await db().selectFrom('refunds').select('status').where('charge_ref', '=', charge).execute()
    expect(rows.map((r) => r.status)).toEqual(['failed'])
    expect(await balance()).toBe(before)
    const left = await svc.api<Candidates>(
      'GET',
      `/ops/v1/refunds/candidates?accountId=${person.accountId}`,
      undefined,
      billing.token
    )
    expect(left.body.charges.find((c) => c.id === charge)?.refundableMinor).toBe(1000)
  }, 60_000)

  it('an automatic renewal is listed and refunded to its card like an order, and shows among the orders', async () => {
    const other = await trialLine(svc)
    const first = await renew(
      svc,
      other.token,
      other.lineId,
      'line-1m@1',
      { card: CARDS.ok, save: true },
      { autoRenew: true }
    )
    expect(first.status, JSON.stringify(first.body)).toBe(201)
    const through = (await subscription(svc, other.token, other.lineId)).coverage.paidThrough ?? ''
    // Into the renewal window (a day before the paid-through): the scheduler charges the saved card.
    svc.clock.set(new Date(Date.parse(through) - 12 * 3_600_000))
    const outcomes = await runAutoRenew(svc.service.ctx)
    expect(outcomes.filter((o) => o.outcome === 'renewed')).toHaveLength(1)
    // Sessions are short: time moved on, so sign in again.
    const login = await svc.api<{ token: string }>('POST', '/ops/v1/auth/login', {
      email: billing.email,
      password: billing.password,
      code: freshCode(svc, billing.secret)
    })
    expect(login.status).toBe(200)
    const listed = await svc.api<Candidates>(
      'GET',
      `/ops/v1/refunds/candidates?accountId=${other.accountId}`,
      undefined,
      login.body.token
    )
    const renewal = listed.body.charges.find((c) => c.kind === 'auto_renew')
    expect(renewal).toMatchObject({ amountMinor: 499, refundableMinor: 499 })
    const made = await svc.api<Refunded>(
      'POST',
      '/ops/v1/refunds',
      {
        accountId: other.accountId,
        chargeId: renewal?.id,
        amountMinor: 499,
        to: 'card',
        reason: 'renewed after the customer asked to stop',
        idempotencyKey: key()
      },
      login.body.token
    )
    expect(made.status, JSON.stringify(made.body)).toBe(201)
    expect(made.body.refund).toMatchObject({ to: 'card', status: 'done', card: { last4: '4242' } })
    expect(await sandboxRefunds(renewal?.id ?? '')).toHaveLength(1)
    const token = (
      await svc.api<{ token: string }>('POST', '/v1/auth/sign-in', {
        identifier: other.email,
        password: other.password
      })
    ).body.token
    const orders = await svc.api<{
      orders: {
        kind: string
        id: string
        items: { paidThrough: string | null }[]
        refunds: { to: string }[]
      }[]
    }>('GET', '/v1/orders', undefined, token)
    const auto = orders.body.orders.find((o) => o.kind === 'auto_renew')
    expect(auto?.id).toBe(renewal?.id)
    expect(auto?.items[0]?.paidThrough).not.toBeNull()
    expect(auto?.refunds.map((r) => r.to)).toEqual(['card'])
  }, 60_000)
})
