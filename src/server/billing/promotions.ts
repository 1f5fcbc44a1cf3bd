/**
 * Promotion codes at checkout (issue 20, seed 004): a campaign's code turns one line's renewal — a trial's
 * conversion to paid, or a renewal of paid service, as the campaign allows — into "half price for life". The
 * quote prices it (the person sees the halved price and what loses it before paying); the checkout reserves the
 * code in the same transaction that records the order (the campaign's count goes up in one conditional UPDATE, so
 * twenty people racing for a one-use code get one reservation and nineteen refusals, before anyone is charged);
 * the payment's fulfilment turns the reservation into the grant (discounts.ts) in the fulfilment's transaction; a
 * declined payment gives the reservation back. From then on the seed-004 rules in discounts.ts apply unchanged.
 *
 * Attacker's view: a code that does not exist, one that is malformed and one an operator ended all get the same
 * answer ('promo-invalid') after the same single lookup; guessing is rate limited per account and per address.
 */
import { sql } from 'kysely'
import type { z } from 'zod'
import type { pricedItem } from '../../shared/api/billing'
import type { Notice } from '../../shared/api/notes'
import type { ReasonCode } from '../../shared/api/reasons'
import type { ServiceContext } from '../context'
import type { PromotionsTable } from '../db/schema-promotions'
import { ServiceError } from '../http/errors'
import { LIMITS } from '../http/rate-limit'
import { newId } from '../secrets'
import { currentDiscount, discountApplies, grantHalfPriceForLife } from './discounts'
import { subscriptionOf } from './subscriptions'

type Priced = z.output<typeof pricedItem>

/** What the checkout keeps with the order: the campaign and the line it is for. */
export interface PromoHold {
  readonly promotionId: string
  readonly lineId: string
}

/** Codes are compared upper-cased: letters, digits and dashes, 4 to 32 of them. */
export const PROMO_CODE_PATTERN = /^[A-Z0-9-]{4,32}$/
export const normalPromoCode = (code: string): string => code.trim().toUpperCase()

/** Said beside the halved price, before paying: what the discount is and what loses it (seed 004). */
export const PROMO_NOTICE: Notice = {
  code: 'promo-half-price-for-life',
  params: {},
  text:
    'Half price for life: kept while you renew on time. You lose it by changing to a cheaper plan, switching ' +
    'from monthly to yearly, letting the renewal fail until the service is canceled, or canceling without ' +
    'coming back before the paid period ends.'
}

const refuse = (reason: ReasonCode, message: string, params?: Record<string, string>): ServiceError =>
  new ServiceError('invalid-input', `promoCode: ${message}`, {
    reason,
    ...(params ? { params } : {}),
    issues: [{ path: 'promoCode', code: reason, message, ...(params ? { params } : {}) }]
  })

/** One attempt with a code: counted per account and per address (a quote and a checkout each count). */
export const throttlePromo = (ctx: ServiceContext, accountId: string, ip: string): Promise<void> =>
  ctx.limiter.hit([LIMITS.promoPerAccount, accountId], [LIMITS.promoPerIp, ip])

async function findPromotion(ctx: ServiceContext, code: string): Promise<PromotionsTable | undefined> {
  const norm = normalPromoCode(code)
  // The lookup runs for a malformed code too (with a value no row holds), so both answers take the same path.
  return ctx.db
    .selectFrom('promotions')
    .selectAll()
    .where('code', '=', PROMO_CODE_PATTERN.test(norm) ? norm : '')
    .executeTakeFirst()
}

/**
 * Checks a code against a priced cart and answers the cart with the discount applied to its one line renewal,
 * and the hold to reserve at checkout. Every refusal names the field (promoCode) and a reason the app words.
 */
