/**
 * The SIP line in main: sip.js's UserAgent over WebSocket (`ws` in Node), registered with the provisioned
 * credentials and kept registered. sip.js alone does not do this (research sip.md §2): after a transport drop its
 * Registerer still says Registered, it never re-registers after reconnecting, and its reconnection options are
 * deprecated and skip a failed first start. So this class owns the lifecycle: connect, register, watch the
 * transport (and ask it, connection-heartbeat.ts: a connection that dies quietly says nothing), and on any loss
 * reconnect with exponential back-off and jitter, then register again; kick() retries at once (network back,
 * resume from sleep). A refused registration re-reads the credentials once (they may have
 * been rotated) before it reports the line failed. Every change is reported; the line is never silently down.
 * The service may name several SIP servers (SRV-style priorities and weights, sip-servers.ts): the line uses the
 * first, and when it cannot reach its server (or the server answers that it cannot serve) the next retry goes to
 * the next one in the list, round and round; the back-off still grows, so a wholly unreachable list is not hammered.
 */
import { randomUUID } from 'node:crypto'
import { Registerer, RegistererState, SIPExtension, UserAgent, type UserAgentOptions } from 'sip.js'
import type WebSocket from 'ws'
import type { LineProblem, LineStatus } from '../../shared/ipc/phone'
import { settleWithin } from '../../shared/settle-within'
import type { SipServer } from '../../shared/telephony/sip-servers'
import { type BackoffOptions, backoffDelay } from '../backoff'
import {
  DEFAULT_HEARTBEAT,
  type Heartbeat,
  type HeartbeatOptions,
  startHeartbeat,
  useWsForSipJs
} from './connection-heartbeat'
import { hasNetwork, type LineFailure, lineProblem } from './line-problem'
import { ServerRotation } from './server-rotation'
import { guardMessages } from './sip-message-guard'
import { stopUserAgentWithin } from './user-agent-stop'

export interface SipCredentials {
  readonly uri: string
  readonly username: string
  readonly authorizationUsername: string
  readonly password: string
  readonly websocketUrl: string
  /** Every server the line may use (the service's list); absent: websocketUrl alone. */
  readonly servers?: readonly SipServer[]
  readonly displayName: string
  /** The line's number (E.164), for the status. */
  readonly number: string | null
}

/** After refused credentials, retry this rarely (the service may fix the line meanwhile). */
const REFUSED_RETRY_MS = 5 * 60_000
/** How long stopping waits for each answer from the server (the un-REGISTER, the user agent's own stop). */
const STOP_STEP_MS = 2000

/**
 * Why the line is asked to retry now: the computer woke up, the screen was unlocked, the person asked, or this
 * computer's network addresses changed (network-watch.ts).
 */
export type KickReason = 'resume' | 'unlock' | 'asked' | 'network'

export interface SipLineOptions {
  readonly credentials: () => Promise<SipCredentials>
  readonly onStatus: (status: LineStatus) => void
  readonly backoff?: BackoffOptions
  /** How often the connection is checked, and how long an answer may take (connection-heartbeat.ts). */
  readonly heartbeat?: HeartbeatOptions
  readonly registerExpiresS?: number
  readonly log?: (message: string) => void
  /**
   * A user agent's calls go with its connection: they were dropped, not ended (it did not stop in time), or it is
   * about to be replaced (after sleep). Whoever keeps the calls ends them now, saying the connection was lost: sip.js
   * may never say they ended (a BYE it was holding for an ACK, a CANCEL whose 487 never came).
   */
  readonly onCallsDropped?: (ua: UserAgent, reason: string) => void
  /** Extra UserAgent options (the session description handler factory for calls). */
  readonly userAgent?: Partial<UserAgentOptions>
  /** Whether this computer has a network (tests pass their own); default: any non-loopback interface. */
  readonly online?: () => boolean
  readonly now?: () => number
}

