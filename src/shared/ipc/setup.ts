/** The setup domain: what the OS needs before the dongle can be used. Starts with device permissions. */
import { z } from 'zod'
import { VERDICT_CODES } from '../diagnostics/verdicts'
import { command, domain, event, noArgs } from './define'

export const permissionsSchema = z.object({
  platform: z.enum(['linux', 'win32', 'darwin', 'other']),
  /**
   * not-needed: class-compliant on this OS; installed / missing: the Linux udev rule; virtual: the rule is missing
   * but the only dongle present is the virtual one, which has no device node (shared/diagnostics/access.ts).
   */
  status: z.enum(['not-needed', 'installed', 'missing', 'virtual']),
  /** Where the rule is or would go; null where none is needed. */
  rulePath: z.string().nullable()
})
export type Permissions = z.infer<typeof permissionsSchema>

export const SETUP_STEP_NAMES = [
  'detect',
  'power',
  'permissions',
  'update',
  'initialise',
  'activate',
  'registered'
] as const

/** Why a signed update was refused before anything was written (main/setup/update-verify.ts). */
export const UPDATE_REFUSALS = [
  'malformed',
  'unknown-key',
  'bad-signature',
  'expired',
  'downgrade',
  'bad-version',
  'app-too-old',
  'truncated',
  'oversized',
  'hash-mismatch'
] as const

/** What went wrong talking to the dongle's firmware (main/device/drivers/firmware-access.ts). */
export const FIRMWARE_FAILURES = [
  'out-of-order',
  'verify-failed',
  'not-applied',
  'device-gone',
  'cannot-attest'
] as const

/**
 * Every code a failed setup step carries (SetupStepError): the app words each (`setup.failure.<code>`, checked
 * in every language by words.test.ts). The wire keeps a plain string: states saved by an older version load.
 */
export const SETUP_FAILURE_CODES = [
  ...UPDATE_REFUSALS,
  ...FIRMWARE_FAILURES,
  'unplugged',
  'unreachable',
  'service-unreachable',
  'internal'
] as const
export type SetupFailureCode = (typeof SETUP_FAILURE_CODES)[number]

export const deviceSetupSchema = z.object({
  deviceKey: z.string(),
  step: z.enum(SETUP_STEP_NAMES),
  status: z.enum(['running', 'waiting', 'failed', 'done']),
  message: z.string().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).readonly().nullable(),
  percent: z.number().nullable(),
  bytes: z.number().nullable(),
  /** Waiting because the dongle was unplugged (absent in states saved before this field existed). */
  unplugged: z.boolean().optional(),
  /** The diagnostics verdict the step waits on (the power step), worded by the app from its code. */
  verdict: z.enum(VERDICT_CODES).nullable().optional(),
  results: z
    .array(
      z
        .object({ step: z.enum(SETUP_STEP_NAMES), outcome: z.enum(['done', 'skipped']), message: z.string() })
        .readonly()
    )
    .readonly(),
  updatedAt: z.iso.datetime()
})

const deviceKeyRequest = z.object({ deviceId: z.string().min(1).max(64) }).strict()

export const setupDomain = domain({
  name: 'setup',
  commands: {
    'setup.permissions': command({
      request: noArgs,
      response: permissionsSchema,
      summary: 'Whether this OS needs a rule to let the app open the dongle, and whether it is in place.'
    }),
    'setup.run': command({
      request: deviceKeyRequest,
      response: deviceSetupSchema,
      summary: 'Runs (or resumes) a dongle’s setup until it is done, waits for the person, or fails.'
    }),
    'setup.installPermissions': command({
      request: z.object({ deviceId: z.string().min(1).max(64).optional() }).strict(),
      response: z.discriminatedUnion('installed', [
        z.object({ installed: z.literal(true), path: z.string() }),
        z.object({ installed: z.literal(false), reason: z.string(), command: z.string() })
      ]),
      summary: 'Installs the udev rule with the person’s consent (pkexec), or gives the exact command to run.'
    }),
    'setup.checkPermissions': command({
      request: deviceKeyRequest,
      response: deviceSetupSchema,
      summary:
        'After the person ran the rule’s command themselves: opens a refused dongle again and resumes its setup, whose permissions step checks again.'
    }),
    'setup.state': command({
      request: deviceKeyRequest,
      response: deviceSetupSchema.nullable(),
      summary: 'Where a dongle’s setup stands (null before it started).'
    })
  },
  events: {
    'setup.progress': event({
      payload: deviceSetupSchema,
      summary: 'A setup step started, progressed, waited, failed or finished.'
    })
  }
})
