/**
 * Online renewal: a cart of line renewals and minutes packs, priced on the server (discounts and their
 * notices included), paid through the gateway, fulfilled once. The order is keyed by the request's idempotency
 * key and the charge by the order, so a retry after a timeout or a crash resumes where it stopped: it never
 * charges twice (the processor replays the first charge) and never extends twice (grants are unique per order
 * item). Orders left paid-but-unfulfilled by a crash are finished by a job even if the app never retries. A
 * promotion code (promotions.ts) is reserved with the order, granted with its fulfilment, given back on a decline.
 */
import type { z } from 'zod'
import type { cartItem, checkoutRequest, pricedItem, quote, receipt } from '../../shared/api/billing'
import { DAY } from '../clock'
import { type ServiceContext, inTransaction } from '../context'
import type { CheckoutOrdersTable, PaymentMethodsTable, PlansTable } from '../db/schema-billing'
import { ServiceError, conflict, invalid, notFound } from '../http/errors'
import { notifyPreferred } from '../mail/outbox'
import { applySync, syncLine, type SyncResult } from '../provisioning/lines'
import { newId } from '../secrets'
import { getPlan, planMonths, plansOnSale } from './catalog'
import { assertWithinCapFrom, extendCoverage } from './coverage'
import type { Notice } from '../../shared/api/notes'
import { DISCOUNT_ENDS_AT_SWITCH, discountOff, onIntervalSwitch, onResubscribe } from './discounts'
import { declinedError } from './gateway'
import { type Settle, claimRow, idempotent } from './idempotency'
import { type PricingFacts, fulfilFacts, pricingFacts, pricingFromRow } from './renewal-facts'
import { type RenewalPrefetch, prefetchRenewal } from './checkout-prefetch'
import { type FastOutcome, fulfilRenewalFast } from './renewal-fast'
import { billingNotices } from './notices'
import { resolvePayment } from './payment-methods'
import {
  type PromoHold,
  applyPromoCode,
  grantReserved,
  releasePromotion,
  reservePromotion
} from './promotions'
import { ensureSubscription } from './subscriptions'

type Item = z.output<typeof cartItem>
type Priced = z.output<typeof pricedItem>
type Receipt = z.output<typeof receipt>

/** Monthly to a yearly plan on the same line: the switch that ends "half price for life". */
const isIntervalSwitch = (from: PlansTable['interval'] | null, to: Pick<PlansTable, 'interval'>): boolean =>
  from === 'month' && to.interval === 'year'

async function priceItem(
  ctx: ServiceContext,
  accountId: string,
  item: Item,
  known: (PricingFacts | null)[] = [],
  pre?: Pick<RenewalPrefetch, 'row'>
): Promise<Priced> {
  if (item.kind === 'minutes') {
    known.push(null)
    const plan = await plansOnSale(ctx, item.planId)
    const list = { amountMinor: plan.price_minor, currency: plan.currency }
    if (plan.kind !== 'intl_minutes')
      throw invalid('items.planId', `${plan.name} is not a minutes pack`, 'wrong-plan-kind')
    return {
      kind: 'minutes',
      lineId: null,
      planId: plan.id,
      description: plan.name,
      planCode: plan.code,
      phoneNumber: null,
      listPrice: list,
      discountMinor: 0,
      price: list,
      notices: []
    }
  }
  // The line, its paid-through, subscription, current plan and discount: one statement (renewal-facts.ts).
  const facts = pre
    ? await pricingFromRow(ctx, pre.row, item.planId)
    : await pricingFacts(ctx, accountId, item.lineId, item.planId)
  known.push(facts)
  const plan = facts.plan
  if (plan.kind !== 'line_service')
    throw invalid('items.planId', `${plan.name} is not a line-service plan`, 'wrong-plan-kind')
  const line = facts.line
  if (line.status === 'closed') throw conflict('line-closed', 'this line is closed; it cannot be renewed')
  const now = ctx.clock.now()
  assertWithinCapFrom(facts.paidThrough, now, planMonths(plan))
  if (facts.renewalLeaseUntil && facts.renewalLeaseUntil > now.toISOString())
    throw conflict(
      'renewal-in-progress',
      'an automatic renewal of this line is being charged right now; try again in a minute'
    )
  const grant = facts.grant
  const notices: Notice[] = []
  let off = 0
  if (isIntervalSwitch(facts.currentInterval, plan)) {
    if (discountOff(plan.price_minor, grant, now) > 0) notices.push(DISCOUNT_ENDS_AT_SWITCH)
  } else off = discountOff(plan.price_minor, grant, now)
  const number = line.phone_number ?? 'your line'
  const list = { amountMinor: plan.price_minor, currency: plan.currency }
  return {
    kind: 'renewal',
    lineId: line.id,
    planId: plan.id,
    description: `${plan.name} for ${number}`,
    planCode: plan.code,
    phoneNumber: line.phone_number,
    listPrice: list,
    discountMinor: off,
    price: { amountMinor: plan.price_minor - off, currency: plan.currency },
    notices
  }
}