export class SipLine {
  private ua: UserAgent | null = null
  private registerer: Registerer | null = null
  private creds: SipCredentials | null = null
  private attempt = 0
  private timer: NodeJS.Timeout | null = null
  private stopped = true
  private refusedOnce = false
  private readonly servers = new ServerRotation()
  /**
   * This line's instance (RFC 5626 +sip.instance, with reg-id 1 on each REGISTER), the same for every connection it
   * makes: a registration on another server takes the place of the one the server copied from the server left
   * behind (the registrar matches them by instance), so calls are not forked toward a server that is gone.
   */
  private readonly instanceId = randomUUID()
  /** Which call of connect() is the latest (see connect). */
  private generation = 0
  private freshCredentials = false
  /** The heartbeat on the user agent's connection. */
  private beating: { ua: UserAgent; beat: Heartbeat } | null = null
  private current: LineStatus = {
    state: 'unconfigured',
    number: null,
    problem: null,
    retryAt: null,
    reason: null
  }

  constructor(private readonly o: SipLineOptions) {
    useWsForSipJs()
  }

  get status(): LineStatus {
    return this.current
  }

  get userAgent(): UserAgent | null {
    return this.ua
  }

  /** The WebSocket URL of the server the line uses (or is trying) now; null before its credentials are read. */
  get serverUrl(): string | null {
    return this.servers.current
  }

  private problemOf(f: LineFailure): LineProblem {
    return lineProblem(f, (this.o.online ?? hasNetwork)())
  }

  private report(
    state: LineStatus['state'],
    reason: string | null,
    problem: LineProblem | null = null,
    retryAt: string | null = null
  ): void {
    const next = { state, number: this.creds?.number ?? null, problem, retryAt, reason }
    if (
      next.state === this.current.state &&
      next.reason === this.current.reason &&
      next.number === this.current.number &&
      next.problem === this.current.problem &&
      next.retryAt === this.current.retryAt
    )
      return
    this.current = next
    this.o.onStatus(next)
  }

  async start(): Promise<void> {
    this.stopped = false
    this.attempt = 0
    this.refusedOnce = false
    this.servers.reset()
    await this.connect(true)
  }

  /**
   * Retry now: the computer woke up (`resume`), the screen was unlocked (`unlock`), the person asked, or the network
   * changed. After an unlock or when asked, not while calls are in progress on a registered line whose connection
   * looks up: a new connection cannot carry them, and unlocking the screen in the middle of a call ended it. After
   * sleep always: the connection is usually dead then, and the heartbeat would notice only up to 25 s later. After
   * a network change a line that is up is asked now whether it still works; refused credentials wait as they were.
   */
  kick(why: KickReason = 'asked'): void {
    if (this.stopped) return
    if (why === 'network') return this.networkChanged()
    const ua = this.ua
    const calls = ua ? Object.keys(ua._sessions).length : 0
    if (why !== 'resume' && this.current.state === 'registered' && ua?.isConnected() && calls > 0) {
      this.o.log?.('not reconnecting: calls are in progress on a working connection')
      return
    }
    // The calls go with the old connection: they end now, said why, not as if the other party had hung up.
    if (ua && calls > 0)
      this.o.onCallsDropped?.(
        ua,
        why === 'resume' ? 'the computer slept, so the line reconnected' : 'the line reconnected'
      )
    this.attempt = 0
    void this.connect(false).catch((err: unknown) => this.o.log?.(`connect failed: ${String(err)}`))
  }

  /**
   * A line that is up asks its connection now; one waiting out its back-off retries now (from the back-off's start
   * when it had no network before); one connecting, or whose credentials were refused, goes on as it was: a network
   * that flaps must not restart a connection, or skip the back-off, every few seconds.
   */
  private networkChanged(): void {
    if (this.current.state === 'registered' && this.ua?.isConnected()) return this.beating?.beat.check()
    if (this.current.state !== 'unregistered' || this.timer === null) return
    if (this.current.problem === 'noNetwork') this.attempt = 0
    void this.connect(false).catch((err: unknown) => this.o.log?.(`connect failed: ${String(err)}`))
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.clearTimer()
    this.stopBeating()
    const ua = this.ua
    const reg = this.registerer
    this.ua = null
    this.registerer = null
    if (reg && reg.state === RegistererState.Registered)
      if (!(await settleWithin(reg.unregister(), STOP_STEP_MS)))
        this.o.log?.('the un-REGISTER was not answered in time; the registration expires on the server')
    if (ua) await this.stopUserAgent(ua)
    this.report('unregistered', 'the line was stopped', 'stopped')
  }

