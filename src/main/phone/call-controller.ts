/**
 * Runs the line state machine (src/shared/telephony/line-state.ts) against the world: hook, keys and flash from
 * the dongle or the screen go in; the effects come out as SIP actions on sip.js sessions (INVITE, 180, answer,
 * CANCEL/BYE, reject with the right code, hold re-INVITE, DTMF by SIP INFO when RTP cannot carry it), the ringer,
 * tones for the MediaEngine, timers, missed-call notices and the call history.
 *
 * Each job apart from the line's bookkeeping has a module of its own: what one effect does to one session
 * (call-session.ts), how an INVITE becomes the line's event (incoming-call.ts), how a call is placed
 * (outgoing-call.ts), the history and how a call's outcome is decided (call-history.ts), why a refused call
 * failed (call-failure.ts), and transfers, the ones the line makes and the ones another party asks of it (a REFER,
 * an INVITE with Replaces: call-transfers.ts). This class keeps the line's state, the calls in progress and the
 * timers, and wires each session's answer and end back into the line.
 */
import { type Invitation, SessionState, type UserAgent } from 'sip.js'
import type { CallState, HistoryEntry } from '../../shared/ipc/phone'
import { type CallerInfo, mdmf } from '../../shared/telephony/caller-id'
import type { TransferOutcome } from '../../shared/telephony/transfer'
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
import {
  CallHistory,
  type CallsLost,
  type HistoryOwners,
  historyEntry,
  noLineEntry,
  openEntry
} from './call-history'
import { type Tracked, endOnEarlyBye, hangup, hold, reject, sendDtmf, track } from './call-session'
import { outgoingSession, sendInvite } from './outgoing-call'
import { incomingEvent } from './incoming-call'
import { type LineCalls, followReferral, takeReplacing, transferCalls } from './call-transfers'

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
  /** Whose history a call goes in and whose is shown; without it, every call is no account's. */
  readonly historyOwners?: HistoryOwners
  readonly now?: () => Date
}

export class CallController {
  private state: LineState = initialLine
  private readonly sessions = new Map<string, Tracked>()
  private readonly timers = new Map<TimerName, NodeJS.Timeout>()
  private counter = 0
  /** Why the calls now ending ended, when it was not the far end (the connection to the server dropped). */
  private lost: CallsLost | null = null
  /** Mute is the person's, not the line's: kept here and cleared when no call is left. */
  private muted = false

  private readonly callHistory: CallHistory

  /** What the transfers need of the line (call-transfers.ts). */
  private readonly calls: LineCalls

  constructor(private readonly p: CallControllerPorts) {
    this.callHistory = new CallHistory(p.store, p.events, p.log, () => this.now(), p.historyOwners)
    this.calls = {
      state: () => this.state,
      call: (id) => this.sessions.get(id),
      find: (session) => [...this.sessions.values()].find((t) => t.session === session),
      hangup: (id) => this.hangup(id),
      nextId: (direction) => `${direction}-${++this.counter}`,
      now: () => this.now(),
      handle: (event) => void this.handle(event),
      place: (t) => this.place(t),
      keepAnswered: (t, at) => {
        this.follow(t)
        this.callHistory.open(openEntry({ ...t, answeredAt: at }, at))
      },
      failed: (id, err) => this.failed(id, err),
      ua: () => p.ua(),
      domain: () => p.domain(),
      isBlocked: (remote) => p.isBlocked(remote),
      log: p.log
    }
  }

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

  /** The signed-in account's calls that have ended (with no one signed in, the calls made then). */
  history(): HistoryEntry[] {
    return this.callHistory.list()
  }

  /** Clears the history `accountId` sees, if it is still the one signed in (call-history.ts). */
  clearHistory(accountId: string | null): HistoryEntry[] {
    return this.callHistory.clear(accountId)
  }

