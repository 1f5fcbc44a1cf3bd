/**
 * The general fulfilment of a paid order, inside the caller's transaction: the paid mark (once, whoever gets
 * there: the request, its retry, the stranded-order job), then per item the minutes pack, or the line's
 * subscription (made on a first renewal; the discount's rules on a monthly-to-yearly switch or a resubscribe),
 * its promotion, the coverage grant (unique per order item) and the line's sync; the audit and the receipt. The
 * common renewal takes renewal-fast.ts instead, which writes the same rows (test/integration/service/
 * renewal-paths.test.ts holds the two equal).
 */
import type { z } from 'zod'
import type { pricedItem } from '../../shared/api/billing'
import { DAY } from '../clock'
import type { ServiceContext } from '../context'
import type { CheckoutOrdersTable } from '../db/schema-billing'
import { notifyPreferred } from '../mail/outbox'
import type { LineName } from '../pdf/line-words'
import type { LanguageCode } from '../../shared/i18n/languages'
import { wordsLanguage } from '../words/format'
import { type SyncResult, syncLine } from '../provisioning/lines'
import { newId } from '../secrets'
import { getPlan, planMonths } from './catalog'
import { isIntervalSwitch } from './checkout-pricing'
import { extendCoverage } from './coverage'
import { onIntervalSwitch, onResubscribe } from './discounts'
import { billingNotices, receiptLines } from './notices'
import { type PromoHold, grantReserved } from './promotions'
import { fulfilFacts } from './renewal-facts'
import { ensureSubscription } from './subscriptions'

type Priced = z.output<typeof pricedItem>

/**
 * A priced item as its order keeps it: for a renewal of a line without a number, also what names that line in the
 * receipt and the invoice (its label or its dongle's serial, notices.ts). Optional, so an order stored before it
 * reads as it did (the plan alone), and older code reading newer orders ignores it; never in an API answer.
 */
export type StoredItem = Priced & { line?: LineName }

/** What an order keeps of its request: the priced items, auto-renew, and the promotion it holds (if any). */
export interface StoredOrder {
  items: StoredItem[]
  autoRenew: boolean
  promo?: PromoHold | null
}

/** Marks the order paid (once) and grants what it bought; null when another run fulfilled it first. */
export async function fulfil(
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
  // The account's language, read with a line's facts (the receipt then costs no statement of its own).
  let language: string | null | undefined
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
    language = facts.language
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
  // No audit row: the paid order is its own record (migration 0034).
  const receipt = (l: LanguageCode) =>
    billingNotices(l).receipt(order.id, order.total_minor, order.currency, receiptLines(l, stored.items))
  await notifyPreferred(
    tx.db,
    tx.clock,
    order.account_id,
    'receipt',
    language === undefined ? receipt : receipt(wordsLanguage(language))
  )
  return { syncs, ends }
}

/** The end of the grant an order item made (null if it made none). */
export async function grantEnd(ctx: ServiceContext, sourceId: string): Promise<string | null> {
  const g = await ctx.db
    .selectFrom('coverage_grants')
    .select('ends_at')
    .where('source_type', '=', 'order')
    .where('source_id', '=', sourceId)
    .executeTakeFirst()
  return g?.ends_at ?? null
}
