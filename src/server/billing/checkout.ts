/**
 * Online renewal: a cart of line renewals and minutes packs, priced on the server (checkout-pricing.ts), paid
 * through the gateway and fulfilled once (checkout-settle.ts). The order is keyed by the request's idempotency
 * key and the charge by the order, so a retry after a timeout or a crash resumes where it stopped: it never
 * charges twice (the processor replays the first charge) and never extends twice (grants are unique per order
 * item). Orders left pending by a crash are finished by a job even if the app never retries. A promotion code
 * (promotions.ts) is reserved with the order, granted with its fulfilment, given back on a decline.
 *
 * What must be durable before the processor is called is the order (a charge the processor made is then always
 * found again: by the order's key, and the charge's key `order:<id>`). The common renewal (one line, a saved card)
 * keeps its idempotency record in that order (migration 0031, checkout-keyed.ts): the order's INSERT is the key's
 * claim, and the answer is written with the paid mark, so it writes no `idempotency_keys` row (issue 24 goal 8).
 * The card's answer, the paid mark and the fulfilment then commit together (renewal-fast.ts or checkout-fulfil.ts).
 */
import type { z } from 'zod'
import type { checkoutRequest, receipt } from '../../shared/api/billing'
import { type ServiceContext, inTransaction } from '../context'
import type { CheckoutOrdersTable, PaymentMethodsTable } from '../db/schema-billing'
import { ServiceError, invalid, notFound } from '../http/errors'
import { newId } from '../secrets'
import { plansOnSale } from './catalog'
import { type RenewalPrefetch, prefetchRenewal } from './checkout-prefetch'
import { type Priced, priceCart } from './checkout-pricing'
import { runCompiledOnce } from './compiled-once'
import { resumeKeyed, settleKeyed, storeRefusal } from './checkout-keyed'
import type { StoredItem } from './checkout-fulfil'
import { settleOrder } from './checkout-settle'
import { type Scope, type Settle, idempotent, keyMismatch, requestHash } from './idempotency'
import { resolvePayment } from './payment-methods'
import { reservePromotion } from './promotions'
import type { PricingFacts } from './renewal-facts'

type Request = z.output<typeof checkoutRequest>
type Receipt = z.output<typeof receipt>

export async function checkout(ctx: ServiceContext, accountId: string, req: Request): Promise<Receipt> {
  const scope = {
    accountId,
    key: req.idempotencyKey,
    endpoint: 'checkout',
    request: { ...req, payment: paymentFingerprint(req.payment) }
  }
  const hash = requestHash(scope)
  // A lone renewal with a saved card (the common one): its reads before the charge in one statement
  // (checkout-prefetch.ts), its key held by its order.
  const lone = req.items.length === 1 && req.promoCode === undefined ? req.items[0] : undefined
  if (lone?.kind === 'renewal' && 'paymentMethodId' in req.payment) {
    const pre = await prefetchRenewal(ctx, accountId, lone, req.payment.paymentMethodId, req.idempotencyKey)
    const keyed = await keyedCheckout(ctx, accountId, req, scope, hash, pre)
    if (keyed) return keyed
  }
  const answer = await idempotent(ctx, scope, async (settle) => ({
    status: 201,
    body: await runCheckout(ctx, accountId, req, settle, hash)
  }))
  return answer.body
}

/** An order made for a request, and what its settling may reuse (given only when this request made it). */
interface Placed {
  readonly order: CheckoutOrdersTable
  /** This request inserted it (false: a request with the same key had). */
  readonly made: boolean
  readonly given: { method?: PaymentMethodsTable; priced?: PricingFacts }
}

/**
 * The common renewal with its key in its order (checkout-keyed.ts): undefined when the key is held otherwise (an
 * `idempotency_keys` row, an order from before migration 0031): the general path then answers.
 */
async function keyedCheckout(
  ctx: ServiceContext,
  accountId: string,
  req: Request,
  scope: Scope,
  hash: string,
  pre: RenewalPrefetch
): Promise<Receipt | undefined> {
  if (pre.keyTaken) return undefined
  if (pre.existingOrderId !== null) {
    const order = await ctx.db
      .selectFrom('checkout_orders')
      .selectAll()
      .where('id', '=', pre.existingOrderId)
      .executeTakeFirstOrThrow()
    return resumeKeyed(ctx, order, scope, hash)
  }
  let placed: Placed
  try {
    placed = await placeOrder(ctx, accountId, req, pre, hash)
  } catch (err) {
    // A refusal while pricing (the cap, a renewal being charged, a removed card) is the answer a replay gets.
    if (err instanceof ServiceError && err.status < 500) await storeRefusal(ctx, scope, hash, err)
    throw err
  }
  return placed.made
    ? settleKeyed(ctx, placed.order, placed.given, scope, hash)
    : resumeKeyed(ctx, placed.order, scope, hash)
}

