/**
 * Past card orders for receipts: paid checkouts (renewals and minutes packs, from checkout_orders), balance
 * top-ups (the ledger's top_up entries: the charge is their source), paid device orders and automatic renewals
 * (renewal_charges, the period each paid for), newest first, each
 * with what was bought, for which line, the amount, the card and the order id. Declined and pending orders are
 * not orders a receipt is due for, so they are left out.
 */
import type { z } from 'zod'
import type { pricedItem } from '../../shared/api/billing'
import type { cardOrder, cardOrderList } from '../../shared/api/orders'
import type { ServiceContext } from '../context'

type Order = z.output<typeof cardOrder>
/** An order as found, before its refunds are joined. */
type Paid = Omit<Order, 'refunds'>
type Priced = z.output<typeof pricedItem>

/** Grant sources per read: well under SQLite's and PostgreSQL's limits on a statement's parameters. */
const SOURCES_PER_READ = 500

/** The name every receipt is issued under (the service provider that sold and charged). */
export const PROVIDER_NAME = 'Dialtone'

async function cardsOf(ctx: ServiceContext, accountId: string) {
  // Removed cards too: a receipt names the card it was paid with, whatever happened to it since.
  const rows = await ctx.db
    .selectFrom('payment_methods')
    .select(['id', 'brand', 'last4'])
    .where('account_id', '=', accountId)
    .execute()
  return new Map(rows.map((r) => [r.id, { brand: r.brand, last4: r.last4 }]))
}

async function numbersOf(ctx: ServiceContext, accountId: string) {
  const rows = await ctx.db
    .selectFrom('lines')
    .select(['id', 'phone_number'])
    .where('account_id', '=', accountId)
    .execute()
  return new Map(rows.map((r) => [r.id, r.phone_number]))
}

async function checkouts(ctx: ServiceContext, accountId: string, cards: Awaited<ReturnType<typeof cardsOf>>) {
  const rows = await ctx.db
    .selectFrom('checkout_orders')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('status', '=', 'paid')
    .execute()
  const orders = rows.map((o) => ({ o, items: (JSON.parse(o.items) as { items: Priced[] }).items }))
  // Each item's paid-through from its grant (source `<order>:<index>`): one read for every order of the account,
  // not one per order (an account renewed monthly for years has hundreds).
  const sources = orders.flatMap(({ o, items }) => items.map((_, index) => `${o.id}:${index}`))
  const ends = new Map<string, string>()
  for (let at = 0; at < sources.length; at += SOURCES_PER_READ) {
    const grants = await ctx.db
      .selectFrom('coverage_grants')
      .select(['source_id', 'ends_at'])
      .where('source_type', '=', 'order')
      .where('source_id', 'in', sources.slice(at, at + SOURCES_PER_READ))
      .execute()
    for (const g of grants) ends.set(g.source_id, g.ends_at)
  }
  return orders.map(({ o, items }): Paid => ({
    id: o.id,
    kind: 'checkout',
    at: o.created_at,
    total: { amountMinor: o.total_minor, currency: o.currency },
    card: cards.get(o.payment_method_id) ?? null,
    items: items.map((i, index) => ({
      kind: i.kind,
      planCode: i.planCode,
      offerId: null,
      lineId: i.lineId,
      phoneNumber: i.phoneNumber,
      amount: i.price,
      paidThrough: ends.get(`${o.id}:${index}`) ?? null
    }))
  }))
}

/** An order of one item that is its whole amount (a top-up, a device, an automatic renewal). */
const oneItem = (
  order: Omit<Paid, 'items'>,
  item: Pick<
    Order['items'][number],
    'kind' | 'planCode' | 'offerId' | 'lineId' | 'phoneNumber' | 'paidThrough'
  >
): Paid => ({ ...order, items: [{ ...item, amount: order.total }] })

