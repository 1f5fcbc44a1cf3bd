/**
 * The web shop's order webhook (issue 20). Each delivery is signed with the shop's secret:
 * `x-dialtone-signature: v1=<hex HMAC-SHA-256 over "<x-dialtone-timestamp>.<raw body>">`, with
 * `x-dialtone-partner` naming the shop. A delivery is refused when the signature is wrong, when its timestamp is
 * more than five minutes from the service's clock, or when the same signature was seen before (a replay). Orders
 * are idempotent by number: the same order again (a retry, newly signed) answers `duplicate` and records nothing;
 * the same number with different content is refused. Online activation (src/server/devices/purchase.ts) then
 * matches the order by number and email. The secret is sealed at rest (the service must compute the HMAC), shown
 * once when issued, and replaced at once by the next.
 */
import { createHmac, randomBytes } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import type { z } from 'zod'
import type { webshopOrder } from '../../shared/ops/routes'
import type { ServiceContext } from '../context'
import { ServiceError, conflict, invalid } from '../http/errors'
import { safeEqual, sha256 } from '../secrets'
import type { OpsActor } from './actor'
import { findPartner } from './partners'
import { attests } from '../devices/attestation'

export const WEBHOOK_TOLERANCE_MS = 5 * 60_000

export const webhookSignature = (secret: string, timestamp: string, body: string): string =>
  `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`

export async function rotateWebhookSecret(
  ctx: ServiceContext,
  partnerId: string
): Promise<{ partnerId: string; secret: string }> {
  const partner = await findPartner(ctx, partnerId)
  if (partner.kind !== 'webshop')
    throw invalid('partnerId', 'only a web-shop partner signs order webhooks', 'partner-not-found')
  const secret = `whsec_${randomBytes(32).toString('base64url')}`
  await ctx.db
    .updateTable('partners')
    .set({ webhook_secret_enc: ctx.box.seal(secret) })
    .where('id', '=', partnerId)
    .execute()
  return { partnerId, secret }
}

const refused = (why: string): ServiceError =>
  new ServiceError('unauthenticated', `the webhook signature was refused: ${why}`, {
    reason: 'webhook-signature'
  })

const header = (h: IncomingHttpHeaders, name: string): string => {
  const v = h[name]
  return typeof v === 'string' ? v : ''
}

/** The web shop behind a correctly signed, fresh, first-seen delivery; throws (401/409) otherwise. */
export async function verifyDelivery(
  ctx: ServiceContext,
  headers: IncomingHttpHeaders,
  rawBody: string
): Promise<OpsActor> {
  const partnerId = header(headers, 'x-dialtone-partner')
  const timestamp = header(headers, 'x-dialtone-timestamp')
  const signature = header(headers, 'x-dialtone-signature')
  if (!partnerId || !/^\d{1,12}$/.test(timestamp) || !/^v1=[0-9a-f]{64}$/.test(signature))
    throw refused('x-dialtone-partner, x-dialtone-timestamp and x-dialtone-signature (v1=…) are required')
  const partner = await ctx.db
    .selectFrom('partners')
    .selectAll()
    .where('id', '=', partnerId)
    .executeTakeFirst()
  if (!partner || partner.kind !== 'webshop' || !partner.webhook_secret_enc) throw refused('unknown sender')
  const expected = webhookSignature(ctx.box.open(partner.webhook_secret_enc), timestamp, rawBody)
  if (!safeEqual(signature, expected)) throw refused('the signature does not match the body')
  if (Math.abs(ctx.clock.now().getTime() - Number(timestamp) * 1000) > WEBHOOK_TOLERANCE_MS)
    throw refused('the timestamp is more than five minutes away (a replay, or a wrong clock)')
  const seen = await ctx.db
    .insertInto('webhook_deliveries')
    .values({
      signature_hash: sha256(signature),
      partner_id: partner.id,
      received_at: ctx.clock.now().toISOString()
    })
    .onConflict((oc) => oc.column('signature_hash').doNothing())
    .executeTakeFirst()
  if (Number(seen.numInsertedOrUpdatedRows ?? 0n) !== 1)
    throw conflict('webhook-replay', 'this delivery was received before (a replay); sign each delivery anew')
  return {
    kind: 'partner',
    id: partner.id,
    label: partner.name,
    name: partner.name,
    role: null,
    partnerId: partner.id,
    sessionId: null,
    expiresAt: null
  }
}

type Order = z.output<typeof webshopOrder>

/** Records the order once: the same order again is a duplicate; the same number with other content is refused. */
export async function recordOrder(
  ctx: ServiceContext,
  order: Order
): Promise<{ orderNumber: string; status: 'recorded' | 'duplicate' }> {
  // The order is all a model that cannot prove itself has to show it was bought: naming no serial, it would activate
  // any unowned dongle of the model (devices/purchase.ts). Such an order is sent when it ships, with the serial.
  if (!order.serial && !attests(ctx, order.model)) {
    const message =
      'an order of a dongle that cannot prove itself must name its serial (send it when it ships)'
    throw new ServiceError('invalid-input', `serial: ${message}`, {
      reason: 'invalid-input',
      issues: [{ path: 'serial', code: 'required', message }]
    })
  }
  const row = {
    number: order.orderNumber,
    email: order.email,
    model: order.model,
    serial: order.serial ?? null,
    included_months: order.includedMonths,
    claimed_device_id: null,
    created_at: ctx.clock.now().toISOString()
  }
  const inserted = await ctx.db
    .insertInto('orders')
    .values(row)
    .onConflict((oc) => oc.column('number').doNothing())
    .executeTakeFirst()
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1)
    return { orderNumber: row.number, status: 'recorded' }
  const existing = await ctx.db
    .selectFrom('orders')
    .selectAll()
    .where('number', '=', row.number)
    .executeTakeFirstOrThrow()
  const same =
    existing.email === row.email &&
    existing.model === row.model &&
    existing.serial === row.serial &&
    existing.included_months === row.included_months
  if (!same) throw conflict('order-conflict', `order ${row.number} was recorded before with other details`)
  return { orderNumber: row.number, status: 'duplicate' }
}
