/** /v1/plans, /v1/payment-methods, /v1/checkout, /v1/vouchers and a line's subscription, auto-renew and plan change. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import {
  addPaymentMethodRequest,
  autoRenewRequest,
  checkoutRequest,
  paymentMethodList,
  paymentMethodSchema,
  planChangePreview,
  planChangeRequest,
  planList,
  quote,
  quoteRequest,
  receipt,
  redeemResult,
  redeemVoucherRequest,
  subscribeTariffRequest,
  subscriptionSchema
} from '../../../shared/api/billing'
import { okSchema } from '../../../shared/api/common'
import { currentPlans } from '../../billing/catalog'
import { checkout, quoteCart } from '../../billing/checkout'
import { addMethod, listMethods, methodView, removeMethod } from '../../billing/payment-methods'
import { cancelPlanChange, previewPlanChange, schedulePlanChange } from '../../billing/plan-changes'
import { subscribeTariff } from '../../billing/tariffs'
import {
  cancelSubscription,
  planView,
  resumeSubscription,
  setAutoRenew,
  subscriptionView
} from '../../billing/subscriptions'
import { redeemVoucher } from '../../billing/vouchers'
import type { ServiceContext } from '../../context'
import { authOf, requireAuth } from '../auth-hook'
import { errorResponses } from './responses'

const errors = errorResponses(400, 401, 402, 403, 404, 409, 429)
const lineParams = z.object({ lineId: z.string().max(64) })
const tags = ['billing']

/** The catalog is public: the app shows plans before anyone signs in. */
export function catalogRoutes(ctx: ServiceContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/v1/plans', { schema: { tags, response: { 200: planList } } }, async () => ({
      plans: (await currentPlans(ctx)).map(planView)
    }))
  }
}

export function billingRoutes(ctx: ServiceContext): FastifyPluginAsyncZod {
  return async (authed) => {
    authed.addHook('onRequest', requireAuth(ctx))
    authed.get(
      '/v1/payment-methods',
      { schema: { tags, response: { 200: paymentMethodList, ...errors } } },
      async (req) => ({
        paymentMethods: await listMethods(ctx, authOf(req).accountId)
      })
    )
    authed.post(
      '/v1/payment-methods',
      {
        schema: { tags, body: addPaymentMethodRequest, response: { 201: paymentMethodSchema, ...errors } }
      },
      async (req, reply) => {
        const m = await addMethod(ctx, authOf(req).accountId, req.body.card, {
          makeDefault: req.body.makeDefault,
          keep: true
        })
        return reply.status(201).send(methodView(m))
      }
    )
    authed.delete(
      '/v1/payment-methods/:paymentMethodId',
      {
        schema: {
          tags,
          params: z.object({ paymentMethodId: z.string().max(64) }),
          response: { 200: paymentMethodList, ...errors }
        }
      },
      async (req) => {
        const { accountId } = authOf(req)
        await removeMethod(ctx, accountId, req.params.paymentMethodId)
        return { paymentMethods: await listMethods(ctx, accountId) }
      }
    )
    authed.get(
      '/v1/lines/:lineId/subscription',
      { schema: { tags, params: lineParams, response: { 200: subscriptionSchema, ...errors } } },
      async (req) => subscriptionView(ctx, authOf(req).accountId, req.params.lineId)
    )
    authed.put(
      '/v1/lines/:lineId/auto-renew',
      {
        schema: {
          tags,
          params: lineParams,
          body: autoRenewRequest,
          response: { 200: subscriptionSchema, ...errors }
        }
      },
      async (req) => {
        const { accountId } = authOf(req)
        await setAutoRenew(ctx, accountId, req.params.lineId, req.body.enabled, req.body.paymentMethodId)
        return subscriptionView(ctx, accountId, req.params.lineId)
      }
    )
    authed.post(
      '/v1/lines/:lineId/cancel',
      { schema: { tags, params: lineParams, response: { 200: subscriptionSchema, ...errors } } },
      async (req) => {
        const { accountId } = authOf(req)
        await cancelSubscription(ctx, accountId, req.params.lineId)
        return subscriptionView(ctx, accountId, req.params.lineId)
      }
    )
    authed.post(
      '/v1/lines/:lineId/resume',
      { schema: { tags, params: lineParams, response: { 200: subscriptionSchema, ...errors } } },
      async (req) => {
        const { accountId } = authOf(req)
        await resumeSubscription(ctx, accountId, req.params.lineId)
        return subscriptionView(ctx, accountId, req.params.lineId)
      }
    )
    authed.post(
      '/v1/lines/:lineId/tariff',
      {
        schema: {
          tags,
          params: lineParams,
          body: subscribeTariffRequest,
          response: { 200: subscriptionSchema, ...errors }
        }
      },
      async (req) => {
        const { accountId } = authOf(req)
        await subscribeTariff(ctx, accountId, req.params.lineId, req.body.planId)
        return subscriptionView(ctx, accountId, req.params.lineId)
      }
    )
    authed.post(
      '/v1/lines/:lineId/plan-change/preview',
      {
        schema: {
          tags,
          params: lineParams,
          body: planChangeRequest,
          response: { 200: planChangePreview, ...errors }
        }
      },
      async (req) =>
        previewPlanChange(
          ctx,
          authOf(req).accountId,
          req.params.lineId,
          req.body.toPlanId,
          req.body.effectiveDate
        )
    )
    authed.post(
      '/v1/lines/:lineId/plan-change',
      {
        schema: {
          tags,
          params: lineParams,
          body: planChangeRequest,
          response: { 200: planChangePreview, ...errors }
        }
      },
      async (req) =>
        schedulePlanChange(
          ctx,
          authOf(req).accountId,
          req.params.lineId,
          req.body.toPlanId,
          req.body.effectiveDate
        )
    )
    authed.delete(
      '/v1/lines/:lineId/plan-change',
      { schema: { tags, params: lineParams, response: { 200: okSchema, ...errors } } },
      async (req) => {
        await cancelPlanChange(ctx, authOf(req).accountId, req.params.lineId)
        return { ok: true as const }
      }
    )
    authed.post(
      '/v1/checkout/quote',
      { schema: { tags, body: quoteRequest, response: { 200: quote, ...errors } } },
      async (req) => quoteCart(ctx, authOf(req).accountId, req.body.items)
    )
    authed.post(
      '/v1/checkout',
      { schema: { tags, body: checkoutRequest, response: { 201: receipt, ...errors } } },
      async (req, reply) => reply.status(201).send(await checkout(ctx, authOf(req).accountId, req.body))
    )
    authed.post(
      '/v1/vouchers/redeem',
      { schema: { tags, body: redeemVoucherRequest, response: { 200: redeemResult, ...errors } } },
      async (req) => redeemVoucher(ctx, authOf(req).accountId, req.body, req.ip)
    )
  }
}