async function topUps(ctx: ServiceContext, accountId: string): Promise<Paid[]> {
  const rows = await ctx.db
    .selectFrom('balance_entries')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('kind', '=', 'top_up')
    .execute()
  return rows.map((e) => {
    const params = JSON.parse(e.memo_params) as { last4?: unknown; brand?: unknown }
    return oneItem(
      {
        id: e.source_ref,
        kind: 'top_up',
        at: e.created_at,
        total: { amountMinor: e.amount_minor, currency: e.currency },
        // Top-ups before the brand was kept name the card by its last 4 alone.
        card:
          typeof params.last4 === 'string'
            ? { brand: typeof params.brand === 'string' ? params.brand : '', last4: params.last4 }
            : null
      },
      { kind: 'top_up', planCode: null, offerId: null, lineId: null, phoneNumber: null, paidThrough: null }
    )
  })
}

async function devices(
  ctx: ServiceContext,
  accountId: string,
  cards: Awaited<ReturnType<typeof cardsOf>>,
  numbers: Awaited<ReturnType<typeof numbersOf>>
): Promise<Paid[]> {
  const rows = await ctx.db
    .selectFrom('device_orders')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('status', '=', 'paid')
    .execute()
  return rows.map((o) =>
    oneItem(
      {
        id: o.id,
        kind: 'device',
        at: o.created_at,
        total: { amountMinor: o.amount_minor, currency: o.currency },
        card: (o.payment_method_id && cards.get(o.payment_method_id)) || null
      },
      {
        kind: 'device',
        planCode: null,
        offerId: o.offer_id,
        lineId: o.line_id,
        phoneNumber: numbers.get(o.line_id) ?? null,
        paidThrough: null
      }
    )
  )
}

async function autoRenewals(
  ctx: ServiceContext,
  accountId: string,
  cards: Awaited<ReturnType<typeof cardsOf>>,
  numbers: Awaited<ReturnType<typeof numbersOf>>
): Promise<Paid[]> {
  const rows = await ctx.db
    .selectFrom('renewal_charges')
    .innerJoin('plans', 'plans.id', 'renewal_charges.plan_id')
    .leftJoin('coverage_grants', (j) =>
      j
        .onRef('coverage_grants.source_id', '=', 'renewal_charges.grant_source')
        .on('coverage_grants.source_type', '=', 'auto_renew')
    )
    .selectAll('renewal_charges')
    .select(['plans.code as plan_code', 'coverage_grants.ends_at as ends_at'])
    .where('renewal_charges.account_id', '=', accountId)
    .execute()
  return rows.map((r) =>
    oneItem(
      {
        id: r.id,
        kind: 'auto_renew',
        at: r.created_at,
        total: { amountMinor: r.amount_minor, currency: r.currency },
        card: cards.get(r.payment_method_id) ?? null
      },
      {
        kind: 'renewal',
        planCode: r.plan_code,
        offerId: null,
        lineId: r.line_id,
        phoneNumber: numbers.get(r.line_id) ?? null,
        paidThrough: r.ends_at ?? null
      }
    )
  )
}

/** The account's completed refunds by the order (or top-up charge) they refunded, oldest first. */
async function refundsOf(ctx: ServiceContext, accountId: string): Promise<Map<string, Order['refunds']>> {
  const rows = await ctx.db
    .selectFrom('refunds')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('status', '=', 'done')
    .orderBy('created_at')
    .orderBy('id')
    .execute()
  const by = new Map<string, Order['refunds']>()
  for (const r of rows)
    by.set(r.charge_ref, [
      ...(by.get(r.charge_ref) ?? []),
      {
        id: r.id,
        at: r.settled_at ?? r.created_at,
        amount: { amountMinor: r.amount_minor, currency: r.currency },
        to: r.destination,
        card: r.card_last4 ? { brand: r.card_brand ?? '', last4: r.card_last4 } : null
      }
    ])
  return by
}

export async function listOrders(
  ctx: ServiceContext,
  accountId: string
): Promise<z.output<typeof cardOrderList>> {
  const cards = await cardsOf(ctx, accountId)
  const numbers = await numbersOf(ctx, accountId)
  const refunds = await refundsOf(ctx, accountId)
  const orders = [
    ...(await checkouts(ctx, accountId, cards)),
    ...(await topUps(ctx, accountId)),
    ...(await devices(ctx, accountId, cards, numbers)),
    ...(await autoRenewals(ctx, accountId, cards, numbers))
  ]
    .map((o) => ({ ...o, refunds: refunds.get(o.id) ?? [] }))
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.id < b.id ? 1 : -1))
  return { provider: PROVIDER_NAME, orders }
}
