/**
 * The provider's reports as CSV (issue 20): active lines, renewals and their revenue per day, Re-Up cards sold
 * and redeemed per day and batch. Days are calendar days in the provider's reporting zone, REPORT_ZONE
 * (America/New_York, the zone the provider keeps its books in) unless a report asks for another IANA zone; a
 * period is `from`..`to`, both days included, at most REPORT_MAX_DAYS. Money is summed in integer minor units and
 * written as exact decimals (no floating point on the way), one row per day and currency.
 *
 * Where the figures come from: online renewals are the coverage grants of paid checkout orders, each at the price
 * its order item was paid (the item's own price, so a minutes pack in the same cart is not counted);
 * auto-renewals are the `renewal.charged` events, each with the amount charged; Re-Up renewals are the grants of
 * redeemed cards, with no revenue on that day: the money was taken at the till when the card was sold, and
 * `reports vouchers` shows it then, at the card's face value (its plan's price).
 */
import { addLocalDays, localDate, startOfLocalDay } from '../../shared/time/business-dates'
import type { ServiceContext } from '../context'
import { toCsv } from '../csv'
import { invalid } from '../http/errors'

export const REPORT_ZONE = 'America/New_York'
export const REPORT_MAX_DAYS = 366

export interface Period {
  readonly from: string
  readonly to: string
  readonly zone: string
}

export interface Report {
  readonly zone: string
  readonly from: string | null
  readonly to: string | null
  readonly rows: number
  readonly csv: string
}

/** Minor units as an exact decimal: 123456 -> "1234.56", -5 -> "-0.05" (two-decimal currencies: USD, CAD). */
export function money(minor: number): string {
  const abs = Math.abs(minor)
  return `${minor < 0 ? '-' : ''}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`
}

/** The period's instants [start, end), after checking it is one the reports can show. */
function bounds(p: Period): { start: string; end: string; day: (iso: string) => string } {
  for (const k of ['from', 'to'] as const) {
    const d = new Date(`${p[k]}T00:00:00Z`)
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== p[k])
      throw invalid(k, `${p[k]} is not a calendar date (YYYY-MM-DD)`, 'report-period')
  }
  if (p.from > p.to) throw invalid('to', 'the period ends before it starts', 'report-period')
  const days = (Date.parse(`${p.to}T00:00:00Z`) - Date.parse(`${p.from}T00:00:00Z`)) / 86_400_000 + 1
  if (days > REPORT_MAX_DAYS)
    throw invalid('to', `a report covers at most ${REPORT_MAX_DAYS} days`, 'report-period', {
      days: REPORT_MAX_DAYS
    })
  return {
    start: startOfLocalDay(p.from, p.zone).toISOString(),
    end: startOfLocalDay(addLocalDays(p.to, 1), p.zone).toISOString(),
    day: (iso) => localDate(new Date(iso), p.zone)
  }
}

