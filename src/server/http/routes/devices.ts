/**
 * /v1/devices, /v1/trials, /v1/transfers: looking up a dongle, attestation challenges, whether an area code has
 * free numbers, trials, purchased activation, release and transfer.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { ServiceContext } from '../../context'
import { lookupDevice } from '../../devices/lookup'
import { activatePurchased } from '../../devices/purchase'
import { activateTrial, resendTrialCode, startTrial } from '../../devices/trial'
import { issueChallenge } from '../../devices/attestation'
import { approveTransfer, releaseDevice, requestTransfer, sendTransferCode } from '../../devices/transfer'
import { listTransfers } from '../../devices/transfer-view'
import { areaCodeAvailability as availability } from '../../numbers/pool'
import { LIMITS } from '../rate-limit'
import { authOf } from '../auth-hook'
import { routeServer } from '../serve-route'

export function deviceRoutes(ctx: ServiceContext): FastifyPluginAsyncZod {
  return async (app) => {
    const serve = routeServer(app, ctx, { tags: ['devices'], errors: [400, 401, 403, 404, 409, 410, 429] })
    serve('lookupDevice', async ({ serial, model }, req) => {
      await ctx.limiter.hit([LIMITS.lookupPerIp, req.ip])
      return lookupDevice(ctx, serial, model, req.auth?.accountId ?? null)
    })
    serve('areaCodeAvailability', async ({ areaCode }, req) => {
      await ctx.limiter.hit([LIMITS.areaCodePerIp, req.ip])
      return availability(ctx, areaCode)
    })
    serve('deviceChallenge', ({ serial, model }, req) => issueChallenge(ctx, serial, model, req.ip))
    serve('startTrial', (input, req) => startTrial(ctx, input, req.ip))
    serve('resendTrialCode', ({ trialId }, req) => resendTrialCode(ctx, trialId, req.ip))
    serve('activateTrial', ({ trialId, code, client }, req) =>
      activateTrial(ctx, trialId, code, req.ip, client ?? null)
    )
    serve('activatePurchased', (input, req) =>
      activatePurchased(ctx, input, req.auth?.accountId ?? null, req.ip)
    )
    serve('releaseDevice', async ({ deviceId, password }, req) => {
      await releaseDevice(ctx, authOf(req), deviceId, password, req.ip)
      return { ok: true as const }
    })
    serve('transfers', async (_input, req) => ({
      transfers: await listTransfers(ctx, authOf(req).accountId)
    }))
    serve('requestTransfer', (input, req) => requestTransfer(ctx, authOf(req).accountId, input, req.ip))
    serve('sendTransferCode', ({ transferId }, req) =>
      sendTransferCode(ctx, authOf(req).accountId, transferId, req.ip)
    )
    serve('approveTransfer', ({ transferId, token }, req) =>
      approveTransfer(ctx, authOf(req).accountId, transferId, token, req.ip)
    )
  }
}
