/**
 * Business accounts (issue 25 part 2): the people an account's administrator invited, each with a role
 * (administrator, billing, line user — a line user has one line), the monthly invoices (numbered, immutable once
 * issued, a PDF with the legal entity's details) and the documents the business asked for (a signed statement of
 * a period) that an operator fulfils. Who may call which route is in ./access.ts.
 */
import { z } from 'zod'
import { localDateSchema, exportFile, fileLanguage } from './billing'
import { emailAddress, id, instant, text } from './common'
import { accountType } from './identity'
import { custom } from './issues'
import { route } from './route'

export const MEMBER_ROLES = ['administrator', 'billing', 'line'] as const
export type MemberRole = (typeof MEMBER_ROLES)[number]
/** What a signed-in person is on the account they act for: its owner (the account's own sign-in) or a member. */
export type AccountRole = 'owner' | MemberRole

export const DOCUMENT_KINDS = ['signed-statement'] as const
export type DocumentKind = (typeof DOCUMENT_KINDS)[number]
export const DOCUMENT_STATUSES = ['requested', 'fulfilled'] as const
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number]

/** A document covers at most a year. */
export const DOCUMENT_MAX_DAYS = 366

/** The signed-in person on the account they act for. */
export const membershipView = z.object({
  role: z.enum(['owner', ...MEMBER_ROLES]),
  /** The business's name (the account's company), when it has one. */
  company: z.string().nullable(),
  /**
   * The type of the account acted for (a member's own sign-in is an individual's): a company (legal_entity) asks
   * for changes in writing, whoever of its people asks.
   */
  accountType,
  /** A line user's line. */
  lineId: z.string().nullable()
})
export type Membership = z.infer<typeof membershipView>

export const memberView = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  role: z.enum(MEMBER_ROLES),
  lineId: z.string().nullable(),
  /** False until the person chose their password with the invitation's code. */
  joined: z.boolean(),
  createdAt: instant
})
export type MemberView = z.infer<typeof memberView>
export const memberList = z.object({ members: z.array(memberView) })

const roleFields = {
  role: z.enum(MEMBER_ROLES),
  /** Required for a line user, refused for the other roles. */
  lineId: id.optional()
}
const lineForLineUser = (m: { role: MemberRole; lineId?: string | undefined }) =>
  (m.role === 'line') === (m.lineId !== undefined)

export const inviteMemberRequest = z
  .object({ email: emailAddress, name: text(1, 100), ...roleFields })
  .strict()
  .refine(lineForLineUser, {
    ...custom('required', 'a line user has exactly one line, and only a line user has one'),
    path: ['lineId']
  })
export const changeMemberRequest = z
  .object({ memberId: id, ...roleFields })
  .strict()
  .refine(lineForLineUser, {
    ...custom('required', 'a line user has exactly one line, and only a line user has one'),
    path: ['lineId']
  })

export const invoiceView = z.object({
  id: z.string(),
  number: z.string(),
  /** 'YYYY-MM'. */
  period: z.string(),
  total: z.object({ amountMinor: z.number().int(), currency: z.string() }),
  issuedAt: instant
})
export type InvoiceView = z.infer<typeof invoiceView>
export const invoiceList = z.object({ invoices: z.array(invoiceView) })

export const documentRequestView = z.object({
  id: z.string(),
  kind: z.enum(DOCUMENT_KINDS),
  from: z.string(),
  to: z.string(),
  note: z.string().nullable(),
  status: z.enum(DOCUMENT_STATUSES),
  createdAt: instant,
  fulfilledAt: instant.nullable()
})
export type DocumentRequestView = z.infer<typeof documentRequestView>
export const documentRequestList = z.object({ requests: z.array(documentRequestView) })

export const requestDocumentRequest = z
  .object({
    kind: z.enum(DOCUMENT_KINDS),
    from: localDateSchema,
    to: localDateSchema,
    note: text(0, 500).optional()
  })
  .strict()
  .refine((q) => q.from <= q.to, { ...custom('range-reversed', 'from must not be after to'), path: ['to'] })

const memberParam = z.object({ memberId: id }).strict()
/** An invoice in the reader's app language (the account's when absent, ../../server/business/invoices.ts). */
const invoiceInLanguage = z.object({ invoiceId: id, language: fileLanguage }).strict()
/** Emailed in the account's language (the one its people last downloaded an invoice in). */
const invoiceParam = z.object({ invoiceId: id }).strict()
const documentParam = z.object({ requestId: id }).strict()
const ok = z.object({ ok: z.literal(true) })

export const BUSINESS_API_ROUTES = {
  membership: route({
    method: 'GET',
    path: '/v1/business/me',
    input: null,
    output: membershipView,
    auth: 'required'
  }),
  members: route({
    method: 'GET',
    path: '/v1/business/members',
    input: null,
    output: memberList,
    auth: 'required'
  }),
  inviteMember: route({
    method: 'POST',
    path: '/v1/business/members',
    input: inviteMemberRequest,
    output: memberList,
    auth: 'required',
    status: 201
  }),
  changeMember: route({
    method: 'PUT',
    path: '/v1/business/members/:memberId',
    input: changeMemberRequest,
    output: memberList,
    auth: 'required'
  }),
  resendInvitation: route({
    method: 'POST',
    path: '/v1/business/members/:memberId/invitation',
    input: memberParam,
    output: memberList,
    auth: 'required'
  }),
  removeMember: route({
    method: 'DELETE',
    path: '/v1/business/members/:memberId',
    input: memberParam,
    output: memberList,
    auth: 'required'
  }),
  invoices: route({
    method: 'GET',
    path: '/v1/business/invoices',
    input: null,
    output: invoiceList,
    auth: 'required'
  }),
  invoicePdf: route({
    method: 'GET',
    path: '/v1/business/invoices/:invoiceId/pdf',
    input: invoiceInLanguage,
    output: exportFile,
    auth: 'required'
  }),
  emailInvoice: route({
    method: 'POST',
    path: '/v1/business/invoices/:invoiceId/email',
    input: invoiceParam,
    output: ok,
    auth: 'required'
  }),
  documentRequests: route({
    method: 'GET',
    path: '/v1/business/documents',
    input: null,
    output: documentRequestList,
    auth: 'required'
  }),
  requestDocument: route({
    method: 'POST',
    path: '/v1/business/documents',
    input: requestDocumentRequest,
    output: documentRequestList,
    auth: 'required',
    status: 201
  }),
  documentFile: route({
    method: 'GET',
    path: '/v1/business/documents/:requestId/file',
    input: documentParam,
    output: exportFile,
    auth: 'required'
  })
} as const
