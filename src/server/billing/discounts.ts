/**
 * "Half price for life": a discount grant of its own (research billing.md §3.4), because its four rules follow
 * the subscription's history, not any one price:
 *   downgrade        -> lost at the end of the period (when the downgrade applies); kept if the downgrade is
 *                       canceled before that;
 *   monthly -> annual -> lost at the switch, for good;
 *   dunning cancel   -> lost for good;
 *   voluntary cancel -> kept if the person resubscribes before the end of the last paid period.
 */
import type { Notice } from '../../shared/api/notes'
import type { ServiceContext } from '../context'
import type { DiscountGrantsTable } from '../db/schema-billing'
import { newId } from '../secrets'

/** The notice before a monthly-to-yearly switch that ends the discount (quotes and plan changes alike). */
export const DISCOUNT_ENDS_AT_SWITCH: Notice = {
  code: 'discount-ends-at-switch',
  params: {},
  text: 'Switching from monthly to yearly ends your half-price-for-life discount for good.'
}

export async function currentDiscount(
  ctx: ServiceContext,
  subscriptionId: string
): Promise<DiscountGrantsTable | undefined> {
  return ctx.db
    .selectFrom('discount_grants')
    .selectAll()
    .where('subscription_id', '=', subscriptionId)
    .orderBy('starts_at', 'desc')
    .executeTakeFirst()
}

/** Whether a grant takes money off a charge made at `at`. */
type Terms = Pick<DiscountGrantsTable, 'percent_off' | 'starts_at' | 'ends_at'>
export const discountApplies = <G extends Terms>(g: G | undefined, at: Date): g is G =>
  g !== undefined &&
  Date.parse(g.starts_at) <= at.getTime() &&
  (g.ends_at === null || Date.parse(g.ends_at) > at.getTime())

/** The amount off a price (rounded half up, in the customer's favour on a half cent). */
export const discountOff = (priceMinor: number, g: Terms | undefined, at: Date): number =>
  discountApplies(g, at) ? Math.floor((priceMinor * g.percent_off + 50) / 100) : 0

export async function grantHalfPriceForLife(
  tx: ServiceContext,
  accountId: string,
  subscriptionId: string
): Promise<string> {
  const id = newId('dsc')
  await tx.db
    .insertInto('discount_grants')
    .values({
      id,
      account_id: accountId,
      subscription_id: subscriptionId,
      kind: 'half_price_for_life',
      percent_off: 50,
      starts_at: tx.clock.now().toISOString(),
      ends_at: null,
      ended_reason: null,
      reinstatable_until: null,
      pending_change_id: null
    })
    .execute()
  return id
}

const live = (tx: ServiceContext, subscriptionId: string) =>
  tx.db
    .updateTable('discount_grants')
    .where('subscription_id', '=', subscriptionId)
    .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', tx.clock.now().toISOString())]))

/** A downgrade was scheduled: the grant ends when it applies (unless the downgrade is canceled). */
export const onDowngradeScheduled = (
  tx: ServiceContext,
  subscriptionId: string,
  changeId: string,
  at: Date
) =>
  live(tx, subscriptionId)
    .set({
      ends_at: at.toISOString(),
      ended_reason: 'downgrade',
      pending_change_id: changeId,
      reinstatable_until: null
    })
    .execute()

/** The pending downgrade was canceled or superseded: the grant goes on. */
export const onDowngradeWithdrawn = (tx: ServiceContext, changeId: string) =>
  tx.db
    .updateTable('discount_grants')
    .set({ ends_at: null, ended_reason: null, pending_change_id: null })
    .where('pending_change_id', '=', changeId)
    .where('ends_at', '>', tx.clock.now().toISOString())
    .execute()

/** Monthly to annual: lost at the switch. */
export const onIntervalSwitch = (tx: ServiceContext, subscriptionId: string) =>
  live(tx, subscriptionId)
    .set({ ends_at: tx.clock.now().toISOString(), ended_reason: 'interval_switch', reinstatable_until: null })
    .execute()

/** Canceled after failed payments: lost for good. */
export const onDunningCancel = (tx: ServiceContext, subscriptionId: string) =>
  live(tx, subscriptionId)
    .set({ ends_at: tx.clock.now().toISOString(), ended_reason: 'dunning', reinstatable_until: null })
    .execute()

/** Canceled by the person: it ends with the paid period unless they come back before then. */
export const onVoluntaryCancel = (tx: ServiceContext, subscriptionId: string, periodEnd: Date) =>
  live(tx, subscriptionId)
    .set({
      ends_at: periodEnd.toISOString(),
      ended_reason: 'voluntary',
      reinstatable_until: periodEnd.toISOString()
    })
    .execute()

/** Resubscribed: a voluntary cancel is undone if the last period has not ended. */
export const onResubscribe = (tx: ServiceContext, subscriptionId: string) =>
  tx.db
    .updateTable('discount_grants')
    .set({ ends_at: null, ended_reason: null, reinstatable_until: null })
    .where('subscription_id', '=', subscriptionId)
    .where('ended_reason', '=', 'voluntary')
    .where('reinstatable_until', '>', tx.clock.now().toISOString())
    .execute()
