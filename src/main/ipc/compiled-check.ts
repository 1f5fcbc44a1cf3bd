/**
 * A compiled contract check for main's outgoing events: for the schema kinds event payloads are made of, the same
 * verdict and the same output as the payload schema's zod `safeParse`, without zod's per-node machinery (a
 * payload object and an issue list per node, its object fast path's generated code). zod stays the one source
 * of truth: the checker is built from the schema itself, leaf checks (lengths, ranges, integer formats, patterns)
 * are zod's own check functions, and a schema with anything else (unions, transforms, defaults, refinements,
 * catch-alls ...) is not compiled at all, so the caller keeps using zod for it. A refused payload tells nothing
 * about why: the caller asks zod for the issues.
 *
 * Why: device.changed leaves on a hotplug's critical path, and its zod check was most of the time between the
 * raw USB attach and the app's event (12.6 ms median of ~15 under the QEMU rig; docs/benchmarks.md, hotplug).
 */
import type { z } from 'zod'

/** What a checker returns for a payload the schema refuses. */
export const REFUSED: unique symbol = Symbol('refused by the contract')

/** Returns what zod's safeParse would return as `data`, or REFUSED where zod would fail. */
export type CompiledCheck = (value: unknown) => unknown

/** The parts of a zod 4 schema (and of a zod 4 check) the compiler reads. */
interface Node {
  _zod: {
    def: {
      type?: string
      check?: string
      format?: string
      coerce?: boolean
      shape?: Record<string, Node>
      element?: Node
      innerType?: Node
      checks?: Node[]
      catchall?: Node
      when?: (payload: CheckPayload) => boolean
    }
    traits: ReadonlySet<string>
    values?: ReadonlySet<unknown>
    optin?: string
    optout?: string
    check?: (payload: CheckPayload) => unknown
  }
}
interface CheckPayload {
  value: unknown
  issues: unknown[]
}

/** Checks that only test the value (no rewriting, no async, no user code): zod's own functions run them. */
const PURE_CHECKS = new Set([
  'min_length',
  'max_length',
  'length_equals',
  'greater_than',
  'less_than',
  'multiple_of',
  'number_format'
])

class NotCompiled extends Error {}

/** The checker for `schema`, or null when the schema uses a kind this compiler does not take (use zod). */
export function compileCheck(schema: z.ZodType): CompiledCheck | null {
  try {
    return compile(schema as unknown as Node)
  } catch (err) {
    if (err instanceof NotCompiled) return null
    throw err
  }
}

function compile(node: Node): CompiledCheck {
  const { def } = node._zod
  if (def.coerce) throw new NotCompiled('coercion')
  switch (def.type) {
    case 'string':
      return leaf(node, (v) => typeof v === 'string')
    case 'number':
      // As zod 4's number: NaN and the infinities are not numbers.
      return leaf(node, (v) => typeof v === 'number' && Number.isFinite(v))
    case 'boolean':
      return leaf(node, (v) => typeof v === 'boolean')
    case 'null':
      return leaf(node, (v) => v === null)
    case 'enum':
    case 'literal': {
      const values = node._zod.values
      if (!values) throw new NotCompiled(def.type)
      return leaf(node, (v) => values.has(v))
    }
    case 'nullable': {
      const inner = compile(need(def.innerType))
      noChecks(node)
      return (v) => (v === null ? null : inner(v))
    }
    case 'readonly': {
      const inner = compile(need(def.innerType))
      noChecks(node)
      return (v) => {
        const out = inner(v)
        return out === REFUSED ? REFUSED : Object.freeze(out)
      }
    }
    case 'array':
      return array(node)
    case 'object':
      return object(node)
    default:
      throw new NotCompiled(String(def.type))
  }
}

const need = (node: Node | undefined): Node => {
  if (!node) throw new NotCompiled('missing inner schema')
  return node
}

const noChecks = (node: Node): void => {
  if (checksOf(node).length > 0) throw new NotCompiled('checks on a wrapper')
}

/** The checks zod runs after the type test: the schema itself when it is a check (z.int()), then its own list. */
function checksOf(node: Node): Node[] {
  const own = node._zod.traits.has('$ZodCheck') ? [node] : []
  return [...own, ...(node._zod.def.checks ?? [])]
}

