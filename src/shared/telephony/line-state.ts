/**
 * The analog line's behaviour as a pure state machine: step(state, event) -> the next state and the effects main
 * must carry out (tones, the ringer, caller ID, timers, SIP actions). No I/O and no clock here, so every
 * transition is a unit test; src/main/phone runs the effects. Phases: idle, dial tone (stutter when voicemail
 * waits), collecting digits, calling, ringback, connected, busy, reorder, off-hook warning, ringing, and call
 * waiting (a second call while connected; hook flash answers it and swaps), and no line (the handset is lifted
 * while the SIP line is not registered: silence, as on a dead line, until the line comes back and gives dial tone).
 * 911 (and 933, the address test) dial even when the service has lapsed; nothing else does.
 *
 * step() is the table of what each event does; the hook, the SIP line, incoming calls and the far end's progress
 * are here. Two jobs with rules of their own are beside it: the digits dialled (line-dialling.ts: the dial plan,
 * star codes, '*70', after which a second caller gets busy) and hook flash (line-flash.ts: call waiting, three-way
 * calling, the conference). On a conference, hanging up ends both calls (a real three-way call does) and either
 * party hanging up leaves the other two talking. A transfer the other party asks of the line (transferred) is
 * followed as a three-way call's second leg whose answer leaves the transferring party; the call an attended
 * transfer puts through in place of the one in progress (replaced) takes its place. The moves all three build on
 * (reorder, dial tone, the line at rest) are line-steps.ts. The types (state, events, effects) are in line-types.ts
 * and exported again from here, the one module importers read.
 */
import { isNoCallWaitingPrefix } from './dial-plan'
import type { Call, Effect, LineEvent, LineState, Step } from './line-types'
import { digit, digitsTimedOut, featureDone } from './line-dialling'
import { flash } from './line-flash'
import { REORDER_MS, bare, dialTone, hangUpAll, idleFrom, loneCall, reorder, stopTimers } from './line-steps'

export {
  type Call,
  type Effect,
  type LineEvent,
  type LineState,
  type Phase,
  type Step,
  type TimerName,
  initialLine
} from './line-types'
export { REORDER_MS, loneCall } from './line-steps'

/** The SIP line came up or went down: a lifted handset waiting for dial tone gets it, or loses it. */
function lineChange(s: LineState, up: boolean): Step {
  const next = { ...s, lineDown: !up }
  if (up && s.phase === 'noLine') return dialTone(next)
  if (!up && (s.phase === 'dialTone' || s.phase === 'collecting'))
    return {
      state: { ...next, phase: 'noLine', digits: '', why: null, reason: null },
      effects: [...stopTimers, { type: 'tone', tone: null }]
    }
  return { state: next, effects: [] }
}

/** A call the switch created for an outgoing dial gets its id when main starts it. */
export const withOutgoingCall = (s: LineState, call: Call): LineState => ({ ...s, call })

