/**
 * What a business paid by card in a month, as invoice lines (issue 25 part 2): checkout items (renewals, minutes
 * packs), device orders and automatic renewals charged to a card, and card refunds of those settled in the month
 * as negative lines. None of these touch the balance ledger (checkout, device orders and auto-renewals record
 * their charge only in their own tables; a card refund of a purchase books nothing on the ledger), so beside the
 * ledger's charges nothing is counted twice. Top-ups and their refunds stay out: they are payments into (and out
 * of) the balance, whose spending the ledger lines already show. A refund to the balance is the ledger's own
 * refund line. Amounts are integer minor units in the invoice's one currency.
 */
import type { ServiceContext } from '../context'
import { CURRENCY } from '../billing/balance'

/** One line of an invoice: when, what, and the amount owed (negative for a refund). */
export interface InvoiceLine {
  readonly at: string
  readonly memo: string
  readonly owed: number
}

/** The priced items a checkout order keeps (src/server/billing/checkout.ts, StoredOrder). */
interface StoredItems {
  items: { description: string; price: { amountMinor: number; currency: string } }[]
}

const byCard = (last4: string | null | undefined): string =>
  last4 ? `paid by card ending ${last4}` : 'paid by card'

/** Each card payment and card refund of the account in [start, end) (ISO instants). */
export async function cardLines(
  ctx: ServiceContext,
  accountId: string,
  start: string,
  end: string
): Promise<InvoiceLine[]> {
  const cards = new Map(
    (
      await ctx.db
        .selectFrom('payment_methods')
        .select(['id', 'last4'])
        .where('account_id', '=', accountId)
        .execute()
    ).map((c) => [c.id, c.last4])
  )
  const within = <T extends { currency: string }>(rows: T[]): T[] => {
    const foreign = rows.find((r) => r.currency !== CURRENCY)
    // One invoice, one currency: a payment in another would make its total wrong, so the invoice waits.
    if (foreign) throw new Error(`a card payment in ${foreign.currency} cannot be invoiced in ${CURRENCY}`)
    return rows
  }
  const lines: InvoiceLine[] = []

  const orders = await ctx.db
    .selectFrom('checkout_orders')
    .select(['id', 'created_at', 'total_minor', 'currency', 'payment_method_id', 'items'])
    .where('account_id', '=', accountId)
    .where('status', '=', 'paid')
    .where('created_at', '>=', start)
    .where('created_at', '<', end)
    .execute()
  for (const o of within(orders)) {
    const paid = byCard(cards.get(o.payment_method_id))
    const items = (JSON.parse(o.items) as StoredItems).items
    // One line per item when the items make the order's total (they always do: the total is their sum).
    if (items.reduce((s, i) => s + i.price.amountMinor, 0) === o.total_minor)
      for (const i of items)
        lines.push({ at: o.created_at, memo: `${i.description}, ${paid}`, owed: i.price.amountMinor })
    else lines.push({ at: o.created_at, memo: `Order ${o.id}, ${paid}`, owed: o.total_minor })
  }

  const devices = await ctx.db
    .selectFrom('device_orders')
    .select(['name', 'created_at', 'amount_minor', 'currency', 'payment_method_id'])
    .where('account_id', '=', accountId)
    .where('status', '=', 'paid')
    .where('created_at', '>=', start)
    .where('created_at', '<', end)
    .execute()
  for (const d of within(devices))
    lines.push({
      at: d.created_at,
      memo: `${d.name} (device), ${byCard(d.payment_method_id ? cards.get(d.payment_method_id) : null)}`,
      owed: d.amount_minor
    })

  const renewals = await ctx.db
    .selectFrom('renewal_charges')
    .innerJoin('plans', 'plans.id', 'renewal_charges.plan_id')
    .leftJoin('lines', 'lines.id', 'renewal_charges.line_id')
    .select([
      'renewal_charges.created_at',
      'renewal_charges.amount_minor',
      'renewal_charges.currency',
      'renewal_charges.payment_method_id',
      'plans.name',
      'lines.phone_number'
    ])
    .where('renewal_charges.account_id', '=', accountId)
    .where('renewal_charges.created_at', '>=', start)
    .where('renewal_charges.created_at', '<', end)
    .execute()
  for (const r of within(renewals))
    lines.push({
      at: r.created_at,
      memo: `Automatic renewal: ${r.name} for ${r.phone_number ?? 'your line'}, ${byCard(cards.get(r.payment_method_id))}`,
      owed: r.amount_minor
    })

  // Settled in the month (the money went back then), whenever the purchase was.
  const refunds = await ctx.db
    .selectFrom('refunds')
    .select(['charge_kind', 'charge_ref', 'settled_at', 'amount_minor', 'currency', 'card_last4'])
    .where('account_id', '=', accountId)
    .where('destination', '=', 'card')
    .where('status', '=', 'done')
    .where('charge_kind', '!=', 'top_up')
    .where('settled_at', '>=', start)
    .where('settled_at', '<', end)
    .execute()
  for (const r of within(refunds)) {
    const of = r.charge_kind === 'auto_renew' ? 'automatic renewal' : `order ${r.charge_ref}`
    const card = r.card_last4 ? `your card ending ${r.card_last4}` : 'your card'
    lines.push({ at: r.settled_at ?? '', memo: `Refund to ${card} (${of})`, owed: -r.amount_minor })
  }
  return lines
}
