/**
 * The line state machine's dialling (part of line-state.ts's step()): each key after dial tone, read by the dial
 * plan (dial-plan.ts), collects, dials, starts a star code or gives reorder; the inter-digit timeout decides what
 * the digits collected so far are; a star code carried out by main ends in confirmation, its call (*69) or
 * reorder. '*70' before a number gives the confirmation tone and turns call waiting off for that call; with the
 * service lapsed only 911 and 933 dial.
 */
import {
  ALWAYS_DIALLABLE,
  FIRST_DIGIT_TIMEOUT_MS,
  INTER_DIGIT_TIMEOUT_MS,
  decide,
  isNoCallWaitingPrefix
} from './dial-plan'
import type { Effect, LineEvent, LineState, Step } from './line-types'
import { reorder, stopTimers } from './line-steps'

/** A key pressed at dial tone or while collecting digits. */
export function digit(s: LineState, key: string): Step {
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

/** The inter-digit timer ran out while collecting: the digits so far dial, start a star code, or give reorder. */
export function digitsTimedOut(s: LineState): Step {
  const d = decide(s.digits, true)
  return d.kind === 'dial'
    ? dial(s, s.digits, d)
    : d.kind === 'feature'
      ? feature(s, s.digits, d)
      : d.kind === 'invalid'
        ? reorder(s, d.code, d.reason)
        : reorder(s, 'incomplete', 'the number is incomplete')
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
export function featureDone(s: LineState, e: Extract<LineEvent, { type: 'featureDone' }>): Step {
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