export async function quoteCart(
  ctx: ServiceContext,
  accountId: string,
  items: readonly Item[],
  promoCode?: string
): Promise<z.output<typeof quote>> {
  return (await priceCart(ctx, accountId, items, promoCode)).quote
}

/** The cart priced, with a promotion code's discount and the hold its checkout reserves. */
async function priceCart(
  ctx: ServiceContext,
  accountId: string,
  items: readonly Item[],
  promoCode: string | undefined,
  /** The lone item's pricing row, read already (checkout-prefetch.ts). */
  pre?: Pick<RenewalPrefetch, 'row'>
): Promise<{ quote: z.output<typeof quote>; hold: PromoHold | null; facts: (PricingFacts | null)[] }> {
  const seen = new Set<string>()
  for (const i of items)
    if (i.kind === 'renewal') {
      if (seen.has(i.lineId)) throw invalid('items', 'renew each line once per order', 'duplicate-line')
      seen.add(i.lineId)
    }
  let priced: Priced[] = []
  const facts: (PricingFacts | null)[] = []
  for (const i of items) priced.push(await priceItem(ctx, accountId, i, facts, pre))
  let hold: PromoHold | null = null
  if (promoCode !== undefined)
    ({ items: priced, hold } = await applyPromoCode(ctx, accountId, priced, promoCode))
  const currencies = new Set(priced.map((p) => p.price.currency))
  if (currencies.size > 1) throw invalid('items', 'one order pays in one currency', 'mixed-currency')
  const currency = priced[0]?.price.currency ?? 'USD'
  return {
    quote: {
      items: priced,
      total: { amountMinor: priced.reduce((s, p) => s + p.price.amountMinor, 0), currency }
    },
    hold,
    facts
  }
}

export async function checkout(
  ctx: ServiceContext,
  accountId: string,
  req: z.output<typeof checkoutRequest>
): Promise<Receipt> {
  const scope = {
    accountId,
    key: req.idempotencyKey,
    endpoint: 'checkout',
    request: { ...req, payment: paymentFingerprint(req.payment) }
  }
  // A lone renewal with a saved card (the common one): its reads before the charge in one statement, with the
  // key's claim on PostgreSQL (checkout-prefetch.ts).
  const lone = req.items.length === 1 && req.promoCode === undefined ? req.items[0] : undefined
  const claim = claimRow(ctx, scope)
  const pre =
    lone?.kind === 'renewal' && 'paymentMethodId' in req.payment
      ? await prefetchRenewal(ctx, accountId, lone, req.payment.paymentMethodId, claim)
      : undefined
  const answer = await idempotent(
    ctx,
    scope,
    async (settle) => ({ status: 201, body: await runCheckout(ctx, accountId, req, settle, pre) }),
    pre?.claimed === undefined ? undefined : { row: claim, inserted: pre.claimed }
  )
  return answer.body
}

