/** /v1/offers and /v1/device-orders: device upgrade offers, ordering one for a line, and the orders placed. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import {
  deviceOrder,
  deviceOrderList,
  orderUpgradeRequest,
  upgradeOfferList
} from '../../../shared/api/offers'
import { paymentFingerprint } from '../../billing/checkout'
import { listDeviceOrders, listOffers, orderUpgrade } from '../../billing/upgrade-offers'
import type { ServiceContext } from '../../context'
import { authOf, requireAuth } from '../auth-hook'
import { errorResponses } from './responses'

const errors = errorResponses(400, 401, 402, 404, 409, 429)
const tags = ['billing']

export function offerRoutes(ctx: ServiceContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('onRequest', requireAuth(ctx))
    app.get('/v1/offers', { schema: { tags, response: { 200: upgradeOfferList, ...errors } } }, async (req) =>
      listOffers(ctx, authOf(req).accountId)
    )
    app.post(
      '/v1/offers/order',
      { schema: { tags, body: orderUpgradeRequest, response: { 200: deviceOrder, ...errors } } },
      async (req) => orderUpgrade(ctx, authOf(req).accountId, req.body, paymentFingerprint(req.body.payment))
    )
    app.get(
      '/v1/device-orders',
      { schema: { tags, response: { 200: deviceOrderList, ...errors } } },
      async (req) => listDeviceOrders(ctx, authOf(req).accountId)
    )
  }
}
