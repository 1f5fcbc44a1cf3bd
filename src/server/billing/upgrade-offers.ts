/**
 * Device upgrade offers (PRODUCT.md E): a newer dongle at a special price for a line that has been in service long
 * enough, at most once per line and offer. Paid by card like a top-up: one idempotency key per intent, the
 * gateway's charge keyed by it, and the unique (line, offer) pair so a concurrent second order cannot ship or
 * charge twice. Ships to the account's billing address as it is when ordered; the confirmation goes to the
 * preferred email. The order is recorded (with its card) before the charge: a failure after the charge is
 * finished by the retry with the same key or by the billing pass's stranded job, never left pending for ever.
 */
import type { z } from 'zod'
import type { deviceOrder, orderUpgradeRequest, upgradeOffer } from '../../shared/api/offers'
import { postalAddress } from '../../shared/api/identity'
import { DAY } from '../clock'
import type { UpgradeOfferConfig } from '../config'
import { type ServiceContext, inTransaction } from '../context'
import type { DeviceOrdersTable } from '../db/schema-billing'
import { conflict, notFound } from '../http/errors'
import { notifyPreferred } from '../mail/outbox'
import { newId } from '../secrets'
import { accountZone } from './balance'
import { billingNotices, offerName } from './notices'
import { declinedError } from './gateway'
import { idempotent } from './idempotency'
import { chargeRecorded, resolvePayment } from './payment-methods'
import type { Settlement } from './settle-retries'
import { localDate } from './proration'

type Offer = z.output<typeof upgradeOffer>
type Order = z.output<typeof deviceOrder>

function orderView(o: DeviceOrdersTable): Order {
  return {
    id: o.id,
    offerId: o.offer_id,
    lineId: o.line_id,
    name: o.name,
    amountMinor: o.amount_minor,
    currency: o.currency,
    shipTo: postalAddress.parse(JSON.parse(o.ship_to)),
    status: o.status,
    createdAt: o.created_at
  }
}

async function accountLines(ctx: ServiceContext, accountId: string) {
  return ctx.db
    .selectFrom('lines')
    .innerJoin('devices', 'devices.id', 'lines.device_id')
    .select(['lines.id', 'lines.status', 'lines.phone_number', 'lines.created_at', 'devices.model'])
    .where('lines.account_id', '=', accountId)
    .where('lines.status', '!=', 'closed')
    .orderBy('lines.created_at')
    .execute()
}

type LineRow = Awaited<ReturnType<typeof accountLines>>[number]

type Why = 'ordered' | 'not-in-service' | 'other-model' | 'too-soon'

/** Why a line may not take an offer (a code, a sentence, and for 'too-soon' the day it may), or null when it may. */
function ineligibility(
  offer: UpgradeOfferConfig,
  line: LineRow,
  now: Date,
  zone: string
): { why: Why; reason: string; availableFrom: string | null } | null {
  if (line.status !== 'in_service')
    return { why: 'not-in-service', reason: 'the line is not in service', availableFrom: null }
  if (!offer.fromModels.includes(line.model))
    return { why: 'other-model', reason: 'this offer is for another dongle model', availableFrom: null }
  const from = new Date(Date.parse(line.created_at) + offer.minServiceDays * DAY)
  if (now < from) {
    const day = localDate(from, zone)
    return {
      why: 'too-soon',
      reason: `available once the line has been in service for ${offer.minServiceDays} days, from ${day}`,
      availableFrom: day
    }
  }
  return null
}

/** The offers running today, each with the account's lines and whether they may take it. */
export async function listOffers(ctx: ServiceContext, accountId: string): Promise<{ offers: Offer[] }> {
  const now = ctx.clock.now()
  const zone = await accountZone(ctx, accountId)
  const today = localDate(now, zone)
  const lines = await accountLines(ctx, accountId)
  const orders = await ctx.db
    .selectFrom('device_orders')
    .select(['id', 'line_id', 'offer_id'])
    .where('account_id', '=', accountId)
    .execute()
  const offers = ctx.config.billing.upgradeOffers
    .filter((o) => today <= o.endsOn)
    .map((o) => ({
      id: o.id,
      name: o.name,
      description: o.description,
      regularMinor: o.regularMinor,
      offerMinor: o.offerMinor,
      currency: o.currency,
      endsOn: o.endsOn,
      minServiceDays: o.minServiceDays,
      lines: lines.map((l) => {
        const ordered = orders.find((x) => x.line_id === l.id && x.offer_id === o.id)
        const no = ordered
          ? { why: 'ordered' as const, reason: 'already ordered', availableFrom: null }
          : ineligibility(o, l, now, zone)
        return {
          lineId: l.id,
          phoneNumber: l.phone_number,
          eligible: no === null,
          why: no?.why ?? null,
          reason: no?.reason ?? null,
          availableFrom: no?.availableFrom ?? null,
          orderId: ordered?.id ?? null
        }
      })
    }))
  return { offers }
}

export async function listDeviceOrders(ctx: ServiceContext, accountId: string): Promise<{ orders: Order[] }> {
  const rows = await ctx.db
    .selectFrom('device_orders')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('created_at', 'desc')
    .execute()
  return { orders: rows.map(orderView) }
}

export async function orderUpgrade(
  ctx: ServiceContext,
  accountId: string,
  req: z.output<typeof orderUpgradeRequest>,
  fingerprint: unknown
): Promise<Order> {
  const answer = await idempotent(
    ctx,
    {
      accountId,
      key: req.idempotencyKey,
      endpoint: 'order-upgrade',
      request: { offer: req.offerId, line: req.lineId, payment: fingerprint }
    },
    async () => {
      // This intent's order, left pending when it was cut short after its record (maybe after the charge): finished
      // with its own card and price, whatever the offer or the line say now (a card typed in is not tokenized
      // again: the processor refuses one key with another card).
      const resumed = await ctx.db
        .selectFrom('device_orders')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('idempotency_key', '=', req.idempotencyKey)
        .where('status', '=', 'pending')
        .executeTakeFirst()
      const row = resumed ?? (await placeOrder(ctx, accountId, req))
      return { status: 200, body: orderView(await settleDeviceOrder(ctx, row)) }
    }
  )
  return answer.body
}

