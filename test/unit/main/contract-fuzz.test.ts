/**
 * Every command of the contract against hostile input (fast-check): whatever the renderer sends, main answers
 * with an envelope, never throws, never reports INTERNAL, names what is wrong, and a refused request changes
 * nothing (the settings and the call state are compared before and after).
 */
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { COMMAND_NAMES, commandDef } from '../../../src/shared/ipc/contract'
import { testApp } from '../../support/test-app'

const t = testApp()
t.app.start()
afterAll(() => t.app.dispose())

const ctx = { host: 'test', origin: 'fuzz' } as const

/** Inputs a buggy or hostile page might send: any JSON value, wrong types in plausible shapes, huge strings. */
const hostile = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.dictionary(
    fc.constantFrom('id', 'on', 'key', 'number', 'language', 'deviceId', 'engineId', 'format', 'identifier'),
    fc.oneof(
      fc.string(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.string(), { maxLength: 3 })
    )
  ),
  fc.string({ minLength: 5000, maxLength: 20_000 }).map((s) => ({ id: s, number: s }))
)

describe('every contract command under hostile input', () => {
  it('answers an envelope with a named error, never INTERNAL, and a refusal changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...COMMAND_NAMES), hostile, async (name, payload) => {
        // Only what the command's schema refuses is under test here; a valid call may legitimately act.
        fc.pre(!commandDef(name).request.safeParse(payload).success)
        const before = JSON.stringify([t.app.settings.get(), t.app.phone.callState])
        const envelope = await t.app.dispatch(name, payload, ctx)
        expect(envelope.ok, `${name} accepted ${JSON.stringify(payload)?.slice(0, 200)}`).toBe(false)
        if (envelope.ok) return
        expect(envelope.error.code).toBe('INVALID_ARGUMENT')
        expect(envelope.error.message.length).toBeGreaterThan(0)
        expect(JSON.stringify([t.app.settings.get(), t.app.phone.callState])).toBe(before)
      }),
      { numRuns: 600 }
    )
  })

  it('refuses names that are not commands without running anything', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.anything({ maxDepth: 1 })), async (name) => {
        fc.pre(!(COMMAND_NAMES as readonly unknown[]).includes(name))
        const envelope = await t.app.dispatch(name, undefined, ctx)
        expect(envelope).toMatchObject({ ok: false, error: { code: 'UNKNOWN_COMMAND' } })
      }),
      // An object String() cannot convert once made the dispatcher throw instead of refusing (seed 685839880).
      { numRuns: 200, examples: [[{ toString: null }], [Object.create(null)]] }
    )
  })
})
