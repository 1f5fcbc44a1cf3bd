/**
 * The ops routes of help when stuck (issue 25): support operators list the people's support requests, read one
 * with its conversation and the diagnostics report attached, answer (the person gets an email) and close; and
 * they keep the list of the retail partners' shops that sell Re-Up cards (the app's "where to buy" search).
 */
import { z } from 'zod'
import { SUPPORT_STATUSES, SUPPORT_TOPICS, messageText, supportMessageView } from '../api/support'
import { id, instant, text } from '../api/common'
import { reportSchema } from '../diagnostics/schema'
import { weekHours } from '../help/hours-schema'
import { opsRoute } from './route'

export const opsSupportSummary = z.object({
  id: z.string(),
  reference: z.string(),
  accountId: z.string(),
  email: z.string().nullable(),
  topic: z.enum(SUPPORT_TOPICS),
  status: z.enum(SUPPORT_STATUSES),
  hasDiagnostics: z.boolean(),
  messages: z.number().int(),
  createdAt: instant,
  updatedAt: instant
})

export const opsSupportDetail = z.object({
  request: opsSupportSummary,
  messages: z.array(supportMessageView),
  diagnostics: reportSchema.nullable()
})

export const opsShopView = z.object({
  id: z.string(),
  partnerId: z.string(),
  partner: z.string(),
  name: z.string(),
  street: z.string(),
  city: z.string(),
  state: z.string(),
  zip: z.string(),
  timeZone: z.string(),
  hours: weekHours,
  openNow: z.boolean()
})

const requestParam = z.object({ requestId: id })

/** An IANA zone luxon knows ("America/Chicago"). */
const timeZone = z
  .string()
  .regex(/^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+){1,2}$/, 'an IANA time zone such as America/Chicago')
  .refine((z) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: z })
      return true
    } catch {
      return false
    }
  }, 'not a time zone this service knows')

export const SUPPORT_OPS_ROUTES = {
  opsSupportList: opsRoute({
    method: 'GET',
    path: '/ops/v1/support/requests',
    access: 'support.read',
    summary: "people's support requests, the latest change first (only those with --status when given)",
    input: z.object({ status: z.enum(SUPPORT_STATUSES).optional() }).strict(),
    output: z.object({ requests: z.array(opsSupportSummary) })
  }),
  opsSupportShow: opsRoute({
    method: 'GET',
    path: '/ops/v1/support/requests/:requestId',
    access: 'support.read',
    summary: 'a support request: its conversation and the diagnostics report attached',
    input: requestParam.strict(),
    output: opsSupportDetail
  }),
  opsSupportReply: opsRoute({
    method: 'POST',
    path: '/ops/v1/support/requests/:requestId/reply',
    access: 'support.reply',
    summary: 'answer a request: it becomes "answered" and the person gets the reply by email',
    input: requestParam.extend({ text: messageText }).strict(),
    output: opsSupportDetail
  }),
  opsSupportClose: opsRoute({
    method: 'POST',
    path: '/ops/v1/support/requests/:requestId/close',
    access: 'support.reply',
    summary: 'close a request (the person may open a new one)',
    input: requestParam.strict(),
    output: opsSupportDetail
  }),
  opsShopsAdd: opsRoute({
    method: 'POST',
    path: '/ops/v1/shops',
    access: 'shops.manage',
    status: 201,
    summary: "add a retail partner's shop that sells Re-Up cards, with its opening hours in its time zone",
    input: z
      .object({
        partnerId: id,
        name: text(1, 100),
        street: text(1, 120),
        city: text(1, 60),
        state: z
          .string()
          .trim()
          .toUpperCase()
          .regex(/^[A-Z]{2}$/, 'a two-letter state code'),
        zip: z
          .string()
          .trim()
          .regex(/^\d{5}$/, 'a 5-digit ZIP'),
        timeZone: timeZone.optional(),
        hours: weekHours
      })
      .strict(),
    output: z.object({ shop: opsShopView })
  }),
  opsShopsList: opsRoute({
    method: 'GET',
    path: '/ops/v1/shops',
    access: 'shops.manage',
    summary: "the shops that sell Re-Up cards (one partner's with --partner)",
    input: z.object({ partnerId: id.optional() }).strict(),
    output: z.object({ shops: z.array(opsShopView) })
  }),
  opsShopsRemove: opsRoute({
    method: 'POST',
    path: '/ops/v1/shops/:shopId/remove',
    access: 'shops.manage',
    summary: 'remove a shop from the search (closed, or no longer selling the cards)',
    input: z.object({ shopId: id }).strict(),
    output: z.object({ shop: opsShopView })
  })
} as const
