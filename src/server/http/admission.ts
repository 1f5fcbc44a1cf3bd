/**
 * Admission control: a bounded amount of work in this process, counted from the moment a request has arrived
 * whole (its body read, within the body limit and the server's request timeout: a sender who never finishes a body
 * holds no place, so a few such connections cannot shut everyone out); what cannot be taken soon is answered at
 * once with 503 `overloaded` and Retry-After, before any work (nothing changed, and no session looked up except on
 * the few routes with a large body, which check it before reading: serve-route.ts, serve-ops.ts), so a client
 * retries later with the same idempotency key instead of waiting in an unbounded queue.
 *
 * Why a queue of its own and not only a count of requests in flight (measured, docs/scaling.md "Admission
 * control"): on SQLite a request's whole transaction runs synchronously, so the process never held more than one
 * request in flight and a count never refused anything. The queue was elsewhere: in the event loop, which runs
 * every request that became readable in one turn back to back (turns of 100 to 500 ms under load), and in the
 * kernel's accept queue, because Node 20 (libuv 1.46) accepts one new connection per turn of its loop (strace: one
 * `accept4` per `epoll_wait`, never drained to EAGAIN). So a parsed request waits here for its start, and starts
 * are paced per turn of the loop (setImmediate): as many per turn as do TURN_BUDGET_MS of synchronous work, so the
 * loop comes back to poll, parse what arrived (admitting or refusing it in microseconds) and accept one more
 * connection often. A request is refused when the bound on work held (in flight plus waiting) is reached, or,
 * past the in-flight bound's worth held, when the oldest waiting request has waited longer than the target: a
 * standing queue means the process is past its throughput and waiting longer helps no one (CoDel's idea, at the
 * door).
 *
 * The health route is never refused nor queued: a load balancer (HAProxy, docs/scaling.md) takes a refused or slow
 * health check for a dead process and would send everything to the others, which are just as loaded.
 */
import type { FastifyInstance } from 'fastify'
import { ServiceError } from './errors'
import { pathOf } from './request-log'

/** The longest Retry-After it asks for, in seconds. */
const MAX_RETRY_S = 30

/** The synchronous work requests started in one turn of the loop may take before the rest wait a turn (ms). */
const TURN_BUDGET_MS = 10

/** Routes admitted whatever the load (path without query). */
const ALWAYS_ADMITTED = new Set(['/v1/health'])

export interface AdmissionOptions {
  /** Requests in flight at once in this process (started, not yet answered); the next one waits for a place. */
  readonly maxInFlight: number
  /** Requests parsed and waiting for a place; past it the next one is refused at once. */
  readonly maxQueued?: number
  /** Once the oldest waiting request has waited this long, new ones are refused until the queue moves (ms). */
  readonly queueTargetMs?: number
  /** The shortest wait the 503 asks for, in whole seconds (HTTP's Retry-After has no fractions). */
  readonly retryAfterS?: number
}

export interface Admission {
  /** Requests admitted and not yet ended (the tests read it). */
  inFlight(): number
  /** Requests parsed and waiting for a place. */
  queued(): number
  /** Requests refused since start. */
  refused(): number
}

interface Waiting {
  readonly at: number
  readonly start: () => void
  gone: boolean
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Stops counting this request as work in flight (it only waits from now on); a no-op when not admitted. */
    leaveAdmission: (() => void) | null
  }
}

export function installAdmission(app: FastifyInstance, options: AdmissionOptions): Admission {
  app.decorateRequest('leaveAdmission', null)
  const minRetryS = options.retryAfterS ?? 1
  const maxQueued = options.maxQueued ?? 4 * options.maxInFlight
  const targetMs = options.queueTargetMs ?? 100
  let inFlight = 0
  let refused = 0
  const waiting: Waiting[] = []
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

  // Starts per turn of the loop, while the work they did synchronously stays under TURN_BUDGET_MS: each start is
  // followed by a microtask that queues a tick, and Node runs ticks only once the microtask queue is empty, so the
  // next start comes after the last one's synchronous part (a whole SQLite transaction; PostgreSQL's up to its
  // first round trip). Past the budget, the rest wait for the next turn.
  let pumping = false
  const startSome = () => {
    const t0 = performance.now()
    const next = () => {
      while (waiting[0]?.gone) waiting.shift()
      if (inFlight >= options.maxInFlight || waiting.length === 0) return
      if (performance.now() - t0 > TURN_BUDGET_MS) return pump()
      const w = waiting.shift()
      if (!w) return
      inFlight++
      w.start()
      queueMicrotask(() => process.nextTick(next))
    }
    next()
  }
  const pump = () => {
    if (pumping) return
    pumping = true
    setImmediate(() => {
      pumping = false
      startSome()
    })
  }

  app.addHook('preValidation', async (request, reply) => {
    const path = pathOf(request.url)
    if (ALWAYS_ADMITTED.has(path)) return
    const second = tick()
    const t = performance.now()
    const oldest = waiting[0]
    const full = inFlight + waiting.length >= options.maxInFlight + maxQueued
    // A burst within the in-flight bound (one person's app, a race test's 50 clients) is never refused for waiting.
    const standing =
      oldest !== undefined && inFlight + waiting.length >= options.maxInFlight && t - oldest.at > targetMs
    if (full || standing) {
      refused++
      second.refused++
      throw new ServiceError(
        'unavailable',
        'the service is busy; try again after Retry-After (nothing was changed)',
        { reason: 'overloaded', retryAfterS: retryAfter() }
      )
    }
    let started = false
    let start = () => {}
    const admitted = new Promise<void>((resolve) => {
      start = () => {
        started = true
        resolve()
      }
    })
    const entry: Waiting = { at: t, start, gone: false }
    let left = false
    const leave = () => {
      if (left) return
      left = true
      inFlight--
      tick().served++
      if (waiting.length > 0) pump()
    }
    // 'close' comes once the answer is written or the client went away, whichever is first: a waiting request
    // leaves the queue, a started one frees its place.
    reply.raw.once('close', () => {
      if (!started) {
        entry.gone = true
        return
      }
      leave()
    })
    // A long poll (a route's holdsS) frees its place while it only waits.
    request.leaveAdmission = () => {
      if (started) leave()
    }
    waiting.push(entry)
    pump()
    await admitted
  })
  return { inFlight: () => inFlight, queued: () => waiting.length, refused: () => refused }
}
