/**
 * The analog line's behaviour as a pure state machine: step(state, event) -> the next state and the effects main
 * must carry out (tones, the ringer, caller ID, timers, SIP actions). No I/O and no clock here, so every
 * transition is a unit test; src/main/phone runs the effects. Phases: idle, dial tone (stutter when voicemail
 * waits), collecting digits, calling, ringback, connected, busy, reorder, off-hook warning, ringing, and call
 * waiting (a second call while connected; hook flash answers it and swaps), and no line (the handset is lifted
 * while the SIP line is not registered: silence, as on a dead line, until the line comes back and gives dial tone).
 * 911 (and 933, the address test) dial even when the service has lapsed; nothing else does.
 *
 * Hook flash, as a Bellcore line does it (docs/app.md, "Call waiting, three-way calling and transfer"):
 * - a call waiting (its beep and type II caller ID): flash answers it and holds the first; flash again swaps;
 * - in a call with nobody waiting: flash holds the call and gives a second dial tone (three-way); the third party
 *   is dialled as usual; flash once it answers joins all three (the MediaEngine mixes the conference); flash before
 *   it answers (or after reorder or busy) drops the attempt and returns to the first party;
 * - in the conference: flash drops the party added last; hanging up ends both (a real three-way call does);
 *   either party hanging up leaves the other two talking.
 * '*70' before a number turns call waiting off while that call lasts: a second caller gets busy (486).
 *
 * Its types (state, events, effects) are in line-types.ts and exported again from here. The transitions stay in
 * one file although it is over 400 lines: they are one machine, step() is the table of what each event does, and
 * every transition is built from the same few steps (reorder, dialTone, idleFrom, stopTimers) and hands over to
 * the others (a timer dials, a star code's end dials or gives reorder, a flash gives a second dial tone); split
 * by feature, reading one transition would mean opening three files, and the helpers would become an API.
 */
import {
  ALWAYS_DIALLABLE,
  FIRST_DIGIT_TIMEOUT_MS,
  INTER_DIGIT_TIMEOUT_MS,
  decide,
  isNoCallWaitingPrefix
} from './dial-plan'
import type { CallWhy } from './call-why'
import { type Call, type Effect, type LineEvent, type LineState, type Step, initialLine } from './line-types'

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

export const REORDER_MS = 15_000

const stopTimers: Effect[] = [
  { type: 'timer', name: 'firstDigit', ms: null },
  { type: 'timer', name: 'interDigit', ms: null },
  { type: 'timer', name: 'reorder', ms: null }
]

function reorder(s: LineState, why: CallWhy, reason: string): Step {
  return {
    state: { ...s, phase: 'reorder', why, reason, call: null },
    effects: [
      ...stopTimers,
      { type: 'tone', tone: 'reorder' },
      { type: 'timer', name: 'reorder', ms: REORDER_MS }
    ]
  }
}

/**
 * The line at rest again: what belongs to the line (voicemail waiting, lapsed service, do not disturb, the SIP
 * line being down) stays.
 */
function idleFrom(s: LineState): LineState {
  return {
    ...initialLine,
    voicemailWaiting: s.voicemailWaiting,
    serviceLapsed: s.serviceLapsed,
    doNotDisturb: s.doNotDisturb,
    lineDown: s.lineDown,
    waitingOff: s.waitingOff ?? false
  }
}

const dialTone = (s: LineState): Step => ({
  state: { ...s, offHook: true, phase: 'dialTone', digits: '', why: null, reason: null },
  effects: [
    { type: 'tone', tone: s.voicemailWaiting ? 'stutter' : 'dial' },
    { type: 'timer', name: 'firstDigit', ms: FIRST_DIGIT_TIMEOUT_MS }
  ]
})

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

function hangUpAll(s: LineState): Effect[] {
  const out: Effect[] = []
  if (s.call) out.push({ type: 'hangup', callId: s.call.id })
  return out
}

function digit(s: LineState, key: string): Step {
  const digits = s.digits + key
  const d = decide(digits)
  const base: Effect[] = [{ type: 'tone', tone: null }, ...stopTimers]
  // '*70' whole: the confirmation (stutter) tone, then the number as after dial tone.
  if (d.kind === 'collect' && isNoCallWaitingPrefix(digits))
    return {
      state: { ...s, phase: 'collecting', digits },
      effects: [
        ...base,
        { type: 'tone', tone: 'stutter' },
        { type: 'timer', name: 'firstDigit', ms: FIRST_DIGIT_TIMEOUT_MS }
      ]
    }
  if (d.kind === 'collect')
    return {
      state: { ...s, phase: 'collecting', digits },
      effects: [...base, { type: 'timer', name: 'interDigit', ms: INTER_DIGIT_TIMEOUT_MS }]
    }
  if (d.kind === 'invalid') return reorder({ ...s, digits }, d.code, d.reason)
  if (d.kind === 'feature') return feature(s, digits, d)
  return dial(s, digits, d)
}

/** A star code main carries out (the service, the call history): silence until featureDone. */
function feature(
  s: LineState,
  digits: string,
  d: Extract<ReturnType<typeof decide>, { kind: 'feature' }>
): Step {
  return {
    state: { ...s, phase: 'feature', digits, why: null, reason: null },
    effects: [
      ...stopTimers,
      { type: 'tone', tone: null },
      { type: 'feature', feature: d.feature, number: d.number }
    ]
  }
}

/**
 * A star code done: confirmation (stutter dial tone, which then stays as dial tone, as North American switches
 * confirm a feature), or *69's call, or reorder when it could not be done.
 */
