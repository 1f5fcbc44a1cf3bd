/**
 * The renderer's frame reader (src/shared/ipc/wire-read.ts) answers as the wire's schema does: the same frames
 * accepted with the same fields kept, the same frames refused. Generated frames sit near the real shapes, each
 * field either right or wrong in one of the ways a frame can be, so every rule is crossed both ways.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ERROR_CODES } from '../../../src/shared/ipc/errors'
import { serverFrameSchema } from '../../../src/shared/ipc/wire'
import { readServerFrame } from '../../../src/shared/ipc/wire-read'

const junk = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 4 }),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 })
)
/** A string within `max` UTF-16 units, one just over it, or something else. */
const text = (max: number): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.string({ maxLength: Math.min(max, 12) }) },
    fc.string({ minLength: max - 1, maxLength: max + 2 }),
    junk
  )
const anyText = fc.oneof({ weight: 4, arbitrary: fc.string({ maxLength: 12 }) }, junk)
/** Extra keys a frame may carry (the schema drops them), "__proto__" among them. */
const extra = fc.dictionary(fc.constantFrom('x', 'extra', '__proto__', 'constructor'), junk, { maxKeys: 2 })
/** Every key optional, extra keys mixed in: a missing required field is one of the ways to be wrong. */
const shaped = (fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> =>
  fc
    .tuple(fc.record(fields, { requiredKeys: [] }), extra, fc.double({ min: 0, max: 1, noNaN: true }))
    .map(([fixed, more, p]) => (p < 0.85 ? { ...more, ...fixed } : { ...fixed, ...more }))
const params = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.dictionary(fc.string({ maxLength: 12 }), fc.oneof(fc.integer(), text(200)), { maxKeys: 3 })
  },
  fc.dictionary(fc.string({ minLength: 38, maxLength: 42 }), fc.integer(), { maxKeys: 2 }),
  junk
)
const issue = shaped({ path: anyText, code: text(64), params, message: anyText })
const errorBody = shaped({
  code: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...ERROR_CODES) }, fc.constant('NOPE'), junk),
  message: anyText,
  issues: fc.oneof({ weight: 3, arbitrary: fc.array(issue, { maxLength: 3 }) }, junk),
  reason: text(64),
  params
})
const envelope = shaped({ ok: fc.oneof(fc.boolean(), junk), value: junk, error: errorBody })
const id = fc.oneof(
  fc.nat(),
  fc.integer({ min: -3, max: -1 }),
  fc.double({ noNaN: true }),
  fc.constant(2 ** 53),
  junk
)
const frame = fc.oneof(
  shaped({ kind: fc.constant('result'), id, result: envelope }),
  shaped({ kind: fc.constant('event'), event: anyText, payload: junk }),
  shaped({ kind: fc.constant('protocolError'), message: anyText }),
  shaped({ kind: fc.oneof(fc.constant('call'), junk), id, message: anyText }),
  junk
)

/** Both readers on one frame as it arrives: JSON text parsed. */
function both(value: unknown): { ours: unknown; schema: unknown } {
  const data: unknown = JSON.parse(JSON.stringify(value) ?? 'null')
  const parsed = serverFrameSchema.safeParse(data)
  return { ours: readServerFrame(data), schema: parsed.success ? parsed.data : null }
}

describe("the renderer's frame reader", () => {
  it('accepts and refuses what the schema does, keeping the same fields', () => {
    let accepted = 0
    fc.assert(
      fc.property(frame, (value) => {
        const { ours, schema } = both(value)
        expect(ours).toEqual(schema)
        if (schema !== null) accepted++
      }),
      { numRuns: 3000 }
    )
    // The generator must reach both answers often, or the comparison proves little.
    expect(accepted).toBeGreaterThan(300)
  })

  it('reads each kind of frame and refuses each broken rule', () => {
    const ok = { kind: 'result', id: 7, result: { ok: true, value: { a: 1 } } }
    const error = {
      code: 'INVALID_ARGUMENT',
      message: 'bad',
      issues: [{ path: 'email', code: 'too_long', params: { max: 5 }, message: 'x' }],
      reason: 'code-expired',
      params: { retryAfterS: 3 }
    }
    expect(readServerFrame(ok)).toEqual(ok)
    expect(readServerFrame({ kind: 'result', id: 0, result: { ok: false, error } })).toEqual({
      kind: 'result',
      id: 0,
      result: { ok: false, error }
    })
    expect(readServerFrame({ kind: 'event', event: 'device.changed', payload: [1], extra: 1 })).toEqual({
      kind: 'event',
      event: 'device.changed',
      payload: [1]
    })
    expect(readServerFrame({ kind: 'protocolError', message: 'not JSON' })).toEqual({
      kind: 'protocolError',
      message: 'not JSON'
    })
    const broken: unknown[] = [
      { ...ok, id: -1 },
      { ...ok, id: 1.5 },
      { ...ok, id: '7' },
      { ...ok, result: { ok: 'yes', value: 1 } },
      { ...ok, result: { ok: false, error: { ...error, code: 'NOPE' } } },
      { ...ok, result: { ok: false, error: { ...error, reason: 'r'.repeat(65) } } },
      { ...ok, result: { ok: false, error: { ...error, params: { ['k'.repeat(41)]: 1 } } } },
      { ...ok, result: { ok: false, error: { ...error, params: { k: 'v'.repeat(201) } } } },
      {
        ...ok,
        result: {
          ok: false,
          error: { ...error, issues: [{ path: 'a', code: 'c'.repeat(65), message: 'm' }] }
        }
      },
      { ...ok, result: { ok: false, error: { ...error, issues: {} } } },
      { kind: 'event', payload: 1 },
      { kind: 'protocolError' },
      { kind: 'call', id: 1, channel: 'x' },
      [ok],
      null
    ]
    for (const frame of broken) {
      expect(readServerFrame(frame)).toBeNull()
      expect(serverFrameSchema.safeParse(frame).success).toBe(false)
    }
  })
})
