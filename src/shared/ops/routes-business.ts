/**
 * The ops routes of business accounts (issue 25 part 2): operators list the documents businesses asked for and
 * fulfil them (the signed statement is made, stored and emailed), and issue the monthly invoices (numbered,
 * immutable once issued) for every business account, or one, for a month that has ended.
 */
import { z } from 'zod'
import { DOCUMENT_KINDS, DOCUMENT_STATUSES, invoiceView } from '../api/business'
import { id, instant } from '../api/common'
import { opsRoute, reasonField } from './route'

export const opsDocumentRequest = z.object({
  id: z.string(),
  accountId: z.string(),
  company: z.string(),
  kind: z.enum(DOCUMENT_KINDS),
  from: z.string(),
  to: z.string(),
  note: z.string().nullable(),
  status: z.enum(DOCUMENT_STATUSES),
  createdAt: instant
})

const period = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM')

export const BUSINESS_OPS_ROUTES = {
  opsBusinessRequests: opsRoute({
    method: 'GET',
    path: '/ops/v1/business/documents',
    access: 'business.read',
    summary:
      'documents businesses asked for, oldest first: those waiting (requested), or those --status fulfilled or all',
    input: z.object({ status: z.enum([...DOCUMENT_STATUSES, 'all']).optional() }).strict(),
    output: z.object({ requests: z.array(opsDocumentRequest) })
  }),
  opsBusinessFulfil: opsRoute({
    method: 'POST',
    path: '/ops/v1/business/documents/:requestId/fulfil',
    access: 'business.fulfil',
    summary: 'fulfil a request: the signed statement is made, kept for the app and emailed to the account',
    input: z.object({ requestId: id, reason: reasonField }).strict(),
    output: z.object({ id: z.string(), accountId: z.string(), filename: z.string(), fulfilledAt: instant })
  }),
  opsBusinessIssueInvoices: opsRoute({
    method: 'POST',
    path: '/ops/v1/business/invoices',
    access: 'business.invoice',
    status: 201,
    summary:
      'issue the invoices of an ended month (YYYY-MM) for every business account without one, or one account',
    input: z.object({ period, accountId: id.optional(), reason: reasonField }).strict(),
    output: z.object({ invoices: z.array(invoiceView.extend({ accountId: z.string() })) })
  })
} as const
