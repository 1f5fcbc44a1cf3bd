/**
 * The ops API's promotion handlers (issue 20): each says its target (the code) and, for changes, the state before
 * and after, which serve-ops.ts writes to the audit log with the operator's reason.
 */
import type { PROMOTIONS_OPS_ROUTES } from '../../../shared/ops/routes-promotions'
import type { ServiceContext } from '../../context'
import { createPromotion, endPromotion, listPromotions, showPromotion } from '../promotions-ops'
import { type HandlersOf, actorOf } from './handlers-of'

export function promotionsHandlers(ctx: ServiceContext): HandlersOf<keyof typeof PROMOTIONS_OPS_ROUTES> {
  return {
    opsPromotionsCreate: async (input, act) => {
      if (input.code) act.target(input.code)
      const promotion = await createPromotion(ctx, input, actorOf(act))
      act.target(promotion.code)
      act.after(promotion)
      return { promotion }
    },
    opsPromotionsList: async () => ({ promotions: await listPromotions(ctx) }),
    opsPromotionsShow: async ({ code }) => showPromotion(ctx, code),
    opsPromotionsEnd: async ({ code }, act) => {
      act.target(code)
      const { before, after } = await endPromotion(ctx, code, actorOf(act))
      act.before(before)
      act.after(after)
      return { promotion: after }
    }
  }
}
