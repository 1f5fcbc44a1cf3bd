/** /v1/account: the profile, contact details, notification settings and emails of the signed-in account. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { apiErrorSchema, okSchema } from '../../../shared/api/common'
import {
  accountProfile,
  addEmailRequest,
  contactPatch,
  notificationPatch,
  verifyEmailRequest
} from '../../../shared/api/identity'
import type { ServiceContext } from '../../context'
import { getProfile, updateContact, updateNotifications } from '../../identity/accounts'
import { addEmail, removeEmail, resendEmailCode, setPreferredEmail, verifyEmail } from '../../identity/emails'
import { authOf, requireAuth } from '../auth-hook'
import { errorResponses } from './responses'

const errors = errorResponses(400, 401, 403, 404, 409, 429)
const emailParams = z.object({ emailId: z.string().max(64) })

export function accountRoutes(ctx: ServiceContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('onRequest', requireAuth(ctx))
    const profile = { 200: accountProfile, ...errors }
    app.get('/v1/account', { schema: { tags: ['account'], response: profile } }, async (req) =>
      getProfile(ctx, authOf(req).accountId)
    )
    app.patch(
      '/v1/account/contact',
      { schema: { tags: ['account'], body: contactPatch, response: profile } },
      async (req) => {
        const { accountId } = authOf(req)
        await updateContact(ctx, accountId, req.body)
        await ctx.audit.record('contact.changed', {
          accountId,
          ip: req.ip,
          detail: { fields: Object.keys(req.body) }
        })
        return getProfile(ctx, accountId)
      }
    )
    app.patch(
      '/v1/account/notifications',
      { schema: { tags: ['account'], body: notificationPatch, response: profile } },
      async (req) => {
        const { accountId } = authOf(req)
        await updateNotifications(ctx, accountId, req.body)
        return getProfile(ctx, accountId)
      }
    )
    app.post(
      '/v1/account/emails',
      { schema: { tags: ['account'], body: addEmailRequest, response: { 201: accountProfile, ...errors } } },
      async (req, reply) => {
        const { accountId } = authOf(req)
        await addEmail(ctx, accountId, req.body.address, req.ip)
        return reply.status(201).send(await getProfile(ctx, accountId))
      }
    )
    app.post(
      '/v1/account/emails/:emailId/resend',
      { schema: { tags: ['account'], params: emailParams, response: { 200: okSchema, ...errors } } },
      async (req) => {
        await resendEmailCode(ctx, authOf(req).accountId, req.params.emailId)
        return { ok: true as const }
      }
    )
    app.post(
      '/v1/account/emails/:emailId/verify',
      {
        schema: {
          tags: ['account'],
          params: emailParams,
          body: verifyEmailRequest,
          response: { ...profile, 410: apiErrorSchema }
        }
      },
      async (req) => {
        const { accountId } = authOf(req)
        await verifyEmail(ctx, accountId, req.params.emailId, req.body.code, req.ip)
        return getProfile(ctx, accountId)
      }
    )
    app.post(
      '/v1/account/emails/:emailId/preferred',
      { schema: { tags: ['account'], params: emailParams, response: profile } },
      async (req) => {
        const { accountId } = authOf(req)
        await setPreferredEmail(ctx, accountId, req.params.emailId, req.ip)
        return getProfile(ctx, accountId)
      }
    )
    app.delete(
      '/v1/account/emails/:emailId',
      { schema: { tags: ['account'], params: emailParams, response: profile } },
      async (req) => {
        const { accountId } = authOf(req)
        await removeEmail(ctx, accountId, req.params.emailId, req.ip)
        return getProfile(ctx, accountId)
      }
    )
  }
}
