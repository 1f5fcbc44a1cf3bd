/**
 * Runs the line state machine (src/shared/telephony/line-state.ts) against the world: hook, keys and flash from
 * the dongle or the screen go in; the effects come out as SIP actions on sip.js sessions (INVITE, 180, answer,
 * CANCEL/BYE, reject with the right code, hold re-INVITE, DTMF by SIP INFO when RTP cannot carry it), the ringer,
 * tones for the MediaEngine, timers, missed-call notices and the call history.
 */
import { Inviter, type Invitation, type Session, SessionState, type UserAgent } from 'sip.js'
import type { CallFailure, CallState, HistoryEntry } from '../../shared/ipc/phone'
import { normalizeNanp } from '../../shared/numbers/nanp'
import { type CallerInfo, mdmf } from '../../shared/telephony/caller-id'
import { decide } from '../../shared/telephony/dial-plan'
import type { TransferOutcome } from '../../shared/telephony/transfer'
import { consultTarget, refer } from './transfer'
import { serverReason } from '../../shared/telephony/server-reasons'
import type { StarFeature } from '../../shared/telephony/star-codes'
import type { TonePlan } from '../../shared/telephony/tones'
import {
  type Call,
  type Effect,
  type LineEvent,
  type LineState,
  type TimerName,
  initialLine,
  step,
  withOutgoingCall
} from '../../shared/telephony/line-state'
import type { EventBus } from '../ipc/event-bus'
import type { Logger } from '../log/logger'
import type { KeyValueStore } from '../store/key-value-store'

const HISTORY_KEY = 'phone.history'
const HISTORY_MAX = 500

export interface CallControllerPorts {
  readonly ua: () => UserAgent | null
  /** The SIP domain calls are addressed in (the line's). */
  readonly domain: () => string | null
  readonly events: EventBus
  readonly log: Logger
  readonly store: KeyValueStore
  /** Rings the attached phones (and sends caller ID between the first and second ring). */
  readonly ring: (on: boolean, callerId?: CallerInfo) => Promise<void>
  /** Numbers (E.164 or digits) the account has blocked. */
  readonly isBlocked: (remote: string) => boolean
  /** The tone plan in use, whose specs go with each tone to the MediaEngine. */
  readonly tonePlan: () => TonePlan
  /** Carries out a star code that is not a call (*72, *73, *69, *60: star-codes.ts); without it, reorder. */
  readonly starCode?: (
    feature: StarFeature,
    number: string | null
  ) => Promise<{ ok: boolean; dial?: string; reason?: string }>
  /** Mixes the calls whose media sessions (handler ids) are listed with the phone; [] stops mixing. */
  readonly conference?: (sdhIds: readonly string[]) => Promise<void>
  readonly now?: () => Date
}

interface Tracked {
  readonly session: Session
  readonly call: Call
  readonly startedAt: string
  answeredAt: string | null
  outcome: HistoryEntry['outcome'] | null
  /** Why an outgoing call did not go through. */
  failure: CallFailure | null
  /** This side ended it (hung up before an answer: cancelled, not failed). */
  hungUp: boolean
}

const REJECT_CODE = { busy: 486, doNotDisturb: 480, blocked: 603 } as const

/**
 * Why a call the SIP server or the far end refused failed, from the final response's status code and, when the
 * server's policy refused it, the Reason header it named (server-reasons.ts).
 */
export function failureOf(status: number, reason?: string | null): CallFailure {
  const policy = serverReason(reason)
  if (policy && status === 403) return policy
  if (status === 404 || status === 410 || status === 604) return 'notFound'
  if (status === 484) return 'incomplete'
  if (status === 401 || status === 402 || status === 403 || status === 407) return 'forbidden'
  if (status === 603) return 'declined'
  if (status === 408 || status === 480 || status === 487) return 'unavailable'
  if (status >= 500 && status < 600) return 'serverError'
  return 'unknown'
}

export class CallController {
  private state: LineState = initialLine
  private readonly sessions = new Map<string, Tracked>()
  private readonly timers = new Map<TimerName, NodeJS.Timeout>()
  private counter = 0
  /** Why the calls now ending ended, when it was not the far end (the connection to the server dropped). */
  private lost: { readonly reason: string; readonly why: 'connectionLost' | 'mediaGone' } | null = null
  /** Mute is the person's, not the line's: kept here and cleared when no call is left. */
  private muted = false

