/**
 * The moves every transition of the line state machine (line-state.ts) is built from: reorder (with its 15 s
 * timer), dial tone (stutter when voicemail waits), the line back at rest keeping what belongs to the line, the
 * timers stopped, the calls hung up, and a call stripped of its hold flag. Apart so the dialling (line-dialling.ts),
 * the hook flash (line-flash.ts) and step() itself use one definition of each; only those files import this one.
 */
import type { CallWhy } from './call-why'
import { FIRST_DIGIT_TIMEOUT_MS } from './dial-plan'
import { type Call, type Effect, type LineState, type Step, initialLine } from './line-types'

export const REORDER_MS = 15_000

export const stopTimers: Effect[] = [
  { type: 'timer', name: 'firstDigit', ms: null },
  { type: 'timer', name: 'interDigit', ms: null },
  { type: 'timer', name: 'reorder', ms: null }
]

export function reorder(s: LineState, why: CallWhy, reason: string): Step {
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
export function idleFrom(s: LineState): LineState {
  return {
    ...initialLine,
    voicemailWaiting: s.voicemailWaiting,
    serviceLapsed: s.serviceLapsed,
    doNotDisturb: s.doNotDisturb,
    lineDown: s.lineDown,
    waitingOff: s.waitingOff ?? false
  }
}

export const dialTone = (s: LineState): Step => ({
  state: { ...s, offHook: true, phase: 'dialTone', digits: '', why: null, reason: null },
  effects: [
    { type: 'tone', tone: s.voicemailWaiting ? 'stutter' : 'dial' },
    { type: 'timer', name: 'firstDigit', ms: FIRST_DIGIT_TIMEOUT_MS }
  ]
})

export function hangUpAll(s: LineState): Effect[] {
  const out: Effect[] = []
  if (s.call) out.push({ type: 'hangup', callId: s.call.id })
  return out
}

/** A call as the line holds it when it is not on hold (the hold flag and the transfer mark dropped). */
export function bare(c: Call & { readonly held?: boolean; readonly transferring?: boolean }): Call {
  const { held: _held, transferring: _transferring, ...call } = c
  return call
}

/** The line's one call when it is in it alone, connected (no call waiting, three-way call or conference). */
export const loneCall = (s: LineState): Call | null =>
  s.phase === 'connected' && !s.other && !s.threeWay && !s.conference ? s.call : null
