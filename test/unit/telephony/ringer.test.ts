/** The ringer follows the plan's cadence and sends caller ID in the first silence, 500 ms after the first ring. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Ringer } from '../../../src/main/phone/ringer'
import { TONE_PLANS } from '../../../src/main/phone/tone-plans'
import { checksumOk } from '../../../src/shared/telephony/caller-id'

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

function ringer(plan: 'us' | 'cept') {
  const log: [number, string][] = []
  const r = new Ringer({
    ring: async (on) => void log.push([Date.now(), on ? 'on' : 'off']),
    callerId: (m) => log.push([Date.now(), `cid:${m.length}:${checksumOk(m)}`]),
    cadence: () => TONE_PLANS[plan].ring.cadence,
    log: () => undefined
  })
  return { r, log }
}

describe('the ringer', () => {
  it.each([
    ['us', 2000, 4000],
    ['cept', 1000, 4000]
  ] as const)(
    'rings the %s cadence (%i ms on, %i ms off) with caller ID in the first gap',
    (plan, on, off) => {
      const t0 = Date.now()
      const { r, log } = ringer(plan)
      r.start({ at: { month: 11, day: 22, hour: 9, minute: 30 }, number: '2125550101', name: 'ADA' })
      vi.advanceTimersByTime(2 * (on + off) + 1)
      r.stop()
      const rel = log.map(([t, what]) => [t - t0, what])
      expect(rel).toEqual([
        [0, 'on'],
        [on, 'off'],
        [on + 500, expect.stringMatching(/^cid:\d+:true$/)],
        [on + off, 'on'],
        [2 * on + off, 'off'],
        [2 * (on + off), 'on'],
        [2 * (on + off) + 1, 'off']
      ])
    }
  )

  it('stops ringing at once and sends no caller ID after an early answer', () => {
    const { r, log } = ringer('us')
    r.start({ at: { month: 1, day: 1, hour: 0, minute: 0 }, number: 'private', name: null })
    vi.advanceTimersByTime(1000)
    r.stop()
    vi.advanceTimersByTime(10_000)
    expect(log.map(([, w]) => w)).toEqual(['on', 'off'])
    expect(r.active).toBe(false)
  })
})
