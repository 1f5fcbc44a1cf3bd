/**
 * What an account paid that an operator can refund, found where each payment is recorded: paid checkout orders
 * (renewals and minutes packs), paid device orders, balance top-ups by card (the ledger's top_up entries, whose
 * source is the processor's charge) and auto-renewals (renewal_charges). Each with what was paid, what earlier
 * refunds (pending or done) took back, and what is left; the card it was paid with, when known.
 */
import type { ServiceContext } from '../context'
import type { ChargeKind } from '../db/schema-money'

export interface RefundableCharge {
  /** The order id (checkout, device) or the processor's charge id (top-up, auto-renewal). */
  readonly id: string
  readonly kind: ChargeKind
  readonly at: string
  readonly gatewayChargeId: string | null
  readonly amountMinor: number
  readonly currency: string
  readonly refundedMinor: number
  readonly refundableMinor: number
  readonly card: { readonly brand: string; readonly last4: string } | null
}

type Paid = Omit<RefundableCharge, 'refundedMinor' | 'refundableMinor'>

async function paidCharges(ctx: ServiceContext, accountId: string): Promise<Paid[]> {
  const cards = new Map(
    (
      await ctx.db
        .selectFrom('payment_methods')
        .select(['id', 'brand', 'last4'])
        .where('account_id', '=', accountId)
        .execute()
    ).map((c) => [c.id, { brand: c.brand, last4: c.last4 }])
  )
  const checkouts = await ctx.db
    .selectFrom('checkout_orders')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('status', '=', 'paid')
    .execute()
  const devices = await ctx.db
    .selectFrom('device_orders')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('status', '=', 'paid')
    .execute()
  const topUps = await ctx.db
    .selectFrom('balance_entries')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('kind', '=', 'top_up')
    .execute()
  const renewals = await ctx.db
    .selectFrom('renewal_charges')
    .selectAll()
    .where('account_id', '=', accountId)
    .execute()
  return [
    ...renewals.map((r) => ({
      id: r.id,
      kind: 'auto_renew' as const,
      at: r.created_at,
      gatewayChargeId: r.id,
      amountMinor: r.amount_minor,
      currency: r.currency,
      card: cards.get(r.payment_method_id) ?? null
    })),
    ...checkouts.map((o) => ({
      id: o.id,
      kind: 'checkout' as const,
      at: o.created_at,
      gatewayChargeId: o.charge_id,
      amountMinor: o.total_minor,
      currency: o.currency,
      card: cards.get(o.payment_method_id) ?? null
    })),
    ...devices.map((o) => ({
      id: o.id,
      kind: 'device' as const,
      at: o.created_at,
      gatewayChargeId: o.charge_id,
      amountMinor: o.amount_minor,
      currency: o.currency,
      card: (o.payment_method_id && cards.get(o.payment_method_id)) || null
    })),
    ...topUps.map((e) => {
      const p = JSON.parse(e.memo_params) as { last4?: unknown; brand?: unknown }
      return {
        id: e.source_ref,
        kind: 'top_up' as const,
        at: e.created_at,
        gatewayChargeId: e.source_ref,
        amountMinor: e.amount_minor,
        currency: e.currency,
        card:
          typeof p.last4 === 'string'
            ? { brand: typeof p.brand === 'string' ? p.brand : '', last4: p.last4 }
            : null
      }
    })
  ]
}

/** What refunds not failed have taken back from each charge of the account. */
async function refundedBy(ctx: ServiceContext, accountId: string): Promise<Map<string, number>> {
  const rows = await ctx.db
    .selectFrom('refunds')
    .select(['charge_ref', (eb) => eb.fn.sum<number | string>('amount_minor').as('total')])
    .where('account_id', '=', accountId)
    .where('status', 'in', ['pending', 'done'])
    .groupBy('charge_ref')
    .execute()
  return new Map(rows.map((r) => [r.charge_ref, Number(r.total)]))
}

/** Every charge of the account, newest first, with what is left to refund. */
export async function refundableCharges(ctx: ServiceContext, accountId: string): Promise<RefundableCharge[]> {
  const refunded = await refundedBy(ctx, accountId)
  return (await paidCharges(ctx, accountId))
    .map((c) => {
      const done = refunded.get(c.id) ?? 0
      return { ...c, refundedMinor: done, refundableMinor: Math.max(0, c.amountMinor - done) }
    })
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.id < b.id ? 1 : -1))
}

/** One charge of the account by the id the operator names, or undefined. */
export async function refundableCharge(
  ctx: ServiceContext,
  accountId: string,
  id: string
): Promise<RefundableCharge | undefined> {
  return (await refundableCharges(ctx, accountId)).find((c) => c.id === id)
}
