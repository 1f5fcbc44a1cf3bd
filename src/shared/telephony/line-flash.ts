/**
 * Hook flash on the line state machine (part of line-state.ts's step()), as a Bellcore line does it (docs/app.md,
 * "Call waiting, three-way calling and transfer"):
 * - a call waiting (its beep and type II caller ID): flash answers it and holds the first; flash again swaps;
 * - in a call with nobody waiting: flash holds the call and gives a second dial tone (three-way); the third party
 *   is dialled as usual; flash once it answers joins all three (the MediaEngine mixes the conference); flash before
 *   it answers (or after reorder or busy) drops the attempt and returns to the first party;
 * - in the conference: flash drops the party added last.
 * What the other parties hanging up do to these calls is progress() in line-state.ts.
 */
import type { Call, Effect, LineState, Step } from './line-types'
import { bare, dialTone, stopTimers } from './line-steps'

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

/** The hook flashed: answer or swap a waiting call, start, join or drop a three-way call. */
export function flash(s: LineState): Step {
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
    const back = bare(s.other)
    return {
      state: { ...s, phase: 'connected', call: back, other: null },
      effects: [{ type: 'hold', callId: back.id, on: false }]
    }
  }
  // Answer the waiting call (or take back the held one) and hold the current one.
  const next = bare(s.other)
  const effects: Effect[] = [
    { type: 'tone', tone: null },
    { type: 'hold', callId: s.call.id, on: true }
  ]
  effects.push(
    s.other.held ? { type: 'hold', callId: next.id, on: false } : { type: 'answer', callId: next.id }
  )
  return { state: { ...s, phase: 'connected', call: next, other: { ...s.call, held: true } }, effects }
}