export async function applyPromoCode(
  ctx: ServiceContext,
  accountId: string,
  items: readonly Priced[],
  code: string
): Promise<{ items: Priced[]; hold: PromoHold }> {
  const promo = await findPromotion(ctx, code)
  if (!promo || promo.state !== 'active') throw refuse('promo-invalid', 'this code is not valid')
  const now = ctx.clock.now().toISOString()
  if (now < promo.starts_at)
    throw refuse('promo-not-yet', `this code works from ${promo.starts_at.slice(0, 10)}`, {
      date: promo.starts_at.slice(0, 10)
    })
  if (now >= promo.ends_at) throw refuse('promo-expired', 'this code has expired')
  if (promo.max_grants !== null && promo.grants >= promo.max_grants)
    throw refuse('promo-used-up', 'this code has been used as many times as it allows')
  const renewals = items.filter((i) => i.kind === 'renewal' && i.lineId !== null)
  const target = renewals[0]
  if (renewals.length !== 1 || !target?.lineId)
    throw refuse('promo-one-line', 'a code applies to the renewal of one line; renew one line per order')
  const lineId = target.lineId
  const sub = await subscriptionOf(ctx, lineId)
  const grant = sub ? await currentDiscount(ctx, sub.id) : undefined
  if (discountApplies(grant, ctx.clock.now()))
    throw refuse('promo-has-discount', 'this line has a discount already')
  const used = await ctx.db
    .selectFrom('promotion_redemptions')
    .select('id')
    .where('promotion_id', '=', promo.id)
    .where('account_id', '=', accountId)
    .executeTakeFirst()
  if (used) throw refuse('promo-already-used', 'this account has used this code already')
  // A line that has only ever had its free trial is converting; any paid coverage makes it a renewal.
  const converting = !(await hasPaidCoverage(ctx, lineId))
  if (promo.eligible === 'conversion' && !converting)
    throw refuse('promo-conversion-only', 'this code is for turning a free trial into paid service')
  if (promo.eligible === 'renewal' && converting)
    throw refuse('promo-renewal-only', 'this code is for renewing paid service, not a trial')
  if (promo.audience === 'new') {
    const account = await ctx.db
      .selectFrom('accounts')
      .select('created_at')
      .where('id', '=', accountId)
      .executeTakeFirstOrThrow()
    if (account.created_at < promo.starts_at)
      throw refuse('promo-new-accounts', 'this code is for accounts opened since the offer began')
  }
  const priced = items.map((i) => {
    if (i !== target) return i
    const off = Math.floor((i.listPrice.amountMinor * promo.percent_off + 50) / 100)
    return {
      ...i,
      discountMinor: off,
      price: { amountMinor: i.listPrice.amountMinor - off, currency: i.listPrice.currency },
      notices: [...i.notices, PROMO_NOTICE]
    }
  })
  return { items: priced, hold: { promotionId: promo.id, lineId } }
}

async function hasPaidCoverage(ctx: ServiceContext, lineId: string): Promise<boolean> {
  const paid = await ctx.db
    .selectFrom('coverage_grants')
    .select('id')
    .where('line_id', '=', lineId)
    .where('source_type', '!=', 'trial')
    .where('voided_at', 'is', null)
    .executeTakeFirst()
  return paid !== undefined
}

/**
 * Takes one use of the campaign for `orderId`, inside the transaction that records the order. The count and
 * the per-account row are both conditional, so concurrent checkouts cannot take more than the limit allows.
 */
export async function reservePromotion(
  tx: ServiceContext,
  hold: PromoHold,
  accountId: string,
  orderId: string
): Promise<void> {
  const now = tx.clock.now().toISOString()
  const taken = await tx.db
    .updateTable('promotions')
    .set({ grants: sql`grants + 1` })
    .where('id', '=', hold.promotionId)
    .where('state', '=', 'active')
    .where('starts_at', '<=', now)
    .where('ends_at', '>', now)
    .where((eb) => eb.or([eb('max_grants', 'is', null), eb('grants', '<', eb.ref('max_grants'))]))
    .executeTakeFirst()
  if (Number(taken.numUpdatedRows) !== 1)
    throw refuse('promo-used-up', 'this code has been used as many times as it allows')
  const row = await tx.db
    .insertInto('promotion_redemptions')
    .values({
      id: newId('prd'),
      promotion_id: hold.promotionId,
      account_id: accountId,
      line_id: hold.lineId,
      order_id: orderId,
      status: 'reserved',
      discount_grant_id: null,
      created_at: now,
      granted_at: null
    })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst()
  // The transaction rolls back, and the count with it.
  if (Number(row.numInsertedOrUpdatedRows ?? 0n) !== 1)
    throw refuse('promo-already-used', 'this account has used this code already')
}

/** The order's payment was declined: its reservation is given back (nothing was granted). */
export async function releasePromotion(tx: ServiceContext, orderId: string): Promise<void> {
  const held = await tx.db
    .deleteFrom('promotion_redemptions')
    .where('order_id', '=', orderId)
    .where('status', '=', 'reserved')
    .returning('promotion_id')
    .executeTakeFirst()
  if (held)
    await tx.db
      .updateTable('promotions')
      .set({ grants: sql`grants - 1` })
      .where('id', '=', held.promotion_id)
      .execute()
}

/** The order is paid: its reservation becomes the discount on the line's subscription (once). */
export async function grantReserved(
  tx: ServiceContext,
  orderId: string,
  accountId: string,
  subscriptionId: string
): Promise<void> {
  const now = tx.clock.now().toISOString()
  const done = await tx.db
    .updateTable('promotion_redemptions')
    .set({ status: 'granted', granted_at: now })
    .where('order_id', '=', orderId)
    .where('status', '=', 'reserved')
    .returning(['id', 'promotion_id'])
    .executeTakeFirst()
  if (!done) return
  const grantId = await grantHalfPriceForLife(tx, accountId, subscriptionId)
  await tx.db
    .updateTable('promotion_redemptions')
    .set({ discount_grant_id: grantId })
    .where('id', '=', done.id)
    .execute()
  await tx.audit.record('promotion.granted', {
    accountId,
    detail: { promotion: done.promotion_id, order: orderId, subscription: subscriptionId }
  })
}
