/**
 * What a business paid by card in a month, as invoice lines (issue 25 part 2): checkout items (renewals, minutes
 * packs), device orders and automatic renewals charged to a card, and card refunds of those settled in the month
 * as negative lines. None of these touch the balance ledger (checkout, device orders and auto-renewals record
 * their charge only in their own tables; a card refund of a purchase books nothing on the ledger), so beside the
 * ledger's charges nothing is counted twice. Top-ups and their refunds stay out: they are payments into (and out
 * of) the balance, whose spending the ledger lines already show. A refund to the balance is the ledger's own
 * refund line. Amounts are integer minor units in the invoice's one currency.
 *
 * A card payment counts in the month it went through (`paid_at`, migration 0028; an auto-renewal's charge row is
 * written when its charge succeeded; a refund when it settled), never in the month the order was made: as a card
 * processor's statement and an accountant's books do, the money moved when the processor said so. An order made
 * at 23:59:50 on the 31st whose card result arrives at 00:00:10 was pending when the month's invoice was issued,
 * and counted by when it was made it would then belong to a month already invoiced (invoices never change) and
 * to no later one: it would be on no invoice at all. Counted by when it was paid it goes on the next month's
 * invoice, dated that day and saying when it was ordered. Every payment time is stamped inside its transaction,
 * which commits a moment later; the billing pass therefore issues a month only SETTLE_MS after it ended in the
 * account's zone (settledNow), long after any payment stamped before the end has committed or rolled back, as
 * billing systems finalise a period's invoice some time after the period closes.
 */
import type { ServiceContext } from '../context'
import { CURRENCY, accountZone } from '../billing/balance'
import { localDate } from '../billing/proration'
import type { CardLineCode, LineName, LineParams } from '../pdf/line-words'

/** How long after a month's end the billing pass waits before issuing it (see the header). */
export const SETTLE_MS = 10 * 60_000

/** The moment whose month counts as ended for issuing invoices: now, less the settling time. */
export const settledNow = (ctx: Pick<ServiceContext, 'clock'>): Date =>
  new Date(ctx.clock.now().getTime() - SETTLE_MS)

/**
 * One line of an invoice: when, what, and the amount owed (negative for a refund). What it is travels as a code
 * with values (a ledger memo code, or a card line's code: ../pdf/line-words.ts words both in the PDF's language)
 * and as English text (`memo`), kept in the issued invoice's stored content for operators reading the row: no
 * route returns it, and the PDF words every card line from its code, so the memo's English reaches nobody reading
 * the invoice. A line without a number is named by its label and its dongle's serial (params label, serial).
 */
export interface InvoiceLine {
  readonly at: string
  readonly code: string
  readonly params: LineParams
  readonly memo: string
  readonly owed: number
}

/** The items of a checkout order as stored (src/server/billing/checkout-fulfil.ts, StoredItem). */
interface StoredItem {
  description: string
  lineId?: string | null
  planCode?: string
  phoneNumber?: string | null
  /** A line without a number's name, kept with orders since names were (older ones: the line's, read here). */
  line?: LineName
  price: { amountMinor: number; currency: string }
}

/** A line without a number's name as card line params (label only when it has one). */
const nameParams = (name: LineName | undefined): LineParams =>
  name ? { ...(name.label ? { label: name.label } : {}), serial: name.serial } : {}

/** The priced items a checkout order keeps (src/server/billing/checkout.ts, StoredOrder). */
interface StoredItems {
  items: StoredItem[]
}