  /** The connection is given up on (stopping, replaced, retrying): nothing more to ask of it. */
  private stopBeating(): void {
    this.beating?.beat.stop()
    this.beating = null
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }

  private retryLater(
    failure: LineFailure,
    reason: string,
    ms = backoffDelay(this.attempt++, this.o.backoff)
  ): void {
    if (this.stopped) return
    this.stopBeating()
    const at = new Date((this.o.now?.() ?? Date.now()) + ms).toISOString()
    this.report(
      'unregistered',
      `${reason}; retrying in ${Math.max(1, Math.round(ms / 1000))} s`,
      this.problemOf(failure),
      at
    )
    this.clearTimer()
    this.timer = setTimeout(
      () => void this.connect(false).catch((err: unknown) => this.o.log?.(`connect failed: ${String(err)}`)),
      ms
    )
  }

  /**
   * A connection being replaced is closed before its user agent stops, so it sends no un-REGISTER: the new
   * connection's REGISTER takes its contact's place (the same instance), and an un-REGISTER the server read after
   * that (a server slow to read the old connection) would remove the new contact, matched by instance.
   */
  private async teardown(): Promise<void> {
    const ua = this.ua
    this.ua = null
    this.registerer = null
    if (!ua) return
    await settleWithin(
      ua.transport.disconnect().catch(() => undefined),
      STOP_STEP_MS
    )
    await this.stopUserAgent(ua)
  }

  /**
   * Stops a user agent within bounds (user-agent-stop.ts); when what it waited on had to be dropped, its calls
   * went with it, and whoever keeps them is told (onCallsDropped).
   */
  private async stopUserAgent(ua: UserAgent): Promise<void> {
    if (this.beating?.ua === ua) this.stopBeating()
    if (await stopUserAgentWithin(ua, STOP_STEP_MS)) return
    this.o.log?.('the user agent did not stop in time; its calls and connection were dropped')
    this.o.onCallsDropped?.(ua, 'the connection to the SIP server was closed under the calls')
  }

  private async connect(freshCredentials: boolean): Promise<void> {
    if (this.stopped) return
    // Two retries at once (the computer woke and the screen was unlocked together): the later one makes the
    // connection, the earlier stops where it finds it is no longer the latest, so one user agent is left.
    const generation = ++this.generation
    const superseded = (): boolean => this.stopped || generation !== this.generation
    // Asked to read the credentials again (refused ones): so is the connect that supersedes this one.
    this.freshCredentials ||= freshCredentials
    this.clearTimer()
    await this.teardown()
    if (superseded()) return
    try {
      if (this.freshCredentials || !this.creds) {
        this.creds = await this.o.credentials()
        this.freshCredentials = false
        if (superseded()) return
        this.servers.use(this.creds.servers, this.creds.websocketUrl)
      }
    } catch (err) {
      this.retryLater(
        { kind: 'credentials' },
        `the line's SIP credentials could not be fetched (${err instanceof Error ? err.message : String(err)})`
      )
      return
    }
    const creds = this.creds
    const server = this.serverUrl ?? creds.websocketUrl
    const uri = UserAgent.makeURI(creds.uri)
    if (!uri) {
      this.report('failed', `the provisioned SIP address is not valid: ${creds.uri}`, 'misprovisioned')
      return
    }
    // While retrying, the problem stays on show (with no countdown: the retry is happening now).
    this.report('registering', null, this.current.state === 'registered' ? null : this.current.problem)
    const ua = new UserAgent({
      uri,
      displayName: creds.displayName,
      authorizationUsername: creds.authorizationUsername,
      authorizationPassword: creds.password,
      transportOptions: { server, traceSip: false },
      logLevel: 'error',
      logBuiltinEnabled: false,
      sessionDescriptionHandlerFactoryOptions: { peerConnectionConfiguration: { iceServers: [] } },
      // The line answers every INVITE itself, in the same turn (CallController.onInvite: 180 when it rings or waits,
      // 486 when busy or blocked). sip.js's own automatic 180 came first and was then sent again by the line, and
      // told a caller about to get a 486 that the phone was ringing.
      sendInitialProvisionalResponse: false,
      // An attended transfer's INVITE with Replaces is matched to the call it replaces (481 when there is none);
      // whether the line takes it is takeReplacing's (call-transfers.ts).
      sipExtensionReplaces: SIPExtension.Supported,
      instanceId: this.instanceId,
      ...this.o.userAgent
    })
    guardMessages(ua, (m) => this.o.log?.(m))
    ua.transport.onDisconnect = (error) => {
      // A retry already waiting (the registration failed on this connection) is not moved on by its close.
      if (this.ua !== ua || this.stopped || this.timer) return
      this.servers.next()
      this.retryLater(
        { kind: 'unreachable', serverUrl: server },
        `the connection to ${server} was lost${error ? ` (${error.message})` : ''}`
      )
    }
    this.ua = ua
    try {
      await ua.start()
    } catch (err) {
      if (this.ua !== ua) return
      this.servers.next()
      this.retryLater(
        { kind: 'unreachable', serverUrl: server },
        `cannot reach the SIP server at ${server} (${err instanceof Error ? err.message : String(err)})`
      )
      return
    }
    if (this.ua !== ua || this.stopped) return
    const ws = (ua.transport as unknown as { ws?: WebSocket }).ws
    const beat = this.o.heartbeat ?? DEFAULT_HEARTBEAT
    if (ws)
      this.beating = {
        ua,
        beat: startHeartbeat(ws, beat, () =>
          this.o.log?.(`${server} did not answer a heartbeat within ${beat.timeoutMs} ms; reconnecting`)
        )
      }
    await this.register(ua)
  }

