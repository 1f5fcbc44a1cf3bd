/**
 * /v1/devices, /v1/trials, /v1/transfers: looking up a dongle, attestation challenges, whether an area code has
 * free numbers, trials, purchased activation, release and transfer.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { challengeResponse } from '../../../shared/api/attestation'
import { okSchema } from '../../../shared/api/common'
import {
  activatePurchasedRequest,
  areaCodeAvailability,
  areaCodeParam,
  activateTrialRequest,
  activationResult,
  approveTransferRequest,
  deviceChallengeRequest,
  deviceLookup,
  deviceLookupRequest,
  releaseDeviceRequest,
  requestTransferRequest,
  resendTrialCodeRequest,
  startTrialRequest,
  startTrialResponse,
  transferInfo
} from '../../../shared/api/devices'
import { transferApproved, transferList } from '../../../shared/api/routes'
import type { ServiceContext } from '../../context'
import {
  activatePurchased,
  activateTrial,
  lookupDevice,
  resendTrialCode,
  startTrial
} from '../../devices/activation'
import { issueChallenge } from '../../devices/attestation'
import { approveTransfer, listTransfers, releaseDevice, requestTransfer } from '../../devices/transfer'
import { areaCodeAvailability as availability } from '../../numbers/pool'
import { LIMITS } from '../rate-limit'
import { authOf, optionalAuth, requireAuth } from '../auth-hook'

import { errorResponses } from './responses'
const errors = errorResponses(400, 401, 403, 404, 409, 410, 429)

export function deviceRoutes(ctx: ServiceContext): FastifyPluginAsyncZod {
  return async (app) => {
    const auth = requireAuth(ctx)
    const maybe = optionalAuth(ctx)
    app.post(
      '/v1/devices/lookup',
      {
        onRequest: maybe,
        schema: { tags: ['devices'], body: deviceLookupRequest, response: { 200: deviceLookup, ...errors } }
      },
      async (req) => lookupDevice(ctx, req.body.serial, req.body.model, req.auth?.accountId ?? null)
    )
    app.get(
      '/v1/numbers/area-codes/:areaCode',
      {
        schema: {
          tags: ['devices'],
          params: areaCodeParam,
          response: { 200: areaCodeAvailability, ...errors }
        }
      },
      async (req) => {
        await ctx.limiter.hit([LIMITS.areaCodePerIp, req.ip])
        return availability(ctx, req.params.areaCode)
      }
    )
    app.post(
      '/v1/devices/challenge',
      {
        schema: {
          tags: ['devices'],
          body: deviceChallengeRequest,
          response: { 201: challengeResponse, ...errors }
        }
      },
      async (req, reply) =>
        reply.status(201).send(await issueChallenge(ctx, req.body.serial, req.body.model, req.ip))
    )
    app.post(
      '/v1/trials',
      {
        schema: {
          tags: ['devices'],
          body: startTrialRequest,
          response: { 202: startTrialResponse, ...errors }
        }
      },
      async (req, reply) => reply.status(202).send(await startTrial(ctx, req.body, req.ip))
    )
    app.post(
      '/v1/trials/resend',
      {
        schema: {
          tags: ['devices'],
          body: resendTrialCodeRequest,
          response: { 202: startTrialResponse, ...errors }
        }
      },
      async (req, reply) => reply.status(202).send(await resendTrialCode(ctx, req.body.trialId, req.ip))
    )
    app.post(
      '/v1/trials/activate',
      {
        schema: {
          tags: ['devices'],
          body: activateTrialRequest,
          response: { 201: activationResult, ...errors }
        }
      },
      async (req, reply) =>
        reply.status(201).send(await activateTrial(ctx, req.body.trialId, req.body.code, req.ip))
    )
    app.post(
      '/v1/devices/activate',
      {
        onRequest: maybe,
        schema: {
          tags: ['devices'],
          body: activatePurchasedRequest,
          response: { 201: activationResult, ...errors }
        }
      },
      async (req, reply) =>
        reply.status(201).send(await activatePurchased(ctx, req.body, req.auth?.accountId ?? null, req.ip))
    )
    app.post(
      '/v1/devices/:deviceId/release',
      {
        onRequest: auth,
        schema: {
          tags: ['devices'],
          params: z.object({ deviceId: z.string().max(64) }),
          body: releaseDeviceRequest,
          response: { 200: okSchema, ...errors }
        }
      },
      async (req) => {
        await releaseDevice(ctx, authOf(req).accountId, req.params.deviceId, req.body.password, req.ip)
        return { ok: true as const }
      }
    )
    app.get(
      '/v1/transfers',
      {
        onRequest: auth,
        schema: {
          tags: ['devices'],
          response: { 200: transferList, ...errors }
        }
      },
      async (req) => ({
        transfers: await listTransfers(ctx, authOf(req).accountId)
      })
    )
    app.post(
      '/v1/transfers',
      {
        onRequest: auth,
        schema: {
          tags: ['devices'],
          body: requestTransferRequest,
          response: { 202: transferInfo, ...errors }
        }
      },
      async (req, reply) =>
        reply.status(202).send(await requestTransfer(ctx, authOf(req).accountId, req.body, req.ip))
    )
    app.post(
      '/v1/transfers/approve',
      {
        schema: {
          tags: ['devices'],
          body: approveTransferRequest,
          response: { 200: transferApproved, ...errors }
        }
      },
      async (req) => approveTransfer(ctx, req.body.token, req.ip)
    )
  }
}