async function runCheckout(
  ctx: ServiceContext,
  accountId: string,
  req: z.output<typeof checkoutRequest>,
  settle: Settle,
  pre?: RenewalPrefetch
): Promise<Receipt> {
  const existing =
    pre && pre.existingOrderId === null
      ? undefined
      : await ctx.db
          .selectFrom('checkout_orders')
          .selectAll()
          .where('account_id', '=', accountId)
          .where('idempotency_key', '=', req.idempotencyKey)
          .executeTakeFirst()
  if (existing) return settleOrder(ctx, existing)
  const { quote: q, hold, facts } = await priceCart(ctx, accountId, req.items, req.promoCode, pre)
  if (req.autoRenew) {
    for (const item of q.items) {
      const plan = await plansOnSale(ctx, item.planId)
      if (item.kind === 'renewal' && plan.auto_renew_eligible !== 1)
        throw invalid('autoRenew', `${plan.name} cannot renew automatically`, 'plan-not-eligible')
    }
    if ('card' in req.payment && !req.payment.save)
      throw invalid('payment.save', 'auto-renew needs the card saved', 'card-not-saved')
  }
  const method = pre
    ? (pre.method ?? throwNotFound('payment-method-not-found', 'the payment method'))
    : await resolvePayment(ctx, accountId, req.payment)
  const now = ctx.clock.now().toISOString()
  const row: CheckoutOrdersTable = {
    id: newId('ord'),
    account_id: accountId,
    idempotency_key: req.idempotencyKey,
    status: 'pending_payment',
    total_minor: q.total.amountMinor,
    currency: q.total.currency,
    payment_method_id: method.id,
    charge_id: null,
    failure: null,
    items: JSON.stringify({ items: q.items, autoRenew: req.autoRenew, promo: hold }),
    created_at: now,
    updated_at: now,
    paid_at: null
  }
  const insertOrder = (db: ServiceContext['db']) =>
    db
      .insertInto('checkout_orders')
      .values(row)
      .onConflict((oc) => oc.doNothing())
      .returningAll()
      .executeTakeFirst()
  // The order and its promotion's reservation together: a code that is used up refuses before any charge.
  // Without a promotion the INSERT alone is atomic: no transaction (two round trips fewer on PostgreSQL).
  const made = hold
    ? await inTransaction(ctx, async (tx) => {
        const r = await insertOrder(tx.db)
        if (r) await reservePromotion(tx, hold, accountId, row.id)
        return r
      })
    : await insertOrder(ctx.db)
  // Nothing inserted: a request with the same key (a retry that took over a stale lease) made the order first.
  const order =
    made ??
    (await ctx.db
      .selectFrom('checkout_orders')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('idempotency_key', '=', req.idempotencyKey)
      .executeTakeFirstOrThrow())
  // What the price read of a lone renewal's line: the fast fulfilment checks it is still so (renewal-fast.ts).
  const priced = !hold && facts.length === 1 ? (facts[0] ?? undefined) : undefined
  return settleOrder(ctx, order, made ? { method, settle, priced } : {})
}

/**
 * Charges (or replays the charge of) an order and fulfils it once. Safe to run again at any point. `method`: the
 * order's payment method when the caller has it already; `settle`: stores the request's answer (idempotency.ts)
 * in the fulfilment's own transaction, so the receipt is kept with what it says.
 */
export async function settleOrder(
  ctx: ServiceContext,
  order: CheckoutOrdersTable,
  given: { method?: PaymentMethodsTable; settle?: Settle; priced?: PricingFacts } = {}
): Promise<Receipt> {
  const stored = JSON.parse(order.items) as StoredOrder
  if (order.status === 'failed') throw declinedError(order.failure)
  const receiptOf = (paidThroughs: ReadonlyMap<number, string | null>): Receipt => ({
    orderId: order.id,
    status: 'paid',
    total: { amountMinor: order.total_minor, currency: order.currency },
    items: stored.items.map((i, index) => ({
      ...i,
      paidThrough: i.lineId ? (paidThroughs.get(index) ?? null) : null
    }))
  })
  if (order.status === 'pending_payment') {
    const method =
      given.method?.id === order.payment_method_id
        ? given.method
        : await ctx.db
            .selectFrom('payment_methods')
            .selectAll()
            .where('id', '=', order.payment_method_id)
            .executeTakeFirstOrThrow()
    const charge = await ctx.gateway.charge({
      token: method.gateway_token,
      amountMinor: order.total_minor,
      currency: order.currency,
      idempotencyKey: `order:${order.id}`
    })
    ctx.fault('checkout:after-charge')
    if (charge.status === 'failed') {
      await inTransaction(ctx, async (tx) => {
        const failed = await tx.db
          .updateTable('checkout_orders')
          .set({
            status: 'failed',
            failure: charge.declineCode,
            charge_id: charge.id,
            updated_at: tx.clock.now().toISOString()
          })
          .where('id', '=', order.id)
          .where('status', '=', 'pending_payment')
          .executeTakeFirst()
        if (Number(failed.numUpdatedRows) === 1) await releasePromotion(tx, order.id)
      })
      await ctx.audit.record('order.failed', {
        accountId: order.account_id,
        detail: { order: order.id, decline: charge.declineCode }
      })
      throw declinedError(charge.declineCode)
    }
    const fast: FastOutcome =
      given.settle && given.priced
        ? await fastRenewal(ctx, order, charge.id, stored, method, given.priced, given.settle, receiptOf)
        : 'slow'
    if (typeof fast === 'object') return receiptOf(new Map([[0, fast.done]]))
    const done =
      fast === 'slow'
        ? await inTransaction(ctx, async (tx) => {
            const f = await fulfil(tx, order, charge.id, stored, method.id, method.removed_at === null)
            if (!f) return null
            const receipt = receiptOf(f.ends)
            if (given.settle) await given.settle(tx, { status: 201, body: receipt })
            return { receipt, syncs: f.syncs }
          })
        : null
    if (done) {
      await applySync(ctx, done.syncs)
      return done.receipt
    }
  }
  const paidThroughs = new Map<number, string | null>()
  for (const [index, item] of stored.items.entries())
    if (item.lineId) paidThroughs.set(index, await grantEnd(ctx, `${order.id}:${index}`))
  return receiptOf(paidThroughs)
}

