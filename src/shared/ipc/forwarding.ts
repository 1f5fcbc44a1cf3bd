/**
 * Call forwarding and the handset's star codes (issue 23) as the renderer sees them: the line's forwarding rules
 * (two service routes passed through), and an event after each star code the handset dialled (*72, *73, *60, *69,
 * *98...), so the Phone page says in words what the tone told the ear.
 */
import { z } from 'zod'
import { STAR_FEATURES } from '../telephony/star-codes'
import { domain, event } from './define'
import { pass } from './passthrough'

/** Why a star code failed, as a code the app words. */
export const STAR_CODE_FAILURES = [
  'noCallToReturn',
  'noCallerToBlock',
  'notSignedIn',
  'serviceRefused',
  'serviceUnreachable'
] as const
export type StarCodeFailure = (typeof STAR_CODE_FAILURES)[number]

export const starCodeOutcomeSchema = z.object({
  feature: z.enum(STAR_FEATURES),
  ok: z.boolean(),
  /** The number it acted on: forwarded to, blocked, called back. */
  number: z.string().nullable(),
  failure: z.enum(STAR_CODE_FAILURES).nullable(),
  /** The service's reason when it refused (forward-to-self, forward-loop...), worded like any refusal. */
  reason: z.string().nullable(),
  at: z.iso.datetime()
})
export type StarCodeOutcome = z.infer<typeof starCodeOutcomeSchema>

export const forwardingDomain = domain({
  name: 'forwarding',
  commands: {
    'forwarding.get': pass('forwarding', 'A line’s call forwarding rules.'),
    'forwarding.set': pass('setForwarding', 'Turns forwarding rules of a line on or off (loops refused).')
  },
  events: {
    'forwarding.starCode': event({
      payload: starCodeOutcomeSchema,
      summary: 'What a star code dialled on the handset did (or why it could not).'
    })
  }
})
