/**
 * /v1/offers, /v1/device-orders and /v1/orders: device upgrade offers, ordering one for a line, the orders placed,
 * and every past card order with its receipt details.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { paymentFingerprint } from '../../billing/checkout'
import { listOrders } from '../../billing/orders'
import { listDeviceOrders, listOffers, orderUpgrade } from '../../billing/upgrade-offers'
import type { ServiceContext } from '../../context'
import { authOf } from '../auth-hook'
import { routeServer } from '../serve-route'

export function offerRoutes(ctx: ServiceContext): FastifyPluginAsyncZod {
  return async (app) => {
    const serve = routeServer(app, ctx, { tags: ['billing'], errors: [400, 401, 402, 404, 409, 429] })
    serve('upgradeOffers', (_input, req) => listOffers(ctx, authOf(req).accountId))
    serve('orderUpgrade', (input, req) =>
      orderUpgrade(ctx, authOf(req).accountId, input, paymentFingerprint(input.payment))
    )
    serve('deviceOrders', (_input, req) => listDeviceOrders(ctx, authOf(req).accountId))
    serve('orders', (_input, req) => listOrders(ctx, authOf(req).accountId))
  }
}
