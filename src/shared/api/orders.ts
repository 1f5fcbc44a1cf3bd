/**
 * Past card orders with what a receipt needs: checkouts (renewals, minutes packs), balance top-ups, device orders
 * and automatic renewals, each with what was bought, for which line, the amount, the card (brand and last 4), the date, the order
 * id and who sold it, and what was refunded of it. Codes and values only: the app words each item in the person's language.
 */
import { z } from 'zod'
import { money } from './billing'
import { id, instant } from './common'

export const ORDER_KINDS = ['checkout', 'top_up', 'device', 'auto_renew'] as const
export const ORDER_ITEM_KINDS = ['renewal', 'minutes', 'top_up', 'device'] as const

export const orderItem = z.object({
  kind: z.enum(ORDER_ITEM_KINDS),
  /** The plan bought (renewal, minutes), else null. */
  planCode: z.string().nullable(),
  /** The device offer bought, else null. */
  offerId: z.string().nullable(),
  lineId: id.nullable(),
  phoneNumber: z.string().nullable(),
  amount: money,
  /** A renewal: the line is paid through this instant. */
  paidThrough: instant.nullable()
})

/** Money an operator gave back from this order: to the card it was paid with, or to the account's balance. */
export const orderRefund = z.object({
  id,
  at: instant,
  amount: money,
  to: z.enum(['card', 'balance']),
  /** The card refunded to (a card refund), else null. */
  card: z.object({ brand: z.string(), last4: z.string() }).nullable()
})

export const cardOrder = z.object({
  id,
  kind: z.enum(ORDER_KINDS),
  at: instant,
  total: money,
  /** Null only for records from before cards were kept with the order. */
  card: z.object({ brand: z.string(), last4: z.string() }).nullable(),
  items: z.array(orderItem),
  /** Refunds made of this order (issue 20), oldest first. */
  refunds: z.array(orderRefund)
})
export const cardOrderList = z.object({
  /** Who sold and charged: the name printed on every receipt. */
  provider: z.string(),
  orders: z.array(cardOrder)
})