/**
 * A lone renewal of a line in service with a subscription and no monthly-to-yearly switch: fulfilled by
 * renewal-fast.ts in one statement (PostgreSQL) or one short transaction (SQLite), if what the price read still
 * holds; anything else is 'slow' and runs fulfil below.
 */
function fastRenewal(
  ctx: ServiceContext,
  order: CheckoutOrdersTable,
  chargeId: string,
  stored: StoredOrder,
  method: PaymentMethodsTable,
  f: PricingFacts,
  settle: Settle,
  receiptOf: (paidThroughs: ReadonlyMap<number, string | null>) => Receipt
): Promise<FastOutcome> | 'slow' {
  const item = stored.items[0]
  if (
    stored.items.length !== 1 ||
    stored.promo ||
    !item ||
    item.kind !== 'renewal' ||
    item.lineId !== f.line.id
  )
    return 'slow'
  const plan = f.plan
  // The line's state as priced; renewal-fast.ts checks it again with the rest, under the line's lock.
  const state = f.line.status
  if (
    item.planId !== plan.id ||
    (state !== 'in_service' && state !== 'pending') ||
    f.subscriptionPlanId === null
  )
    return 'slow'
  if (isIntervalSwitch(f.currentInterval, plan)) return 'slow'
  return fulfilRenewalFast(ctx, {
    order,
    chargeId,
    lineId: f.line.id,
    subscriptionPlanId: f.subscriptionPlanId,
    paidThrough: f.paidThrough,
    planId: plan.id,
    months: planMonths(plan),
    autoRenew: stored.autoRenew && method.removed_at === null && plan.auto_renew_eligible === 1,
    methodId: method.id,
    receiptMessage: billingNotices.receipt(order.id, order.total_minor, order.currency, [item.description]),
    answer: (paidThrough) => receiptOf(new Map([[0, paidThrough]])),
    settle
  })
}

const throwNotFound = (...args: Parameters<typeof notFound>): never => {
  throw notFound(...args)
}

/** What identifies a payment choice for idempotency, without the card number (never hashed, never stored). */
export function paymentFingerprint(p: z.output<typeof checkoutRequest>['payment']): unknown {
  return 'card' in p
    ? {
        last4: p.card.number.replace(/\D/g, '').slice(-4),
        exp: `${p.card.expMonth}/${p.card.expYear}`,
        save: p.save
      }
    : p
}

/** What an order keeps of its request: the priced items, auto-renew, and the promotion it holds (if any). */
interface StoredOrder {
  items: Priced[]
  autoRenew: boolean
  promo?: PromoHold | null
}

