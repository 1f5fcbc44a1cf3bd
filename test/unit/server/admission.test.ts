/**
 * Admission control (src/server/http/admission.ts) on a Fastify app of its own with the service's error handling:
 * past the bound a request is answered at once with 503 `overloaded` and Retry-After, the health route always
 * passes, a finished or abandoned request frees its place; and the app's client backs off per Retry-After.
 */
import Fastify, { type FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { createServiceClient } from '../../../src/main/account/service-client'
import { installAdmission } from '../../../src/server/http/admission'
import { installErrorHandling } from '../../../src/server/http/error-handler'
import { silentLogger } from '../../../src/server/context'

let app: FastifyInstance | null = null
afterEach(async () => {
  await app?.close()
  app = null
})

/** An app whose /slow requests wait until released, with admission bounded at `max` in flight and `queued` waiting. */
async function slowApp(max: number, queued = 0, queueTargetMs = 100) {
  app = Fastify()
  installErrorHandling(app, silentLogger)
  const admission = installAdmission(app, { maxInFlight: max, maxQueued: queued, queueTargetMs })
  const waiting: (() => void)[] = []
  let worked = 0
  app.get('/slow', async () => {
    worked++
    await new Promise<void>((resolve) => waiting.push(resolve))
    return { ok: true }
  })
  app.get('/v1/health', async () => ({ ok: true }))
  const base = await app.listen({ host: '127.0.0.1', port: 0 })
  const until = async (cond: () => boolean) => {
    while (!cond()) await new Promise((r) => setTimeout(r, 5))
  }
  return { admission, waiting, base, until, worked: () => worked }
}

describe('admission control', () => {
  it('answers past the bound at once with 503 overloaded and Retry-After, doing no work', async () => {
    const s = await slowApp(2)
    const first = [fetch(`${s.base}/slow`), fetch(`${s.base}/slow`)]
    await s.until(() => s.waiting.length === 2)
    const refused = await fetch(`${s.base}/slow`)
    expect(refused.status).toBe(503)
    expect(refused.headers.get('retry-after')).toBe('1')
    expect(await refused.json()).toMatchObject({ error: { code: 'unavailable', reason: 'overloaded' } })
    expect(s.worked()).toBe(2)
    expect(s.admission.refused()).toBe(1)
    // The load balancer's health check is never refused.
    expect((await fetch(`${s.base}/v1/health`)).status).toBe(200)
    for (const release of s.waiting.splice(0)) release()
    expect((await Promise.all(first)).map((r) => r.status)).toEqual([200, 200])
    await s.until(() => s.admission.inFlight() === 0)
    // Places freed: the next request is admitted.
    const next = fetch(`${s.base}/slow`)
    await s.until(() => s.waiting.length === 1)
    s.waiting.splice(0).forEach((release) => release())
    expect((await next).status).toBe(200)
  })

  it('holds a parsed request in its queue until a place frees, and refuses once the queue stands too long', async () => {
    const s = await slowApp(1, 4, 50)
    const first = fetch(`${s.base}/slow`)
    await s.until(() => s.waiting.length === 1)
    // Waits for the place (the queue is young), not refused.
    const second = fetch(`${s.base}/slow`)
    await s.until(() => s.admission.queued() === 1)
    expect(s.worked()).toBe(1)
    // The oldest waiting request has now waited past the target: a new one is refused at once, doing no work.
    await new Promise((r) => setTimeout(r, 80))
    const refused = await fetch(`${s.base}/slow`)
    expect(refused.status).toBe(503)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(s.worked()).toBe(1)
    s.waiting.splice(0).forEach((release) => release())
    expect((await first).status).toBe(200)
    // The waiting one starts once the first ended.
    await s.until(() => s.waiting.length === 1)
    s.waiting.splice(0).forEach((release) => release())
    expect((await second).status).toBe(200)
    expect([s.admission.inFlight(), s.admission.queued(), s.admission.refused()]).toEqual([0, 0, 1])
  })

  it('frees the place of a request whose client went away', async () => {
    const s = await slowApp(1)
    const abort = new AbortController()
    const gone = fetch(`${s.base}/slow`, { signal: abort.signal }).catch(() => null)
    await s.until(() => s.waiting.length === 1)
    expect(s.admission.inFlight()).toBe(1)
    abort.abort()
    await gone
    await s.until(() => s.admission.inFlight() === 0)
    const next = fetch(`${s.base}/slow`)
    await s.until(() => s.waiting.length === 2)
    s.waiting.splice(0).forEach((release) => release())
    expect((await next).status).toBe(200)
  })
})

describe('the app backs off per Retry-After', () => {
  const busy = () =>
    new Response(
      JSON.stringify({
        error: { code: 'unavailable', reason: 'overloaded', message: 'the service is busy' }
      }),
      { status: 503, headers: { 'retry-after': '2', 'content-type': 'application/json' } }
    )
  const healthy = () =>
    new Response(JSON.stringify({ status: 'ok', version: '1.2.3' }), {
      status: 200,
      headers: { 'content-type': 'application/json' }
    })

  it('waits the asked seconds (plus jitter) and sends the request again', async () => {
    const answers = [busy(), healthy()]
    const waits: number[] = []
    const client = createServiceClient(1000, async () => answers.shift() ?? busy(), {
      retries: 2,
      maxWaitS: 5,
      sleep: async (ms) => void waits.push(ms),
      random: () => 0.5
    })
    expect(await client.call('http://127.0.0.1:1', 'health', undefined)).toMatchObject({ version: '1.2.3' })
    expect(waits).toEqual([2500])
  })

  it('gives up after its retries with the reason for the person to read, and never waits a long Retry-After', async () => {
    let calls = 0
    const waits: number[] = []
    const backOff = {
      retries: 2,
      maxWaitS: 5,
      sleep: async (ms: number) => void waits.push(ms),
      random: () => 0
    }
    const client = createServiceClient(1000, async () => (calls++, busy()), backOff)
    await expect(client.call('http://127.0.0.1:1', 'health', undefined)).rejects.toMatchObject({
      failure: 'unavailable',
      options: { status: 503, reason: 'overloaded', retryAfterS: 2 }
    })
    expect([calls, waits]).toEqual([3, [2000, 2000]])
    const long = () =>
      new Response(
        JSON.stringify({ error: { code: 'unavailable', reason: 'storage-full', message: 'full' } }),
        {
          status: 503,
          headers: { 'retry-after': '60' }
        }
      )
    calls = 0
    const patient = createServiceClient(1000, async () => (calls++, long()), backOff)
    await expect(patient.call('http://127.0.0.1:1', 'health', undefined)).rejects.toMatchObject({
      options: { reason: 'storage-full', retryAfterS: 60 }
    })
    expect(calls).toBe(1)
  })
})