  constructor(private readonly p: CallControllerPorts) {}

  private now(): Date {
    return this.p.now?.() ?? new Date()
  }

  get callState(): CallState {
    const s = this.state
    return {
      phase: s.phase,
      offHook: s.offHook,
      digits: s.digits,
      call: s.call,
      other: s.other,
      voicemailWaiting: s.voicemailWaiting,
      doNotDisturb: s.doNotDisturb,
      threeWay: s.threeWay,
      conference: s.conference,
      muted: this.muted,
      why: s.why,
      reason: s.reason
    }
  }

  history(): HistoryEntry[] {
    const raw = this.p.store.get(HISTORY_KEY)
    return Array.isArray(raw) ? (raw as HistoryEntry[]) : []
  }

  /** Applies one event and carries out what it says. */
  handle(event: LineEvent): CallState {
    const before = this.state
    const { state, effects } = step(this.state, event)
    this.state = state
    for (const e of effects) this.apply(e)
    const unmuted = this.muted && !this.state.call && !this.state.other
    if (unmuted) this.muted = false
    if (this.state !== before || unmuted) this.p.events.emit('phone.callStateChanged', this.callState)
    return this.callState
  }

  /** Mutes the microphone of the call in progress; without a call there is nothing to mute. */
  mute(on: boolean): CallState {
    const next = on && (this.state.call !== null || this.state.other !== null)
    if (next !== this.muted) {
      this.muted = next
      this.p.events.emit('phone.callStateChanged', this.callState)
    }
    return this.callState
  }

  /** The UserAgent's INVITE handler: every incoming call enters here. */
  readonly onInvite = (invitation: Invitation): void => {
    const id = `in-${++this.counter}`
    const identity = invitation.remoteIdentity
    const user = identity.uri.user ?? ''
    const anonymous = /anonymous/i.test(user) || /anonymous/i.test(identity.displayName ?? '')
    const remote = anonymous ? 'private' : (normalizeNanp(user) ?? user)
    const call: Call = { id, direction: 'in', remote }
    this.sessions.set(id, {
      session: invitation,
      call,
      startedAt: this.now().toISOString(),
      answeredAt: null,
      outcome: null,
      failure: null,
      hungUp: false
    })
    invitation.stateChange.addListener((s) => {
      if (s === SessionState.Established) this.answered(id)
      if (s === SessionState.Terminated) this.terminated(id)
    })
    const at = this.now()
    const callerId: CallerInfo = {
      at: { month: at.getMonth() + 1, day: at.getDate(), hour: at.getHours(), minute: at.getMinutes() },
      number: anonymous ? 'private' : user.replace(/^\+?1(?=\d{10}$)/, ''),
      name: anonymous ? 'private' : identity.displayName ? identity.displayName.slice(0, 15) : null
    }
    const incoming: LineEvent = {
      type: 'incoming',
      call,
      callerId,
      blocked: !anonymous && this.p.isBlocked(remote)
    }
    // Ringing, or waiting behind the call in progress: the caller hears ringback (180), sent before the line acts
    // on the call (whoever answers it, from the events below, answers a call that has rung). A refused call gets
    // only its final response (busy, blocked, do not disturb), from handle(). Either way this turn answers the
    // INVITE, so sip.js adds no 100 Trying (scripts/sip-trying-when-silent.ts).
    const offered = step(this.state, incoming).state
    if (offered.call?.id === id || offered.other?.id === id)
      void invitation.progress().catch((err: unknown) => this.p.log.warn({ err }, '180 Ringing not sent'))
    this.handle(incoming)
  }

  private answered(id: string): void {
    const t = this.sessions.get(id)
    if (t && !t.answeredAt) t.answeredAt = this.now().toISOString()
    if (t?.call.direction === 'out') this.handle({ type: 'progress', callId: id, status: 'answered' })
  }

  private terminated(id: string): void {
    const t = this.sessions.get(id)
    if (!t) return
    this.sessions.delete(id)
    // sip.js may end the session before it hands over the final response; let the reject handler run first.
    setImmediate(() => {
      this.record(t)
      const refused = t.call.direction === 'out' && !t.answeredAt
      const status = !refused ? 'ended' : t.outcome === 'busy' ? 'busy' : 'failed'
      const why = status === 'failed' ? (t.failure ?? this.lost?.why ?? 'unknown') : this.lost?.why
      this.handle({
        type: 'progress',
        callId: id,
        status,
        ...(this.lost ? { reason: this.lost.reason } : {}),
        ...(why ? { why } : {})
      })
      if (this.sessions.size === 0) this.lost = null
    })
  }