async function runCheckout(
  ctx: ServiceContext,
  accountId: string,
  req: Request,
  settle: Settle,
  hash: string
): Promise<Receipt> {
  const existing = await ctx.db
    .selectFrom('checkout_orders')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('idempotency_key', '=', req.idempotencyKey)
    .executeTakeFirst()
  // An order that holds its own key's record (checkout-keyed.ts) answers only the request it was made for.
  const sameRequest = (o: CheckoutOrdersTable) => {
    if (o.request_hash !== null && o.request_hash !== hash) throw keyMismatch()
    return o
  }
  if (existing) return settleOrder(ctx, sameRequest(existing))
  const placed = await placeOrder(ctx, accountId, req)
  if (!placed.made) return settleOrder(ctx, sameRequest(placed.order))
  return settleOrder(ctx, placed.order, { ...placed.given, settle })
}

/**
 * Prices the cart and inserts its order (pending payment), keyed by the request's key; with a promotion, its
 * reservation in the same transaction. `hash`: the order holds the request's idempotency record (its hash and
 * lease; checkout-keyed.ts). Exported for tests that settle an order by the general path.
 */
export async function placeOrder(
  ctx: ServiceContext,
  accountId: string,
  req: Request,
  pre?: RenewalPrefetch,
  hash?: string
): Promise<Placed> {
  const { quote: q, hold, facts } = await priceCart(ctx, accountId, req.items, req.promoCode, pre)
  if (req.autoRenew) {
    for (const [index, item] of q.items.entries()) {
      // A renewal's plan as its price read it (on sale, checked there); a minutes pack's read here.
      const read = facts[index]?.plan
      const plan = read?.id === item.planId ? read : await plansOnSale(ctx, item.planId)
      if (item.kind === 'renewal' && plan.auto_renew_eligible !== 1)
        throw invalid('autoRenew', `${plan.name} cannot renew automatically`, 'plan-not-eligible')
    }
    if ('card' in req.payment && !req.payment.save)
      throw invalid('payment.save', 'auto-renew needs the card saved', 'card-not-saved')
  }
  const method = pre
    ? (pre.method ?? throwIt(notFound('payment-method-not-found', 'the payment method')))
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
    items: JSON.stringify({ items: storedItems(q.items, facts), autoRenew: req.autoRenew, promo: hold }),
    created_at: now,
    updated_at: now,
    paid_at: null,
    request_hash: hash ?? null,
    key_leased_at: hash === undefined ? null : now,
    response_body: null
  }
  const insertOrder = (db: ServiceContext['db'], values: CheckoutOrdersTable) =>
    db
      .insertInto('checkout_orders')
      .values(values)
      .onConflict((oc) => oc.doNothing())
  // The order and its promotion's reservation together: a code that is used up refuses before any charge.
  // Without a promotion the INSERT alone is atomic: no transaction (two round trips fewer on PostgreSQL).
  const made = hold
    ? await inTransaction(ctx, async (tx) => {
        const r = await insertOrder(tx.db, row).returningAll().executeTakeFirst()
        if (r) await reservePromotion(tx, hold, accountId, row.id)
        return r
      })
    : // The common order: that INSERT compiled once (compiled-once.ts); the row is the one given (nothing in it is
      // the database's own), so it is not sent back.
      Number(
          (
            await runCompiledOnce(
              ctx,
              'order-insert',
              row,
              (v) => insertOrder(ctx.db, v as unknown as CheckoutOrdersTable),
              { batch: true }
            )
          ).numAffectedRows ?? 0n
        ) === 1
      ? row
      : undefined
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
  return { order, made: made !== undefined, given: made ? { method, priced } : {} }
}

/**
 * The items as the order keeps them: a renewal of a line without a number with its label and serial beside it
 * (from the price read), so its receipt and invoice name that line; every other item (the common one) as priced.
 */
function storedItems(items: readonly Priced[], facts: readonly (PricingFacts | null)[]): StoredItem[] {
  return items.map((item, index) => {
    const line = facts[index]?.line
    return item.phoneNumber === null && line?.id === item.lineId && line.serial !== null
      ? { ...item, line: { label: line.label, serial: line.serial } }
      : item
  })
}

const throwIt = (err: Error): never => {
  throw err
}

/** What identifies a payment choice for idempotency, without the card number (never hashed, never stored). */
export function paymentFingerprint(p: Request['payment']): unknown {
  return 'card' in p
    ? {
        last4: p.card.number.replace(/\D/g, '').slice(-4),
        exp: `${p.card.expMonth}/${p.card.expYear}`,
        save: p.save
      }
    : p
}
