/** Turns a schema's verdict on untrusted input into the contract's error shape. */
import type { z } from 'zod'
import { DialtoneError, type FieldIssue } from './errors'

export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }))
}

/** Parses `input` or throws INVALID_ARGUMENT naming `what` and every field at fault. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  const issues = toFieldIssues(result.error)
  const first = issues[0]
  const detail = first ? (first.path ? `${first.path}: ${first.message}` : first.message) : 'invalid'
  throw new DialtoneError('INVALID_ARGUMENT', `${what}: ${detail}`, issues)
}