/** Every line in service now, with its number, account, preferred email, plan and paid-through. */
export async function activeLinesReport(ctx: ServiceContext, zone: string): Promise<Report> {
  const lines = await ctx.db
    .selectFrom('lines')
    .innerJoin('accounts', 'accounts.id', 'lines.account_id')
    .leftJoin('subscriptions', 'subscriptions.line_id', 'lines.id')
    .select([
      'lines.id',
      'lines.phone_number',
      'lines.label',
      'lines.created_at',
      'accounts.id as account_id',
      'accounts.type',
      'accounts.name',
      'subscriptions.plan_id',
      'subscriptions.auto_renew'
    ])
    .where('lines.status', '=', 'in_service')
    .orderBy('lines.created_at')
    .orderBy('lines.id')
    .execute()
  const ids = lines.map((l) => l.id)
  const accountIds = [...new Set(lines.map((l) => l.account_id))]
  const through = new Map<string, string>()
  const emails = new Map<string, string>()
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500)
    const grants = await ctx.db
      .selectFrom('coverage_grants')
      .select((eb) => ['line_id', eb.fn.max('ends_at').as('through')])
      .where('line_id', 'in', part)
      .where('voided_at', 'is', null)
      .groupBy('line_id')
      .execute()
    for (const g of grants) through.set(g.line_id, String(g.through))
  }
  for (let i = 0; i < accountIds.length; i += 500) {
    const part = accountIds.slice(i, i + 500)
    const rows = await ctx.db
      .selectFrom('account_emails')
      .select(['account_id', 'address'])
      .where('account_id', 'in', part)
      .where('preferred', '=', 1)
      .execute()
    for (const r of rows) emails.set(r.account_id, r.address)
  }
  const header = [
    'line_id',
    'number',
    'label',
    'account_id',
    'account_type',
    'account_name',
    'email',
    'plan',
    'auto_renew',
    'paid_through',
    'in_service_since'
  ]
  const rows = lines.map((l) => [
    l.id,
    l.phone_number ?? '',
    l.label ?? '',
    l.account_id,
    l.type,
    l.name,
    emails.get(l.account_id) ?? '',
    l.plan_id ?? '',
    l.auto_renew === 1 ? 'yes' : 'no',
    through.get(l.id) ?? '',
    localDate(new Date(l.created_at), zone)
  ])
  return { zone, from: null, to: null, rows: rows.length, csv: toCsv([header, ...rows]) }
}

interface DayTotals {
  online: number
  onlineMinor: number
  auto: number
  autoMinor: number
  reup: number
}

/** Renewals per day and currency: online, auto-renew and Re-Up card, with the revenue of the first two. */
export async function renewalsReport(ctx: ServiceContext, p: Period): Promise<Report> {
  const { start, end, day } = bounds(p)
  const totals = new Map<string, DayTotals>()
  const at = (date: string, currency: string): DayTotals => {
    const k = `${date} ${currency}`
    const t = totals.get(k) ?? { online: 0, onlineMinor: 0, auto: 0, autoMinor: 0, reup: 0 }
    totals.set(k, t)
    return t
  }
  const grants = await ctx.db
    .selectFrom('coverage_grants')
    .select(['source_type', 'source_id', 'created_at'])
    .where('source_type', 'in', ['order', 'voucher'])
    .where('created_at', '>=', start)
    .where('created_at', '<', end)
    .execute()
  // Online: the order item behind each grant (source id "<order id>:<item index>").
  const orderIds = [
    ...new Set(grants.filter((g) => g.source_type === 'order').map((g) => g.source_id.split(':')[0] ?? ''))
  ]
  const orders = new Map<string, { currency: string; prices: number[] }>()
  for (let i = 0; i < orderIds.length; i += 500) {
    const rows = await ctx.db
      .selectFrom('checkout_orders')
      .select(['id', 'items', 'currency'])
      .where('id', 'in', orderIds.slice(i, i + 500))
      .where('status', '=', 'paid')
      .execute()
    for (const o of rows) {
      const stored = JSON.parse(o.items) as { items: { price: { amountMinor: number } }[] }
      orders.set(o.id, { currency: o.currency, prices: stored.items.map((it) => it.price.amountMinor) })
    }
  }
  // Re-Up: the card's plan gives the currency (its revenue is the till's, on the day it was sold).
  const voucherIds = grants.filter((g) => g.source_type === 'voucher').map((g) => g.source_id)
  const voucherCurrency = new Map<string, string>()
  for (let i = 0; i < voucherIds.length; i += 500) {
    const rows = await ctx.db
      .selectFrom('vouchers')
      .innerJoin('voucher_batches', 'voucher_batches.id', 'vouchers.batch_id')
      .innerJoin('plans', 'plans.id', 'voucher_batches.plan_id')
      .select(['vouchers.id', 'plans.currency'])
      .where('vouchers.id', 'in', voucherIds.slice(i, i + 500))
      .execute()
    for (const r of rows) voucherCurrency.set(r.id, r.currency)
  }
  for (const g of grants) {
    if (g.source_type === 'order') {
      const [orderId = '', index = ''] = g.source_id.split(':')
      const order = orders.get(orderId)
      if (!order) continue
      const t = at(day(g.created_at), order.currency)
      t.online += 1
      t.onlineMinor += order.prices[Number(index)] ?? 0
    } else {
      at(day(g.created_at), voucherCurrency.get(g.source_id) ?? 'USD').reup += 1
    }
  }
  const charged = await ctx.db
    .selectFrom('audit_events')
    .select(['at', 'detail'])
    .where('kind', '=', 'renewal.charged')
    .where('at', '>=', start)
    .where('at', '<', end)
    .execute()
  for (const e of charged) {
    const d = JSON.parse(e.detail) as { amountMinor?: number; currency?: string }
    const t = at(day(e.at), d.currency ?? 'USD')
    t.auto += 1
    t.autoMinor += d.amountMinor ?? 0
  }
  const header = [
    'date',
    'currency',
    'online_renewals',
    'online_revenue',
    'auto_renewals',
    'auto_revenue',
    'reup_renewals',
    'renewals',
    'revenue'
  ]
  const rows = [...totals.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, t]) => {
      const [date = '', currency = ''] = k.split(' ')
      return [
        date,
        currency,
        t.online,
        money(t.onlineMinor),
        t.auto,
        money(t.autoMinor),
        t.reup,
        t.online + t.auto + t.reup,
        money(t.onlineMinor + t.autoMinor)
      ]
    })
  return { zone: p.zone, from: p.from, to: p.to, rows: rows.length, csv: toCsv([header, ...rows]) }
}

