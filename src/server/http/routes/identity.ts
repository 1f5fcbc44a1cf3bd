/** /v1/auth and /v1/signup: sign-in, sessions, password reset and change, sign-up by phone. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { apiErrorSchema, okSchema } from '../../../shared/api/common'
import {
  acceptedResponse,
  changePasswordRequest,
  forgotPasswordRequest,
  phoneSignupStart,
  phoneSignupVerify,
  resetPasswordRequest,
  sessionList,
  sessionResponse,
  signInRequest,
  signInResponse
} from '../../../shared/api/identity'
import type { ServiceContext } from '../../context'
import {
  FORGOT_MESSAGE,
  changePassword,
  finishPhoneSignup,
  forgotPassword,
  resetPassword,
  signIn,
  startPhoneSignup
} from '../../identity/auth'
import { listSessions, revokeSession } from '../../identity/sessions'
import { authOf, requireAuth } from '../auth-hook'
import { errorResponses } from './responses'
import { notFound } from '../errors'

const errors = errorResponses(400, 401, 429)

export function identityRoutes(ctx: ServiceContext): FastifyPluginAsyncZod {
  return async (app) => {
    const auth = requireAuth(ctx)
    app.post(
      '/v1/auth/sign-in',
      { schema: { tags: ['identity'], body: signInRequest, response: { 200: signInResponse, ...errors } } },
      async (req) => signIn(ctx, req.body, req.ip)
    )
    app.post(
      '/v1/auth/sign-out',
      { onRequest: auth, schema: { tags: ['identity'], response: { 200: okSchema, ...errors } } },
      async (req) => {
        const a = authOf(req)
        await revokeSession(ctx, a.accountId, a.sessionId)
        await ctx.audit.record('signout', { accountId: a.accountId, ip: req.ip })
        return { ok: true as const }
      }
    )
    app.get(
      '/v1/auth/sessions',
      { onRequest: auth, schema: { tags: ['identity'], response: { 200: sessionList, ...errors } } },
      async (req) => {
        const a = authOf(req)
        return { sessions: await listSessions(ctx, a.accountId, a.sessionId) }
      }
    )
    app.delete(
      '/v1/auth/sessions/:sessionId',
      {
        onRequest: auth,
        schema: {
          tags: ['identity'],
          params: z.object({ sessionId: z.string().max(64) }),
          response: { 200: okSchema, 404: apiErrorSchema, ...errors }
        }
      },
      async (req) => {
        const a = authOf(req)
        if (!(await revokeSession(ctx, a.accountId, req.params.sessionId)))
          throw notFound('session-not-found', 'the session')
        await ctx.audit.record('session.revoked', {
          accountId: a.accountId,
          ip: req.ip,
          detail: { session: req.params.sessionId }
        })
        return { ok: true as const }
      }
    )
    app.post(
      '/v1/auth/password/forgot',
      {
        schema: {
          tags: ['identity'],
          body: forgotPasswordRequest,
          response: { 202: acceptedResponse, ...errors }
        }
      },
      async (req, reply) => {
        await forgotPassword(ctx, req.body.identifier, req.ip)
        return reply.status(202).send({ status: 'accepted' as const, message: FORGOT_MESSAGE })
      }
    )
    app.post(
      '/v1/auth/password/reset',
      {
        schema: {
          tags: ['identity'],
          body: resetPasswordRequest,
          response: { 200: okSchema, 410: apiErrorSchema, ...errors }
        }
      },
      async (req) => {
        await resetPassword(ctx, req.body.token, req.body.password, req.ip)
        return { ok: true as const }
      }
    )
    app.post(
      '/v1/auth/password/change',
      {
        onRequest: auth,
        schema: { tags: ['identity'], body: changePasswordRequest, response: { 200: okSchema, ...errors } }
      },
      async (req) => {
        await changePassword(ctx, authOf(req), req.body, req.ip)
        return { ok: true as const }
      }
    )
    app.post(
      '/v1/signup/phone',
      {
        schema: { tags: ['identity'], body: phoneSignupStart, response: { 202: acceptedResponse, ...errors } }
      },
      async (req, reply) => {
        await startPhoneSignup(ctx, req.body.phone, req.ip)
        return reply.status(202).send({
          status: 'accepted' as const,
          message: 'We sent a 6-digit code to this number by SMS. It expires in 10 minutes.'
        })
      }
    )
    app.post(
      '/v1/signup/phone/verify',
      {
        schema: {
          tags: ['identity'],
          body: phoneSignupVerify,
          response: { 201: sessionResponse, 409: apiErrorSchema, 410: apiErrorSchema, ...errors }
        }
      },
      async (req, reply) => reply.status(201).send(await finishPhoneSignup(ctx, req.body, req.ip))
    )
  }
}
