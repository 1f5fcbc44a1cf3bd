/**
 * /v1/account: the profile, contact details, notification settings and emails of the signed-in account; its data
 * as one download, and closing it (../../identity/data-export.ts, ../../identity/closure.ts).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { ServiceContext } from '../../context'
import {
  getProfile,
  setMessageLanguage,
  setTimeZone,
  updateContact,
  updateNotifications
} from '../../identity/accounts'
import { addEmail, removeEmail, resendEmailCode, setPreferredEmail, verifyEmail } from '../../identity/emails'
import { closureState, keepAccount, requestClosure } from '../../identity/closure'
import { exportAccountData } from '../../identity/data-export'
import { authOf } from '../auth-hook'
import { routeServer } from '../serve-route'

export function accountRoutes(ctx: ServiceContext): FastifyPluginAsyncZod {
  return async (app) => {
    const serve = routeServer(app, ctx, { tags: ['account'], errors: [400, 401, 403, 404, 409, 429] })
    serve('profile', (_input, req) => getProfile(ctx, authOf(req).accountId))
    serve('updateContact', async (patch, req) => {
      const { accountId } = authOf(req)
      await updateContact(ctx, accountId, patch)
      await ctx.audit.record('contact.changed', {
        accountId,
        ip: req.ip,
        detail: { fields: Object.keys(patch) }
      })
      return getProfile(ctx, accountId)
    })
    serve('updateTimeZone', async ({ timeZone }, req) => {
      const { accountId } = authOf(req)
      await setTimeZone(ctx, accountId, timeZone)
      await ctx.audit.record('time-zone.changed', { accountId, ip: req.ip, detail: { timeZone } })
      return getProfile(ctx, accountId)
    })
    serve('updateMessageLanguage', async ({ language }, req) => {
      const { accountId } = authOf(req)
      await setMessageLanguage(ctx, accountId, language)
      await ctx.audit.record('language.changed', { accountId, ip: req.ip, detail: { language } })
      return getProfile(ctx, accountId)
    })
    serve('updateNotifications', async (patch, req) => {
      const { accountId } = authOf(req)
      await updateNotifications(ctx, accountId, patch)
      return getProfile(ctx, accountId)
    })
    serve('addEmail', async ({ address }, req) => {
      const { accountId } = authOf(req)
      await addEmail(ctx, accountId, address, req.ip)
      return getProfile(ctx, accountId)
    })
    serve('resendEmailCode', async ({ emailId }, req) => {
      await resendEmailCode(ctx, authOf(req).accountId, emailId)
      return { ok: true as const }
    })
    serve('verifyEmail', { errors: [410] }, async ({ emailId, code }, req) => {
      const { accountId } = authOf(req)
      await verifyEmail(ctx, accountId, emailId, code, req.ip)
      return getProfile(ctx, accountId)
    })
    serve('setPreferredEmail', async ({ emailId }, req) => {
      const { accountId } = authOf(req)
      await setPreferredEmail(ctx, accountId, emailId, req.ip)
      return getProfile(ctx, accountId)
    })
    serve('removeEmail', async ({ emailId }, req) => {
      const { accountId } = authOf(req)
      await removeEmail(ctx, accountId, emailId, req.ip)
      return getProfile(ctx, accountId)
    })
    serve('exportAccountData', async (_input, req) => {
      const { accountId } = authOf(req)
      const data = await exportAccountData(ctx, accountId)
      await ctx.audit.record('account.exported', { accountId, ip: req.ip })
      return data
    })
    serve('accountClosure', (_input, req) => closureState(ctx, authOf(req).accountId))
    serve('closeAccount', ({ password }, req) => requestClosure(ctx, authOf(req).accountId, password, req.ip))
    serve('keepAccount', (_input, req) => keepAccount(ctx, authOf(req).accountId, req.ip))
  }
}
