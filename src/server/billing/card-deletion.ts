/**
 * A card removed from an account (or replaced, or given to pay once) is deleted at the processor too, and its
 * token forgotten: the processor would otherwise keep a chargeable card for ever, and the service a token that
 * charges it. The removal's request does it right after its commit; a processor that fails then (the answer
 * already went to the person) is logged, without the token, and the daily retention job (../retention.ts) tries
 * again, as it does for every removed card still stored.
 *
 * The column keeps `deleted:<method id>` in place of the token (it is NOT NULL and UNIQUE, and every charge path
 * types it as a string): not a credential, and a charge sent with it declines as an unknown card's.
 *
 * A card is kept while a payment recorded before its charge is still open with it (an order, top-up or device
 * order a crash or a retry has not settled): that charge, or the processor's replay of it by its key, needs the
 * token. The job tries again once the payment settled. Cards given to pay once are removed from their first
 * instant, a moment before their payment is recorded: the job takes a removed card only after REMOVED_GRACE_MS.
 */
import { DAY } from '../clock'
import type { ServiceContext } from '../context'
import type { PaymentMethodsTable } from '../db/schema-billing'
import { reasonOf } from '../job-items'

export const DELETED_TOKEN_PREFIX = 'deleted:'
const REMOVED_GRACE_MS = DAY
const BATCH = 100

type Method = Pick<PaymentMethodsTable, 'id' | 'account_id' | 'gateway_token'>

/**
 * The payments recorded before their charge, each table with the status in which it still awaits the charge: a
 * card they name is kept until they settle (its token is the charge's, or its replay's by key).
 */
const AWAITING_CHARGE = [
  ['checkout_orders', 'pending_payment'],
  ['top_ups', 'pending'],
  ['device_orders', 'pending']
] as const

/** Whether a payment recorded before its charge is still open with this card. */
async function awaitsCharge(ctx: ServiceContext, m: Method): Promise<boolean> {
  for (const [table, status] of AWAITING_CHARGE) {
    // By the account (the tables' keys start with it), then the card.
    const open = await ctx.db
      .selectFrom(table)
      .select('id')
      .where('account_id', '=', m.account_id)
      .where('payment_method_id', '=', m.id)
      .where('status', '=', status)
      .executeTakeFirst()
    if (open) return true
  }
  return false
}

/**
 * Deletes a removed card at the processor and forgets its token. False when it stays stored for now (a payment
 * still open with it, or the processor or the database failed: logged by reason, never with the token, and not
 * thrown, since the removal itself has committed); the retention job tries again.
 */
export async function forgetStoredCard(ctx: ServiceContext, m: Method): Promise<boolean> {
  if (m.gateway_token.startsWith(DELETED_TOKEN_PREFIX)) return true
  try {
    if (await awaitsCharge(ctx, m)) return false
    await ctx.gateway.deleteStoredCard(m.gateway_token)
    await ctx.db
      .updateTable('payment_methods')
      .set({ gateway_token: `${DELETED_TOKEN_PREFIX}${m.id}` })
      .where('id', '=', m.id)
      .where('gateway_token', '=', m.gateway_token)
      .execute()
    return true
  } catch (err) {
    ctx.log.warn(
      `the stored card of payment method ${m.id} was not deleted (${reasonOf(err)}); the retention job tries again`
    )
    return false
  }
}

/** The retention job's part: every card removed before the grace and still stored, BATCH read at a time. */
export async function deleteRemovedCards(ctx: ServiceContext): Promise<number> {
  const removedBefore = new Date(ctx.clock.now().getTime() - REMOVED_GRACE_MS).toISOString()
  let after = ''
  let deleted = 0
  for (;;) {
    const rows = await ctx.db
      .selectFrom('payment_methods')
      .select(['id', 'account_id', 'gateway_token'])
      .where('removed_at', '<', removedBefore)
      .where('gateway_token', 'not like', `${DELETED_TOKEN_PREFIX}%`)
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH)
      .execute()
    for (const m of rows) if (await forgetStoredCard(ctx, m)) deleted++
    if (rows.length < BATCH) return deleted
    after = rows[rows.length - 1]?.id ?? after
  }
}
