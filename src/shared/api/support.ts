/**
 * Help when stuck (issue 25), the subscriber's side of the route table: how to reach support without an account,
 * the person's support requests with their replies, asking (with the app's diagnostics report attached as
 * structured data the service validates and bounds), answering a reply, closing; and the search for shops that
 * sell Re-Up cards. Joined into API_ROUTES with one line.
 */
import { z } from 'zod'
import { reportSchema } from '../diagnostics/schema'
import { weekHours } from '../help/hours-schema'
import { INVISIBLE_FORMAT, emailAddress, id, instant } from './common'
import { custom } from './issues'
import { route } from './route'
import { SUPPORT_STATUSES } from './support-statuses'

/** The fixed list a request's topic comes from (the app words each one under help.topic.*). */
export const SUPPORT_TOPICS = [
  'line',
  'device',
  'renewal',
  'billing',
  'number',
  'emergency-address',
  'other'
] as const
export type SupportTopic = (typeof SUPPORT_TOPICS)[number]

export { SUPPORT_STATUSES, type SupportStatus } from './support-statuses'

/** The longest message a person or an operator writes (the app counts down to it). */
export const SUPPORT_TEXT_MAX = 4000

/** The attached diagnostics report, serialised, may not exceed this (a real one is a few KiB). */
export const DIAGNOSTICS_MAX_BYTES = 64 * 1024

/** What a request's body may weigh on the wire: the report, the text, and JSON's escaping. */
export const SUPPORT_BODY_LIMIT = 96 * 1024

/**
 * A message: trimmed, line breaks and tabs allowed, no other control or invisible format characters (nothing that
 * could reorder what support reads), bounded. It is shown as text everywhere: never parsed as HTML.
 */
export const messageText = z
  .string()
  .trim()
  .min(1)
  .max(SUPPORT_TEXT_MAX)
  .refine(
    (s) => !/[\p{Cc}]/u.test(s.replace(/[\n\t]/g, '')),
    custom('control-characters', 'must not contain control characters')
  )
  .refine(
    (s) => !INVISIBLE_FORMAT.test(s),
    custom('format-characters', 'must not contain invisible format characters')
  )

/**
 * The technician's report as the app builds it (src/shared/diagnostics): the schema strips any field it does not
 * know, so nothing but the report's own fields (no credentials exist in it) is kept, and its size is bounded.
 */
export const diagnosticsAttachment = reportSchema.refine(
  (r) => new TextEncoder().encode(JSON.stringify(r)).length <= DIAGNOSTICS_MAX_BYTES,
  custom('too-big', `the diagnostics report is larger than ${DIAGNOSTICS_MAX_BYTES} bytes`, {
    max: DIAGNOSTICS_MAX_BYTES
  })
)

export const supportMessageView = z.object({
  id: z.string(),
  from: z.enum(['person', 'support']),
  text: z.string(),
  at: instant
})
export type SupportMessageView = z.infer<typeof supportMessageView>

export const supportRequestView = z.object({
  id: z.string(),
  topic: z.enum(SUPPORT_TOPICS),
  status: z.enum(SUPPORT_STATUSES),
  hasDiagnostics: z.boolean(),
  createdAt: instant,
  updatedAt: instant,
  messages: z.array(supportMessageView)
})
export type SupportRequestView = z.infer<typeof supportRequestView>

export const supportContact = z.object({
  email: emailAddress,
  /** E.164. */
  phone: z.string()
})

/** The short reference people and operators quote ("SR-3F9K2X"): the id's last characters, upper-cased. */
export const supportReference = (requestId: string): string => `SR-${requestId.slice(-6).toUpperCase()}`

const requestParam = z.object({ requestId: id })

/** A city ("Springfield, IL", "Austin") or a 5-digit ZIP. */
export const shopQuery = z
  .object({
    q: z
      .string()
      .trim()
      .min(2)
      .max(60)
      .refine(
        (s) => !/[\p{Cc}]/u.test(s),
        custom('control-characters', 'must not contain control characters')
      ),
    limit: z.coerce.number().int().min(1).max(50).default(10)
  })
  .strict()

export const shopView = z.object({
  id: z.string(),
  partner: z.string(),
  name: z.string(),
  street: z.string(),
  city: z.string(),
  state: z.string(),
  zip: z.string(),
  timeZone: z.string(),
  hours: weekHours,
  distanceMiles: z.number(),
  openNow: z.boolean()
})
export type ShopView = z.infer<typeof shopView>

export const shopSearchResult = z.object({
  /**
   * found: the place was known and `shops` holds the nearest first (possibly none); unknown: no such ZIP or city;
   * ambiguous: the city exists in several states (`states`), add one.
   */
  outcome: z.enum(['found', 'unknown', 'ambiguous']),
  place: z.object({ city: z.string(), state: z.string(), zip: z.string().nullable() }).nullable(),
  states: z.array(z.string()),
  shops: z.array(shopView)
})
export type ShopSearchResult = z.infer<typeof shopSearchResult>

export const SUPPORT_API_ROUTES = {
  supportContact: route({
    method: 'GET',
    path: '/v1/support/contact',
    input: null,
    output: supportContact,
    auth: 'none'
  }),
  supportRequests: route({
    method: 'GET',
    path: '/v1/support/requests',
    input: null,
    output: z.object({ requests: z.array(supportRequestView) }),
    auth: 'required'
  }),
  createSupportRequest: route({
    method: 'POST',
    path: '/v1/support/requests',
    input: z
      .object({
        topic: z.enum(SUPPORT_TOPICS),
        text: messageText,
        diagnostics: diagnosticsAttachment.nullable().default(null)
      })
      .strict(),
    output: z.object({ request: supportRequestView }),
    auth: 'required',
    status: 201,
    bodyLimit: SUPPORT_BODY_LIMIT
  }),
  replySupportRequest: route({
    method: 'POST',
    path: '/v1/support/requests/:requestId/messages',
    input: requestParam.extend({ text: messageText }).strict(),
    output: z.object({ request: supportRequestView }),
    auth: 'required'
  }),
  closeSupportRequest: route({
    method: 'POST',
    path: '/v1/support/requests/:requestId/close',
    input: requestParam.strict(),
    output: z.object({ request: supportRequestView }),
    auth: 'required'
  }),
  shopSearch: route({
    method: 'GET',
    path: '/v1/shops',
    input: shopQuery,
    output: shopSearchResult,
    auth: 'none'
  })
} as const