/** Marks the order paid (once) and grants what it bought; null when another run fulfilled it first. */
async function fulfil(
  tx: ServiceContext,
  order: CheckoutOrdersTable,
  chargeId: string,
  stored: StoredOrder,
  methodId: string,
  methodKept: boolean
): Promise<{ syncs: SyncResult[]; ends: Map<number, string | null> } | null> {
  const now = tx.clock.now()
  const claimed = await tx.db
    .updateTable('checkout_orders')
    // When the card result arrived: the invoice counts the payment in this month (invoice-card-lines.ts).
    .set({ status: 'paid', charge_id: chargeId, updated_at: now.toISOString(), paid_at: now.toISOString() })
    .where('id', '=', order.id)
    .where('status', '=', 'pending_payment')
    .executeTakeFirst()
  if (Number(claimed.numUpdatedRows) !== 1) return null
  const syncs: SyncResult[] = []
  const ends = new Map<number, string | null>()
  for (const [index, item] of stored.items.entries()) {
    const sourceId = `${order.id}:${index}`
    if (item.kind === 'minutes' || !item.lineId) {
      const plan = await getPlan(tx, item.planId)
      await tx.db
        .insertInto('minute_packs')
        .values({
          id: newId('pk'),
          account_id: order.account_id,
          source_ref: sourceId,
          minutes: plan.minutes ?? 0,
          used: 0,
          expires_at: new Date(now.getTime() + 30 * DAY).toISOString(),
          created_at: now.toISOString()
        })
        .onConflict((oc) => oc.doNothing())
        .execute()
      continue
    }
    // The line held; its subscription, current plan's interval, paid-through and the plan bought: one statement.
    const facts = await fulfilFacts(tx, item.lineId, item.planId)
    const plan = facts.plan
    const sub = facts.subscription ?? (await ensureSubscription(tx, order.account_id, item.lineId, plan.id))
    const from = facts.subscription ? facts.currentInterval : plan.interval
    if (isIntervalSwitch(from, plan)) await onIntervalSwitch(tx, sub.id)
    if (sub.status === 'canceled' && sub.cancel_reason === 'voluntary') await onResubscribe(tx, sub.id)
    const autoRenew = stored.autoRenew && methodKept && plan.auto_renew_eligible === 1
    await tx.db
      .updateTable('subscriptions')
      .set({
        plan_id: plan.id,
        status: 'active',
        cancel_at_period_end: 0,
        canceled_at: null,
        cancel_reason: null,
        dunning_attempts: 0,
        next_attempt_at: null,
        ...(autoRenew ? { auto_renew: 1, payment_method_id: methodId } : {}),
        updated_at: now.toISOString()
      })
      .where('id', '=', sub.id)
      .execute()
    if (stored.promo?.lineId === item.lineId) await grantReserved(tx, order.id, order.account_id, sub.id)
    const end = await extendCoverage(
      tx,
      item.lineId,
      { type: 'order', id: sourceId },
      { months: planMonths(plan) },
      facts.paidThrough
    )
    ends.set(index, end?.toISOString() ?? (await grantEnd(tx, sourceId)))
    syncs.push(await syncLine(tx, item.lineId))
  }
  await tx.audit.record('order.paid', {
    accountId: order.account_id,
    detail: { order: order.id, total: order.total_minor }
  })
  await notifyPreferred(
    tx.db,
    tx.clock,
    order.account_id,
    'receipt',
    billingNotices.receipt(
      order.id,
      order.total_minor,
      order.currency,
      stored.items.map((i) => i.description)
    )
  )
  return { syncs, ends }
}

/** The end of the grant an order item made (null if it made none). */
async function grantEnd(ctx: ServiceContext, sourceId: string): Promise<string | null> {
  const g = await ctx.db
    .selectFrom('coverage_grants')
    .select('ends_at')
    .where('source_type', '=', 'order')
    .where('source_id', '=', sourceId)
    .executeTakeFirst()
  return g?.ends_at ?? null
}

/** Job: orders a crash left between charge and fulfilment (older than a minute) are settled now. */
export async function settleStrandedOrders(ctx: ServiceContext): Promise<number> {
  const before = new Date(ctx.clock.now().getTime() - 60_000).toISOString()
  const stranded = await ctx.db
    .selectFrom('checkout_orders')
    .selectAll()
    .where('status', '=', 'pending_payment')
    .where('updated_at', '<=', before)
    .limit(100)
    .execute()
  let settled = 0
  for (const order of stranded) {
    try {
      await settleOrder(ctx, order)
      settled++
    } catch (err) {
      if (!(err instanceof ServiceError)) throw err
    }
  }
  return settled
}
