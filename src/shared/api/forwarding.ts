/**
 * Call forwarding (issue 23): a line's rules as the app and the service exchange them, and their two routes. A
 * rule is off (null) or a North American number to forward to; "no answer" waits a number of rings first (a ring
 * cycle is 6 s). The service refuses the line's own number and any rule that would make a loop among Dialtone
 * lines (reasons 'forward-to-self', 'forward-loop'), so a person is told before a call ever spins; Kamailio also
 * stops at three diversions (resources/kamailio/forwarding.cfg).
 */
import { z } from 'zod'
import { instant } from './common'
import { matches } from './formats'
import { lineParam, route } from './route'

/** The four conditions, in the order the Phone page shows them. */
export const FORWARDING_CONDITIONS = ['always', 'busy', 'noAnswer', 'unavailable'] as const
export type ForwardingCondition = (typeof FORWARDING_CONDITIONS)[number]

export const FORWARDING_RINGS = { min: 1, max: 10, default: 4 } as const
/** Seconds in one North American ring cycle (2 s on, 4 s off). */
export const RING_CYCLE_S = 6

const target = matches('phone').nullable()

export const forwardingRules = z
  .object({
    always: target,
    busy: target,
    noAnswer: target,
    noAnswerRings: z.number().int().min(FORWARDING_RINGS.min).max(FORWARDING_RINGS.max),
    unavailable: target
  })
  .strict()
export type ForwardingRules = z.infer<typeof forwardingRules>

export const forwardingView = forwardingRules.extend({
  /** The line's own number (E.164), for the page's words. */
  lineNumber: z.string().nullable(),
  updatedAt: instant.nullable()
})
export type ForwardingView = z.infer<typeof forwardingView>

/** Turns one rule on or off (the handset's *72 / *73 sets `always`); the others stay as they are. */
export const setForwardingRequest = forwardingRules.partial().strict()

export const FORWARDING_API_ROUTES = {
  forwarding: route({
    method: 'GET',
    path: '/v1/lines/:lineId/forwarding',
    input: lineParam,
    output: forwardingView,
    auth: 'required'
  }),
  setForwarding: route({
    method: 'PATCH',
    path: '/v1/lines/:lineId/forwarding',
    input: lineParam.extend(setForwardingRequest.shape),
    output: forwardingView,
    auth: 'required'
  })
} as const
