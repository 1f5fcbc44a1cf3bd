/**
 * The phone's owner in main: follows the account session, picks the line to register (the first in service),
 * fetches its SIP credentials from the service, runs the SipLine and reports its status over the contract
 * (phone.status, phone.statusChanged). Signing out stops the line; a sleep/resume or a network change calls
 * kick() so the line re-registers at once instead of waiting for its back-off. It tells the call history whose
 * calls are whose (the signed-in account's; history-store.ts).
 */
import type { UserAgent } from 'sip.js'
import type { PhoneEvent } from '../../shared/ipc/device'
import type { CallState, LineStatus } from '../../shared/ipc/phone'
import { normalizeNanp } from '../../shared/numbers/nanp'
import type { CallerInfo } from '../../shared/telephony/caller-id'
import type { TonePlan } from '../../shared/telephony/tones'
import type { AccountService } from '../account/account-service'
import type { EventBus } from '../ipc/event-bus'
import { logFailure, type Logger } from '../log/logger'
import type { KeyValueStore } from '../store/key-value-store'
import { CallController } from './call-controller'
import { type BackoffOptions, DEFAULT_BACKOFF, backoffDelay } from '../backoff'
import type { HeartbeatOptions } from './connection-heartbeat'
import { type NetworkWatchOptions, watchNetwork } from './network-watch'
import { type KickReason, SipLine } from './sip-line'
import { hasNetwork, lineProblem } from './line-problem'
import { OUT_OF_SERVICE, type OutOfService, hasCredentials, whyOutOfService } from './out-of-service'
import { Ringer } from './ringer'
import { runStarCode } from './star-codes'
import { staticSdhFactory } from './static-sdh'
import { bridgedSdhFactory } from './proxy-sdh'
import { VoicemailWatch } from './voicemail-watch'
import type { MediaBridge } from './media-bridge'
import { settleWithin } from '../../shared/settle-within'

export interface PhonePorts {
  readonly account: AccountService
  readonly events: EventBus
  readonly log: Logger
  readonly store: KeyValueStore
  /** Switches the ringer of every attached phone (the cadence is the Ringer's). */
  readonly ring: (on: boolean) => Promise<void>
  /** The tone plan in use (its ring cadence). */
  readonly tonePlan: () => TonePlan
  readonly backoff?: BackoffOptions
  /** The line's heartbeat (tests shorten it). */
  readonly heartbeat?: HeartbeatOptions
  /** The renderer's MediaEngine, when one is attached, carries the calls' audio. */
  readonly media: MediaBridge
  /** Lights or darkens the message lamp of every attached phone that has one. */
  readonly messageWaiting?: (on: boolean) => Promise<void>
  /** Whether this computer has a network (tests pass their own). */
  readonly online?: () => boolean
  /** Where and how often the network's addresses are read (network-watch.ts; tests pass their own). */
  readonly networkWatch?: NetworkWatchOptions
  /** How often the account's lines are read again while the app runs (support may suspend or restore one). */
  readonly lineRecheckMs?: number
}

/**
 * Support's suspension or restoration reaches the app within seconds through the line-changes watch
 * (account/line-change-watch.ts says account.linesChanged); this re-read is for a service without that route.
 */
const LINE_RECHECK_MS = 5 * 60_000

const UNCONFIGURED: LineStatus = {
  state: 'unconfigured',
  number: null,
  problem: null,
  retryAt: null,
  reason: null
}

