/**
 * The compiled contract check against zod itself (fast-check): for every event schema it compiles, and for
 * schemas made to reach each kind and check it takes, the same verdict as `safeParse` and, when accepted, the
 * same output (unknown keys left out, readonly frozen). Schemas with kinds it does not take are left to zod.
 * Then the event bus: what it delivers and what it refuses with it.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { compileCheck, REFUSED } from '../../../src/main/ipc/compiled-check'
import { EventBus } from '../../../src/main/ipc/event-bus'
import { createLogger } from '../../../src/main/log/logger'
import { EVENT_NAMES, eventDef } from '../../../src/shared/ipc/contract'
import type { DeviceChanged } from '../../../src/shared/ipc/device'

interface Node {
  _zod: {
    def: {
      type: string
      shape?: Record<string, Node>
      element?: Node
      innerType?: Node
    }
    values?: ReadonlySet<unknown>
  }
}

/** Leaf values to pick from: each leaf schema keeps those it takes (zod decides), so most payloads are valid. */
const POOL: unknown[] = [
  ...['', 'a', 'ab', '12', 'abc', '+12125550101', '12125550101', 'en', '1-1', 'usb1', '😀😀', 'x'.repeat(64)],
  ...[0, 1, 2, 3, 255, 256, 500, 65_535, 0.25, 0.5, 100, 1000, 2 ** 31 - 1, -1],
  true,
  false,
  null
]

