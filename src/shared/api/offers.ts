/**
 * Device upgrade offers: a newer dongle at a special price for customers whose line has been in service a while,
 * one per line, paid by card like a top-up (same idempotency rules) and shipped to the billing address.
 */
import { z } from 'zod'
import { idempotencyKey, localDateSchema, paymentChoice } from './billing'
import { id, instant } from './common'
import { postalAddress } from './identity'

export const offerIdSchema = z.string().regex(/^[a-z0-9-]{2,40}$/, 'not an offer id')

export const upgradeOfferLine = z.object({
  lineId: id,
  phoneNumber: z.string().nullable(),
  eligible: z.boolean(),
  /** Why this line may not take the offer (yet): a code the app words itself, and the service's sentence. */
  why: z.enum(['ordered', 'not-in-service', 'other-model', 'too-soon']).nullable(),
  reason: z.string().nullable(),
  /** For 'too-soon': the first day it may (YYYY-MM-DD, the account's time zone). */
  availableFrom: localDateSchema.nullable(),
  /** The order already placed for this line, if any. */
  orderId: id.nullable()
})

export const upgradeOffer = z.object({
  id: offerIdSchema,
  name: z.string(),
  description: z.string(),
  regularMinor: z.number().int(),
  offerMinor: z.number().int(),
  currency: z.string().length(3),
  endsOn: localDateSchema,
  minServiceDays: z.number().int(),
  lines: z.array(upgradeOfferLine)
})
export const upgradeOfferList = z.object({ offers: z.array(upgradeOffer) })

export const orderUpgradeRequest = z
  .object({ idempotencyKey, offerId: offerIdSchema, lineId: id, payment: paymentChoice })
  .strict()

export const deviceOrder = z.object({
  id,
  offerId: offerIdSchema,
  lineId: id,
  name: z.string(),
  amountMinor: z.number().int(),
  currency: z.string().length(3),
  shipTo: postalAddress,
  status: z.enum(['pending', 'paid']),
  createdAt: instant
})
export const deviceOrderList = z.object({ orders: z.array(deviceOrder) })
