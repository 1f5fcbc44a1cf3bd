/**
 * Exponential back-off with jitter, for whatever retries a server: the SIP line's reconnections, the line watch's
 * failed reads. The jitter spreads many clients' retries after an outage, so they do not come back in step.
 */

export interface BackoffOptions {
  readonly initialMs: number
  readonly maxMs: number
  /** ±fraction of random spread, so many lines do not retry in step after an outage. */
  readonly jitter: number
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 30_000, jitter: 0.2 }

/** The delay before retry number `attempt` (0-based): initial x 2^attempt, capped, with jitter. */
export function backoffDelay(
  attempt: number,
  o: BackoffOptions = DEFAULT_BACKOFF,
  random = Math.random
): number {
  const base = Math.min(o.maxMs, o.initialMs * 2 ** attempt)
  return Math.round(base * (1 + o.jitter * (2 * random() - 1)))
}
