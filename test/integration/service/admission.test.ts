/**
 * Admission control in the real service (src/server/http/admission.ts), on SQLite and PostgreSQL: a burst of
 * top-ups on connections already open (so they arrive together, as from many clients at once) against a service
 * bounded at 2 requests in flight and 2 waiting. Past the bound each is answered 503 `overloaded` with a
 * Retry-After, and nothing was done for it; every admitted one succeeded; sending the refused ones again with the
 * same idempotency keys tops up each exactly once. How fast a 503 comes back is the load benchmark's to measure.
 * A sender who opens requests and never finishes their bodies (slowloris) takes no place, and does not hold up the
 * service's close; one without a session is turned away before a large body (a greeting upload) is read at all.
 */
import { Agent, request } from 'node:http'
import { connect, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CARDS, key, saveCard } from '../../support/billing-flows'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { trialLine } from '../../support/service-flows'

const BURST = 40
const AMOUNT = 500

interface Answer {
  readonly status: number
  readonly retryAfter: string | undefined
  readonly body: { error?: { reason?: string } }
}

describe.each(BACKENDS)('admission control under a burst on %s', (backend) => {
  let svc: TestService
  beforeAll(async () => {
    svc = await startTestService(backend, {}, { DIALTONE_MAX_IN_FLIGHT: '2', DIALTONE_MAX_QUEUED: '2' })
  })
  let closed = false
  afterAll(() => (closed ? undefined : svc.close()))

  it('refuses past the bound at once with 503 and Retry-After, does nothing for them, and serves the rest', async () => {
    const line = await trialLine(svc)
    const pm = await saveCard(svc, line.token, CARDS.ok)
    const { port } = new URL(svc.base)
    // One connection per request, opened first (the health route is never refused), then all sent together.
    const agent = new Agent({ keepAlive: true, maxSockets: BURST })
    const send = (method: string, path: string, body?: unknown): Promise<Answer> =>
      new Promise((resolve, reject) => {
        const data = body === undefined ? undefined : JSON.stringify(body)
        const req = request(
          {
            host: '127.0.0.1',
            port,
            method,
            path,
            agent,
            headers: {
              authorization: `Bearer ${line.token}`,
              ...(data
                ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) }
                : {})
            }
          },
          (res) => {
            let text = ''
            res.setEncoding('utf8')
            res.on('data', (c: string) => (text += c))
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                retryAfter: res.headers['retry-after'],
                body: text ? (JSON.parse(text) as Answer['body']) : {}
              })
            )
          }
        )
        req.on('error', reject)
        req.end(data)
      })
    const warm = await Promise.all(Array.from({ length: BURST }, () => send('GET', '/v1/health')))
    expect(warm.every((a) => a.status === 200)).toBe(true)

    const keys = Array.from({ length: BURST }, () => key())
    const topUp = (k: string) =>
      send('POST', '/v1/balance/top-up', {
        idempotencyKey: k,
        amountMinor: AMOUNT,
        payment: { paymentMethodId: pm }
      })
    const answers = await Promise.all(keys.map(topUp))
    const refused = keys.filter((_, i) => answers[i]?.status === 503)
    const admitted = answers.filter((a) => a.status !== 503)
    expect(refused.length).toBeGreaterThan(0)
    expect(admitted.length).toBeGreaterThan(0)
    for (const a of answers.filter((x) => x.status === 503)) {
      expect(a.body.error?.reason).toBe('overloaded')
      expect(Number(a.retryAfter)).toBeGreaterThanOrEqual(1)
    }
    // Every admitted request succeeded: overload shows as 503s only.
    expect(admitted.map((a) => a.status).filter((s) => s !== 201 && s !== 200)).toEqual([])
    // The refused ones changed nothing: the balance is the admitted top-ups alone.
    const balance = async () =>
      (await svc.api<{ balance: { amountMinor: number } }>('GET', '/v1/balance', undefined, line.token)).body
        .balance.amountMinor
    expect(await balance()).toBe(admitted.length * AMOUNT)

    // Sent again one at a time with the same keys (as a client does after Retry-After): each tops up once.
    for (const k of refused) expect((await topUp(k)).status).toBeLessThan(300)
    // And the admitted keys sent again are answered from their idempotency record, not charged twice.
    for (const k of keys.filter((x) => !refused.includes(x)))
      expect((await topUp(k)).status).toBeLessThan(300)
    expect(await balance()).toBe(BURST * AMOUNT)
    agent.destroy()
  })

  it('gives no place to a request whose body has not arrived, and closes past such senders', async () => {
    const line = await trialLine(svc)
    const { port } = new URL(svc.base)
    // Twice the places and the queue: requests whose headers came but whose bodies never will.
    const slow: Socket[] = []
    for (let i = 0; i < 8; i++) {
      const s = connect(Number(port), '127.0.0.1')
      s.on('error', () => undefined)
      s.write(
        `POST /v1/auth/sign-in HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\n` +
          'content-length: 100\r\n\r\n{"identifier":'
      )
      slow.push(s)
    }
    // A route that takes a large body (a greeting) turns away a sender without a session before reading it.
    const upload = connect(Number(port), '127.0.0.1')
    const answered = new Promise<string>((resolve) => upload.once('data', (d) => resolve(d.toString())))
    upload.write(
      `PUT /v1/lines/${line.lineId}/voicemail/greeting HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
        'content-type: application/json\r\ncontent-length: 800000\r\n\r\n{"audio":"'
    )
    slow.push(upload)
    const first = await Promise.race([answered, new Promise<string>((r) => setTimeout(() => r(''), 3000))])
    expect(first.split('\r\n')[0]).toBe('HTTP/1.1 401 Unauthorized')
    await new Promise((r) => setTimeout(r, 300))
    const lines = await fetch(`${svc.base}/v1/lines`, {
      headers: { authorization: `Bearer ${line.token}` },
      signal: AbortSignal.timeout(5000)
    })
    expect(lines.status).toBe(200)
    // The service closes after its grace (5 s), not when the senders give up.
    const t0 = Date.now()
    closed = true
    await svc.close()
    expect(Date.now() - t0).toBeLessThan(8000)
    for (const s of slow) s.destroy()
    await new Promise((r) => setTimeout(r, 300))
    // Senders who went away are no failure of the service: nothing logged as one (a flood of them fills no log).
    expect(svc.logged.filter((l) => l.includes('failed'))).toEqual([])
  }, 30_000)
})
