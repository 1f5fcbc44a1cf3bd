/** The account domain: the service behind the line. Starts with whether that service answers. */
import { z } from 'zod'
import { command, domain, noArgs } from './define'

export const serviceStatusSchema = z.object({
  url: z.string(),
  reachable: z.boolean(),
  version: z.string().nullable(),
  /** What went wrong reaching it, for a person. */
  error: z.string().nullable()
})
export type ServiceStatus = z.infer<typeof serviceStatusSchema>

export const accountDomain = domain({
  name: 'account',
  commands: {
    'account.serviceStatus': command({
      request: noArgs,
      response: serviceStatusSchema,
      summary: 'Whether the account service answers at the configured URL, and its version.'
    })
  },
  events: {}
})
