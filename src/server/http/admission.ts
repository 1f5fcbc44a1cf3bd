/**
 * Admission control: a bounded number of requests in flight in this process; the rest are answered at once with
 * 503 `overloaded` and Retry-After, before any work (nothing read, nothing changed), so a client retries later with
 * the same idempotency key instead of waiting in an unbounded queue. Why: without a bound, a saturated service
 * interleaves every accepted request and every one of them gets slow; a client that connects meanwhile waits
 * behind all of them (docs/benchmarks.md, "Load"). With a bound, the admitted requests keep their latency (the
 * bound divided by the throughput) and the refused ones cost a header parse and a short JSON body.
 *
 * The health route is never refused: a load balancer (HAProxy, docs/scaling.md) takes a refused health check for
 * a dead process and would send everything to the others, which are just as loaded.
 */
import type { FastifyInstance } from 'fastify'
import { ServiceError } from './errors'

/** The longest Retry-After it asks for, in seconds. */
const MAX_RETRY_S = 30

/** Routes admitted whatever the load (path without query). */
const ALWAYS_ADMITTED = new Set(['/v1/health'])

export interface AdmissionOptions {
  /** Requests in flight at once in this process; the next one is refused until one ends. */
  readonly maxInFlight: number
  /** The shortest wait the 503 asks for, in whole seconds (HTTP's Retry-After has no fractions). */
  readonly retryAfterS?: number
}

export interface Admission {
  /** Requests admitted and not yet ended (the tests read it). */
  inFlight(): number
  /** Requests refused since start. */
  refused(): number
}

export function installAdmission(app: FastifyInstance, options: AdmissionOptions): Admission {
  const minRetryS = options.retryAfterS ?? 1
  let inFlight = 0
  let refused = 0
  // The last whole second's refusals and completions, for Retry-After: with many more clients refused than served,
  // one second is too short a wait (they would all come back at once and the refusals alone would fill the loop);
  // the wait grows with the queue outside, refused / served seconds, up to MAX_RETRY_S.
  let window = { second: 0, refused: 0, served: 0 }
  let last = { refused: 0, served: 0 }
  const tick = () => {
    const second = Math.floor(Date.now() / 1000)
    if (second !== window.second) {
      last = second === window.second + 1 ? window : { refused: 0, served: 0 }
      window = { second, refused: 0, served: 0 }
    }
    return window
  }
  const retryAfter = () =>
    Math.min(MAX_RETRY_S, Math.max(minRetryS, Math.ceil(last.refused / Math.max(1, last.served))))
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?', 1)[0] ?? ''
    if (ALWAYS_ADMITTED.has(path)) return
    const now = tick()
    if (inFlight >= options.maxInFlight) {
      refused++
      now.refused++
      throw new ServiceError(
        'unavailable',
        'the service is busy; try again after Retry-After (nothing was changed)',
        { reason: 'overloaded', retryAfterS: retryAfter() }
      )
    }
    inFlight++
    // 'close' comes once the answer is written or the client went away, whichever is first: either ends the work
    // this request can still cause to be waited on by its client.
    let released = false
    reply.raw.once('close', () => {
      if (released) return
      released = true
      inFlight--
      tick().served++
    })
  })
  return { inFlight: () => inFlight, refused: () => refused }
}