  private record(t: Tracked): void {
    // An outgoing call that ended unanswered without this side hanging up did not go through: failed, with why.
    const unanswered: HistoryEntry['outcome'] =
      t.call.direction === 'in' ? 'missed' : t.hungUp && !this.lost ? 'canceled' : 'failed'
    const outcome = t.outcome ?? (t.answeredAt ? 'answered' : unanswered)
    const failure =
      outcome === 'failed'
        ? (t.failure ?? (this.lost?.why === 'connectionLost' ? 'connectionLost' : 'unknown'))
        : null
    this.append({
      id: t.call.id + ':' + t.startedAt,
      direction: t.call.direction,
      remote: t.call.remote,
      startedAt: t.startedAt,
      answeredAt: t.answeredAt,
      endedAt: this.now().toISOString(),
      outcome,
      failure
    })
  }

  private append(entry: HistoryEntry): void {
    const outcome = entry.outcome
    try {
      this.p.store.set(HISTORY_KEY, [entry, ...this.history()].slice(0, HISTORY_MAX))
    } catch (err) {
      // A full disk must not take the phone down: the call is over either way; only its history line is lost.
      this.p.log.warn({ err, call: entry.id }, 'the call could not be added to the history')
    }
    if (outcome === 'missed') this.p.events.emit('phone.missedCall', entry)
  }

  private setTimer(name: TimerName, ms: number | null): void {
    const old = this.timers.get(name)
    if (old) clearTimeout(old)
    this.timers.delete(name)
    if (ms !== null) {
      const t = setTimeout(() => {
        this.timers.delete(name)
        this.handle({ type: 'timer', name })
      }, ms)
      t.unref?.()
      this.timers.set(name, t)
    }
  }

  private apply(e: Effect): void {
    switch (e.type) {
      case 'tone':
        this.p.events.emit('phone.tone', {
          tone: e.tone,
          spec: e.tone ? this.p.tonePlan().tones[e.tone] : null
        })
        return
      case 'timer':
        this.setTimer(e.name, e.ms)
        return
      case 'ring':
        void this.p.ring(e.on, e.callerId).catch((err: unknown) => this.p.log.warn({ err }, 'ringer failed'))
        return
      case 'dial':
        this.dial(e.target, e.hideCallerId)
        return
      case 'feature': {
        const run = this.p.starCode
        if (!run) {
          queueMicrotask(() =>
            this.handle({ type: 'featureDone', ok: false, reason: 'star codes are not available' })
          )
          return
        }
        run(e.feature, e.number).then(
          (r) => this.handle({ type: 'featureDone', ...r }),
          (err: unknown) => {
            this.p.log.warn({ err }, 'star code failed')
            this.handle({ type: 'featureDone', ok: false, reason: 'the star code failed' })
          }
        )
        return
      }
      case 'answer': {
        const t = this.sessions.get(e.callId)
        if (t && t.session.state === SessionState.Initial)
          void (t.session as Invitation).accept().catch((err: unknown) => this.failed(e.callId, err))
        // A held call ringing back (the phone hung up on the other one) is taken off hold when answered.
        else if (t?.session.state === SessionState.Established)
          this.apply({ type: 'hold', callId: e.callId, on: false })
        return
      }
      case 'reject': {
        const t = this.sessions.get(e.callId)
        if (!t) return
        t.outcome = e.why === 'busy' ? 'busy' : e.why === 'blocked' ? 'rejected' : 'missed'
        void (t.session as Invitation).reject({ statusCode: REJECT_CODE[e.why] }).catch(() => undefined)
        return
      }
      case 'hangup':
        this.hangup(e.callId)
        return
      case 'hold': {
        const t = this.sessions.get(e.callId)
        if (t?.session.state === SessionState.Established)
          void t.session
            .invite({ sessionDescriptionHandlerOptions: { hold: e.on } as object })
            .catch((err: unknown) => this.p.log.warn({ err }, 'hold re-INVITE failed'))
        return
      }
      case 'dtmf': {
        const t = this.sessions.get(e.callId)
        if (!t || t.session.state !== SessionState.Established) return
        const sdh = t.session.sessionDescriptionHandler
        if (sdh?.sendDtmf(e.key)) return
        void t.session
          .info({
            requestOptions: {
              body: {
                contentDisposition: 'render',
                contentType: 'application/dtmf-relay',
                content: `Signal=${e.key}\r\nDuration=160`
              }
            }
          })
          .catch((err: unknown) => this.p.log.warn({ err }, 'DTMF by SIP INFO failed'))
        return
      }
      case 'missed':
        // Recorded when its session ends (terminated), so the entry has its end time.
        return
      case 'callerIdWaiting': {
        // After the beep's first burst (the tone plan's), as a switch sends it: SAS, then CAS and the FSK.
        const beep = this.p.tonePlan().tones.callWaiting?.cadence[0]?.[0] ?? 300
        const waitingId = this.state.other?.id
        const t = setTimeout(() => {
          if (!waitingId || this.state.other?.id !== waitingId || this.state.other.held) return
          this.p.events.emit('phone.callerId', {
            message: Buffer.from(mdmf(e.callerId)).toString('hex'),
            waiting: true
          })
        }, beep + 50)
        t.unref?.()
        return
      }
      case 'conference':
        this.conference(e.callIds)
        return
    }
  }

