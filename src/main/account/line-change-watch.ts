/**
 * Hears that the account's lines changed on the service while the app runs (support suspended or restored one, it
 * lapsed, an operator moved its number, the account's other computer renamed it): the line-changes long poll
 * (shared/api/line-changes.ts), one at a time while signed in. When the version it answers moves, main says
 * `account.linesChanged` (after: 'service'), and everything that already follows that event looks again: the
 * phone (its line, registration and why it is out of service), the setup, the reminders and the screens. The phone's
 * own re-read every 5 minutes stays, for a service too old to have the route.
 *
 * A failure waits before the next poll (1 s doubling to 60 s, with jitter; a service with no room for the poll
 * answers 503 with Retry-After), an unchanged answer that came back sooner than MIN_POLL_MS waits out the rest, and
 * a moved one MIN_MOVED_POLL_MS, so the app never spins on the service. Signing out stops it (the poll in flight is
 * aborted); signing in starts it again, from the version last heard for that account, so a change made while the
 * session changed is still said.
 */
import { DialtoneError } from '../../shared/ipc/errors'
import type { AccountService } from './account-service'
import type { EventBus } from '../ipc/event-bus'
import { type Logger, logFailure } from '../log/logger'
import { type BackoffOptions, backoffDelay } from '../backoff'

/** An unchanged answer is never followed by the next poll sooner than this after the last one began. */
export const MIN_POLL_MS = 5000
/**
 * Nor a moved one sooner than this: versions that alternate (two service versions behind one balancer during a
 * deploy, each digesting the lines its own way) would otherwise make every round trip a refresh of everything.
 */
export const MIN_MOVED_POLL_MS = 1000
/**
 * Failures' waits, by the phone's backoffDelay: 1 s doubling to 60 s, each between half and the whole of it (its
 * jitter is a spread of a third either side of three quarters of that).
 */
const FAILURE_BACKOFF: BackoffOptions = { initialMs: 750, maxMs: 45_000, jitter: 1 / 3 }

export interface LineChangeWatchOptions {
  readonly account: Pick<AccountService, 'call' | 'state'>
  readonly events: EventBus
  readonly log: Pick<Logger, 'info' | 'warn'>
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>
  readonly random?: () => number
}

const abortableSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms)
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t)
        resolve()
      },
      { once: true }
    )
  })

export class LineChangeWatch {
  private running: AbortController | null = null
  /** The version last heard, and whose. */
  private last: { accountId: string; version: string } | null = null
  private unsubscribe: (() => void) | null = null
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>
  private readonly random: () => number

  constructor(private readonly o: LineChangeWatchOptions) {
    this.sleep = o.sleep ?? abortableSleep
    this.random = o.random ?? Math.random
  }

  start(): void {
    this.unsubscribe = this.o.events.subscribe((name) => {
      if (name === 'account.sessionChanged') this.follow()
    })
    this.follow()
  }

  stop(): void {
    this.unsubscribe?.()
    this.unsubscribe = null
    this.running?.abort()
    this.running = null
  }

  /** A poll loop while signed in (a new one for a new session), none while signed out. */
  private follow(): void {
    const { signedIn, accountId } = this.o.account.state()
    this.running?.abort()
    this.running = null
    if (!signedIn || accountId === null) return
    const running = new AbortController()
    this.running = running
    this.loop(accountId, running.signal).catch(logFailure(this.o.log, 'the line-changes watch'))
  }

  private async loop(accountId: string, signal: AbortSignal): Promise<void> {
    let since = this.last?.accountId === accountId ? this.last.version : undefined
    let failures = 0
    while (!signal.aborted) {
      const began = Date.now()
      try {
        const { version } = await this.o.account.call('lineChanges', since ? { since } : {}, { signal })
        if (signal.aborted) return
        failures = 0
        const moved = since !== undefined && version !== since
        if (moved) this.o.events.emit('account.linesChanged', { after: 'service' })
        const asked = since
        since = version
        this.last = { accountId, version }
        const gap = (moved ? MIN_MOVED_POLL_MS : MIN_POLL_MS) - (Date.now() - began)
        if (asked !== undefined && gap > 0) await this.sleep(gap, signal)
      } catch (err) {
        if (signal.aborted) return
        // The session ended: AccountService forgot it, and its sessionChanged starts whatever comes next.
        if (err instanceof DialtoneError && err.code === 'UNAUTHENTICATED') return
        failures++
        if (failures === 1 || failures % 10 === 0)
          this.o.log.info(
            { failures, reason: err instanceof DialtoneError ? err.reason : undefined },
            'line changes: the poll failed; trying again'
          )
        await this.sleep(backoffDelay(failures - 1, FAILURE_BACKOFF, this.random), signal)
      }
    }
  }
}
