/** Turns a schema's verdict on untrusted input into the contract's error shape (codes, not sentences). */
import type { z } from 'zod'
import { issuesFromZod } from '../api/issues'
import { DialtoneError, type FieldIssue } from './errors'

export function toFieldIssues(error: z.ZodError, input?: unknown): FieldIssue[] {
  return issuesFromZod(error, input)
}

/**
 * Parses `input` or throws INVALID_ARGUMENT with every field at fault as a code and its values. `what` and the
 * first issue's English make the message, for the log only.
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  const issues = toFieldIssues(result.error, input)
  const first = issues[0]
  const detail = first ? (first.path ? `${first.path}: ${first.message}` : first.message) : 'invalid'
  throw new DialtoneError('INVALID_ARGUMENT', `${what}: ${detail}`, issues, 'invalid-input')
}