  private dial(target: string, hideCallerId: boolean): void {
    const ua = this.p.ua()
    const domain = this.p.domain()
    const id = `out-${++this.counter}`
    const call: Call = { id, direction: 'out', remote: target }
    this.state = withOutgoingCall(this.state, call)
    if (!ua || !domain) {
      this.noLine(id, target)
      queueMicrotask(() => this.handle({ type: 'progress', callId: id, status: 'failed', why: 'noLine' }))
      return
    }
    const uri = ua.userAgentCore.configuration.aor.clone()
    uri.user = target.replace(/^\+/, '')
    uri.host = domain
    const inviter = new Inviter(ua, uri, { extraHeaders: hideCallerId ? ['Privacy: id'] : [] })
    const tracked: Tracked = {
      session: inviter,
      call,
      startedAt: this.now().toISOString(),
      answeredAt: null,
      outcome: null,
      failure: null,
      hungUp: false
    }
    this.sessions.set(id, tracked)
    inviter.stateChange.addListener((s) => {
      if (s === SessionState.Established) this.answered(id)
      if (s === SessionState.Terminated) this.terminated(id)
    })
    void inviter
      .invite({
        requestDelegate: {
          onProgress: (r) => {
            if (r.message.statusCode === 180 || r.message.statusCode === 183)
              this.handle({ type: 'progress', callId: id, status: 'ringing' })
          },
          onReject: (r) => {
            const code = r.message.statusCode ?? 0
            tracked.outcome = code === 486 || code === 600 ? 'busy' : 'failed'
            if (tracked.outcome === 'failed') tracked.failure = failureOf(code, r.message.getHeader('Reason'))
            this.handle({
              type: 'progress',
              callId: id,
              status: tracked.outcome === 'busy' ? 'busy' : 'failed',
              ...(tracked.failure ? { why: tracked.failure } : {})
            })
          }
        }
      })
      .catch((err: unknown) => this.failed(id, err))
  }

  /** Joins two calls' media in the MediaEngine (or parts them); a signalling-only handler has nothing to mix. */
  private conference(callIds: readonly [string, string] | null): void {
    const ids = (callIds ?? [])
      .map((id) => this.sessions.get(id)?.session.sessionDescriptionHandler)
      .map((sdh) => (sdh as { id?: unknown } | undefined)?.id)
      .filter((id): id is string => typeof id === 'string')
    if (callIds && ids.length !== 2) return this.p.log.warn({ callIds }, 'conference: a call has no media')
    const mixing = this.p.conference?.(ids)
    if (mixing) void mixing.catch((err: unknown) => this.p.log.warn({ err }, 'conference mix failed'))
  }

  /** A call with no registered line to carry it: in the history as failed, with that reason. */
  private noLine(id: string, target: string): void {
    const at = this.now().toISOString()
    this.append({
      id: `${id}:${at}`,
      direction: 'out',
      remote: target,
      startedAt: at,
      answeredAt: null,
      endedAt: at,
      outcome: 'failed',
      failure: 'noLine'
    })
  }

  private failed(id: string, err: unknown): void {
    this.p.log.warn({ err, call: id }, 'call failed')
    const t = this.sessions.get(id)
    if (t && t.call.direction === 'out' && !t.outcome) {
      t.outcome = 'failed'
      t.failure = 'notSent'
    }
    this.handle({ type: 'progress', callId: id, status: 'failed', why: t?.failure ?? 'notSent' })
  }

