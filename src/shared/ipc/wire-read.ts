/**
 * The renderer's reader of the web host's server frames: the same rules as `serverFrameSchema` in ./wire, written
 * as plain checks. The schema stays the definition (main and the tests use it, and test/unit/shared/wire-read.test.ts
 * holds this reader's answers equal to the schema's on generated frames, good and bad); the renderer reads every
 * frame with this one because zod/mini, even tree-shaken, is about 8 KiB gzip of the first page's JavaScript.
 * Like the schema it answers with a copy holding only the fields it knows, or null for a frame that breaks a rule.
 */
import { ERROR_CODES } from './errors'
import type { ServerFrame } from './wire'

type Obj = Record<string, unknown>
type Envelope = Extract<ServerFrame, { kind: 'result' }>['result']
type ErrorBody = Extract<Envelope, { ok: false }>['error']
type Params = NonNullable<ErrorBody['params']>
type Issue = NonNullable<ErrorBody['issues']>[number]

/** A value that could be read, or FAIL; a class of its own so `undefined` stays a readable value. */
const FAIL: unique symbol = Symbol('fail')
type Read<T> = T | typeof FAIL

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const isString = (v: unknown, max = Infinity): v is string => typeof v === 'string' && v.length <= max
const isId = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0

/** An optional field: absent (or undefined) reads as absent, anything else must pass `read`. */
function optional<T>(o: Obj, key: string, read: (v: unknown) => Read<T>): Read<T | undefined> {
  return o[key] === undefined ? undefined : read(o[key])
}

function readParams(v: unknown): Read<Params> {
  if (!isObject(v)) return FAIL
  const entries = Object.entries(v)
  for (const [k, x] of entries) {
    if (!isString(k, 40)) return FAIL
    if (typeof x === 'number' ? !Number.isFinite(x) : !isString(x, 200)) return FAIL
  }
  // fromEntries defines each key as the frame's own (a key named "__proto__" stays data, never a prototype).
  return Object.fromEntries(entries) as Params
}

function readIssue(v: unknown): Read<Issue> {
  if (!isObject(v) || !isString(v.path) || !isString(v.code, 64) || !isString(v.message)) return FAIL
  const params = optional(v, 'params', readParams)
  if (params === FAIL) return FAIL
  return { path: v.path, code: v.code, ...(params === undefined ? {} : { params }), message: v.message }
}

function readErrorBody(v: unknown): Read<ErrorBody> {
  if (!isObject(v) || !(ERROR_CODES as readonly unknown[]).includes(v.code) || !isString(v.message))
    return FAIL
  const issues = optional(v, 'issues', (list) => {
    if (!Array.isArray(list)) return FAIL
    const read = list.map(readIssue)
    return read.includes(FAIL) ? FAIL : Object.freeze(read as Issue[])
  })
  const reason = optional(v, 'reason', (r) => (isString(r, 64) ? r : FAIL))
  const params = optional(v, 'params', readParams)
  if (issues === FAIL || reason === FAIL || params === FAIL) return FAIL
  return {
    code: v.code as ErrorBody['code'],
    message: v.message,
    ...(issues === undefined ? {} : { issues }),
    ...(reason === undefined ? {} : { reason }),
    ...(params === undefined ? {} : { params })
  }
}

function readEnvelope(v: unknown): Read<Envelope> {
  if (!isObject(v)) return FAIL
  // An unknown field may hold anything, undefined included, but must be there (as the schema has it).
  if (v.ok === true) return 'value' in v ? { ok: true, value: v.value } : FAIL
  if (v.ok !== false) return FAIL
  const error = readErrorBody(v.error)
  return error === FAIL ? FAIL : { ok: false, error }
}

/** The frame `data` (parsed JSON) is, or null when it is not one the server sends. */
export function readServerFrame(data: unknown): ServerFrame | null {
  if (!isObject(data)) return null
  switch (data.kind) {
    case 'result': {
      if (!isId(data.id)) return null
      const result = readEnvelope(data.result)
      return result === FAIL ? null : { kind: 'result', id: data.id, result }
    }
    case 'event':
      return isString(data.event) && 'payload' in data
        ? { kind: 'event', event: data.event, payload: data.payload }
        : null
    case 'protocolError':
      return isString(data.message) ? { kind: 'protocolError', message: data.message } : null
    default:
      return null
  }
}