/** Re-Up cards sold at a till and redeemed, per day and batch, with the face value of the cards sold. */
export async function vouchersReport(ctx: ServiceContext, p: Period): Promise<Report> {
  const { start, end, day } = bounds(p)
  const base = () =>
    ctx.db
      .selectFrom('vouchers')
      .innerJoin('voucher_batches', 'voucher_batches.id', 'vouchers.batch_id')
      .innerJoin('plans', 'plans.id', 'voucher_batches.plan_id')
      .leftJoin('voucher_batch_ops', 'voucher_batch_ops.batch_id', 'voucher_batches.id')
      .leftJoin('partners', 'partners.id', 'voucher_batch_ops.partner_id')
      .select([
        'voucher_batches.id as batch_id',
        'voucher_batches.name as batch_name',
        'voucher_batches.plan_id',
        'plans.price_minor',
        'plans.currency',
        'partners.name as partner'
      ])
  const sold = await base()
    .select('vouchers.activated_at as at')
    .where('vouchers.activated_at', '>=', start)
    .where('vouchers.activated_at', '<', end)
    .execute()
  const redeemed = await base()
    .select('vouchers.redeemed_at as at')
    .where('vouchers.redeemed_at', '>=', start)
    .where('vouchers.redeemed_at', '<', end)
    .execute()
  type Row = {
    date: string
    batch: (typeof sold)[number]
    sold: number
    redeemed: number
  }
  const byKey = new Map<string, Row>()
  const row = (r: (typeof sold)[number]): Row => {
    const date = day(r.at ?? '')
    const k = `${date} ${r.batch_id}`
    const found = byKey.get(k) ?? { date, batch: r, sold: 0, redeemed: 0 }
    byKey.set(k, found)
    return found
  }
  for (const r of sold) row(r).sold += 1
  for (const r of redeemed) row(r).redeemed += 1
  const header = [
    'date',
    'batch_id',
    'batch_name',
    'partner',
    'plan',
    'sold',
    'redeemed',
    'sold_value',
    'currency'
  ]
  const rows = [...byKey.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, r]) => [
      r.date,
      r.batch.batch_id,
      r.batch.batch_name,
      r.batch.partner ?? '',
      r.batch.plan_id,
      r.sold,
      r.redeemed,
      money(r.sold * r.batch.price_minor),
      r.batch.currency
    ])
  return { zone: p.zone, from: p.from, to: p.to, rows: rows.length, csv: toCsv([header, ...rows]) }
}
