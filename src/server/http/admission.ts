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

/** Routes admitted whatever the load (path without query). */
const ALWAYS_ADMITTED = new Set(['/v1/health'])

export interface AdmissionOptions {
  /** Requests in flight at once in this process; the next one is refused until one ends. */
  readonly maxInFlight: number
  /** What the 503 tells the client to wait, in whole seconds (HTTP's Retry-After has no fractions). */
  readonly retryAfterS?: number
}

export interface Admission {
  /** Requests admitted and not yet ended (the tests read it). */
  inFlight(): number
  /** Requests refused since start. */
  refused(): number
}

export function installAdmission(app: FastifyInstance, options: AdmissionOptions): Admission {
  const retryAfterS = options.retryAfterS ?? 1
  let inFlight = 0
  let refused = 0
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?', 1)[0] ?? ''
    if (ALWAYS_ADMITTED.has(path)) return
    if (inFlight >= options.maxInFlight) {
      refused++
      throw new ServiceError(
        'unavailable',
        'the service is busy; try again after Retry-After (nothing was changed)',
        {
          reason: 'overloaded',
          retryAfterS
        }
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
    })
  })
  return { inFlight: () => inFlight, refused: () => refused }
}