  /**
   * At start: the calls a run of the app stopped during (quit, killed, crashed, the power gone) are closed in the
   * history as they stood, and a missed one gets its notice (call-history.ts).
   */
  recover(): HistoryEntry[] {
    return this.callHistory.recover()
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
    if (invitation.replacee) return takeReplacing(this.calls, invitation, invitation.replacee)
    const id = `in-${++this.counter}`
    const startedAt = this.now().toISOString()
    const incoming = incomingEvent(invitation, id, this.now(), this.p.isBlocked)
    const tracked = track(invitation, incoming.call, startedAt)
    this.follow(tracked)
    // Ringing, or waiting behind the call in progress: the caller hears ringback (180), sent before the line acts
    // on the call (whoever answers it, from the events below, answers a call that has rung). A refused call gets
    // only its final response (busy, blocked, do not disturb), from handle(). Either way this turn answers the
    // INVITE, so sip.js adds no 100 Trying (scripts/sip-trying-when-silent.ts).
    const offered = step(this.state, incoming).state
    if (offered.call?.id === id || offered.other?.id === id)
      void invitation
        .progress()
        .then(() => endOnEarlyBye(invitation))
        .catch((err: unknown) => this.p.log.warn({ err }, '180 Ringing not sent'))
    this.handle(incoming)
    // In the history from its first ring (or its refusal, decided just now), so an app that dies during it loses
    // nothing; its end, a turn after its session's at the earliest (terminated), closes the same entry.
    this.callHistory.open(openEntry(tracked, startedAt))
  }

  /** Keeps a call's session among the calls in progress and tells the line when it is answered and when it ends. */
  private follow(t: Tracked): void {
    const id = t.call.id
    this.sessions.set(id, t)
    t.referred = (referral) => followReferral(this.calls, t, referral)
    t.session.stateChange.addListener((s) => {
      if (s === SessionState.Established) this.answered(id)
      if (s === SessionState.Terminated) this.terminated(id)
    })
  }

  private answered(id: string): void {
    const t = this.sessions.get(id)
    if (t && !t.answeredAt) {
      t.answeredAt = this.now().toISOString()
      // An incoming call's entry said answered before its 200 OK went (the 'answer' effect).
      if (t.call.direction === 'out') this.callHistory.update(openEntry(t, t.answeredAt))
    }
    if (t?.call.direction === 'out') this.handle({ type: 'progress', callId: id, status: 'answered' })
  }

