/**
 * The ops routes of promotions (issue 20, seed 004): campaigns whose code grants "half price for life" at a
 * trial's conversion to paid, at a renewal, or both, between a start and an end, with a limit on grants and an
 * audience (new accounts only, or any). Billing and admin create and end them (with a reason); support reads them.
 */
import { z } from 'zod'
import { instant } from '../api/common'
import { PROMOTION_AUDIENCES, PROMOTION_ELIGIBILITY, PROMOTION_KINDS } from './promotion-kinds'
import { opsRoute, reasonField } from './route'

export { PROMOTION_AUDIENCES, PROMOTION_ELIGIBILITY, PROMOTION_KINDS } from './promotion-kinds'

/** A code as operators choose it: 4-32 letters, digits and dashes, stored upper-case. */
const promoCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9-]{4,32}$/, 'a code is 4-32 letters, digits and dashes')

export const promotionView = z.object({
  id: z.string(),
  code: z.string(),
  kind: z.enum(PROMOTION_KINDS),
  percentOff: z.number().int(),
  startsAt: instant,
  endsAt: instant,
  eligible: z.enum(PROMOTION_ELIGIBILITY),
  audience: z.enum(PROMOTION_AUDIENCES),
  limit: z.number().int().nullable(),
  /** Reserved (being paid) and granted uses: what the limit is counted against. */
  used: z.number().int(),
  /** 'scheduled', 'running' and 'expired' follow the dates; 'ended' is an operator's end. */
  state: z.enum(['scheduled', 'running', 'expired', 'ended']),
  createdAt: instant,
  createdBy: z.string(),
  endedAt: instant.nullable()
})
export type PromotionView = z.infer<typeof promotionView>

export const PROMOTIONS_OPS_ROUTES = {
  opsPromotionsCreate: opsRoute({
    method: 'POST',
    path: '/ops/v1/promotions',
    access: 'promotions.manage',
    status: 201,
    summary: 'create a campaign; without a code the service makes an unguessable one',
    input: z
      .object({
        code: promoCode.optional(),
        kind: z.enum(PROMOTION_KINDS),
        startsAt: instant,
        endsAt: instant,
        eligible: z.enum(PROMOTION_ELIGIBILITY),
        audience: z.enum(PROMOTION_AUDIENCES).default('any'),
        limit: z.number().int().min(1).max(10_000_000).optional(),
        reason: reasonField
      })
      .strict(),
    output: z.object({ promotion: promotionView })
  }),
  opsPromotionsList: opsRoute({
    method: 'GET',
    path: '/ops/v1/promotions',
    access: 'promotions.read',
    summary: 'every campaign, newest first',
    input: null,
    output: z.object({ promotions: z.array(promotionView) })
  }),
  opsPromotionsShow: opsRoute({
    method: 'GET',
    path: '/ops/v1/promotions/:code',
    access: 'promotions.read',
    summary: "a campaign with its redemptions and what became of each discount (seed 004's rules)",
    input: z.object({ code: promoCode }).strict(),
    output: z.object({
      promotion: promotionView,
      granted: z.number().int(),
      reserved: z.number().int(),
      /** Of the granted discounts: still running, ending (a cancel or downgrade pending), ended. */
      discounts: z.object({ active: z.number().int(), ending: z.number().int(), ended: z.number().int() }),
      redemptions: z.array(
        z.object({
          accountId: z.string(),
          lineId: z.string(),
          orderId: z.string(),
          status: z.enum(['reserved', 'granted']),
          at: instant,
          discount: z.enum(['active', 'ending', 'ended']).nullable(),
          endedReason: z.string().nullable()
        })
      )
    })
  }),
  opsPromotionsEnd: opsRoute({
    method: 'POST',
    path: '/ops/v1/promotions/:code/end',
    access: 'promotions.manage',
    summary: 'end a campaign now: its code stops working; discounts already granted are kept',
    input: z.object({ code: promoCode, reason: reasonField }).strict(),
    output: z.object({ promotion: promotionView })
  })
} as const
