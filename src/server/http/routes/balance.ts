/**
 * /v1/balance, /v1/usage and /v1/blocked: the money balance, promised payments, the statement of a period and its
 * files, consumption, call details, blocked numbers.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import {
  balanceSummary,
  buyMinutesFromBalance,
  listEntries,
  takePromisedPayment
} from '../../billing/balance'
import { blockNumber, listBlocked, unblockNumber } from '../../billing/blocked-numbers'
import { emailCallDetails, exportCallDetails } from '../../billing/call-details-export'
import { paymentFingerprint } from '../../billing/checkout'
import { topUp } from '../../billing/top-ups'
import { exportStatement, statementOf } from '../../billing/statement'
import { callDetails as readCallDetails, usageSeriesOf } from '../../billing/usage'
import { refusedCallsOf } from '../../calls/refused-calls'
import type { ServiceContext } from '../../context'
import { authOf } from '../auth-hook'
import { routeServer } from '../serve-route'

export function balanceRoutes(ctx: ServiceContext): FastifyPluginAsyncZod {
  return async (app) => {
    const serve = routeServer(app, ctx, { tags: ['balance'], errors: [400, 401, 402, 404, 409, 429] })
    serve('balance', (_input, req) => balanceSummary(ctx, authOf(req).accountId))
    serve('balanceEntries', async ({ limit, from, to, offset }, req) =>
      from !== undefined && to !== undefined
        ? statementOf(ctx, authOf(req).accountId, { from, to, limit, offset })
        : { entries: await listEntries(ctx, authOf(req).accountId, limit) }
    )
    serve('exportStatement', async (query, req) => {
      const f = await exportStatement(ctx, authOf(req).accountId, query)
      return { filename: f.filename, contentType: f.contentType, contentBase64: f.content.toString('base64') }
    })
    serve('topUp', (input, req) =>
      topUp(ctx, authOf(req).accountId, input, paymentFingerprint(input.payment))
    )
    serve('promisedPayment', ({ idempotencyKey }, req) =>
      takePromisedPayment(ctx, authOf(req).accountId, idempotencyKey)
    )
    serve('buyMinutes', ({ idempotencyKey, planId }, req) =>
      buyMinutesFromBalance(ctx, authOf(req).accountId, idempotencyKey, planId)
    )
    serve('usageSeries', ({ granularity, from, to }, req) =>
      usageSeriesOf(ctx, authOf(req).accountId, granularity, from, to)
    )
    serve('callDetails', async ({ from, to }, req) => ({
      from,
      to,
      calls: await readCallDetails(ctx, authOf(req).accountId, from, to)
    }))
    serve('exportCallDetails', async (query, req) => {
      const f = await exportCallDetails(ctx, authOf(req).accountId, query)
      return { filename: f.filename, contentType: f.contentType, contentBase64: f.content.toString('base64') }
    })
    serve('emailCallDetails', (input, req) => emailCallDetails(ctx, authOf(req).accountId, input))
    serve('blocked', (_input, req) => listBlocked(ctx, authOf(req).accountId))
    serve('block', ({ number, label }, req) => blockNumber(ctx, authOf(req).accountId, number, label))
    serve('unblock', ({ number }, req) => unblockNumber(ctx, authOf(req).accountId, number))
    // Calls refused before they rang (issue 22): blocked callers, the line offline.
    serve('refusedCalls', async (_input, req) => ({
      calls: await refusedCallsOf(ctx, authOf(req).accountId)
    }))
  }
}
