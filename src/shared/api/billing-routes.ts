/**
 * The billing half of the route table (src/shared/api/routes.ts): catalog, cards, subscriptions, checkout,
 * vouchers, plan changes, balance, usage, blocked numbers and device upgrade offers.
 */
import { z } from 'zod'
import { id, okSchema } from './common'
import {
  addPaymentMethodRequest,
  autoRenewRequest,
  balanceEntries,
  balanceEntriesQuery,
  balanceView,
  blockRequest,
  blockedList,
  buyMinutesRequest,
  callDetails,
  checkoutRequest,
  emailExportRequest,
  exportFile,
  exportQuery,
  paymentMethodList,
  paymentMethodSchema,
  periodQuery,
  planChangePreview,
  planChangeRequest,
  planList,
  promisedPaymentRequest,
  quote,
  quoteRequest,
  receipt,
  redeemResult,
  redeemVoucherRequest,
  seriesQuery,
  statementExportQuery,
  subscribeTariffRequest,
  subscriptionSchema,
  topUpRequest,
  usageSeries
} from './billing'
import { deviceOrder, deviceOrderList, orderUpgradeRequest, upgradeOfferList } from './offers'
import { cardOrderList } from './orders'
import { lineParam, route } from './route'

export const BILLING_API_ROUTES = {
  plans: route({ method: 'GET', path: '/v1/plans', input: null, output: planList, auth: 'none' }),
  paymentMethods: route({
    method: 'GET',
    path: '/v1/payment-methods',
    input: null,
    output: paymentMethodList,
    auth: 'required'
  }),
  addPaymentMethod: route({
    method: 'POST',
    path: '/v1/payment-methods',
    input: addPaymentMethodRequest,
    output: paymentMethodSchema,
    auth: 'required',
    status: 201
  }),
  removePaymentMethod: route({
    method: 'DELETE',
    path: '/v1/payment-methods/:paymentMethodId',
    input: z.object({ paymentMethodId: id }).strict(),
    output: paymentMethodList,
    auth: 'required'
  }),
  setDefaultPaymentMethod: route({
    method: 'PUT',
    path: '/v1/payment-methods/:paymentMethodId/default',
    input: z.object({ paymentMethodId: id }).strict(),
    output: paymentMethodList,
    auth: 'required'
  }),
  subscription: route({
    method: 'GET',
    path: '/v1/lines/:lineId/subscription',
    input: lineParam,
    output: subscriptionSchema,
    auth: 'required'
  }),
  setAutoRenew: route({
    method: 'PUT',
    path: '/v1/lines/:lineId/auto-renew',
    input: lineParam.extend(autoRenewRequest.shape),
    output: subscriptionSchema,
    auth: 'required'
  }),
  cancelSubscription: route({
    method: 'POST',
    path: '/v1/lines/:lineId/cancel',
    input: lineParam,
    output: subscriptionSchema,
    auth: 'required',
    changesLines: true
  }),
  resumeSubscription: route({
    method: 'POST',
    path: '/v1/lines/:lineId/resume',
    input: lineParam,
    output: subscriptionSchema,
    auth: 'required',
    changesLines: true
  }),
  subscribeTariff: route({
    method: 'POST',
    path: '/v1/lines/:lineId/tariff',
    input: lineParam.extend(subscribeTariffRequest.shape),
    output: subscriptionSchema,
    auth: 'required',
    changesLines: true
  }),
  previewPlanChange: route({
    method: 'POST',
    path: '/v1/lines/:lineId/plan-change/preview',
    input: lineParam.extend(planChangeRequest.shape),
    output: planChangePreview,
    auth: 'required'
  }),
  schedulePlanChange: route({
    method: 'POST',
    path: '/v1/lines/:lineId/plan-change',
    input: lineParam.extend(planChangeRequest.shape),
    output: planChangePreview,
    auth: 'required'
  }),
  cancelPlanChange: route({
    method: 'DELETE',
    path: '/v1/lines/:lineId/plan-change',
    input: lineParam,
    output: okSchema,
    auth: 'required'
  }),
  quote: route({
    method: 'POST',
    path: '/v1/checkout/quote',
    input: quoteRequest,
    output: quote,
    auth: 'required'
  }),
  checkout: route({
    method: 'POST',
    path: '/v1/checkout',
    input: checkoutRequest,
    output: receipt,
    auth: 'required',
    status: 201,
    changesLines: true
  }),
  redeemVoucher: route({
    method: 'POST',
    path: '/v1/vouchers/redeem',
    input: redeemVoucherRequest,
    output: redeemResult,
    auth: 'required',
    changesLines: true
  }),
  balance: route({ method: 'GET', path: '/v1/balance', input: null, output: balanceView, auth: 'required' }),
  balanceEntries: route({
    method: 'GET',
    path: '/v1/balance/entries',
    input: balanceEntriesQuery,
    output: balanceEntries,
    auth: 'required'
  }),
  exportStatement: route({
    method: 'GET',
    path: '/v1/balance/statement/export',
    input: statementExportQuery,
    output: exportFile,
    auth: 'required'
  }),
  orders: route({ method: 'GET', path: '/v1/orders', input: null, output: cardOrderList, auth: 'required' }),
  topUp: route({
    method: 'POST',
    path: '/v1/balance/top-up',
    input: topUpRequest,
    output: balanceView,
    auth: 'required'
  }),
  promisedPayment: route({
    method: 'POST',
    path: '/v1/balance/promised-payment',
    input: promisedPaymentRequest,
    output: balanceView,
    auth: 'required'
  }),
  buyMinutes: route({
    method: 'POST',
    path: '/v1/balance/minutes',
    input: buyMinutesRequest,
    output: balanceView,
    auth: 'required'
  }),
  usageSeries: route({
    method: 'GET',
    path: '/v1/usage/series',
    input: seriesQuery,
    output: usageSeries,
    auth: 'required'
  }),
  callDetails: route({
    method: 'GET',
    path: '/v1/usage/calls',
    input: periodQuery,
    output: callDetails,
    auth: 'required'
  }),
  exportCallDetails: route({
    method: 'GET',
    path: '/v1/usage/calls/export',
    input: exportQuery,
    output: exportFile,
    auth: 'required'
  }),
  emailCallDetails: route({
    method: 'POST',
    path: '/v1/usage/calls/email',
    input: emailExportRequest,
    output: z.object({ sentTo: z.string() }),
    auth: 'required',
    status: 202
  }),
  blocked: route({ method: 'GET', path: '/v1/blocked', input: null, output: blockedList, auth: 'required' }),
  block: route({
    method: 'PUT',
    path: '/v1/blocked',
    input: blockRequest,
    output: blockedList,
    auth: 'required',
    changesLines: true
  }),
  unblock: route({
    method: 'POST',
    path: '/v1/blocked/remove',
    input: blockRequest.pick({ number: true }).strict(),
    output: blockedList,
    auth: 'required',
    changesLines: true
  }),
  upgradeOffers: route({
    method: 'GET',
    path: '/v1/offers',
    input: null,
    output: upgradeOfferList,
    auth: 'required'
  }),
  orderUpgrade: route({
    method: 'POST',
    path: '/v1/offers/order',
    input: orderUpgradeRequest,
    output: deviceOrder,
    auth: 'required'
  }),
  deviceOrders: route({
    method: 'GET',
    path: '/v1/device-orders',
    input: null,
    output: deviceOrderList,
    auth: 'required'
  })
} as const