/**
 * One check as a plain test. The integer format and the bounds are written out (zod 4's $ZodCheckNumberFormat
 * 'safeint', $ZodCheckGreaterThan, $ZodCheckLessThan: an event's numbers are mostly these); every other pure
 * check runs zod's own function on a throwaway payload.
 */
function testOf(c: Node): (v: unknown) => boolean {
  const { def, check } = c._zod
  const bound = (c._zod.def as { value?: unknown; inclusive?: boolean }).value
  const inclusive = (c._zod.def as { inclusive?: boolean }).inclusive === true
  if (!def.when && def.check === 'number_format' && def.format === 'safeint')
    return (v) => Number.isSafeInteger(v)
  if (!def.when && typeof bound === 'number' && def.check === 'greater_than')
    return inclusive ? (v) => (v as number) >= bound : (v) => (v as number) > bound
  if (!def.when && typeof bound === 'number' && def.check === 'less_than')
    return inclusive ? (v) => (v as number) <= bound : (v) => (v as number) < bound
  const pure =
    def.check !== undefined &&
    (PURE_CHECKS.has(def.check) || (def.check === 'string_format' && def.format === 'regex'))
  if (!pure || !check) throw new NotCompiled(`check ${String(def.check)}`)
  const when = def.when
  return (value) => {
    const payload: CheckPayload = { value, issues: [] }
    if (when && !when(payload)) return true
    check(payload)
    return payload.issues.length === 0
  }
}

/** The schema's checks as one test, or null when it has none. */
function checksFn(node: Node): ((v: unknown) => boolean) | null {
  const tests = checksOf(node).map(testOf)
  if (tests.length === 0) return null
  if (tests.length === 1) return tests[0] ?? null
  return (value) => {
    for (const test of tests) if (!test(value)) return false
    return true
  }
}

function leaf(node: Node, isType: (v: unknown) => boolean): CompiledCheck {
  const checks = checksFn(node)
  if (!checks) return (v) => (isType(v) ? v : REFUSED)
  return (v) => (isType(v) && checks(v) ? v : REFUSED)
}

function array(node: Node): CompiledCheck {
  const element = compile(need(node._zod.def.element))
  const checks = checksFn(node)
  return (v) => {
    if (!Array.isArray(v)) return REFUSED
    const out: unknown[] = new Array(v.length)
    for (let i = 0; i < v.length; i++) {
      const item = element(v[i])
      if (item === REFUSED) return REFUSED
      out[i] = item
    }
    return checks && !checks(out) ? REFUSED : out
  }
}

interface Property {
  key: string
  check: CompiledCheck
  optional: boolean
}

/**
 * As zod 4's object without a catch-all: the shape's keys in the shape's order, unknown keys left out, a
 * required key that is absent refused (even if its schema takes undefined), an optional one left absent.
 */
function object(node: Node): CompiledCheck {
  const { shape, catchall } = node._zod.def
  if (!shape || catchall) throw new NotCompiled('object with a catch-all')
  if (Object.getOwnPropertySymbols(shape).length > 0) throw new NotCompiled('symbol keys')
  noChecks(node)
  const props: Property[] = Object.keys(shape).map((key) => {
    if (key === '__proto__') throw new NotCompiled('__proto__ key')
    const schema = need(shape[key])
    const { optin, optout, def } = schema._zod
    if (def.type === 'optional' && optin === 'optional' && optout === 'optional') {
      noChecks(schema)
      const inner = compile(need(def.innerType))
      return { key, optional: true, check: (v) => (v === undefined ? undefined : inner(v)) }
    }
    if (optin !== undefined || optout !== undefined) throw new NotCompiled(`optional kind at ${key}`)
    return { key, optional: false, check: compile(schema) }
  })
  return (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return REFUSED
    const input = v as Record<string, unknown>
    const out: Record<string, unknown> = {}
    for (const { key, check, optional } of props) {
      if (!(key in input)) {
        if (optional) continue
        return REFUSED
      }
      const value = check(input[key])
      if (value === REFUSED) return REFUSED
      out[key] = value
    }
    return out
  }
}
