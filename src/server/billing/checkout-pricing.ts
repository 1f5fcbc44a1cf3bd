/**
 * A cart priced on the server: each line renewal from its pricing facts (renewal-facts.ts: the plan, the six-year
 * cap, a renewal being charged now, the discount and its notices), minutes packs from the catalog, then a
 * promotion code's discount and the hold its checkout reserves. What a quote shows and what an order stores.
 */
import type { z } from 'zod'
import type { cartItem, pricedItem, quote } from '../../shared/api/billing'
import type { Notice } from '../../shared/api/notes'
import type { ServiceContext } from '../context'
import type { PlansTable } from '../db/schema-billing'
import { conflict, invalid } from '../http/errors'
import { planMonths, plansOnSale } from './catalog'
import type { RenewalPrefetch } from './checkout-prefetch'
import { assertWithinCapFrom } from './coverage'
import { DISCOUNT_ENDS_AT_SWITCH, discountOff } from './discounts'
import { type PromoHold, applyPromoCode } from './promotions'
import { type PricingFacts, pricingFacts, pricingFromRow } from './renewal-facts'

export type Item = z.output<typeof cartItem>
export type Priced = z.output<typeof pricedItem>

/** Monthly to a yearly plan on the same line: the switch that ends "half price for life". */
export const isIntervalSwitch = (
  from: PlansTable['interval'] | null,
  to: Pick<PlansTable, 'interval'>
): boolean => from === 'month' && to.interval === 'year'

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
  const list = { amountMinor: plan.price_minor, currency: plan.currency }
  return {
    kind: 'renewal',
    lineId: line.id,
    planId: plan.id,
    // English, for API users and the stored order only: the app words an item from planCode and phoneNumber, and
    // receipts and invoices word it from the same codes in the reader's language (notices.ts, pdf/line-words.ts).
    description: line.phone_number ? `${plan.name} for ${line.phone_number}` : plan.name,
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
export async function priceCart(
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
