/** Every line problem has a place to act, and the countdown counts down. */
import { describe, expect, it } from 'vitest'
import { LINE_PROBLEMS } from '../../../src/shared/ipc/phone'
import { LINE_PROBLEM_ACTIONS, secondsUntil } from '../../../src/shared/telephony/line-advice'

describe('line advice', () => {
  it('gives every problem at least one place to act', () => {
    for (const p of LINE_PROBLEMS) expect(LINE_PROBLEM_ACTIONS[p].length, p).toBeGreaterThan(0)
  })

  it('counts down to the next try in whole seconds, and stops at zero', () => {
    const at = '2026-12-03T10:00:34.000Z'
    const t0 = Date.parse('2026-12-03T10:00:00.000Z')
    expect(secondsUntil(at, t0)).toBe(34)
    expect(secondsUntil(at, t0 + 1000)).toBe(33)
    expect(secondsUntil(at, t0 + 33_500)).toBe(1)
    expect(secondsUntil(at, t0 + 40_000)).toBe(0)
    expect(secondsUntil(null, t0)).toBeNull()
    expect(secondsUntil('not a date', t0)).toBeNull()
  })
})
