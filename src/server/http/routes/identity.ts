/** /v1/auth and /v1/signup: sign-in, sessions, password reset and change, sign-up by phone. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
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
import { authOf } from '../auth-hook'
import { notFound } from '../errors'
import { routeServer } from '../serve-route'

export function identityRoutes(ctx: ServiceContext): FastifyPluginAsyncZod {
  return async (app) => {
    const serve = routeServer(app, ctx, { tags: ['identity'], errors: [400, 401, 429] })
    serve('signIn', (input, req) => signIn(ctx, input, req.ip))
    serve('signOut', async (_input, req) => {
      const a = authOf(req)
      await revokeSession(ctx, a.accountId, a.sessionId)
      await ctx.audit.record('signout', { accountId: a.accountId, ip: req.ip })
      return { ok: true as const }
    })
    serve('sessions', async (_input, req) => {
      const a = authOf(req)
      return { sessions: await listSessions(ctx, a.accountId, a.sessionId) }
    })
    serve('revokeSession', { errors: [404] }, async ({ sessionId }, req) => {
      const a = authOf(req)
      if (!(await revokeSession(ctx, a.accountId, sessionId)))
        throw notFound('session-not-found', 'the session')
      await ctx.audit.record('session.revoked', {
        accountId: a.accountId,
        ip: req.ip,
        detail: { session: sessionId }
      })
      return { ok: true as const }
    })
    serve('forgotPassword', async ({ identifier }, req) => {
      await forgotPassword(ctx, identifier, req.ip)
      return { status: 'accepted' as const, message: FORGOT_MESSAGE }
    })
    serve('resetPassword', { errors: [410] }, async ({ token, password }, req) => {
      await resetPassword(ctx, token, password, req.ip)
      return { ok: true as const }
    })
    serve('changePassword', async (input, req) => {
      await changePassword(ctx, authOf(req), input, req.ip)
      return { ok: true as const }
    })
    serve('startPhoneSignup', async ({ phone, language }, req) => {
      await startPhoneSignup(ctx, phone, req.ip, language)
      return {
        status: 'accepted' as const,
        message: 'We sent a 6-digit code to this number by SMS. It expires in 10 minutes.'
      }
    })
    serve('finishPhoneSignup', { errors: [409, 410] }, (input, req) => finishPhoneSignup(ctx, input, req.ip))
  }
}
