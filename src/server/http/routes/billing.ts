/** /v1/plans, /v1/payment-methods, /v1/checkout, /v1/vouchers and a line's subscription, auto-renew and plan change. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { currentPlans } from '../../billing/catalog'
import { checkout } from '../../billing/checkout'
import { quoteCart } from '../../billing/checkout-pricing'
import {
  addMethod,
  listMethods,
  methodView,
  removeMethod,
  replaceMethod,
  setDefaultMethod
} from '../../billing/payment-methods'
import { cancelPlanChange, previewPlanChange, schedulePlanChange } from '../../billing/plan-changes'
import { throttlePromo } from '../../billing/promotions'
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
import { authOf } from '../auth-hook'
import { forbidden } from '../errors'
import { mayCall } from '../../../shared/api/access'
import { routeServer } from '../serve-route'

const tags = ['billing']

/** The catalog is public: the app shows plans before anyone signs in. */
export function catalogRoutes(ctx: ServiceContext): FastifyPluginAsyncZod {
  return async (app) => {
    const serve = routeServer(app, ctx, { tags, errors: [] })
    serve('plans', async () => ({ plans: (await currentPlans(ctx)).map(planView) }))
  }
}

export function billingRoutes(ctx: ServiceContext): FastifyPluginAsyncZod {
  return async (app) => {
    const serve = routeServer(app, ctx, { tags, errors: [400, 401, 402, 403, 404, 409, 429] })
    serve('paymentMethods', async (_input, req) => ({
      paymentMethods: await listMethods(ctx, authOf(req).accountId)
    }))
    // A card saved for later is checked with the issuer now: a decline is said while the person is here.
    serve('addPaymentMethod', async ({ card, makeDefault, replaces }, req) => {
      const { accountId } = authOf(req)
      const row = replaces
        ? await replaceMethod(ctx, accountId, replaces, card)
        : await addMethod(ctx, accountId, card, { makeDefault, keep: true, verify: true })
      return (await listMethods(ctx, accountId)).find((m) => m.id === row.id) ?? methodView(row)
    })
    serve('setDefaultPaymentMethod', async ({ paymentMethodId }, req) => {
      const { accountId } = authOf(req)
      await setDefaultMethod(ctx, accountId, paymentMethodId)
      return { paymentMethods: await listMethods(ctx, accountId) }
    })
    serve('removePaymentMethod', async ({ paymentMethodId }, req) => {
      const { accountId } = authOf(req)
      await removeMethod(ctx, accountId, paymentMethodId)
      return { paymentMethods: await listMethods(ctx, accountId) }
    })
    serve('subscription', ({ lineId }, req) => subscriptionView(ctx, authOf(req).accountId, lineId))
    serve('setAutoRenew', async ({ lineId, enabled, paymentMethodId }, req) => {
      const { accountId } = authOf(req)
      await setAutoRenew(ctx, accountId, lineId, enabled, paymentMethodId)
      return subscriptionView(ctx, accountId, lineId)
    })
    serve('cancelSubscription', async ({ lineId }, req) => {
      const { accountId } = authOf(req)
      await cancelSubscription(ctx, accountId, lineId)
      return subscriptionView(ctx, accountId, lineId)
    })
    serve('resumeSubscription', async ({ lineId }, req) => {
      const { accountId } = authOf(req)
      await resumeSubscription(ctx, accountId, lineId)
      return subscriptionView(ctx, accountId, lineId)
    })
    serve('subscribeTariff', async ({ lineId, planId }, req) => {
      const { accountId } = authOf(req)
      await subscribeTariff(ctx, accountId, lineId, planId)
      return subscriptionView(ctx, accountId, lineId)
    })
    serve('previewPlanChange', ({ lineId, toPlanId, effectiveDate }, req) =>
      previewPlanChange(ctx, authOf(req).accountId, lineId, toPlanId, effectiveDate)
    )
    serve('schedulePlanChange', ({ lineId, toPlanId, effectiveDate }, req) =>
      schedulePlanChange(ctx, authOf(req).accountId, lineId, toPlanId, effectiveDate)
    )
    serve('cancelPlanChange', async ({ lineId }, req) => {
      await cancelPlanChange(ctx, authOf(req).accountId, lineId)
      return { ok: true as const }
    })
    serve('quote', async ({ items, promoCode }, req) => {
      const { accountId } = authOf(req)
      if (promoCode !== undefined) await throttlePromo(ctx, accountId, req.ip)
      return quoteCart(ctx, accountId, items, promoCode)
    })
    serve('checkout', async (input, req) => {
      const { accountId } = authOf(req)
      // Paying is also billing's; switching auto-renew on with it is the administrator's, as setAutoRenew is.
      if (input.autoRenew && req.auth && !mayCall(req.auth.role, 'setAutoRenew'))
        throw forbidden('role-refused', 'auto-renew is switched on by the account’s administrator')
      if (input.promoCode !== undefined) await throttlePromo(ctx, accountId, req.ip)
      return checkout(ctx, accountId, input)
    })
    serve('redeemVoucher', (input, req) => redeemVoucher(ctx, authOf(req).accountId, input, req.ip))
  }
}
