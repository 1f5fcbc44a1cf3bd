/**
 * The ops API's support handlers (issue 25): support requests (list, show with the diagnostics report, reply,
 * close) and the retail partners' shops. Each change names its target and the state before and after, which
 * serve-ops.ts writes to the audit log.
 */
import type { SUPPORT_OPS_ROUTES } from '../../../shared/ops/routes-support'
import type { ServiceContext } from '../../context'
import { opsClose, opsListRequests, opsReply, opsShowRequest } from '../../support/requests'
import { addShop, listShops, removeShop } from '../../support/shops'
import { type HandlersOf, actorOf } from './handlers-of'

const shopOut = <T extends { distanceMiles: number }>(s: T) => {
  const { distanceMiles: _, ...rest } = s
  return rest
}

export function supportHandlers(ctx: ServiceContext): HandlersOf<keyof typeof SUPPORT_OPS_ROUTES> {
  return {
    opsSupportList: async ({ status }) => ({ requests: await opsListRequests(ctx, status) }),
    opsSupportShow: async ({ requestId }, act) => {
      act.target(requestId)
      return opsShowRequest(ctx, requestId)
    },
    opsSupportReply: async ({ requestId, text }, act) => {
      act.target(requestId)
      const { before, after } = await opsReply(ctx, requestId, actorOf(act).id, text)
      act.before({ status: before })
      act.after({ status: after.request.status, messages: after.request.messages })
      return after
    },
    opsSupportClose: async ({ requestId }, act) => {
      act.target(requestId)
      const { before, after } = await opsClose(ctx, requestId)
      act.before({ status: before })
      act.after({ status: after.request.status })
      return after
    },
    opsShopsAdd: async (input, act) => {
      const shop = shopOut(await addShop(ctx, input, actorOf(act).id))
      act.target(shop.id)
      act.after(shop)
      return { shop }
    },
    opsShopsList: async ({ partnerId }) => ({ shops: (await listShops(ctx, partnerId)).map(shopOut) }),
    opsShopsRemove: async ({ shopId }, act) => {
      act.target(shopId)
      const shop = shopOut(await removeShop(ctx, shopId))
      act.before(shop)
      act.after(null)
      return { shop }
    }
  }
}
