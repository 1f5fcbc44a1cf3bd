/**
 * What every service answer shares: the error body. Codes are stable strings the app branches on; the message
 * is for a person; `issues` names the exact fields at fault when the input was bad.
 */
import { z } from 'zod'
import { ID_PATTERN } from './id-pattern'
import { custom } from './issues'

export const API_ERROR_CODES = [
  'invalid-input',
  'unauthenticated',
  'payment-required',
  'forbidden',
  'not-found',
  'conflict',
  'gone',
  'rate-limited',
  'payload-too-large',
  'unsupported-media-type',
  'unavailable',
  'internal'
] as const
export type ApiErrorCode = (typeof API_ERROR_CODES)[number]

const wireParams = z.record(z.string(), z.union([z.string(), z.number()]))

export const apiErrorSchema = z.object({
  error: z.object({
    code: z.enum(API_ERROR_CODES),
    /** A finer reason within the code, e.g. 'code-expired' for 'gone' (REASON_CODES in ./reasons). */
    reason: z.string().optional(),
    /** The values the reason's sentence needs (a date, a count…). */
    params: wireParams.optional(),
    /** English, for API users and logs: the app words the code instead. */
    message: z.string(),
    issues: z
      .array(
        z.object({ path: z.string(), code: z.string(), params: wireParams.optional(), message: z.string() })
      )
      .optional()
  })
})
export type ApiError = z.infer<typeof apiErrorSchema>

/** Instants travel as ISO 8601 strings in UTC. */
export const instant = z.iso.datetime()
export const id = z.string().regex(ID_PATTERN, 'not an id')

/** Text a person typed: trimmed, no control characters, bounded. */
export const text = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min)
    .max(max)
    .refine((s) => !/\p{Cc}/u.test(s), custom('control-characters', 'must not contain control characters'))
    .refine(
      (s) => !INVISIBLE_FORMAT.test(s),
      custom('format-characters', 'must not contain invisible format characters')
    )

/**
 * Invisible format characters (Unicode Cf: bidi overrides like U+202E that make "gpj.exe" read "exe.jpg", isolates,
 * marks, zero-width spaces, soft hyphens…) have no place in a name that ends up in emails and SIP display names.
 * Zero-width non-joiner and joiner (U+200C, U+200D) are the exceptions: Persian and Indic names and emoji need them.
 */
export const INVISIBLE_FORMAT = /(?![\u200c\u200d])\p{Cf}/u

export const emailAddress = z.string().trim().max(254).toLowerCase().pipe(z.email('not an email address'))

/** The shortest new password; the app states it before the person types (ASVS 6.2.1). */
export const PASSWORD_MIN_LENGTH = 8

/** ASVS 6.2: at least 8 characters, at most 128 (we hash, so length costs nothing), no composition rules. */
export const newPassword = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `use at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(128, 'use at most 128 characters')
export const anyPassword = z.string().min(1).max(128)

export const okSchema = z.object({ ok: z.literal(true) })