export function step(s: LineState, e: LineEvent): Step {
  switch (e.type) {
    case 'voicemail':
      return { state: { ...s, voicemailWaiting: e.waiting }, effects: [] }
    case 'service':
      return { state: { ...s, serviceLapsed: e.lapsed }, effects: [] }
    case 'doNotDisturb':
      return { state: { ...s, doNotDisturb: e.on }, effects: [] }
    case 'callWaitingService':
      return { state: { ...s, waitingOff: !e.on }, effects: [] }
    case 'line':
      return lineChange(s, e.up)
    case 'featureDone':
      return featureDone(s, e)
    case 'incoming':
      return incoming(s, e)
    case 'offHook':
      if (s.offHook) return { state: s, effects: [] }
      if (s.phase === 'ringing' && s.call)
        return {
          state: { ...s, offHook: true, phase: 'connected' },
          effects: [
            { type: 'ring', on: false },
            { type: 'answer', callId: s.call.id }
          ]
        }
      // A dead line is silent: no dial tone until the SIP line is registered again.
      if (s.lineDown)
        return {
          state: { ...s, offHook: true, phase: 'noLine', digits: '', why: null, reason: null },
          effects: []
        }
      return dialTone(s)
    case 'onHook': {
      if (!s.offHook) return { state: s, effects: [] }
      const effects: Effect[] = [...stopTimers, { type: 'tone', tone: null }, ...hangUpAll(s)]
      // The conference's creator hanging up ends it for all three, as on a real three-way call.
      if (s.conference && s.other)
        return {
          state: idleFrom(s),
          effects: [{ type: 'conference', callIds: null }, ...effects, { type: 'hangup', callId: s.other.id }]
        }
      // A call left on hold rings back, as on a real line.
      if (s.other)
        return {
          state: {
            ...s,
            offHook: false,
            phase: 'ringing',
            call: bare(s.other),
            other: null,
            digits: '',
            threeWay: false,
            noWaiting: false
          },
          effects: [...effects, { type: 'ring', on: true }]
        }
      return { state: idleFrom(s), effects }
    }
    case 'handsetGone': {
      // Nothing to end; a call still ringing can be answered on the screen.
      if (s.phase === 'idle' || s.phase === 'ringing') return { state: s, effects: [] }
      const calls = s.call !== null || s.other !== null
      const held: Effect[] = s.other ? [{ type: 'hangup', callId: s.other.id }] : []
      return {
        state: {
          ...idleFrom(s),
          why: calls ? 'unplugged' : null,
          reason: calls ? 'the dongle was unplugged, so the call ended' : null
        },
        effects: [...stopTimers, { type: 'tone', tone: null }, ...hangUpAll(s), ...held]
      }
    }
    case 'digit':
      if (!/^[0-9*#]$/.test(e.key)) return { state: s, effects: [] }
      if (s.phase === 'dialTone' || s.phase === 'collecting') return digit(s, e.key)
      if ((s.phase === 'connected' || s.phase === 'callWaiting') && s.call)
        return { state: s, effects: [{ type: 'dtmf', callId: s.call.id, key: e.key }] }
      return { state: s, effects: [] }
    case 'timer':
      if (e.name === 'interDigit' && s.phase === 'collecting') return digitsTimedOut(s)
      if (e.name === 'firstDigit' && (s.phase === 'dialTone' || isNoCallWaitingPrefix(s.digits)))
        return reorder(s, 'nothingDialled', 'no number was dialled')
      if (e.name === 'reorder' && (s.phase === 'reorder' || s.phase === 'busy'))
        return {
          state: { ...s, phase: 'offHookWarning' },
          effects: [{ type: 'tone', tone: 'offHookWarning' }]
        }
      return { state: s, effects: [] }
    case 'flash':
      return flash(s)
    case 'progress':
      return progress(s, e)
    case 'transferred':
      return transferred(s, e.call)
    case 'replaced':
      // Only the lone call in progress is replaced (main declines the rest); its own end then changes nothing.
      if (loneCall(s)?.id !== e.replaces) return { state: s, effects: [] }
      return { state: { ...s, call: e.call }, effects: [] }
  }
}

/**
 * Followed as a three-way call's second leg (line-flash.ts): the transferring party waits on hold while the new call
 * is placed, so a flash before it answers (or after busy or reorder) goes back to it and hanging up rings it back;
 * once the new call answers, the transferring party is left (progress). Only from a lone call in progress.
 */
function transferred(s: LineState, call: Call): Step {
  const first = loneCall(s)
  if (!first) return { state: s, effects: [] }
  return {
    state: {
      ...s,
      phase: 'calling',
      call,
      other: { ...first, held: true, transferring: true },
      threeWay: true,
      digits: ''
    },
    effects: [{ type: 'hold', callId: first.id, on: true }]
  }
}

function incoming(s: LineState, e: Extract<LineEvent, { type: 'incoming' }>): Step {
  if (e.blocked) return { state: s, effects: [{ type: 'reject', callId: e.call.id, why: 'blocked' }] }
  if (s.doNotDisturb)
    return {
      state: s,
      effects: [
        { type: 'reject', callId: e.call.id, why: 'doNotDisturb' },
        { type: 'missed', call: e.call }
      ]
    }
  if (s.phase === 'idle' && !s.offHook)
    return {
      state: { ...s, phase: 'ringing', call: e.call },
      effects: [{ type: 'ring', on: true, callerId: e.callerId }]
    }
  if (s.phase === 'connected' && !s.other && !s.noWaiting && !s.waitingOff && !s.conference)
    return {
      state: { ...s, phase: 'callWaiting', other: { ...e.call, held: false } },
      effects: [
        { type: 'tone', tone: 'callWaiting' },
        { type: 'callerIdWaiting', callerId: e.callerId }
      ]
    }
  return {
    state: s,
    effects: [
      { type: 'reject', callId: e.call.id, why: 'busy' },
      { type: 'missed', call: e.call }
    ]
  }
}

function progress(s: LineState, e: Extract<LineEvent, { type: 'progress' }>): Step {
  if (s.conference && s.call && s.other && e.status === 'ended') {
    // One party of the conference left: the other two go on talking.
    const stays = e.callId === s.call.id ? bare(s.other) : e.callId === s.other.id ? s.call : null
    if (stays)
      return {
        state: { ...s, phase: 'connected', call: stays, other: null, threeWay: false, conference: false },
        effects: [{ type: 'conference', callIds: null }]
      }
  }
  if (s.other && e.callId === s.other.id && e.status === 'ended') {
    const effects: Effect[] = s.other.held
      ? []
      : [
          { type: 'tone', tone: null },
          { type: 'missed', call: s.other }
        ]
    if (!s.call && s.phase === 'callWaiting') {
      // The active party had left already (the held one waited for a flash), and now the held one has too: nobody
      // is left on the line, as when a lone call's other party hangs up.
      const r = reorder(
        { ...s, other: null, threeWay: false },
        e.why ?? 'hungUp',
        e.reason ?? 'the other party hung up'
      )
      return { state: r.state, effects: [...effects, ...r.effects] }
    }
    if (s.threeWay)
      // The held first party left while the third was being dialled: what remains is an ordinary line.
      return { state: { ...s, other: null, threeWay: false }, effects: [] }
    return { state: { ...s, phase: s.call ? 'connected' : s.phase, other: null }, effects }
  }
  if (!s.call || e.callId !== s.call.id) return { state: s, effects: [] }
  switch (e.status) {
    case 'ringing':
      return s.phase === 'calling'
        ? { state: { ...s, phase: 'ringback' }, effects: [{ type: 'tone', tone: 'ringback' }] }
        : { state: s, effects: [] }
    case 'answered':
      // A transfer's new call answered: the party that transferred this line is left.
      if (s.call.referredBy !== undefined && s.threeWay && s.other)
        return {
          state: { ...s, phase: 'connected', other: null, threeWay: false },
          effects: [
            { type: 'tone', tone: null },
            { type: 'hangup', callId: s.other.id }
          ]
        }
      return { state: { ...s, phase: 'connected' }, effects: [{ type: 'tone', tone: null }] }
    case 'busy':
      return {
        state: { ...s, phase: 'busy', call: null },
        effects: [
          { type: 'tone', tone: 'busy' },
          { type: 'timer', name: 'reorder', ms: REORDER_MS }
        ]
      }
    case 'failed':
      return reorder(s, e.why ?? 'unknown', 'the call could not be completed')
    case 'ended':
      if (s.phase === 'ringing')
        return {
          state: { ...s, phase: 'idle', call: null },
          effects: [
            { type: 'ring', on: false },
            { type: 'missed', call: s.call }
          ]
        }
      if (s.other?.held) {
        // The active party left; the held one is still there: a flash or hanging up brings it back.
        return { state: { ...s, call: null, phase: 'callWaiting' }, effects: [] }
      }
      return reorder({ ...s, call: null }, e.why ?? 'hungUp', e.reason ?? 'the other party hung up')
  }
}