  private hangup(id: string): void {
    const t = this.sessions.get(id)
    if (!t) return
    t.hungUp = true
    const s = t.session
    if (s.state === SessionState.Established) void s.bye().catch(() => undefined)
    else if (s instanceof Inviter) void s.cancel().catch(() => undefined)
    else if (s.state === SessionState.Initial) void (s as Invitation).reject().catch(() => undefined)
  }

  /** On-screen dialling: lift, key the number, send. */
  dialFromScreen(number: string): CallState {
    if (!this.state.offHook) this.handle({ type: 'offHook' })
    if (this.state.phase === 'noLine') {
      // The line is down: the call cannot go out, and the history says so (the page says why).
      this.noLine(`out-${++this.counter}`, number)
      return this.callState
    }
    for (const key of number.replace(/^\+/, this.state.digits === '' && number.startsWith('+1') ? '' : '011'))
      this.handle({ type: 'digit', key })
    if (this.state.phase === 'collecting') this.handle({ type: 'digit', key: '#' })
    return this.callState
  }

  /**
   * Transfers from the screen. With a number: blind, the call in progress is referred to it. Without: attended,
   * the held first party is referred to the consult call in progress (Refer-To with Replaces). On success this
   * line leaves the calls (BYE on its legs) and hangs up; otherwise the calls stay as they were.
   */
  async transfer(number?: string): Promise<TransferOutcome> {
    const s = this.state
    const current = s.call && s.phase === 'connected' ? this.sessions.get(s.call.id) : undefined
    if (!current || current.session.state !== SessionState.Established) return 'noCall'
    let outcome: TransferOutcome
    const legs = [current.call.id]
    if (number === undefined) {
      const held = s.threeWay && !s.conference && s.other?.held ? this.sessions.get(s.other.id) : undefined
      if (!held || held.session.state !== SessionState.Established) return 'noCall'
      legs.push(held.call.id)
      outcome = await refer(held.session, consultTarget(current.session))
    } else {
      const digits = number.replace(/^\+1?/, number.startsWith('+') && !number.startsWith('+1') ? '011' : '')
      const d = decide(digits, true)
      const domain = this.p.domain()
      const ua = this.p.ua()
      if (d.kind !== 'dial' || d.emergency || !domain || !ua) return 'badNumber'
      const uri = ua.userAgentCore.configuration.aor.clone()
      uri.user = d.target.replace(/^\+/, '')
      uri.host = domain
      outcome = await refer(current.session, uri)
    }
    this.p.log.info({ outcome, attended: number === undefined }, 'call transfer')
    if (outcome === 'transferred') {
      // Leave both legs first (BYE, or the far end's own BYE for a replaced dialog), then put the line down:
      // hanging up with a held call still there would ring it back.
      const ended = legs.map((id) => this.ended(id))
      for (const id of legs) this.hangup(id)
      await Promise.all(ended)
      if (this.state.offHook && !this.state.call && !this.state.other) this.handle({ type: 'onHook' })
    }
    return outcome
  }

  /** Resolves once the call's session has ended and the line has heard of it (or at once when it is gone). */
  private ended(id: string): Promise<void> {
    const t = this.sessions.get(id)
    if (!t || t.session.state === SessionState.Terminated) return Promise.resolve()
    return new Promise((resolve) => {
      t.session.stateChange.addListener((st) => {
        // terminated() hands the line its progress event in a setImmediate: wait for that too.
        if (st === SessionState.Terminated) setImmediate(() => setImmediate(resolve))
      })
    })
  }

  /** Ends every call at once (the audio they used is gone); the line then follows the hook as usual. */
  endAll(reason: string): void {
    if (this.sessions.size === 0) return
    this.p.log.warn({ calls: this.sessions.size }, `calls ended: ${reason}`)
    this.lost = { reason, why: 'mediaGone' }
    for (const id of this.sessions.keys()) this.hangup(id)
  }

  /**
   * The connection to the SIP server dropped: the calls on it end when the line reconnects (a new connection
   * cannot carry the old dialogs), and the person is told why rather than "the other party hung up".
   */
  connectionLost(reason: string): void {
    if (this.sessions.size > 0) this.lost = { reason, why: 'connectionLost' }
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t)
    this.timers.clear()
    for (const id of this.sessions.keys()) this.hangup(id)
  }
}