/** Values near and away from what a schema takes: mostly valid, sometimes a wrong leaf, a missing or extra key. */
function near(node: Node, depth = 0): fc.Arbitrary<unknown> {
  const { def } = node._zod
  const noise = fc.anything({ maxDepth: 1 })
  const rare = (valid: fc.Arbitrary<unknown>, other: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> =>
    fc.oneof(
      { weight: 100, arbitrary: valid },
      { weight: 1, arbitrary: other },
      { weight: 1, arbitrary: noise }
    )
  const leaf = (other: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> => {
    const values = node._zod.values
    const valid = values
      ? [...values]
      : POOL.filter((v) => (node as unknown as z.ZodType).safeParse(v).success)
    return valid.length > 0 ? rare(fc.constantFrom(...valid), other) : fc.oneof(other, noise)
  }
  switch (def.type) {
    case 'string':
      return leaf(fc.oneof(fc.string({ maxLength: 70 }), fc.constantFrom('😀'.repeat(40), '12a')))
    case 'number':
      return leaf(
        fc.oneof(
          fc.integer({ min: -3, max: 70_000 }),
          fc.constantFrom(65_536, 0.5, Number.NaN, Infinity, -Infinity, 2 ** 53, 2 ** 31),
          fc.double()
        )
      )
    case 'boolean':
    case 'null':
    case 'enum':
    case 'literal':
      return leaf(fc.constantFrom('a', 0, 1, null, undefined, 'x'))
    case 'nullable':
      return fc.oneof(
        { weight: 10, arbitrary: fc.constant(null) },
        { weight: 10, arbitrary: near(def.innerType as Node, depth) },
        fc.constant(undefined)
      )
    case 'optional':
      return fc.oneof(fc.constant(undefined), near(def.innerType as Node, depth))
    case 'readonly':
      return near(def.innerType as Node, depth)
    case 'array':
      return rare(
        depth > 3 ? fc.constant([]) : fc.array(near(def.element as Node, depth + 1), { maxLength: 3 }),
        fc.constantFrom('[]', {}, [undefined])
      )
    case 'object': {
      const shape = def.shape ?? {}
      const keys = Object.keys(shape)
      const dropped =
        keys.length > 0
          ? fc.oneof({ weight: 40, arbitrary: fc.constant(null) }, fc.constantFrom(...keys))
          : fc.constant(null)
      const record = fc
        .tuple(
          fc.record(Object.fromEntries(keys.map((k) => [k, near(shape[k] as Node, depth + 1)]))),
          dropped,
          fc.option(fc.tuple(fc.constantFrom('extra', 'toString', '__proto__'), noise), { freq: 4 })
        )
        .map(([value, drop, extra]) => {
          const out: Record<string, unknown> = { ...value }
          if (drop !== null) delete out[drop]
          if (extra) Object.defineProperty(out, extra[0], { value: extra[1], enumerable: true })
          return out
        })
      return rare(record, fc.constantFrom([], 'object', null))
    }
    default:
      return noise
  }
}

/** How many values zod accepted, so a run that only ever compared refusals fails. */
let accepted = 0

function sameAsZod(schema: z.ZodType, value: unknown): void {
  const check = compileCheck(schema)
  if (!check) throw new Error('not compiled')
  const zod = schema.safeParse(value)
  const ours = check(value)
  expect(
    ours === REFUSED,
    `zod ${zod.success ? 'accepts' : 'refuses'} ${String(JSON.stringify(value))}`
  ).toBe(!zod.success)
  if (zod.success) {
    accepted++
    expect(ours).toStrictEqual(zod.data)
    expect(Object.isFrozen(ours)).toBe(Object.isFrozen(zod.data))
  }
}

const compiledEvents = EVENT_NAMES.filter((n) => compileCheck(eventDef(n).payload) !== null)

describe('the compiled contract check', () => {
  it('compiles the hotplug event (and every event made only of the kinds it takes)', () => {
    expect(compiledEvents).toEqual(expect.arrayContaining(['device.changed', 'device.trouble']))
  })

  it.each(compiledEvents)('%s: same verdict and output as zod', (name) => {
    const schema = eventDef(name).payload
    accepted = 0
    fc.assert(
      fc.property(near(schema as unknown as Node), (value) => sameAsZod(schema, value)),
      { numRuns: 300 }
    )
    expect(accepted).toBeGreaterThan(30)
  })

  it('a device.changed as the device layer sends it', () => {
    const payload: DeviceChanged = {
      devices: [],
      usb: [
        {
          id: '1-1',
          busNumber: 1,
          deviceAddress: 2,
          portPath: [1],
          vendorId: 0x06e6,
          productId: 0xc200,
          deviceClass: 0,
          release: '1.00',
          maxPowerMa: null,
          selfPowered: null,
          interfaceClasses: []
        }
      ],
      hotplug: true,
      change: { kind: 'attached', id: '1-1' }
    }
    sameAsZod(eventDef('device.changed').payload, payload)
    sameAsZod(eventDef('device.changed').payload, {
      ...payload,
      usb: [{ ...payload.usb[0], vendorId: 0x10000 }]
    })
  })

  const kinds = z.object({
    name: z.string().min(2).max(5),
    code: z.string().regex(/^[0-9]+$/),
    port: z.number().int().min(1).max(65_535),
    count: z.number().int(),
    size: z.number().int().nonnegative(),
    ratio: z.number().gt(0).lt(1),
    small: z.int32(),
    flag: z.boolean(),
    kind: z.enum(['a', 'b']),
    one: z.literal(1),
    maybe: z.string().nullable(),
    later: z.number().optional(),
    list: z.array(z.number()).min(1).max(2),
    fixed: z.object({ x: z.null() }).readonly(),
    nested: z.object({ deep: z.array(z.object({ k: z.enum(['x']) })) })
  })

  it('every kind and check it takes, against zod', () => {
    // Each field alone (an optional one only inside its object), then the whole object.
    for (const [key, field] of Object.entries(kinds.shape)) {
      if (field instanceof z.ZodOptional) continue
      accepted = 0
      fc.assert(
        fc.property(near(field as unknown as Node), (value) => sameAsZod(field, value)),
        {
          numRuns: 200
        }
      )
      expect(accepted, key).toBeGreaterThan(10)
    }
    accepted = 0
    fc.assert(
      fc.property(near(kinds as unknown as Node), (value) => sameAsZod(kinds, value)),
      { numRuns: 1000 }
    )
    expect(accepted).toBeGreaterThan(10)
    sameAsZod(kinds.shape.name, '😀😀') // 4 UTF-16 units, 2 code points: zod counts code points
    sameAsZod(kinds.shape.name, '😀😀😀')
    sameAsZod(kinds.shape.ratio, 0)
    sameAsZod(z.object({ a: z.number().optional() }), []) // an array is not an object, even with nothing required
    sameAsZod(z.object({ a: z.number().optional() }), {})
    sameAsZod(kinds.shape.small, 2 ** 31)
  })

  it('leaves to zod the kinds it does not take', () => {
    for (const schema of [
      z.union([z.string(), z.number()]),
      z.string().transform((s) => s.length),
      z.string().default('x'),
      z.string().refine((s) => s !== 'x'),
      z.string().trim(),
      z.email(),
      z.looseObject({ a: z.string() }),
      z.strictObject({ a: z.string() }),
      z.coerce.number(),
      z.object({ a: z.string().catch('x') }),
      z.tuple([z.string()]),
      z.object({ a: z.string().optional().nullable() })
    ] as z.ZodType[])
      expect(compileCheck(schema), schema._zod.def.type).toBeNull()
  })
})

describe('the event bus with the compiled check', () => {
  const bus = (): { bus: EventBus; got: unknown[]; logged: string[] } => {
    const logged: string[] = []
    const log = createLogger({ level: 'error', destination: { write: (s: string) => logged.push(s) } })
    const b = new EventBus(log)
    const got: unknown[] = []
    b.subscribe((_, payload) => got.push(payload))
    return { bus: b, got, logged }
  }

  it('delivers a copy without unknown keys, as zod did', () => {
    const { bus: b, got } = bus()
    const payload = { kind: 'missing' as const, count: 0, secret: 'x' }
    b.emit('device.trouble', payload)
    expect(got).toEqual([{ kind: 'missing', count: 0 }])
    expect(got[0]).not.toBe(payload)
  })

  it('refuses a payload that breaks the contract and logs zod’s issues', () => {
    const { bus: b, got, logged } = bus()
    b.emit('device.trouble', { kind: 'missing', count: -1 })
    expect(got).toEqual([])
    expect(logged.join('')).toContain('event payload breaks the contract')
    expect(logged.join('')).toContain('count')
  })
})
