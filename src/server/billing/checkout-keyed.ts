/**
 * A checkout whose idempotency record is its order (migration 0031; issue 24 goal 8): the common renewal (a lone
 * line, a saved card) claims its key by inserting its order (unique per account and key), which keeps the
 * request's hash, a lease and, written with the paid mark, the answer a replay gets (each item's paid-through; the
 * rest of the answer is the order itself: checkout-settle.ts's answerOf). So the request writes no
 * `idempotency_keys` row: one B-tree fewer in each of its commits, and no UPDATE of it after the fulfilment.
 *
 * The semantics are idempotency.ts's, kept by the order: a replay (same key, same request) gets the stored answer;
 * the same key with another request is refused (`idempotency-mismatch`); a request still running answers "in
 * progress" until its lease runs out, after which a retry takes the order over and resumes it (the processor's key
 * `order:<id>` replays a charge already made, the paid mark is taken once); a 5xx frees the lease at once, as a
 * freed key does. A refusal (4xx) while pricing, before any order, or after it (a decline) is stored in
 * `idempotency_keys` as before (storeRefusal): rare, and a replay checks that table first (checkout-prefetch.ts).
 */
import type { z } from 'zod'
import type { receipt } from '../../shared/api/billing'
import type { ServiceContext } from '../context'
import type { CheckoutOrdersTable, PaymentMethodsTable } from '../db/schema-billing'
import { ServiceError } from '../http/errors'
import { answerOf, settleOrder, storedAnswer } from './checkout-settle'
import { type Scope, type Settle, inProgress, keyMismatch } from './idempotency'
import type { PricingFacts } from './renewal-facts'

type Receipt = z.output<typeof receipt>

/** Keeps the answer in the order (the general fulfilment; renewal-fast.ts writes it with the paid mark itself). */
export function orderSettle(orderId: string): Settle {
  return Object.assign(
    async (tx: ServiceContext, answer: { readonly body: unknown }) => {
      await tx.db
        .updateTable('checkout_orders')
        .set({ response_body: storedAnswer(answer.body as Receipt) })
        .where('id', '=', orderId)
        .execute()
    },
    { key: orderId, written: () => undefined, into: 'order' as const }
  )
}

/** Charges and fulfils an order this request holds the lease of, its answer kept in it. */
export async function settleKeyed(
  ctx: ServiceContext,
  order: CheckoutOrdersTable,
  given: { method?: PaymentMethodsTable; priced?: PricingFacts },
  scope: Scope,
  hash: string
): Promise<Receipt> {
  try {
    return await settleOrder(ctx, order, { ...given, settle: orderSettle(order.id) })
  } catch (err) {
    if (err instanceof ServiceError && err.status < 500) await storeRefusal(ctx, scope, hash, err)
    // Anything else leaves the order to resume: its lease freed, a retry takes it over now.
    else
      await ctx.db
        .updateTable('checkout_orders')
        .set({ key_leased_at: null })
        .where('id', '=', order.id)
        .execute()
    throw err
  }
}

/**
 * A request whose key an order holds already: a replay, a retry of a request that died, a double submit, or the
 * same key with another request. Undefined: an order from before migration 0031 (the general path answers).
 */
export async function resumeKeyed(
  ctx: ServiceContext,
  order: CheckoutOrdersTable,
  scope: Scope,
  hash: string,
  again = true
): Promise<Receipt | undefined> {
  if (order.request_hash === null) return undefined
  if (order.request_hash !== hash) throw keyMismatch()
  if (order.status === 'paid' && order.response_body !== null)
    return answerOf({ ...order, response_body: order.response_body })
  // Declined (the decline again), or paid by the stranded-order job (the receipt from its grant).
  if (order.status !== 'pending_payment') return settleOrder(ctx, order)
  const now = ctx.clock.now()
  const free =
    order.key_leased_at === null
      ? now.getTime()
      : Date.parse(order.key_leased_at) + ctx.config.billing.idempotencyLeaseMs
  if (free > now.getTime()) throw inProgress(Math.max(1, Math.ceil((free - now.getTime()) / 1000)))
  const taken = await ctx.db
    .updateTable('checkout_orders')
    .set({ key_leased_at: now.toISOString() })
    .where('id', '=', order.id)
    .where('status', '=', 'pending_payment')
    .where('key_leased_at', order.key_leased_at === null ? 'is' : '=', order.key_leased_at)
    .executeTakeFirst()
  if (Number(taken.numUpdatedRows) !== 1) {
    // Another retry took it, or the order was settled meanwhile: read it once more.
    const now2 = await ctx.db
      .selectFrom('checkout_orders')
      .selectAll()
      .where('id', '=', order.id)
      .executeTakeFirstOrThrow()
    if (again && now2.status !== 'pending_payment') return resumeKeyed(ctx, now2, scope, hash, false)
    throw inProgress(1)
  }
  return settleKeyed(ctx, { ...order, key_leased_at: now.toISOString() }, {}, scope, hash)
}

/** A refusal (4xx) kept as the answer a replay gets, under the key as idempotency.ts keeps one. */
export async function storeRefusal(
  ctx: ServiceContext,
  scope: Scope,
  hash: string,
  err: ServiceError
): Promise<void> {
  const now = ctx.clock.now().toISOString()
  await ctx.db
    .insertInto('idempotency_keys')
    .values({
      account_id: scope.accountId,
      key: scope.key,
      endpoint: scope.endpoint,
      request_hash: hash,
      status: 'done',
      response_status: err.status,
      response_body: JSON.stringify(err.toBody()),
      created_at: now,
      updated_at: now
    })
    .onConflict((oc) => oc.doNothing())
    .execute()
}
