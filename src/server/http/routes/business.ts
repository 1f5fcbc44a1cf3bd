/**
 * /v1/business (issue 25 part 2): the signed-in person's role on the account, the people an administrator
 * invited, the monthly invoices and the documents asked for. Who may call each is src/shared/api/access.ts,
 * enforced before these handlers run (../route-access.ts); `accountId` is then the business's.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { documentFile, listDocumentRequests, requestDocument } from '../../business/documents'
import { emailInvoice, invoiceFile, listInvoices } from '../../business/invoices'
import {
  changeMember,
  inviteMember,
  listMembers,
  membership,
  removeMember,
  resendMemberInvitation
} from '../../business/members'
import type { ServiceContext } from '../../context'
import { authOf } from '../auth-hook'
import { LIMITS } from '../rate-limit'
import { routeServer } from '../serve-route'

export function businessRoutes(ctx: ServiceContext): FastifyPluginAsyncZod {
  return async (app) => {
    const serve = routeServer(app, ctx, { tags: ['business'], errors: [400, 401, 403, 404, 409, 429] })
    serve('membership', (_input, req) => membership(ctx, authOf(req)))
    serve('members', (_input, req) => listMembers(ctx, authOf(req).accountId))
    serve('inviteMember', (input, req) =>
      inviteMember(ctx, authOf(req).accountId, authOf(req).personId, input)
    )
    serve('changeMember', (input, req) =>
      changeMember(ctx, authOf(req).accountId, authOf(req).personId, input)
    )
    serve('resendInvitation', ({ memberId }, req) =>
      resendMemberInvitation(ctx, authOf(req).accountId, authOf(req).personId, memberId)
    )
    serve('removeMember', ({ memberId }, req) =>
      removeMember(ctx, authOf(req).accountId, authOf(req).personId, memberId)
    )
    serve('invoices', (_input, req) => listInvoices(ctx, authOf(req).accountId))
    serve('invoicePdf', ({ invoiceId, language }, req) =>
      invoiceFile(ctx, authOf(req).accountId, invoiceId, language)
    )
    serve('emailInvoice', async ({ invoiceId }, req) => {
      // Asked by a person, counted with the account's other emailed files (issuing one emails it too, uncounted).
      await ctx.limiter.hit([LIMITS.fileEmailPerAccount, authOf(req).accountId])
      await emailInvoice(ctx, authOf(req).accountId, invoiceId)
      return { ok: true as const }
    })
    serve('documentRequests', (_input, req) => listDocumentRequests(ctx, authOf(req).accountId))
    serve('requestDocument', (input, req) =>
      requestDocument(ctx, authOf(req).accountId, authOf(req).personId, input)
    )
    serve('documentFile', ({ requestId }, req) => documentFile(ctx, authOf(req).accountId, requestId))
  }
}
