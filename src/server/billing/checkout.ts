/**
 * Online renewal: a cart of line renewals and minutes packs, priced on the server (checkout-pricing.ts), paid
 * through the gateway and fulfilled once (checkout-settle.ts). The order is keyed by the request's idempotency
 * key and the charge by the order, so a retry after a timeout or a crash resumes where it stopped: it never
 * charges twice (the processor replays the first charge) and never extends twice (grants are unique per order
 * item). Orders left pending by a crash are finished by a job even if the app never retries. A promotion code
 * (promotions.ts) is reserved with the order, granted with its fulfilment, given back on a decline.
 *
 * What must be durable before the processor is called is the order (a charge the processor made is then always
 * found again: by the order's key, and the charge's key `order:<id>`). So the request's key claim and its order
 * may commit together, and on SQLite the common renewal (one line, a saved card) does: one commit before the
 * charge instead of two (issue 24 goal 8). The card's answer, the paid mark and the fulfilment then commit
 * together in one more (renewal-fast.ts or checkout-fulfil.ts).
 */
import type { Insertable } from 'kysely'
import type { z } from 'zod'
import type { checkoutRequest, receipt } from '../../shared/api/billing'
import { type ServiceContext, inTransaction } from '../context'
import type { CheckoutOrdersTable, IdempotencyKeysTable, PaymentMethodsTable } from '../db/schema-billing'
import { ServiceError, invalid, notFound } from '../http/errors'
import { newId } from '../secrets'
import { plansOnSale } from './catalog'
import { type RenewalPrefetch, prefetchRenewal } from './checkout-prefetch'
import { priceCart } from './checkout-pricing'
import { runCompiledOnce } from './compiled-once'
import { settleOrder } from './checkout-settle'
import { type Settle, claimRow, idempotent } from './idempotency'
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
  // A lone renewal with a saved card (the common one): its reads before the charge in one statement, with the
  // key's claim on PostgreSQL (checkout-prefetch.ts); on SQLite the claim and the order in one transaction.
  const lone = req.items.length === 1 && req.promoCode === undefined ? req.items[0] : undefined
  const saved =
    lone?.kind === 'renewal' && 'paymentMethodId' in req.payment
      ? { item: lone, methodId: req.payment.paymentMethodId }
      : undefined
  const claim = claimRow(ctx, scope)
  if (saved && ctx.dialect !== 'postgres') {
    const first = await claimAndPlace(ctx, accountId, req, saved, claim)
    const answer = await idempotent(
      ctx,
      scope,
      async (settle) => ({
        status: 201,
        body: first.refused
          ? throwIt(first.refused)
          : first.placed
            ? await settleOrder(ctx, first.placed.order, { ...first.placed.given, settle })
            : // The key was taken (a stale one taken over: read everything again) or an order left to resume.
              await runCheckout(ctx, accountId, req, settle, first.inserted ? first.pre : undefined)
      }),
      { row: claim, inserted: first.inserted }
    )
    return answer.body
  }
  const pre = saved ? await prefetchRenewal(ctx, accountId, saved.item, saved.methodId, claim) : undefined
  const answer = await idempotent(
    ctx,
    scope,
    async (settle) => ({ status: 201, body: await runCheckout(ctx, accountId, req, settle, pre) }),
    pre?.claimed === undefined ? undefined : { row: claim, inserted: pre.claimed }
  )
  return answer.body
}

/** An order made for a request, and what its settling may reuse (given only when this request made it). */
interface Placed {
  readonly order: CheckoutOrdersTable
  readonly given: { method?: PaymentMethodsTable; priced?: PricingFacts }
}

/**
 * SQLite, a lone renewal with a saved card: the reads, the key's claim and the order in ONE transaction (one
 * commit). The order is then durable before the charge, as it must be. A refusal while pricing (4xx) keeps the
 * claim, so idempotency.ts stores it as the answer, as before; anything else undoes the whole (no key, no order).
 */
async function claimAndPlace(
  ctx: ServiceContext,
  accountId: string,
  req: Request,
  saved: { item: { lineId: string; planId: string }; methodId: string },
  claim: Insertable<IdempotencyKeysTable>
): Promise<{ pre: RenewalPrefetch; inserted: boolean; placed?: Placed; refused?: ServiceError }> {
  return inTransaction(ctx, async (tx) => {
    const pre = await prefetchRenewal(tx, accountId, saved.item, saved.methodId, claim)
    const inserted =
      Number(
        (
          await runCompiledOnce(tx, 'claim-key', claim as Record<keyof IdempotencyKeysTable, unknown>, (v) =>
            tx.db
              .insertInto('idempotency_keys')
              .values(v as unknown as Insertable<IdempotencyKeysTable>)
              .onConflict((oc) => oc.doNothing())
          )
        ).numAffectedRows ?? 0n
      ) === 1
    if (!inserted || pre.existingOrderId !== null) return { pre, inserted }
    try {
      return { pre, inserted, placed: await placeOrder(tx, accountId, req, pre) }
    } catch (err) {
      if (err instanceof ServiceError && err.status < 500) return { pre, inserted, refused: err }
      throw err
    }
  })
}

async function runCheckout(
  ctx: ServiceContext,
  accountId: string,
  req: Request,
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
  const placed = await placeOrder(ctx, accountId, req, pre)
  return settleOrder(ctx, placed.order, { ...placed.given, settle })
}

/**
 * Prices the cart and inserts its order (pending payment), keyed by the request's key; with a promotion, its
 * reservation in the same transaction. Exported for tests that settle an order by the general path.
 */
export async function placeOrder(
  ctx: ServiceContext,
  accountId: string,
  req: Request,
  pre?: RenewalPrefetch
): Promise<Placed> {
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
    items: JSON.stringify({ items: q.items, autoRenew: req.autoRenew, promo: hold }),
    created_at: now,
    updated_at: now,
    paid_at: null
  }
  const insertOrder = (db: ServiceContext['db'], values: CheckoutOrdersTable) =>
    db
      .insertInto('checkout_orders')
      .values(values)
      .onConflict((oc) => oc.doNothing())
      .returningAll()
  // The order and its promotion's reservation together: a code that is used up refuses before any charge.
  // Without a promotion the INSERT alone is atomic: no transaction (two round trips fewer on PostgreSQL).
  const made = hold
    ? await inTransaction(ctx, async (tx) => {
        const r = await insertOrder(tx.db, row).executeTakeFirst()
        if (r) await reservePromotion(tx, hold, accountId, row.id)
        return r
      })
    : // The common order: that INSERT compiled once (compiled-once.ts).
      (
        await runCompiledOnce(ctx, 'order-insert', row, (v) =>
          insertOrder(ctx.db, v as unknown as CheckoutOrdersTable)
        )
      ).rows[0]
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
  return { order, given: made ? { method, priced } : {} }
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
