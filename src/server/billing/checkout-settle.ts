/**
 * An order charged and fulfilled once: the processor called (outside any transaction; its key, `order:<id>`,
 * replays a charge it already made), a decline recorded with its promotion given back, a success fulfilled by the
 * short path (renewal-fast.ts) when the order is a lone common renewal priced in this request, else by the general
 * fulfilment (checkout-fulfil.ts). Safe to run again at any point: the retry of a request and the job that
 * settles orders a crash left pending both come here.
 */
import type { z } from 'zod'
import type { receipt } from '../../shared/api/billing'
import { type ServiceContext, inTransaction } from '../context'
import type { CheckoutOrdersTable, PaymentMethodsTable } from '../db/schema-billing'
import { applySync } from '../provisioning/lines'
import { planMonths } from './catalog'
import { type StoredOrder, fulfil, grantEnd } from './checkout-fulfil'
import { isIntervalSwitch } from './checkout-pricing'
import { declinedError } from './gateway'
import type { Settle } from './idempotency'
import { billingNotices, receiptLines } from './notices'
import { wordsLanguage } from '../words/format'
import { releasePromotion } from './promotions'
import type { PricingFacts } from './renewal-facts'
import { type FastOutcome, fulfilRenewalFast } from './renewal-fast'

type Receipt = z.output<typeof receipt>

/** A paid order's answer: the order as priced, each line item with the paid-through its grant gave. */
function receiptOfOrder(
  order: CheckoutOrdersTable,
  stored: StoredOrder,
  paidThroughs: ReadonlyMap<number, string | null>
): Receipt {
  return {
    orderId: order.id,
    status: 'paid',
    total: { amountMinor: order.total_minor, currency: order.currency },
    // What names a line without a number stays in the order: the answer is the priced item, as before.
    items: stored.items.map(({ line: _name, ...i }, index) => ({
      ...i,
      paidThrough: i.lineId ? (paidThroughs.get(index) ?? null) : null
    }))
  }
}

/**
 * What an order that holds its key keeps of its answer (migration 0031, checkout-keyed.ts): each item's
 * paid-through, as a JSON array; the rest of the answer is the order's own row (receiptOfOrder), not stored twice.
 */
export const storedAnswer = (answer: Receipt): string =>
  JSON.stringify(answer.items.map((i) => i.paidThrough))

/** The answer a replay of a paid order gets, from the order and what storedAnswer kept: the first answer again. */
export function answerOf(order: CheckoutOrdersTable & { response_body: string }): Receipt {
  const paidThroughs = JSON.parse(order.response_body) as (string | null)[]
  return receiptOfOrder(order, JSON.parse(order.items) as StoredOrder, new Map(paidThroughs.entries()))
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
  const receiptOf = (paidThroughs: ReadonlyMap<number, string | null>): Receipt =>
    receiptOfOrder(order, stored, paidThroughs)
  if (order.status === 'pending_payment') {
    const method =
      given.method?.id === order.payment_method_id
        ? given.method
        : await ctx.db
            .selectFrom('payment_methods')
            .selectAll()
            .where('id', '=', order.payment_method_id)
            .executeTakeFirstOrThrow()
    // The order is durable here (committed, with the key's claim on SQLite): a crash from now on is resumed by
    // the retry or the stranded-order job, and the processor's key replays a charge it already made.
    ctx.fault('checkout:before-charge')
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
    receiptMessage: billingNotices(wordsLanguage(f.language)).receipt(
      order.id,
      order.total_minor,
      order.currency,
      receiptLines(wordsLanguage(f.language), [item])
    ),
    answer: (paidThrough) => {
      const answer = receiptOf(new Map([[0, paidThrough]]))
      return settle.into === 'order' ? storedAnswer(answer) : JSON.stringify(answer)
    },
    settle
  })
}