function featureDone(s: LineState, e: Extract<LineEvent, { type: 'featureDone' }>): Step {
  if (s.phase !== 'feature') return { state: s, effects: [] }
  if (!e.ok) return reorder(s, 'featureFailed', e.reason ?? 'the service code could not be carried out')
  if (e.dial)
    return dial(s, s.digits, { kind: 'dial', target: e.dial, emergency: false, hideCallerId: false })
  return {
    state: { ...s, phase: 'dialTone', digits: '', why: null, reason: null },
    effects: [
      { type: 'tone', tone: 'stutter' },
      { type: 'timer', name: 'firstDigit', ms: FIRST_DIGIT_TIMEOUT_MS }
    ]
  }
}

function dial(s: LineState, digits: string, d: Extract<ReturnType<typeof decide>, { kind: 'dial' }>): Step {
  if (s.serviceLapsed && !d.emergency && !ALWAYS_DIALLABLE.includes(d.target))
    return reorder(
      { ...s, digits },
      'serviceLapsed',
      'the line’s service has lapsed: only 911 and 933 can be called'
    )
  return {
    state: {
      ...s,
      phase: 'calling',
      digits,
      why: null,
      reason: null,
      noWaiting: s.noWaiting || d.noCallWaiting === true
    },
    effects: [
      ...stopTimers,
      { type: 'tone', tone: null },
      { type: 'dial', target: d.target, emergency: d.emergency, hideCallerId: d.hideCallerId }
    ]
  }
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
            call: { id: s.other.id, direction: s.other.direction, remote: s.other.remote },
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
      if (e.name === 'interDigit' && s.phase === 'collecting') {
        const d = decide(s.digits, true)
        return d.kind === 'dial'
          ? dial(s, s.digits, d)
          : d.kind === 'feature'
            ? feature(s, s.digits, d)
            : d.kind === 'invalid'
              ? reorder(s, d.code, d.reason)
              : reorder(s, 'incomplete', 'the number is incomplete')
      }
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

const bare = (c: Call): Call => ({ id: c.id, direction: c.direction, remote: c.remote })

/** Back to the first party of a three-way call: whatever the second attempt was, it ends. */
function backToFirst(s: LineState, first: Call): Step {
  const effects: Effect[] = [...stopTimers, { type: 'tone', tone: null }]
  if (s.call) effects.push({ type: 'hangup', callId: s.call.id })
  effects.push({ type: 'hold', callId: first.id, on: false })
  return {
    state: {
      ...s,
      phase: 'connected',
      call: first,
      other: null,
      digits: '',
      threeWay: false,
      conference: false,
      why: null,
      reason: null
    },
    effects
  }
}

function flash(s: LineState): Step {
  if (s.conference && s.call && s.other)
    // Flash in the conference drops the party added last (the one dialled); the first stays.
    return {
      state: { ...s, call: bare(s.other), other: null, threeWay: false, conference: false },
      effects: [
        { type: 'conference', callIds: null },
        { type: 'hangup', callId: s.call.id }
      ]
    }
  if (s.threeWay && s.other) {
    const first = bare(s.other)
    if (s.call && s.phase === 'connected')
      return {
        state: { ...s, conference: true, other: { ...first, held: false } },
        effects: [
          { type: 'hold', callId: first.id, on: false },
          { type: 'conference', callIds: [first.id, s.call.id] }
        ]
      }
    return backToFirst(s, first)
  }
  if (!s.other) {
    // A second dial tone: the call in progress waits on hold while the third party is dialled.
    if (s.phase !== 'connected' || !s.call) return { state: s, effects: [] }
    const next = dialTone({ ...s, call: null, other: { ...s.call, held: true }, threeWay: true })
    return {
      state: next.state,
      effects: [{ type: 'hold', callId: s.call.id, on: true }, ...next.effects]
    }
  }
  if (!s.call) {
    const back: Call = { id: s.other.id, direction: s.other.direction, remote: s.other.remote }
    return {
      state: { ...s, phase: 'connected', call: back, other: null },
      effects: [{ type: 'hold', callId: back.id, on: false }]
    }
  }
  // Answer the waiting call (or take back the held one) and hold the current one.
  const next: Call = { id: s.other.id, direction: s.other.direction, remote: s.other.remote }
  const effects: Effect[] = [
    { type: 'tone', tone: null },
    { type: 'hold', callId: s.call.id, on: true }
  ]
  effects.push(
    s.other.held ? { type: 'hold', callId: next.id, on: false } : { type: 'answer', callId: next.id }
  )
  return { state: { ...s, phase: 'connected', call: next, other: { ...s.call, held: true } }, effects }
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
    if (s.threeWay)
      // The held first party left while the third was being dialled: what remains is an ordinary line.
      return { state: { ...s, other: null, threeWay: false }, effects: [] }
    const effects: Effect[] = s.other.held
      ? []
      : [
          { type: 'tone', tone: null },
          { type: 'missed', call: s.other }
        ]
    return { state: { ...s, phase: s.call ? 'connected' : s.phase, other: null }, effects }
  }
  if (!s.call || e.callId !== s.call.id) return { state: s, effects: [] }
  switch (e.status) {
    case 'ringing':
      return s.phase === 'calling'
        ? { state: { ...s, phase: 'ringback' }, effects: [{ type: 'tone', tone: 'ringback' }] }
        : { state: s, effects: [] }
    case 'answered':
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
