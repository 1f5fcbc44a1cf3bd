/**
 * Calls the SIP server refused before they reached a line (issue 22): a blocked caller (603), the line offline
 * (404/480: no registration, the app was off) or a call whose media could not be set up (488). Kamailio accounts
 * them (call_records); the line never rang, so the app's own history cannot know them. The app lists them next
 * to its history, in words (six locales) from `why`.
 */
import { z } from 'zod'
import { instant } from './common'
import { route } from './route'

export const REFUSED_CALL_REASONS = ['blocked', 'offline', 'failed'] as const
export type RefusedCallReason = (typeof REFUSED_CALL_REASONS)[number]

export const refusedCall = z.object({
  id: z.string(),
  at: instant,
  /** The called line's number (E.164). */
  line: z.string(),
  /** The caller's number (E.164), or null when withheld or not a number. */
  from: z.string().nullable(),
  why: z.enum(REFUSED_CALL_REASONS)
})
export type RefusedCall = z.infer<typeof refusedCall>

export const refusedCalls = z.object({ calls: z.array(refusedCall) })

export const CALLS_API_ROUTES = {
  refusedCalls: route({
    method: 'GET',
    path: '/v1/calls/refused',
    input: null,
    output: refusedCalls,
    auth: 'required'
  })
} as const
