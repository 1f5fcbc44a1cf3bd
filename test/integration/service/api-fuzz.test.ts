/**
 * Every endpoint of the route table against hostile input (fast-check), signed in, with real and made-up path
 * parameters: malformed JSON, wrong types, unknown fields, oversized strings. Each answer is a 4xx with a
 * sentence (never a 500), and nothing in the data changes.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { API_ROUTES, pathParams } from '../../../src/shared/api/routes'
import { type TestService, startTestService } from '../../support/service'
import { type TrialLine, tableCounts, trialLine } from '../../support/service-flows'

let svc: TestService
let line: TrialLine
beforeAll(async () => {
  svc = await startTestService('sqlite')
  line = await trialLine(svc)
})
afterAll(() => svc.close())

const ROUTES = Object.entries(API_ROUTES).filter(([, r]) => r.method !== 'GET' && r.input !== null)

const bodies = fc.oneof(
  fc.constant('{'),
  fc.constant('[1,2'),
  fc.constant('"text"'),
  fc.json({ maxDepth: 3 }),
  fc.dictionary(
    fc.constantFrom(
      'email',
      'password',
      'code',
      'number',
      'planId',
      'address',
      'amount',
      'idempotencyKey',
      'x'
    ),
    fc.oneof(
      fc.string(),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.object({ maxDepth: 1 })
    )
  ),
  fc.string({ minLength: 20_000, maxLength: 40_000 }).map((s) => ({ email: s, code: s }))
)

/** The object a route's schema would see for this body, or the raw text when it is not a JSON object. */
function asInput(body: unknown, params: Record<string, string>): unknown {
  let value = body
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body)
    } catch {
      return body
    }
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? { ...params, ...value }
    : value
}

describe('every endpoint under hostile input', () => {
  it('answers 4xx with a sentence, never 500, and changes nothing', async () => {
    const before = await tableCounts(svc)
    const ids = fc.constantFrom(
      line.lineId,
      line.deviceId,
      line.accountId,
      'x',
      '00000000-0000-0000-0000-000000000000'
    )
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), bodies, ids, async ([name, route], body, param) => {
        const path = pathParams(route.path).reduce(
          (p, k) => p.replace(`:${k}`, encodeURIComponent(param)),
          route.path
        )
        const raw = typeof body === 'string' ? body : JSON.stringify(body)
        // Only what the route's schema refuses is under test; a body that happens to be valid may act.
        const params = Object.fromEntries(pathParams(route.path).map((k) => [k, param]))
        // fc.json() yields JSON text, so a string body may parse to a valid one ('{}' for a partial update).
        fc.pre(!route.input?.safeParse(asInput(body, params)).success)
        const r = await svc.api<{ error?: { message: string } }>(route.method, path, raw, line.token)
        const where = `${name}: ${route.method} ${path} ${raw.slice(0, 120)} -> ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`
        expect(r.status, where).toBeGreaterThanOrEqual(400)
        expect(r.status, where).toBeLessThan(500)
        expect(r.body.error?.message.length, where).toBeGreaterThan(0)
      }),
      { numRuns: 400 }
    )
    expect(await tableCounts(svc)).toEqual(before)
  })
})
