/** /v1/lines/:lineId/forwarding: the signed-in owner's call forwarding rules for one of their lines. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { ServiceContext } from '../../context'
import { getForwarding, setForwarding } from '../../forwarding/forwarding'
import { authOf } from '../auth-hook'
import { routeServer } from '../serve-route'

export function forwardingRoutes(ctx: ServiceContext): FastifyPluginAsyncZod {
  return async (app) => {
    const serve = routeServer(app, ctx, { tags: ['lines'], errors: [400, 401, 404] })
    serve('forwarding', ({ lineId }, req) => getForwarding(ctx, authOf(req).accountId, lineId))
    serve('setForwarding', ({ lineId, ...change }, req) =>
      setForwarding(ctx, authOf(req).accountId, lineId, change)
    )
  }
}
