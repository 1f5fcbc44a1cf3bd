/**
 * Promotions end to end on SQLite and PostgreSQL (issue 20, seed 004): `dialtone-ops promotions create|list|show|
 * end` as the real CLI process, every role tried (refused and audited), bad input that changes nothing; a
 * subscriber's code at a trial's conversion and at a renewal (half price charged, "half price for life" granted),
 * each refusal with its reason and nothing charged, guessing throttled; twenty people racing for a one-use code
 * (one grant, one charge); and each of seed 004's four loss rules on a discount granted by a code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runAutoRenew } from '../../../src/server/billing/auto-renew'
import { applyDueChanges } from '../../../src/server/billing/plan-changes'
import { DAY } from '../../../src/server/clock'
import { bootstrapAdmin } from '../../../src/server/ops/operators'
import { CARDS, renew, saveCard, signIn, subscription } from '../../support/billing-flows'
import { OpsCli, enrolAndSignIn, freshCode, makeOperator, type Operator } from '../../support/ops'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { type TrialLine, trialLine } from '../../support/service-flows'

interface PromotionOut {
  code: string
  state: string
  used: number
  limit: number | null
  eligible: string
  audience: string
}
interface ShowOut {
  promotion: PromotionOut
  granted: number
  reserved: number
  discounts: { active: number; ending: number; ended: number }
  redemptions: { lineId: string; status: string; discount: string | null; endedReason: string | null }[]
}
type ApiError = { error?: { reason: string; issues?: { path: string; code: string }[] } }

const DAY_MS = DAY

describe.each(BACKENDS)('promotions on %s', (backend) => {
  let svc: TestService
  let cli: OpsCli
  let billing: Operator
  let support: Operator
  let till: Operator
  const admin = { email: 'promo-admin@ops.dialtone.test', password: '', secret: '', token: '' }

  beforeAll(async () => {
    svc = await startTestService(backend)
    cli = new OpsCli(svc)
    const boot = await bootstrapAdmin(svc.service.ctx, { email: admin.email, name: 'Promo Admin' })
    const a = await enrolAndSignIn(svc, admin.email, boot.enrolmentToken)
    Object.assign(admin, { password: a.password, secret: a.secret, token: a.token })
    const login = await cli.run(['login', '--email', admin.email, '--code', freshCode(svc, admin.secret)], {
      DIALTONE_OPS_PASSWORD: admin.password
    })
    expect(login.code, login.stderr).toBe(0)
    billing = await makeOperator(svc, admin.token, 'billing')
    support = await makeOperator(svc, admin.token, 'support')
    const partner = await svc.api<{ partner: { id: string } }>(
      'POST',
      '/ops/v1/partners',
      { name: 'Promo shop', kind: 'retail' },
      admin.token
    )
    till = await makeOperator(svc, admin.token, 'retail-partner', partner.body.partner.id)
  }, 120_000)
  afterAll(() => svc.close())

  /** The loopback address makes every trial and code attempt here: its hourly budgets start afresh per case. */
  const freshBudgets = () =>
    svc.service.ctx.db
      .deleteFrom('rate_limits')
      .where((eb) => eb.or([eb('key', 'like', 'trial-ip:%'), eb('key', 'like', 'promo-ip:%')]))
      .execute()
  const line = async (): Promise<TrialLine> => {
    await freshBudgets()
    return trialLine(svc)
  }
  const iso = (ms: number) => new Date(svc.clock.now().getTime() + ms).toISOString()
  const create = async (args: string[]) =>
    (await cli.json<{ promotion: PromotionOut }>(['promotions', 'create', ...args])).promotion
  /** A campaign running from an hour ago for 30 days, made over the CLI. */
  const campaign = (extra: string[] = [], eligible = 'both') =>
    create([
      '--kind',
      'half_price_for_life',
      '--starts',
      iso(-3_600_000),
      '--ends',
      iso(30 * DAY_MS),
      '--eligible',
      eligible,
      '--reason',
      'spring campaign, ticket PROMO-1',
      ...extra
    ])
  const promotionsCount = async () =>
    (await svc.service.ctx.db.selectFrom('promotions').select('id').execute()).length
  const ordersOf = async (accountId: string) =>
    (
      await svc.service.ctx.db
        .selectFrom('checkout_orders')
        .select('id')
        .where('account_id', '=', accountId)
        .execute()
    ).length
  const audit = (action: string) =>
    svc.service.ctx.db
      .selectFrom('ops_audit')
      .selectAll()
      .where('action', '=', action)
      .orderBy('at')
      .execute()
  const quote = (l: TrialLine, planId: string, promoCode: string) =>
    svc.api<ApiError & { items: { discountMinor: number; notices: { code: string }[] }[] }>(
      'POST',
      '/v1/checkout/quote',
      { items: [{ kind: 'renewal', lineId: l.lineId, planId }], promoCode },
      l.token
    )
  const redeem = (l: TrialLine, planId: string, promoCode: string, card = CARDS.ok) =>
    renew(svc, l.token, l.lineId, planId, { card }, { promoCode }) as Promise<{
      status: number
      body: ApiError & { total: { amountMinor: number } }
    }>

  it('creates, lists, shows and ends campaigns with the CLI, audited with the reason; bad input changes nothing', async () => {
    const chosen = await campaign(['--code', 'spring-half', '--limit', '100', '--audience', 'any'])
    expect(chosen).toMatchObject({ code: 'SPRING-HALF', state: 'running', used: 0, limit: 100 })
    const made = await campaign([], 'renewal')
    expect(made.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/)
    const human = await cli.run(['promotions', 'list'])
    expect(human.code, human.stderr).toBe(0)
    expect(human.stdout).toMatch(/CODE\s+KIND\s+STATE/)
    expect(human.stdout).toContain('SPRING-HALF')
    expect(human.stdout).toContain(made.code)

    const count = await promotionsCount()
    const base = ['promotions', 'create', '--kind', 'half_price_for_life', '--reason', 'a good reason']
    const bad: [string[], number, string][] = [
      [[...base, '--starts', '2027-01-01', '--ends', '2027-02-01', '--eligible', 'sometimes'], 2, 'one of'],
      [[...base, '--starts', 'soon', '--ends', '2027-02-01', '--eligible', 'both'], 2, '--starts'],
      [[...base, '--starts', iso(0), '--ends', iso(-DAY_MS), '--eligible', 'both'], 3, 'end after it starts'],
      [
        [...base, '--starts', iso(-3 * DAY_MS), '--ends', iso(-DAY_MS), '--eligible', 'both'],
        3,
        'in the future'
      ],
      [
        ['promotions', 'create', '--kind', 'half_price_for_life', '--starts', iso(0), '--ends', iso(DAY_MS)],
        2,
        '--eligible'
      ],
      [[...base, '--starts', iso(0), '--ends', iso(DAY_MS), '--eligible', 'both', '--code', 'ab'], 3, 'code'],
      [
        [...base, '--starts', iso(0), '--ends', iso(DAY_MS), '--eligible', 'both', '--code', 'Spring-Half'],
        3,
        'exists already'
      ],
      [
        [
          ...base.slice(0, 4),
          '--reason',
          'x',
          '--starts',
          iso(0),
          '--ends',
          iso(DAY_MS),
          '--eligible',
          'both'
        ],
        3,
        'reason'
      ]
    ]
    for (const [args, code, says] of bad) {
      const r = await cli.run(args)
      expect([args.join(' '), r.code]).toEqual([args.join(' '), code])
      expect(r.stderr).toContain(says)
    }
    expect(await promotionsCount()).toBe(count)

    const shown = await cli.json<ShowOut>(['promotions', 'show', 'spring-half'])
    expect(shown).toMatchObject({ granted: 0, reserved: 0, redemptions: [] })
    expect((await cli.run(['promotions', 'show', 'NO-SUCH-CODE'])).code).toBe(6)

    const ended = await cli.run(['promotions', 'end', made.code, '--reason', 'printed with a typo'])
    expect(ended.code, ended.stderr).toBe(0)
    expect(ended.stdout).toContain(`Campaign ${made.code} ended`)
    const twice = await cli.run(['promotions', 'end', made.code, '--reason', 'printed with a typo'])
    expect(twice.code).toBe(3)
    expect(twice.stderr).toContain('ended already')

    const creates = (await audit('promotions-create')).filter((e) => e.outcome === 'ok')
    expect(creates.map((e) => [e.target, e.reason])).toContainEqual([
      'SPRING-HALF',
      'spring campaign, ticket PROMO-1'
    ])
    const ends = await audit('promotions-end')
    expect(ends.map((e) => [e.target, e.outcome, e.reason])).toEqual([
      [made.code, 'ok', 'printed with a typo'],
      [made.code, 'failed', 'printed with a typo']
    ])
    expect(JSON.parse(ends[0]?.before ?? '{}')).toMatchObject({ state: 'running' })
    expect(JSON.parse(ends[0]?.after ?? '{}')).toMatchObject({ state: 'ended' })
  }, 60_000)

  it('billing and admin manage campaigns, support only reads them, a till neither; refusals audited', async () => {
    const body = {
      kind: 'half_price_for_life',
      startsAt: iso(0),
      endsAt: iso(DAY_MS),
      eligible: 'both',
      reason: 'role check campaign'
    }
    const byBilling = await svc.api<{ promotion: PromotionOut }>(
      'POST',
      '/ops/v1/promotions',
      { ...body, code: 'BILLING-MADE' },
      billing.token
    )
    expect(byBilling.status).toBe(201)
    const noReason = await svc.api<ApiError>(
      'POST',
      '/ops/v1/promotions',
      { ...body, reason: undefined, code: 'NO-REASON' },
      billing.token
    )
    expect(noReason.status).toBe(400)
    const count = await promotionsCount()
    for (const who of [support, till]) {
      const r = await svc.api<ApiError>(
        'POST',
        '/ops/v1/promotions',
        { ...body, code: 'NOT-ALLOWED' },
        who.token
      )
      expect(r.status).toBe(403)
      expect(r.body.error?.reason).toBe('ops-permission')
      const e = await svc.api<ApiError>(
        'POST',
        '/ops/v1/promotions/BILLING-MADE/end',
        { reason: 'not mine to end' },
        who.token
      )
      expect(e.status).toBe(403)
    }
    expect(await promotionsCount()).toBe(count)
    expect((await svc.api('GET', '/ops/v1/promotions/BILLING-MADE', undefined, support.token)).status).toBe(
      200
    )
    expect((await svc.api('GET', '/ops/v1/promotions', undefined, till.token)).status).toBe(403)
    const refused = (await audit('promotions-create')).filter((e) => e.outcome === 'refused')
    expect(refused.map((e) => [e.actor_id, e.error])).toEqual(
      expect.arrayContaining([
        [support.id, 'ops-permission: promotions.manage'],
        [till.id, 'ops-permission: promotions.manage']
      ])
    )
  }, 60_000)

  it('a code at a trial’s conversion halves the price and grants half price for life; each refusal is worded and charges nothing', async () => {
    const conv = await campaign(['--code', 'CONVERT-HALF'], 'conversion')
    const renewOnly = await campaign(['--code', 'RENEW-HALF'], 'renewal')
    const l = await line()
    // Refusals, each named on the field, with no order made and nothing charged.
    const soon = await create([
      '--kind',
      'half_price_for_life',
      '--starts',
      iso(5 * DAY_MS),
      '--ends',
      iso(9 * DAY_MS),
      '--eligible',
      'both',
      '--code',
      'LATER-HALF',
      '--reason',
      'next week'
    ])
    const cases: [string, string][] = [
      ['NO-SUCH-CODE', 'promo-invalid'],
      ['bad code!', 'promo-invalid'],
      [soon.code, 'promo-not-yet'],
      [renewOnly.code, 'promo-renewal-only']
    ]
    for (const [code, reason] of cases) {
      const r = await redeem(l, 'line-1m@1', code)
      expect([code, r.status, r.body.error?.reason]).toEqual([code, 400, reason])
      expect(r.body.error?.issues?.[0]).toMatchObject({ path: 'promoCode', code: reason })
    }
    expect(await ordersOf(l.accountId)).toBe(0)
    expect((await subscription(svc, l.token, l.lineId)).discount).toBeNull()

    const q = await quote(l, 'line-1m@1', 'convert-half')
    expect(q.status, JSON.stringify(q.body)).toBe(200)
    expect(q.body.items[0]).toMatchObject({ discountMinor: 250 })
    expect(q.body.items[0]?.notices.map((n) => n.code)).toEqual(['promo-half-price-for-life'])
    const paid = await redeem(l, 'line-1m@1', 'convert-half')
    expect(paid.status, JSON.stringify(paid.body)).toBe(201)
    expect(paid.body.total.amountMinor).toBe(249)
    expect((await subscription(svc, l.token, l.lineId)).discount).toMatchObject({
      status: 'active',
      endedReason: null
    })
    // The same account again, and the line that has its discount now.
    const again = await quote(l, 'line-1m@1', 'CONVERT-HALF')
    expect(again.body.error?.reason).toBe('promo-has-discount')
    const shown = await cli.json<ShowOut>(['promotions', 'show', conv.code])
    expect(shown).toMatchObject({
      promotion: { used: 1 },
      granted: 1,
      reserved: 0,
      discounts: { active: 1 },
      redemptions: [{ lineId: l.lineId, status: 'granted', discount: 'active' }]
    })
    // Renewed once, the line is no longer converting: a conversion code is refused, a renewal code works.
    expect((await quote(l, 'line-1m@1', 'RENEW-HALF')).body.error?.reason).toBe('promo-has-discount')
    const other = await line()
    await renew(svc, other.token, other.lineId, 'line-1m@1', { card: CARDS.ok })
    expect((await quote(other, 'line-1m@1', 'CONVERT-HALF')).body.error?.reason).toBe('promo-conversion-only')
    const declined = await redeem(other, 'line-1m@1', 'RENEW-HALF', CARDS.declined)
    expect(declined.status).toBe(402)
    // A declined payment gives the reservation back.
    expect((await cli.json<ShowOut>(['promotions', 'show', 'RENEW-HALF'])).promotion.used).toBe(0)
    expect((await redeem(other, 'line-1m@1', 'RENEW-HALF')).status).toBe(201)
    expect((await cli.json<ShowOut>(['promotions', 'show', 'RENEW-HALF'])).granted).toBe(1)

    // Ended by an operator, or past its end date: the first answers as an unknown code does.
    await cli.run(['promotions', 'end', 'RENEW-HALF', '--reason', 'campaign pulled'])
    const third = await line()
    await renew(svc, third.token, third.lineId, 'line-1m@1', { card: CARDS.ok })
    expect((await quote(third, 'line-1m@1', 'RENEW-HALF')).body.error?.reason).toBe('promo-invalid')
    // New accounts only: an account opened before the campaign began is refused.
    await campaign(['--code', 'NEW-ONLY', '--audience', 'new'])
    await svc.service.ctx.db
      .updateTable('accounts')
      .set({ created_at: iso(-DAY_MS) })
      .where('id', '=', third.accountId)
      .execute()
    expect((await quote(third, 'line-1m@1', 'NEW-ONLY')).body.error?.reason).toBe('promo-new-accounts')
    svc.clock.advance(31 * DAY_MS)
    const late = await line()
    expect((await quote(late, 'line-1m@1', 'SPRING-HALF')).body.error?.reason).toBe('promo-expired')
    svc.clock.set(new Date())
    expect(renewOnly.eligible).toBe('renewal')
  }, 90_000)

  it('one use of a campaign per account, one line per order, and guessing is throttled', async () => {
    await campaign(['--code', 'ONCE-EACH'])
    const l = await line()
    const two = await svc.api<ApiError>(
      'POST',
      '/v1/checkout/quote',
      {
        items: [{ kind: 'minutes', planId: 'intl-100@1' }],
        promoCode: 'ONCE-EACH'
      },
      l.token
    )
    expect([two.status, two.body.error?.reason]).toEqual([400, 'promo-one-line'])
    expect((await redeem(l, 'line-1m@1', 'ONCE-EACH')).status).toBe(201)
    // Its discount gone (a voluntary cancel past its period), the account still cannot use the code again.
    await svc.service.ctx.db
      .updateTable('discount_grants')
      .set({ ends_at: iso(-1000), ended_reason: 'voluntary' })
      .where('account_id', '=', l.accountId)
      .execute()
    expect((await quote(l, 'line-1m@1', 'ONCE-EACH')).body.error?.reason).toBe('promo-already-used')

    const guesser = await line()
    const answers: number[] = []
    for (let i = 0; i < 12; i++) answers.push((await quote(guesser, 'line-1m@1', `GUESS-${i}000`)).status)
    expect(answers.slice(0, 10)).toEqual(Array(10).fill(400))
    expect(answers.slice(10)).toEqual([429, 429])
  }, 60_000)

  it('twenty people racing for a one-use code: one grant, one charge, nineteen refusals', async () => {
    await campaign(['--code', 'ONLY-ONE', '--limit', '1'])
    const lines: TrialLine[] = []
    for (let i = 0; i < 20; i++) lines.push(await line())
    const answers = await Promise.all(lines.map((l) => redeem(l, 'line-1m@1', 'ONLY-ONE')))
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1)
    expect(answers.filter((a) => a.status === 400).map((a) => a.body.error?.reason)).toEqual(
      Array(19).fill('promo-used-up')
    )
    const show = await cli.json<ShowOut>(['promotions', 'show', 'ONLY-ONE'])
    expect(show).toMatchObject({ promotion: { used: 1, limit: 1 }, granted: 1, reserved: 0 })
    let orders = 0
    for (const l of lines) orders += await ordersOf(l.accountId)
    expect(orders).toBe(1)
    const grants = await svc.service.ctx.db
      .selectFrom('discount_grants')
      .select('id')
      .where(
        'account_id',
        'in',
        lines.map((l) => l.accountId)
      )
      .execute()
    expect(grants).toHaveLength(1)
  }, 120_000)

  describe('seed 004: a discount granted by a code is then lost by each rule', () => {
    /** A line converted from its trial with a code of its own campaign; the discount is running. */
    async function granted(planId: string): Promise<TrialLine> {
      const code = `LOSS-${Math.random().toString(36).slice(2, 8).toUpperCase()}`
      await campaign(['--code', code])
      const l = await line()
      const r = await redeem(l, planId, code)
      expect(r.status, JSON.stringify(r.body)).toBe(201)
      expect((await subscription(svc, l.token, l.lineId)).discount).toMatchObject({ status: 'active' })
      return l
    }

    it('downgrade: ending when scheduled, kept if withdrawn, lost when it applies', async () => {
      const l = await granted('line-1y@1')
      const through = (await subscription(svc, l.token, l.lineId)).coverage.paidThrough ?? ''
      const change = () =>
        svc.api('POST', `/v1/lines/${l.lineId}/plan-change`, { toPlanId: 'line-5y@1' }, l.token)
      expect((await change()).status).toBe(200)
      expect((await subscription(svc, l.token, l.lineId)).discount).toMatchObject({
        status: 'ending',
        endedReason: 'downgrade'
      })
      await svc.api('DELETE', `/v1/lines/${l.lineId}/plan-change`, undefined, l.token)
      expect((await subscription(svc, l.token, l.lineId)).discount).toMatchObject({ status: 'active' })
      expect((await change()).status).toBe(200)
      svc.clock.set(new Date(Date.parse(through) + 1000))
      await applyDueChanges(svc.service.ctx)
      const token = await signIn(svc, l)
      expect((await subscription(svc, token, l.lineId)).discount).toMatchObject({
        status: 'ended',
        endedReason: 'downgrade'
      })
      svc.clock.set(new Date())
    })

    it('monthly to annual: lost at the switch', async () => {
      const l = await granted('line-1m@1')
      expect((await renew(svc, l.token, l.lineId, 'line-1y@1', { card: CARDS.ok })).status).toBe(201)
      expect((await subscription(svc, l.token, l.lineId)).discount).toMatchObject({
        status: 'ended',
        endedReason: 'interval_switch'
      })
    })

    it('dunning cancellation: lost for good', async () => {
      const l = await granted('line-1m@1')
      const pm = await saveCard(svc, l.token, CARDS.failsLater)
      await svc.api(
        'PUT',
        `/v1/lines/${l.lineId}/auto-renew`,
        { enabled: true, paymentMethodId: pm },
        l.token
      )
      const through = new Date((await subscription(svc, l.token, l.lineId)).coverage.paidThrough ?? '')
      for (const d of [-1, ...svc.service.ctx.config.billing.dunningRetryDays]) {
        svc.clock.set(new Date(through.getTime() + d * DAY + 1000))
        await runAutoRenew(svc.service.ctx)
      }
      const sub = await subscription(svc, await signIn(svc, l), l.lineId)
      expect(sub.cancelReason).toBe('dunning')
      expect(sub.discount).toMatchObject({ status: 'ended', endedReason: 'dunning', reinstatableUntil: null })
      svc.clock.set(new Date())
    })

    it('voluntary cancel: kept when resumed in time, lost after the period', async () => {
      const l = await granted('line-1m@1')
      const through = (await subscription(svc, l.token, l.lineId)).coverage.paidThrough
      await svc.api('POST', `/v1/lines/${l.lineId}/cancel`, undefined, l.token)
      expect((await subscription(svc, l.token, l.lineId)).discount).toMatchObject({
        status: 'ending',
        reinstatableUntil: through
      })
      expect((await svc.api('POST', `/v1/lines/${l.lineId}/resume`, undefined, l.token)).status).toBe(200)
      expect((await subscription(svc, l.token, l.lineId)).discount).toMatchObject({ status: 'active' })
      await svc.api('POST', `/v1/lines/${l.lineId}/cancel`, undefined, l.token)
      svc.clock.set(new Date(Date.parse(through ?? '') + 1000))
      const token = await signIn(svc, l)
      expect((await subscription(svc, token, l.lineId)).discount).toMatchObject({
        status: 'ended',
        endedReason: 'voluntary'
      })
      svc.clock.set(new Date())
    })

    it('the campaign shows what became of each discount', async () => {
      const shows = await Promise.all(
        (
          await svc.service.ctx.db
            .selectFrom('promotions')
            .select('code')
            .where('code', 'like', 'LOSS-%')
            .execute()
        ).map((p) => cli.json<ShowOut>(['promotions', 'show', p.code]))
      )
      expect(shows.map((s) => s.redemptions[0]?.endedReason).sort()).toEqual([
        'downgrade',
        'dunning',
        'interval_switch',
        'voluntary'
      ])
      // Ended, or ending on its date (the downgrade's and the cancel's dates are still ahead on today's clock).
      expect(shows.every((s) => s.discounts.active === 0 && s.redemptions[0]?.discount !== 'active')).toBe(
        true
      )
    })
  })
})
