/**
 * The ops API's business handlers (issue 25 part 2): the documents businesses asked for (list, fulfil) and the
 * monthly invoices (issue). Each change names its target and the state before and after, which serve-ops.ts
 * writes to the audit log with the operator's reason.
 */
import type { BUSINESS_OPS_ROUTES } from '../../../shared/ops/routes-business'
import { fulfilDocument, openDocumentRequests } from '../../business/documents'
import { issueInvoice, issueMonth } from '../../business/invoices'
import type { ServiceContext } from '../../context'
import { type HandlersOf, actorOf } from './handlers-of'

export function businessHandlers(ctx: ServiceContext): HandlersOf<keyof typeof BUSINESS_OPS_ROUTES> {
  return {
    opsBusinessRequests: async ({ status }) => ({
      requests: await openDocumentRequests(ctx, status ?? 'requested')
    }),
    opsBusinessFulfil: async ({ requestId }, act) => {
      act.target(requestId)
      const actor = actorOf(act)
      act.before({ status: 'requested' })
      const done = await fulfilDocument(ctx, requestId, { id: actor.id, name: actor.name })
      await ctx.audit.record('business.document-fulfilled', {
        accountId: done.accountId,
        detail: { id: requestId, operator: actor.id }
      })
      act.after({ status: 'fulfilled', filename: done.filename })
      return done
    },
    opsBusinessIssueInvoices: async ({ period, accountId }, act) => {
      const by = `operator:${actorOf(act).id}`
      act.target(accountId ?? period)
      const invoices = accountId
        ? [{ ...(await issueInvoice(ctx, accountId, period, by)), accountId }]
        : await issueMonth(ctx, period, by)
      act.after({ issued: invoices.map((i) => i.number) })
      return { invoices }
    }
  }
}