  private async register(ua: UserAgent): Promise<void> {
    const registerer = new Registerer(ua, { expires: this.o.registerExpiresS ?? 300, regId: 1 })
    this.registerer = registerer
    registerer.stateChange.addListener((state) => {
      if (this.registerer !== registerer) return
      if (state === RegistererState.Registered) {
        this.attempt = 0
        this.refusedOnce = false
        this.report('registered', null)
      } else if (state === RegistererState.Unregistered && this.current.state === 'registered') {
        // A re-REGISTER refused, or never answered (sip.js makes up a 408): the line is not registered any more,
        // whatever its connection says, and it said "registered" until the connection itself failed (minutes).
        const server = this.serverUrl ?? ''
        this.servers.next()
        this.retryLater({ kind: 'unreachable', serverUrl: server }, 'the registration could not be renewed')
      }
    })
    await registerer
      .register({
        requestDelegate: {
          onReject: (response) => {
            if (this.registerer !== registerer) return
            const code = response.message.statusCode ?? 0
            const phrase = response.message.reasonPhrase ?? ''
            if (code === 401 || code === 403 || code === 407) {
              if (!this.refusedOnce) {
                // The service may have rotated the password: read the credentials again, once.
                this.refusedOnce = true
                this.o.log?.(`registration refused (${code}); re-reading credentials`)
                void this.connect(true).catch((err: unknown) =>
                  this.o.log?.(`connect failed: ${String(err)}`)
                )
                return
              }
              const at = new Date((this.o.now?.() ?? Date.now()) + REFUSED_RETRY_MS).toISOString()
              this.report(
                'failed',
                `the SIP server refused this line's credentials (${code} ${phrase})`,
                this.problemOf({ kind: 'rejected', status: code }),
                at
              )
              this.timer = setTimeout(
                () =>
                  void this.connect(true).catch((err: unknown) =>
                    this.o.log?.(`connect failed: ${String(err)}`)
                  ),
                REFUSED_RETRY_MS
              )
              return
            }
            // A server that cannot serve now (overloaded, shutting down): another server may.
            if (code === 408 || code >= 500) this.servers.next()
            this.retryLater(
              { kind: 'rejected', status: code },
              `the SIP server answered ${code} ${phrase}`.trim()
            )
          }
        }
      })
      .catch((err: unknown) =>
        this.retryLater(
          { kind: 'unreachable', serverUrl: this.serverUrl ?? '' },
          `the registration could not be sent (${err instanceof Error ? err.message : String(err)})`
        )
      )
  }
}