export class PhoneService {
  private line: SipLine | null = null
  private lineId: string | null = null
  /** The account whose line runs (it was signed in when the line started), whose calls the line's are. */
  private lineAccount: string | null = null
  private current: LineStatus = UNCONFIGURED
  private refreshing: Promise<void> = Promise.resolve()
  private unsubscribe: (() => void) | null = null
  private domain: string | null = null
  private blocked = new Set<string>()
  private readonly account: AccountService
  private readonly events: EventBus
  private readonly log: Logger
  private readonly backoff: BackoffOptions | undefined
  private readonly heartbeat: HeartbeatOptions | undefined
  private readonly media: MediaBridge
  readonly calls: CallController
  readonly ringer: Ringer
  private readonly voicemail: VoicemailWatch
  private watchedUa: UserAgent | null = null
  private readonly online: () => boolean
  private readonly networkWatch: NetworkWatchOptions | undefined
  /** Re-reading the account's lines after the service did not answer. */
  private refreshTimer: NodeJS.Timeout | null = null
  private refreshAttempt = 0
  /** Why the registered line is out of service (911 and 933 only): suspended, no 911 address, or lapsed. */
  private outOfService: OutOfService | null = null
  private readonly lineRecheckMs: number
  private recheckTimer: NodeJS.Timeout | null = null

  constructor(p: PhonePorts) {
    this.account = p.account
    this.events = p.events
    this.log = p.log
    this.backoff = p.backoff
    this.heartbeat = p.heartbeat
    this.media = p.media
    this.online = p.online ?? hasNetwork
    this.networkWatch = p.networkWatch
    this.lineRecheckMs = p.lineRecheckMs ?? LINE_RECHECK_MS
    this.ringer = new Ringer({
      ring: p.ring,
      cadence: () => p.tonePlan().ring.cadence,
      callerId: (message) =>
        p.events.emit('phone.callerId', { message: Buffer.from(message).toString('hex') }),
      log: (m) => p.log.warn(m)
    })
    this.voicemail = new VoicemailWatch({
      onWaiting: (waiting) => {
        this.calls.handle({ type: 'voicemail', waiting })
        const lamp = p.messageWaiting?.(waiting)
        if (lamp) void lamp.catch(logFailure(p.log, 'the message lamp'))
      },
      log: (m) => p.log.info(m)
    })
    this.calls = new CallController({
      ua: () => this.line?.userAgent ?? null,
      domain: () => this.domain,
      events: p.events,
      log: p.log,
      store: p.store,
      ring: async (on: boolean, callerId?: CallerInfo) =>
        on ? this.ringer.start(callerId) : this.ringer.stop(),
      isBlocked: (remote) => this.blocked.has(remote),
      tonePlan: p.tonePlan,
      starCode: (feature, number) =>
        runStarCode(
          {
            account: p.account,
            lineId: () => this.lineId,
            history: () => this.calls.history(),
            events: p.events,
            log: p.log,
            blockedChanged: () => {
              this.readBlocked().catch(logFailure(p.log, 'blocked numbers'))
            }
          },
          feature,
          number
        ),
      conference: async (sdhIds) => {
        if (!this.media.attached) return
        // Every handler id names the same conference in the engine: one request with the whole list.
        await this.media.request(sdhIds[0] ?? 'conference', 'conference', { peers: [...sdhIds] })
      },
      // A call is the signed-in account's; one on a line still stopping after its sign-out is the line's account's.
      historyOwners: {
        owner: () => p.account.state().accountId ?? (this.line ? this.lineAccount : null),
        viewer: () => p.account.state().accountId,
        lastSignedIn: () => p.account.lastAccountId()
      }
    })
    // No line is registered yet: a handset lifted now hears silence, not a dial tone that leads nowhere.
    this.calls.handle({ type: 'line', up: false })
  }

  get callState(): CallState {
    return this.calls.callState
  }

  /** Hook, keys and flash from a dongle's phone. */
  deviceEvent(e: PhoneEvent): void {
    if (e.type === 'hook') this.calls.handle({ type: e.offHook ? 'offHook' : 'onHook' })
    else if (e.type === 'digit') this.calls.handle({ type: 'digit', key: e.digit })
    else if (e.type === 'flash') this.calls.handle({ type: 'flash' })
    else if (e.type === 'mute') this.calls.mute(e.on)
  }

  /** The last dongle went away: its handset with it, so the calls on it end (the screen says why). */
  handsetGone(): void {
    this.calls.handle({ type: 'handsetGone' })
  }

