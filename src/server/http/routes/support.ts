/**
 * /v1/support and /v1/shops (issue 25): the support contact anyone may read, the signed-in person's support
 * requests (ask, answer, close), and the public search for shops that sell Re-Up cards.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { ServiceContext } from '../../context'
import { closeAsPerson, createRequest, listRequests, replyAsPerson } from '../../support/requests'
import { searchShops } from '../../support/shops'
import { authOf } from '../auth-hook'
import { LIMITS } from '../rate-limit'
import { routeServer } from '../serve-route'

export function supportRoutes(ctx: ServiceContext): FastifyPluginAsyncZod {
  return async (app) => {
    const serve = routeServer(app, ctx, { tags: ['support'], errors: [400, 401, 404, 409, 413, 429] })
    serve('supportContact', () => ({ email: ctx.config.support.email, phone: ctx.config.support.phone }))
    serve('supportRequests', async (_input, req) => ({
      requests: await listRequests(ctx, authOf(req).accountId)
    }))
    serve('createSupportRequest', async (input, req) => ({
      request: await createRequest(ctx, authOf(req).accountId, input, req.ip)
    }))
    serve('replySupportRequest', async ({ requestId, text }, req) => ({
      request: await replyAsPerson(ctx, authOf(req).accountId, requestId, text)
    }))
    serve('closeSupportRequest', async ({ requestId }, req) => {
      const { accountId } = authOf(req)
      const request = await closeAsPerson(ctx, accountId, requestId)
      await ctx.audit.record('support.closed', { accountId, ip: req.ip, detail: { requestId } })
      return { request }
    })
    serve('shopSearch', async ({ q, limit }, req) => {
      await ctx.limiter.hit([LIMITS.shopSearchPerIp, req.ip])
      return searchShops(ctx, q, limit)
    })
  }
}