  private terminated(id: string): void {
    const t = this.sessions.get(id)
    if (!t) return
    this.sessions.delete(id)
    // Why the calls were lost, as it stands now: the next turn, the last call's end has cleared it.
    const lost = this.lost
    // sip.js may end the session before it hands over the final response; let the reject handler run first.
    setImmediate(() => {
      this.callHistory.close(historyEntry(t, lost, this.now().toISOString()))
      const refused = t.call.direction === 'out' && !t.answeredAt
      const status = !refused ? 'ended' : t.outcome === 'busy' ? 'busy' : 'failed'
      const why = status === 'failed' ? (t.failure ?? lost?.why ?? 'unknown') : (t.endedBy ?? lost?.why)
      // The English beside the code (support's detail): the phone service's own end, else the lost connection's.
      const reason = t.endedBy ? `the phone service ended the call (${t.endedBy})` : lost?.reason
      this.handle({
        type: 'progress',
        callId: id,
        status,
        ...(reason ? { reason } : {}),
        ...(why ? { why } : {})
      })
      if (this.sessions.size === 0) this.lost = null
    })
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
        if (t && t.session.state === SessionState.Initial) {
          // The person answered: the history says so before the caller hears it (the 200 OK), so an app that
          // dies from here on lists the call as answered, not missed. Its end writes what really happened.
          const at = this.now().toISOString()
          this.callHistory.update(openEntry({ ...t, answeredAt: at }, at))
          void (t.session as Invitation).accept().catch((err: unknown) => this.failed(e.callId, err))
        }
        // A held call ringing back (the phone hung up on the other one) is taken off hold when answered.
        else if (t?.session.state === SessionState.Established)
          this.apply({ type: 'hold', callId: e.callId, on: false })
        return
      }
      case 'reject': {
        const t = this.sessions.get(e.callId)
        if (t) reject(t, e.why)
        return
      }
      case 'hangup':
        this.hangup(e.callId)
        return
      case 'hold': {
        const t = this.sessions.get(e.callId)
        if (t) hold(t, e.on, this.p.log)
        return
      }
      case 'dtmf': {
        const t = this.sessions.get(e.callId)
        if (t) sendDtmf(t, e.key, this.p.log)
        return
      }
      case 'missed':
        // In the history since it rang; its session's end (terminated) closes the entry and sends the notice.
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
    this.place(outgoingSession(ua, domain, call, hideCallerId, this.now().toISOString()))
  }

  /** Sends a new outgoing call's INVITE, with the call in progress, in the history, and its answers told the line. */
  private place(tracked: Tracked): void {
    const id = tracked.call.id
    this.follow(tracked)
    this.callHistory.open(openEntry(tracked, tracked.startedAt))
    sendInvite(tracked, {
      ringing: () => this.handle({ type: 'progress', callId: id, status: 'ringing' }),
      refused: (status, why) =>
        this.handle({ type: 'progress', callId: id, status, ...(why ? { why } : {}) }),
      failed: (err) => this.failed(id, err)
    })
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
    this.callHistory.close(noLineEntry(id, target, this.now().toISOString()))
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
    if (t) hangup(t)
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

  /** Transfers from the screen (call-transfers.ts): blind to `number`, or attended without one. */
  transfer(number?: string): Promise<TransferOutcome> {
    return transferCalls(this.calls, number)
  }

  /** Ends every call at once (the audio they used is gone); the line then follows the hook as usual. */
  endAll(reason: string): void {
    if (this.sessions.size === 0) return
    this.p.log.warn({ calls: this.sessions.size }, `calls ended: ${reason}`)
    this.lost = { reason, why: 'mediaGone' }
    for (const id of this.sessions.keys()) this.hangup(id)
  }

  /**
   * This app stops the line (sign-out, another line, quitting): its calls end as the person's own hang-up ends them,
   * not as "the other party hung up" (sip.js ending the sessions as its user agent stops) nor, when the user agent
   * cannot stop in time, as "the connection was lost". A call still ringing is missed.
   */
  endForStop(): void {
    if (this.sessions.size === 0) return
    if (this.state.offHook) this.handle({ type: 'onHook' })
    this.endNow([...this.sessions], 'a call could not be hung up as the line stopped')
  }

  /**
   * Ends these calls at once: closed in the history and on the line now, then hung up (BYE, CANCEL or a refusal),
   * so an answered call's audio is released now, not when sip.js lets go of the session.
   */
  private endNow(calls: readonly [string, Tracked][], unableToHangUp: string): void {
    for (const [id, t] of calls) {
      this.terminated(id)
      try {
        hangup(t)
      } catch (err) {
        this.p.log.warn({ err, call: id }, unableToHangUp)
      }
    }
  }

  /**
   * The connection to the SIP server dropped: the calls on it end now (a new connection cannot carry the old
   * dialogs), and the person is told why rather than "the other party hung up". Not when sip.js ends their sessions:
   * that is when the line reconnects, after its back-off, and a call answered whose ACK had not come waits for it up
   * to 32 s (RFC 3261 timer H) before sip.js lets it end. With `ua`, only that user agent's calls: the line dropped
   * it after a newer connection took its place (SipLine's onCallsDropped).
   */
  connectionLost(reason: string, ua?: UserAgent): void {
    const lost = [...this.sessions].filter(([, t]) => !ua || t.session.userAgent === ua)
    if (lost.length === 0) return
    this.lost = { reason, why: 'connectionLost' }
    // sip.js would let go of them with the old connection, at the latest when the line reconnects.
    this.endNow(lost, 'a call lost with the connection could not be hung up')
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t)
    this.timers.clear()
    this.callHistory.stop()
    for (const id of this.sessions.keys()) this.hangup(id)
  }
}