  get status(): LineStatus {
    return this.current
  }

  /** A registered line out of service says so (only 911 and 933 go out); a line back in service does not. */
  private withService(s: LineStatus): LineStatus {
    if (s.state !== 'registered') return s
    if (this.outOfService) return { ...s, problem: this.outOfService, reason: 'the line is not in service' }
    return s.problem && (OUT_OF_SERVICE as readonly string[]).includes(s.problem)
      ? { ...s, problem: null, reason: null }
      : s
  }

  private report(status: LineStatus): void {
    this.current = status
    // The analog line follows the SIP line: no dial tone while it is down.
    this.calls.handle({ type: 'line', up: status.state === 'registered' })
    this.events.emit('phone.statusChanged', status)
  }

  start(): void {
    // A call the last run stopped during (crashed, killed, the power gone) is in the history: closed now.
    this.calls.recover()
    const events = this.events.subscribe((name, payload) => {
      if (name === 'account.sessionChanged' || name === 'account.linesChanged')
        void this.refresh().catch(logFailure(this.log, 'refresh'))
      // The SIP server refused a call because the line is not in service (suspended by support, lapsed) while
      // this app thought it was: read the lines now, so the status bar and the Phone page say why.
      if (
        name === 'phone.callStateChanged' &&
        (payload as CallState).why === 'notInService' &&
        !this.outOfService
      )
        void this.refresh().catch(logFailure(this.log, 'refresh'))
    })
    this.recheckTimer = setInterval(
      () => void this.refresh().catch(logFailure(this.log, 'refresh')),
      this.lineRecheckMs
    )
    this.recheckTimer.unref?.()
    const media = this.media.onDetach(() => this.calls.endAll('the window carrying their audio went away'))
    // Wi-Fi back, another network: the line retries (or checks its connection) now, not at its next try.
    const network = watchNetwork(() => this.kick('network'), this.networkWatch)
    this.unsubscribe = () => {
      events()
      media()
      network()
    }
    void this.refresh().catch(logFailure(this.log, 'refresh'))
  }

  /** Re-reads the account's lines and (re)starts the right one; serialised so changes cannot interleave. */
  refresh(): Promise<void> {
    this.refreshing = this.refreshing
      .then(() => this.doRefresh())
      .catch((err: unknown) => {
        this.log.warn({ err }, 'phone refresh failed')
      })
    return this.refreshing
  }

