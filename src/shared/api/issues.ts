/**
 * One mapper from a schema's verdict (zod 4 issues) to the field issues that cross the wire: a path, a stable
 * code and its parameters ({path:'name', code:'too-long', params:{max:100}}). main's dispatcher and the
 * service's error handler both use it, so every form's refusal reads the same and the app words it; zod's
 * English message stays beside it for API users and logs.
 */
import type { z } from 'zod'
import { FORMAT_CODES, PHONE_MIN_DIGITS, formatOfPattern, type FormatCode } from './formats'
import type { ReasonParams } from './reasons'

export const FIELD_ISSUE_CODES = [
  'required',
  'too-short', // params: min
  'too-long', // params: max
  'too-small', // params: min
  'too-big', // params: max
  'too-few', // params: min
  'too-many', // params: max
  'not-a-number',
  'not-whole-number',
  'wrong-type',
  'bad-format', // params: format (FORMAT_CODES)
  'phone-too-short', // a phone number's characters, too few digits for any number ("12")
  'phone-characters', // params: characters (what no number holds, e.g. the letters of "555-CALL"); said by the field as typed
  'not-allowed-value',
  'unknown-field', // params: keys
  'control-characters',
  'format-characters',
  'range-reversed',
  'must-accept',
  'invalid'
] as const
export type FieldIssueCode = (typeof FIELD_ISSUE_CODES)[number]

export interface WireIssue {
  /** Dotted path into the request, '' for the request itself. */
  readonly path: string
  /** A FieldIssueCode, or a ReasonCode when the service refused one field for a reason of its own. */
  readonly code: string
  readonly params?: ReasonParams
  /** English, for API users and logs; the app never shows it. */
  readonly message: string
}

type ZodIssue = z.core.$ZodIssue

const isEmpty = (v: unknown): boolean =>
  v === undefined || v === null || (typeof v === 'string' && v.trim() === '')

/** The value at a dotted path of an input, for telling "missing" from "wrong". */
export function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined
    v = (v as Record<PropertyKey, unknown>)[k]
  }
  return v
}

/** A zod issue as a wire issue. `input` is the value that was checked (to tell an empty field from a bad one). */
export function issueFromZod(issue: ZodIssue, input?: unknown): WireIssue {
  const path = issue.path.map(String).join('.')
  const value = valueAt(input, issue.path)
  const at = (code: FieldIssueCode, params?: ReasonParams): WireIssue => ({
    path,
    code,
    message: issue.message,
    ...(params ? { params } : {})
  })
  switch (issue.code) {
    case 'invalid_type':
      if (isEmpty(value)) return at('required')
      if (issue.expected === 'number' || issue.expected === 'int') return at('not-a-number')
      return at('wrong-type')
    case 'too_small': {
      const min = Number(issue.minimum)
      if (issue.origin === 'string')
        return isEmpty(value) && min >= 1 ? at('required') : at('too-short', { min })
      if (issue.origin === 'array' || issue.origin === 'set') return at('too-few', { min })
      return at('too-small', { min })
    }
    case 'too_big': {
      const max = Number(issue.maximum)
      if (issue.origin === 'string') return at('too-long', { max })
      if (issue.origin === 'array' || issue.origin === 'set') return at('too-many', { max })
      return at('too-big', { max })
    }
    case 'invalid_format': {
      if (isEmpty(value)) return at('required')
      const format: FormatCode =
        issue.format === 'regex'
          ? formatOfPattern(issue.pattern)
          : (FORMAT_CODES as readonly string[]).includes(issue.format)
            ? (issue.format as FormatCode)
            : 'other'
      // "12" is a number, only too short: saying so beats "enter a phone number" to someone who just did.
      if (format === 'phone' && typeof value === 'string' && /^\+?[\d ()-]*$/.test(value)) {
        const digits = value.replace(/\D/g, '').length
        if (digits < PHONE_MIN_DIGITS) return at('phone-too-short')
      }
      return at('bad-format', { format })
    }
    case 'not_multiple_of':
      return at('not-whole-number')
    case 'unrecognized_keys':
      return at('unknown-field', { keys: issue.keys.join(', ') })
    case 'invalid_value':
      return isEmpty(value) ? at('required') : at('not-allowed-value')
    case 'invalid_union':
    case 'invalid_key':
    case 'invalid_element':
      return isEmpty(value) ? at('required') : at('invalid')
    case 'custom': {
      const p = (issue.params ?? {}) as Record<string, unknown>
      const code = typeof p.code === 'string' ? p.code : 'invalid'
      const params = Object.fromEntries(
        Object.entries(p).filter(([k, v]) => k !== 'code' && (typeof v === 'string' || typeof v === 'number'))
      ) as ReasonParams
      return at(
        (FIELD_ISSUE_CODES as readonly string[]).includes(code) ? (code as FieldIssueCode) : 'invalid',
        Object.keys(params).length > 0 ? params : undefined
      )
    }
    default:
      return at('invalid')
  }
}

export const issuesFromZod = (error: z.ZodError, input?: unknown): WireIssue[] =>
  error.issues.map((i) => issueFromZod(i, input))

/** Parameters for a refine() that names its issue, e.g. refine(fn, custom('control-characters')). */
export const custom = (
  code: FieldIssueCode,
  message: string,
  params: ReasonParams = {}
): { message: string; params: Record<string, string | number> } => ({ message, params: { code, ...params } })