/** The checks, and the order recorded (the line's place held) before any money moves. */
async function placeOrder(
  ctx: ServiceContext,
  accountId: string,
  req: z.output<typeof orderUpgradeRequest>
): Promise<DeviceOrdersTable> {
  const now = ctx.clock.now()
  const zone = await accountZone(ctx, accountId)
  const offer = ctx.config.billing.upgradeOffers.find((o) => o.id === req.offerId)
  if (!offer || localDate(now, zone) > offer.endsOn)
    throw notFound('offer-not-found', 'the offer (it may have ended)')
  const line = (await accountLines(ctx, accountId)).find((l) => l.id === req.lineId)
  if (!line) throw notFound('line-not-found', 'the line')
  const no = ineligibility(offer, line, now, zone)
  if (no) throw conflict('offer-not-eligible', `this line cannot take the offer: ${no.reason}`)
  const account = await ctx.db
    .selectFrom('accounts')
    .select('billing_address')
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow()
  if (!account.billing_address)
    throw conflict('no-billing-address', 'add a billing address first: the dongle ships there')
  const method = await resolvePayment(ctx, accountId, req.payment)
  return reserve(ctx, {
    id: newId('dor'),
    account_id: accountId,
    line_id: line.id,
    offer_id: offer.id,
    name: offer.name,
    amount_minor: offer.offerMinor,
    currency: offer.currency,
    idempotency_key: req.idempotencyKey,
    charge_id: null,
    payment_method_id: method.id,
    ship_to: account.billing_address,
    status: 'pending',
    created_at: now.toISOString(),
    paid_at: null
  })
}

/**
 * Charges (or replays the charge of) a pending device order and marks it paid once, with its confirmation: the
 * request's, its retry's, the stranded job's (stranded.ts) or an operator's retry of it. A declined card frees the
 * line's place (the order is deleted) and throws the decline. Safe to run again.
 */
export async function settleDeviceOrder(
  ctx: ServiceContext,
  row: DeviceOrdersTable
): Promise<DeviceOrdersTable> {
  if (row.status === 'paid') return row
  if (row.payment_method_id === null) throw new Error(`device order ${row.id} has no card to charge`)
  const { charge } = await chargeRecorded(ctx, {
    methodId: row.payment_method_id,
    amountMinor: row.amount_minor,
    currency: row.currency,
    processorKey: `upgrade:${row.account_id}:${row.idempotency_key}`,
    fault: 'upgrade'
  })
  if (charge.status === 'failed') {
    await ctx.db
      .deleteFrom('device_orders')
      .where('id', '=', row.id)
      .where('status', '=', 'pending')
      .execute()
    throw declinedError(charge.declineCode)
  }
  // When the card result arrived (after the order was made): the invoice counts the payment in its month.
  const paid: DeviceOrdersTable = {
    ...row,
    status: 'paid',
    charge_id: charge.id,
    paid_at: ctx.clock.now().toISOString()
  }
  await inTransaction(ctx, async (tx) => {
    const marked = await tx.db
      .updateTable('device_orders')
      .set({ status: 'paid', charge_id: charge.id, paid_at: paid.paid_at })
      .where('id', '=', row.id)
      .where('status', '=', 'pending')
      .executeTakeFirst()
    if (Number(marked.numUpdatedRows) !== 1) return // another runner marked it, and told
    await tx.audit.record('offer.ordered', {
      accountId: row.account_id,
      detail: { offer: row.offer_id, line: row.line_id }
    })
    await notifyPreferred(tx.db, tx.clock, row.account_id, 'device-order', (l) =>
      billingNotices(l).deviceOrdered(
        offerName(l, row.offer_id, paid.name),
        paid.amount_minor,
        paid.currency,
        paid.id
      )
    )
  })
  return paid
}

/** The stranded job's and the operator's settlement of a device order (stranded.ts, stuck-settlements.ts). */
export const deviceOrderSettlement = (ctx: ServiceContext): Settlement<DeviceOrdersTable> => ({
  kind: 'device-order',
  settle: (row) => settleDeviceOrder(ctx, row),
  state: async (id) => {
    const r = await ctx.db
      .selectFrom('device_orders')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirst()
    return r?.status === 'pending' ? 'open' : r?.status === 'paid' ? 'settled' : 'closed'
  }
})

/**
 * Holds the line's place for this offer before any money moves: the row, or the one this same intent (same key)
 * left pending when it was cut short. Another intent's row means the line has ordered already.
 */
async function reserve(ctx: ServiceContext, row: DeviceOrdersTable): Promise<DeviceOrdersTable> {
  const existing = () =>
    ctx.db
      .selectFrom('device_orders')
      .selectAll()
      .where('line_id', '=', row.line_id)
      .where('offer_id', '=', row.offer_id)
      .executeTakeFirst()
  let found = await existing()
  if (!found) {
    try {
      await ctx.db.insertInto('device_orders').values(row).execute()
      return row
    } catch {
      // A concurrent order for the same line won the unique (line, offer) pair.
      found = await existing()
      if (!found) throw new Error('the device order could not be written')
    }
  }
  if (found.idempotency_key === row.idempotency_key && found.status === 'pending') return found
  throw conflict('already-ordered', 'this line has already ordered this upgrade')
}
