/**
 * Runs events through the line state machine (src/shared/telephony/line-state.ts) from a state, the line at rest
 * unless said: the final state and every effect in order. The line's unit tests read their transitions through it.
 */
import {
  type Effect,
  type LineEvent,
  type LineState,
  initialLine,
  step
} from '../../src/shared/telephony/line-state'

export function runLine(
  events: LineEvent[],
  from: LineState = initialLine
): { state: LineState; effects: Effect[] } {
  let state = from
  const effects: Effect[] = []
  for (const e of events) {
    const r = step(state, e)
    state = r.state
    effects.push(...r.effects)
  }
  return { state, effects }
}
