/** The phone domain: the SIP line. Starts with the line's registration status. */
import { z } from 'zod'
import { command, domain, event, noArgs } from './define'

export const LINE_STATES = ['unconfigured', 'registering', 'registered', 'unregistered', 'failed'] as const

export const lineStatusSchema = z.object({
  state: z.enum(LINE_STATES),
  /** The line's number (E.164) once one is provisioned. */
  number: z.string().nullable(),
  /** Why the line is failed or unregistered, for a person. */
  reason: z.string().nullable()
})
export type LineStatus = z.infer<typeof lineStatusSchema>

export const phoneDomain = domain({
  name: 'phone',
  commands: {
    'phone.status': command({
      request: noArgs,
      response: lineStatusSchema,
      summary: 'The SIP line: not set up yet, registering, registered, or failed with a reason.'
    }),
    'phone.reconnect': command({
      request: noArgs,
      response: lineStatusSchema,
      summary: 'Reconnects and re-registers the line now instead of waiting for the next retry.'
    })
  },
  events: {
    'phone.statusChanged': event({ payload: lineStatusSchema, summary: 'The line status after any change.' })
  }
})
