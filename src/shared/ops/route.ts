/**
 * One route of the ops API (/ops/v1), the operators' counterpart of src/shared/api/route.ts. Besides method, path,
 * input and output it names who may call it: a permission of the permission table (./permissions.ts), any
 * signed-in operator, or nobody signed in. A route whose permission needs a reason must take one: checked when
 * the table is built, so a money or ownership change, or a look at a person's account, cannot ship without it.
 */
import { z } from 'zod'
import type { HttpMethod, SuccessStatus } from '../api/route'
import { type Permission, needsReason } from './permissions'

/** 'signed': no bearer; the body carries a partner's HMAC signature (the web shop's webhook). */
export type OpsAccess = Permission | 'operator' | 'public' | 'signed'

export interface OpsRoute<I extends z.ZodType | null = z.ZodType | null, O extends z.ZodType = z.ZodType> {
  readonly method: HttpMethod
  readonly path: string
  readonly input: I
  readonly output: O
  readonly access: OpsAccess
  /** For the OpenAPI document and `dialtone-ops --help`. */
  readonly summary: string
  readonly status?: SuccessStatus
  /** Bytes, when the route takes more than the service's 16 KiB (a factory CSV). */
  readonly bodyLimit?: number
  /**
   * false: the action does not run inside one transaction with its audit row (serve-ops.ts), because it calls
   * the card processor (a network call, never inside a transaction) or must keep what it writes when it fails.
   * Its audit row is then written right after it. Public routes (sign-in, enrolment) are never atomic.
   */
  readonly atomic?: false
}

export function opsRoute<I extends z.ZodType | null, O extends z.ZodType>(r: OpsRoute<I, O>): OpsRoute<I, O> {
  if (r.access !== 'operator' && r.access !== 'public' && r.access !== 'signed' && needsReason(r.access)) {
    const shape = r.input instanceof z.ZodObject ? (r.input.shape as Record<string, z.ZodType>) : {}
    const reason = shape.reason
    if (!reason || reason.safeParse(undefined).success)
      throw new Error(`ops route ${r.method} ${r.path}: ${r.access} needs a required reason in its input`)
  }
  return r
}

/**
 * Why an operator did it: required for money and ownership changes and for looking at a person's account, kept in
 * the audit log.
 */
export const reasonField = z
  .string()
  .trim()
  .min(5, 'say why in a few words (at least 5 characters)')
  .max(500)
  .refine((s) => !/\p{Cc}/u.test(s), 'must not contain control characters')
