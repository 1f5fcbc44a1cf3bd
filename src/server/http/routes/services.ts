/** /v1/lines/:lineId/services: the signed-in owner's connected services of one of their lines (issue 25). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { ServiceContext } from '../../context'
import { listLineServices, previewSwitch, switchHistory, switchService } from '../../services/line-services'
import { authOf } from '../auth-hook'
import { routeServer } from '../serve-route'

export function servicesRoutes(ctx: ServiceContext): FastifyPluginAsyncZod {
  return async (app) => {
    const serve = routeServer(app, ctx, { tags: ['lines'], errors: [400, 401, 402, 404, 409] })
    serve('lineServices', ({ lineId }, req) => listLineServices(ctx, authOf(req).accountId, lineId))
    serve('previewServiceSwitch', ({ lineId, code, enabled }, req) =>
      previewSwitch(ctx, authOf(req).accountId, lineId, code, enabled)
    )
    serve('switchService', ({ lineId, ...change }, req) =>
      switchService(ctx, authOf(req).accountId, lineId, change)
    )
    serve('serviceHistory', ({ lineId }, req) => switchHistory(ctx, authOf(req).accountId, lineId))
  }
}