  private clearRefreshTimer(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer)
    this.refreshTimer = null
  }

  private async doRefresh(): Promise<void> {
    this.clearRefreshTimer()
    if (!this.account.state().signedIn) {
      await this.stopLine()
      if (this.current.state !== 'unconfigured') this.report(UNCONFIGURED)
      return
    }
    let lineId: string | null
    let outOfService: OutOfService | null = null
    try {
      const { lines } = await this.account.call('lines', undefined)
      const inService = lines.find((l) => l.status === 'in_service')
      // A line out of service that once activated keeps its credentials: it stays registered for 911 and 933,
      // which the SIP server lets through (it refuses everything else with a reason the call screen words).
      const notInService = inService ? undefined : lines.find(hasCredentials)
      lineId = (inService ?? notInService)?.id ?? null
      if (notInService) outOfService = whyOutOfService(notInService)
      this.refreshAttempt = 0
    } catch (err) {
      // Without the service the line cannot be read: try again with the line's back-off, and say when.
      if (this.line) return
      const ms = backoffDelay(this.refreshAttempt++, this.backoff ?? DEFAULT_BACKOFF)
      this.refreshTimer = setTimeout(() => void this.refresh().catch(logFailure(this.log, 'refresh')), ms)
      this.refreshTimer.unref?.()
      this.report({
        state: 'unregistered',
        number: null,
        problem: lineProblem({ kind: 'credentials' }, this.online()),
        retryAt: new Date(Date.now() + ms).toISOString(),
        reason: `the account service did not answer (${(err as Error).message})`
      })
      return
    }
    // The handset's dial plan lets only 911 and 933 through while the line is out of service.
    this.outOfService = outOfService
    this.calls.handle({ type: 'service', lapsed: this.outOfService !== null })
    if (this.current.state === 'registered') this.report(this.withService(this.current))
    if (lineId) await this.readBlocked()
    if (lineId) await this.readServices(lineId)
    if (lineId === this.lineId && this.line) return
    await this.stopLine()
    if (!lineId) {
      this.report(UNCONFIGURED)
      return
    }
    this.lineId = lineId
    this.lineAccount = this.account.state().accountId
    const id = lineId
    this.line = new SipLine({
      credentials: async () => {
        const c = await this.account.sipCredentials(id)
        this.domain = c.domain
        return { ...c, number: `+${c.username}` }
      },
      userAgent: {
        delegate: { onInvite: this.calls.onInvite },
        sessionDescriptionHandlerFactory: bridgedSdhFactory(this.media, staticSdhFactory(), () =>
          this.log.warn('no media engine attached: this call has signalling only and no sound')
        )
      },
      onStatus: (s) => {
        // A line stopped (sign-out, another line) has ended its calls itself; any other loss ends them here.
        if (s.state === 'unregistered' && s.problem !== 'stopped')
          this.calls.connectionLost('the connection to the SIP server was lost')
        this.report(this.withService(s))
        // Each new connection is a new UserAgent: the message-waiting subscription follows it.
        const ua = this.line?.userAgent ?? null
        if (s.state === 'registered' && ua && ua !== this.watchedUa) {
          this.watchedUa = ua
          void this.voicemail
            .stop()
            .then(() => this.voicemail.start(ua))
            .catch(logFailure(this.log, 'voicemail.stop'))
        }
      },
      onCallsDropped: (ua, reason) => this.calls.connectionLost(reason, ua),
      backoff: this.backoff,
      heartbeat: this.heartbeat,
      online: this.online,
      log: (m) => this.log.info(m)
    })
    await this.line.start()
  }

  private async stopLine(): Promise<void> {
    const line = this.line
    this.line = null
    this.lineId = null
    this.lineAccount = null
    this.watchedUa = null
    if (!(await settleWithin(this.voicemail.stop(), 2000)))
      this.log.warn('the message-waiting subscription did not end in time; it expires on the server')
    if (this.calls.callState.voicemailWaiting) this.calls.handle({ type: 'voicemail', waiting: false })
    if (line) this.calls.endForStop()
    await line?.stop()
  }

  /** Network back or the computer woke up: retry now. */
  private async readBlocked(): Promise<void> {
    try {
      const { numbers } = await this.account.call('blocked', undefined)
      this.blocked = new Set(numbers.map((n) => normalizeNanp(n.number) ?? n.number))
    } catch (err) {
      this.log.warn({ err }, 'blocked numbers not read; the previous list stays until the next refresh')
    }
  }

  /** The line's connected services the phone itself enforces (issue 25): call waiting off means busy. */
  private async readServices(lineId: string): Promise<void> {
    try {
      const { services } = await this.account.call('lineServices', { lineId })
      const waiting = services.find((s) => s.feature === 'call-waiting')
      this.calls.handle({ type: 'callWaitingService', on: waiting?.enabled ?? true })
    } catch (err) {
      this.log.warn(
        { err },
        'connected services not read; call waiting stays as it was until the next refresh'
      )
    }
  }

  /** "Try now": the line retries at once; without one (the service did not answer) the lines are read again. */
  kick(why?: KickReason): void {
    if (this.line) this.line.kick(why)
    else void this.refresh().catch(logFailure(this.log, 'refresh'))
  }

  async dispose(): Promise<void> {
    this.clearRefreshTimer()
    if (this.recheckTimer) clearInterval(this.recheckTimer)
    this.unsubscribe?.()
    this.ringer.stop()
    this.calls.dispose()
    await this.refreshing
    await this.stopLine()
  }
}
