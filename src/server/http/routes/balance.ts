/** /v1/balance, /v1/usage and /v1/blocked: the money balance, promised payments, consumption, call details, blocked numbers. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import {
  balanceEntries,
  balanceEntriesQuery,
  balanceView,
  blockRequest,
  blockedList,
  buyMinutesRequest,
  callDetails,
  emailExportRequest,
  exportFile,
  exportQuery,
  periodQuery,
  promisedPaymentRequest,
  seriesQuery,
  topUpRequest,
  usageSeries
} from '../../../shared/api/billing'
import {
  balanceSummary,
  buyMinutesFromBalance,
  listEntries,
  takePromisedPayment,
  topUp
} from '../../billing/balance'
import { blockNumber, listBlocked, unblockNumber } from '../../billing/blocked-numbers'
import { emailCallDetails, exportCallDetails } from '../../billing/call-details-export'
import { paymentFingerprint } from '../../billing/checkout'
import { callDetails as readCallDetails, usageSeriesOf } from '../../billing/usage'
import type { ServiceContext } from '../../context'
import { authOf, requireAuth } from '../auth-hook'
import { errorResponses } from './responses'

const errors = errorResponses(400, 401, 402, 404, 409, 429)
const tags = ['balance']

export function balanceRoutes(ctx: ServiceContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('onRequest', requireAuth(ctx))
    app.get('/v1/balance', { schema: { tags, response: { 200: balanceView, ...errors } } }, async (req) =>
      balanceSummary(ctx, authOf(req).accountId)
    )
    app.get(
      '/v1/balance/entries',
      { schema: { tags, querystring: balanceEntriesQuery, response: { 200: balanceEntries, ...errors } } },
      async (req) => ({ entries: await listEntries(ctx, authOf(req).accountId, req.query.limit) })
    )
    app.post(
      '/v1/balance/top-up',
      { schema: { tags, body: topUpRequest, response: { 200: balanceView, ...errors } } },
      async (req) => topUp(ctx, authOf(req).accountId, req.body, paymentFingerprint(req.body.payment))
    )
    app.post(
      '/v1/balance/promised-payment',
      { schema: { tags, body: promisedPaymentRequest, response: { 200: balanceView, ...errors } } },
      async (req) => takePromisedPayment(ctx, authOf(req).accountId, req.body.idempotencyKey)
    )
    app.post(
      '/v1/balance/minutes',
      { schema: { tags, body: buyMinutesRequest, response: { 200: balanceView, ...errors } } },
      async (req) =>
        buyMinutesFromBalance(ctx, authOf(req).accountId, req.body.idempotencyKey, req.body.planId)
    )
    app.get(
      '/v1/usage/series',
      { schema: { tags, querystring: seriesQuery, response: { 200: usageSeries, ...errors } } },
      async (req) =>
        usageSeriesOf(ctx, authOf(req).accountId, req.query.granularity, req.query.from, req.query.to)
    )
    app.get(
      '/v1/usage/calls',
      { schema: { tags, querystring: periodQuery, response: { 200: callDetails, ...errors } } },
      async (req) => ({
        from: req.query.from,
        to: req.query.to,
        calls: await readCallDetails(ctx, authOf(req).accountId, req.query.from, req.query.to)
      })
    )
    app.get(
      '/v1/usage/calls/export',
      { schema: { tags, querystring: exportQuery, response: { 200: exportFile, ...errors } } },
      async (req) => {
        const f = await exportCallDetails(ctx, authOf(req).accountId, req.query)
        return {
          filename: f.filename,
          contentType: f.contentType,
          contentBase64: f.content.toString('base64')
        }
      }
    )
    app.post(
      '/v1/usage/calls/email',
      {
        schema: {
          tags,
          body: emailExportRequest,
          response: { 202: z.object({ sentTo: z.string() }), ...errors }
        }
      },
      async (req, reply) =>
        reply.status(202).send(await emailCallDetails(ctx, authOf(req).accountId, req.body))
    )
    app.get('/v1/blocked', { schema: { tags, response: { 200: blockedList, ...errors } } }, async (req) =>
      listBlocked(ctx, authOf(req).accountId)
    )
    app.put(
      '/v1/blocked',
      { schema: { tags, body: blockRequest, response: { 200: blockedList, ...errors } } },
      async (req) => blockNumber(ctx, authOf(req).accountId, req.body.number, req.body.label)
    )
    app.post(
      '/v1/blocked/remove',
      {
        schema: {
          tags,
          body: blockRequest.pick({ number: true }).strict(),
          response: { 200: blockedList, ...errors }
        }
      },
      async (req) => unblockNumber(ctx, authOf(req).accountId, req.body.number)
    )
  }
}
