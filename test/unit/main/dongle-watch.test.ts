/** The dongle watch: a set-up dongle missing a minute after start, or dropping out again and again, is reported. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { DongleWatch, type DongleTrouble } from '../../../src/main/dongle-watch'
import { FLAP_THRESHOLD, FLAP_WINDOW_MS } from '../../../src/shared/diagnostics/rules'

let now = 0
beforeEach(() => {
  vi.useFakeTimers()
  now = 1_000_000
})
afterEach(() => vi.useRealTimers())

function watch(o: { setUp?: boolean; present?: boolean } = {}) {
  const seen: DongleTrouble[] = []
  const state = { setUp: o.setUp ?? true, present: o.present ?? false }
  const w = new DongleWatch(
    () => state.setUp,
    () => state.present,
    (t) => seen.push(t),
    { missingAfterMs: 60_000, now: () => now }
  )
  return { w, seen, state }
}

describe('the dongle watch', () => {
  it('says a set-up dongle is missing when it has not appeared a minute after start', () => {
    const { w, seen } = watch()
    w.start()
    vi.advanceTimersByTime(59_000)
    expect(seen).toEqual([])
    vi.advanceTimersByTime(1_000)
    expect(seen).toEqual([{ kind: 'missing', count: 0 }])
  })

  it('stays quiet when the dongle appears in time, or when none was ever set up', () => {
    const a = watch()
    a.w.start()
    vi.advanceTimersByTime(10_000)
    a.w.changed({ kind: 'attached', id: '1-1' })
    vi.advanceTimersByTime(120_000)
    expect(a.seen).toEqual([])
    const b = watch({ setUp: false })
    b.w.start()
    vi.advanceTimersByTime(120_000)
    expect(b.seen).toEqual([])
    const c = watch({ present: true })
    c.w.start()
    vi.advanceTimersByTime(120_000)
    expect(c.seen).toEqual([])
  })

  it('does not count the virtual dongle appearing as the set-up dongle', () => {
    const { w, seen } = watch()
    w.start()
    w.changed({ kind: 'attached', id: 'virtual' })
    vi.advanceTimersByTime(60_000)
    expect(seen).toEqual([{ kind: 'missing', count: 0 }])
  })

  it('reports repeated dropouts once, by the diagnostics’ reconnect-loop rule', () => {
    const { w, seen } = watch()
    for (let i = 0; i < FLAP_THRESHOLD - 1; i++) {
      w.changed({ kind: 'detached', id: '1-1' })
      now += 5_000
    }
    expect(seen).toEqual([])
    w.changed({ kind: 'detached', id: '1-1' })
    expect(seen).toEqual([{ kind: 'dropouts', count: FLAP_THRESHOLD }])
    now += 5_000
    w.changed({ kind: 'detached', id: '1-1' })
    expect(seen).toHaveLength(1)
  })

  it('does not call slow, spread-out unplugs a dropout loop, nor the virtual dongle switched off', () => {
    const { w, seen } = watch()
    for (let i = 0; i < 5; i++) {
      w.changed({ kind: 'detached', id: '1-1' })
      w.changed({ kind: 'detached', id: 'virtual' })
      now += FLAP_WINDOW_MS
    }
    expect(seen).toEqual([])
  })
})