/** A card payment's line: its English text says what and how it was paid; its params say the same as values. */
const paidLine = (
  at: string,
  code: CardLineCode,
  params: LineParams,
  what: string,
  last4: string | null | undefined,
  ordered: string | null,
  owed: number
): InvoiceLine => ({
  at,
  code,
  params: { ...params, ...(last4 ? { last4 } : {}), ...(ordered ? { ordered } : {}) },
  memo: `${what}, ${byCard(last4)}${ordered ? ` (ordered ${ordered})` : ''}`,
  owed
})

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
  // An order made in an earlier month and paid in this one says so (its card result came after that month ended).
  let zone: string | undefined
  const ordered = async (createdAt: string): Promise<string | null> =>
    createdAt < start ? localDate(new Date(createdAt), (zone ??= await accountZone(ctx, accountId))) : null

  const orders = await ctx.db
    .selectFrom('checkout_orders')
    .select(['id', 'created_at', 'paid_at', 'total_minor', 'currency', 'payment_method_id', 'items'])
    .where('account_id', '=', accountId)
    .where('status', '=', 'paid')
    .where('paid_at', '>=', start)
    .where('paid_at', '<', end)
    .execute()
  const stored = within(orders).map((o) => ({ o, items: (JSON.parse(o.items) as StoredItems).items }))
  // A line without a number in an order stored before its name was kept: named as the line is named now.
  const names = await lineNames(
    ctx,
    stored.flatMap(({ items }) =>
      items.flatMap((i) => (i.lineId && !i.phoneNumber && !i.line ? [i.lineId] : []))
    )
  )
  for (const { o, items } of stored) {
    const last4 = cards.get(o.payment_method_id)
    const when = await ordered(o.created_at)
    const at = o.paid_at ?? o.created_at
    // One line per item when the items make the order's total (they always do: the total is their sum).
    if (items.reduce((s, i) => s + i.price.amountMinor, 0) === o.total_minor)
      for (const i of items) {
        const unnumbered = i.lineId && !i.phoneNumber ? (i.line ?? names.get(i.lineId)) : undefined
        const params = i.planCode
          ? { plan: i.planCode, ...(i.phoneNumber ? { number: i.phoneNumber } : nameParams(unnumbered)) }
          : null
        lines.push(
          params
            ? paidLine(at, 'card-item', params, i.description, last4, when, i.price.amountMinor)
            : paidLine(at, 'card-order', { order: o.id }, i.description, last4, when, i.price.amountMinor)
        )
      }
    else lines.push(paidLine(at, 'card-order', { order: o.id }, `Order ${o.id}`, last4, when, o.total_minor))
  }

  const devices = await ctx.db
    .selectFrom('device_orders')
    .select(['name', 'offer_id', 'created_at', 'paid_at', 'amount_minor', 'currency', 'payment_method_id'])
    .where('account_id', '=', accountId)
    .where('status', '=', 'paid')
    .where('paid_at', '>=', start)
    .where('paid_at', '<', end)
    .execute()
  for (const d of within(devices))
    lines.push(
      paidLine(
        d.paid_at ?? d.created_at,
        'card-device',
        { offer: d.offer_id, device: d.name },
        `${d.name} (device)`,
        d.payment_method_id ? cards.get(d.payment_method_id) : null,
        await ordered(d.created_at),
        d.amount_minor
      )
    )

  const renewals = await ctx.db
    .selectFrom('renewal_charges')
    .innerJoin('plans', 'plans.id', 'renewal_charges.plan_id')
    .leftJoin('lines', 'lines.id', 'renewal_charges.line_id')
    .leftJoin('devices', 'devices.id', 'lines.device_id')
    .select([
      'renewal_charges.created_at',
      'renewal_charges.amount_minor',
      'renewal_charges.currency',
      'renewal_charges.payment_method_id',
      'plans.name',
      'plans.code',
      'lines.phone_number',
      'lines.label',
      'devices.serial'
    ])
    .where('renewal_charges.account_id', '=', accountId)
    .where('renewal_charges.created_at', '>=', start)
    .where('renewal_charges.created_at', '<', end)
    .execute()
  for (const r of within(renewals)) {
    const name = r.serial === null ? undefined : { label: r.label, serial: r.serial }
    lines.push(
      paidLine(
        r.created_at,
        'card-auto-renewal',
        { plan: r.code, ...(r.phone_number ? { number: r.phone_number } : nameParams(name)) },
        `Automatic renewal: ${r.name} for ${r.phone_number ?? englishName(name)}`,
        cards.get(r.payment_method_id),
        null,
        r.amount_minor
      )
    )
  }

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
    lines.push({
      at: r.settled_at ?? '',
      code: 'card-refund',
      params: {
        ...(r.charge_kind === 'auto_renew'
          ? { refundOf: 'auto-renewal' }
          : { refundOf: 'order', order: r.charge_ref }),
        ...(r.card_last4 ? { last4: r.card_last4 } : {})
      },
      memo: `Refund to ${card} (${of})`,
      owed: -r.amount_minor
    })
  }
  return lines
}

/** The operators' English for a line without a number (the memo): as the PDF's English words it. */
const englishName = (name: LineName | undefined): string =>
  !name ? 'your line' : name.label ? `the line "${name.label}"` : `the line on dongle ${name.serial}`

/** The names (label, dongle's serial) of the lines given, by id: one statement, none for no line. */
async function lineNames(ctx: ServiceContext, ids: readonly string[]): Promise<Map<string, LineName>> {
  if (ids.length === 0) return new Map()
  const rows = await ctx.db
    .selectFrom('lines')
    .innerJoin('devices', 'devices.id', 'lines.device_id')
    .select(['lines.id', 'lines.label', 'devices.serial'])
    .where('lines.id', 'in', [...new Set(ids)])
    .execute()
  return new Map(rows.map((r) => [r.id, { label: r.label, serial: r.serial }]))
}
