/** The setup domain: what the OS needs before the dongle can be used. Starts with device permissions. */
import { z } from 'zod'
import { command, domain, noArgs } from './define'

export const permissionsSchema = z.object({
  platform: z.enum(['linux', 'win32', 'darwin', 'other']),
  /** not-needed: class-compliant on this OS; installed / missing: the Linux udev rule. */
  status: z.enum(['not-needed', 'installed', 'missing']),
  /** Where the rule is or would go; null where none is needed. */
  rulePath: z.string().nullable()
})
export type Permissions = z.infer<typeof permissionsSchema>

export const setupDomain = domain({
  name: 'setup',
  commands: {
    'setup.permissions': command({
      request: noArgs,
      response: permissionsSchema,
      summary: 'Whether this OS needs a rule to let the app open the dongle, and whether it is in place.'
    })
  },
  events: {}
})
