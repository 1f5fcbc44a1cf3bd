/**
 * A call is in the history from its first moment, not only from its end: an app that stops during a call (quit,
 * killed, crashed, the power gone) loses nothing. The entry of a call in progress is in the store at once, updated
 * when answered and while it lasts, closed in place when it ends; at the next start a call left open is closed as
 * it stood (a ringing one missed, with its one notice; an answered one answered, ended when last seen; an outgoing
 * one failed: appClosed). Driven through the CallController with stand-in sip.js sessions, and on CallHistory.
 */
import { type Invitation, SessionState } from 'sip.js'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { CallController } from '../../../src/main/phone/call-controller'
import {
  CallHistory,
  HISTORY_MAX,
  SEEN_EVERY_MS,
  historyEntry,
  openEntry
} from '../../../src/main/phone/call-history'
import { type Tracked, track } from '../../../src/main/phone/call-session'
import { HISTORY_KEY } from '../../../src/main/phone/history-store'
import { TONE_PLANS } from '../../../src/main/phone/tone-plans'
import { EventBus } from '../../../src/main/ipc/event-bus'
import { silentLogger } from '../../../src/main/log/logger'
import { type KeyValueStore, memoryStore } from '../../../src/main/store/key-value-store'
import { type HistoryEntry, historyEntrySchema } from '../../../src/shared/ipc/phone'

const T0 = Date.parse('2026-12-03T10:00:00.000Z')
let clock = T0
const at = (ms: number): string => new Date(T0 + ms).toISOString()
/** Moves the clock and the timers on together. */
function pass(ms: number): void {
  clock += ms
  vi.advanceTimersByTime(ms)
}

beforeEach(() => {
  clock = T0
  // Only the intervals: the controller's setImmediate (its sessions' ends) and recover's notice run for real.
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
})
afterEach(() => vi.useRealTimers())

/** A store that counts its writes. */
function countingStore(): KeyValueStore & { writes: number } {
  const inner = memoryStore()
  const s = {
    writes: 0,
    get: (k: string) => inner.get(k),
    set: (k: string, v: unknown) => {
      s.writes++
      inner.set(k, v)
    },
    delete: (k: string) => inner.delete(k)
  }
  return s
}

/** One app run: a controller on the store, with the missed-call notices it sends. */
function run(store: KeyValueStore) {
  const log = silentLogger()
  const events = new EventBus(log)
  const missed: HistoryEntry[] = []
  const ended: HistoryEntry[] = []
  events.subscribe((name, payload) => {
    if (name === 'phone.missedCall') missed.push(payload as HistoryEntry)
    if (name === 'phone.callEnded') ended.push(payload as HistoryEntry)
  })
  const calls = new CallController({
    ua: () => null,
    domain: () => 'dialtone.test',
    events,
    log,
    store,
    ring: async () => undefined,
    isBlocked: () => false,
    tonePlan: () => TONE_PLANS.us,
    now: () => new Date(clock)
  })
  calls.handle({ type: 'line', up: true })
  return { calls, missed, ended }
}

/** An incoming INVITE as the controller sees it: enough of sip.js's Invitation to ring, answer and end. */
function invitation(user: string, userAgent: object = {}) {
  const listeners: ((s: SessionState) => void)[] = []
  const go = (s: SessionState): void => {
    inv.state = s
    for (const l of listeners) l(s)
  }
  const inv = {
    state: SessionState.Initial as SessionState,
    remoteIdentity: { uri: { user }, displayName: 'Ada' },
    userAgent,
    stateChange: { addListener: (l: (s: SessionState) => void) => void listeners.push(l) },
    sessionDescriptionHandler: undefined,
    progress: async () => undefined,
    accept: async () => go(SessionState.Established),
    reject: async () => go(SessionState.Terminated),
    bye: async () => go(SessionState.Terminated),
    /** A hold or resume re-INVITE, answered. */
    invite: async () => undefined,
    /** The far end's CANCEL or BYE. */
    end: () => go(SessionState.Terminated)
  }
  return inv
}
const ring = (calls: CallController, user = '12125550101', userAgent?: object) => {
  const inv = invitation(user, userAgent)
  calls.onInvite(inv as unknown as Invitation)
  return inv
}

/** The entries as stored, of the calls no account owned (these runs have no accounts: history-accounts.test.ts). */
const stored = (store: KeyValueStore): (HistoryEntry & { open?: boolean })[] =>
  (store.get(HISTORY_KEY) as Record<string, (HistoryEntry & { open?: boolean })[]> | undefined)?.none ?? []
const turn = () => new Promise((r) => setImmediate(r))

describe('a call in the history from its first ring', () => {
  it('is in the store while it rings, not listed until it ends', () => {
    const store = memoryStore()
    const { calls } = run(store)
    ring(calls)
    expect(calls.callState.phase).toBe('ringing')
    expect(stored(store)).toEqual([
      expect.objectContaining({
        direction: 'in',
        remote: '+12125550101',
        startedAt: at(0),
        outcome: 'missed',
        open: true
      })
    ])
    // The call in progress is on the Phone page; the history lists it once it has ended.
    expect(calls.history()).toEqual([])
  })

  it('closes a call that was ringing when the app died as missed, with one notice, at the next start', async () => {
    const store = memoryStore()
    const first = run(store)
    ring(first.calls)
    pass(20_000)
    // The app dies here: no end, no dispose. The next run starts on the same store.
    const second = run(store)
    expect(second.calls.history()).toHaveLength(1)
    const recovered = second.calls.recover()
    expect(recovered).toEqual([
      expect.objectContaining({
        direction: 'in',
        remote: '+12125550101',
        outcome: 'missed',
        answeredAt: null
      })
    ])
    expect(second.missed).toEqual([]) // told a turn later, once the host listens
    await turn()
    expect(second.missed).toEqual(recovered)
    const [entry] = second.calls.history()
    expect(entry).toEqual(recovered[0])
    expect(entry).not.toHaveProperty('open')
    expect(entry?.endedAt).toBe(at(0))
    expect(stored(store).some((e) => e.open)).toBe(false)
    // Told once: the start after that has nothing to close and says nothing.
    const third = run(store)
    expect(third.calls.recover()).toEqual([])
    await turn()
    expect(third.missed).toEqual([])
    expect(third.calls.history()).toEqual([entry])
  })

  it('keeps an answered call answered, ended when last seen going, when the app dies during it', async () => {
    const store = countingStore()
    const first = run(store)
    ring(first.calls)
    pass(5_000)
    first.calls.handle({ type: 'offHook' })
    expect(first.calls.callState.phase).toBe('connected')
    expect(stored(store)[0]).toMatchObject({ outcome: 'answered', answeredAt: at(5_000), endedAt: at(5_000) })
    const before = store.writes
    pass(10 * SEEN_EVERY_MS)
    // Seen once a minute: ten writes in ten minutes, whatever else happens.
    expect(store.writes - before).toBe(10)
    expect(stored(store)[0]?.endedAt).toBe(at(5_000 + 10 * SEEN_EVERY_MS))
    pass(30_000)
    const second = run(store)
    second.calls.recover()
    await turn()
    expect(second.missed).toEqual([])
    expect(second.calls.history()).toEqual([
      expect.objectContaining({
        outcome: 'answered',
        answeredAt: at(5_000),
        endedAt: at(5_000 + 10 * SEEN_EVERY_MS),
        failure: null
      })
    ])
  })

  it('closes a call that ends normally in place: one entry, same id, one missed notice', async () => {
    const store = countingStore()
    const { calls, missed, ended } = run(store)
    const answered = ring(calls)
    calls.handle({ type: 'offHook' })
    pass(SEEN_EVERY_MS / 2)
    answered.end()
    await turn()
    calls.handle({ type: 'onHook' })
    const unanswered = ring(calls, '12125550102')
    pass(1_000)
    unanswered.end()
    await turn()
    const h = calls.history()
    expect(h).toEqual([
      expect.objectContaining({
        remote: '+12125550102',
        outcome: 'missed',
        endedAt: at(SEEN_EVERY_MS / 2 + 1_000)
      }),
      expect.objectContaining({ remote: '+12125550101', outcome: 'answered', endedAt: at(SEEN_EVERY_MS / 2) })
    ])
    expect(stored(store)).toEqual(h)
    expect(missed).toEqual([h[0]])
    // Each call's end is told as it is written, the missed one too: the recent calls read the history again then.
    expect(ended).toEqual([h[1], h[0]])
    // Open, answered, closed; open, closed: and no timer left writing once no call is in progress.
    expect(store.writes).toBe(5)
    pass(5 * SEEN_EVERY_MS)
    expect(store.writes).toBe(5)
    const next = run(store)
    expect(next.calls.recover()).toEqual([])
    await turn()
    expect(next.missed).toEqual([])
  })

  it('ends every call at once when the connection drops: one reorder saying why, both calls in the history', async () => {
    const store = countingStore()
    const { calls, ended } = run(store)
    const first = ring(calls)
    calls.handle({ type: 'offHook' })
    const second = ring(calls, '12125550102')
    calls.handle({ type: 'flash' })
    expect(calls.callState).toMatchObject({ phase: 'connected', other: { held: true } })
    calls.connectionLost('the connection to the SIP server was lost')
    // Not waiting for sip.js to end the sessions (the next connection, or 32 s for an answer never acknowledged).
    await turn()
    expect(calls.callState).toMatchObject({
      phase: 'reorder',
      call: null,
      other: null,
      why: 'connectionLost',
      reason: 'the connection to the SIP server was lost'
    })
    expect(ended.map((e) => e.remote).sort()).toEqual(['+12125550101', '+12125550102'])
    expect(ended.map((e) => e.outcome)).toEqual(['answered', 'answered'])
    // Their sessions were hung up too (audio released); ending them later changes nothing.
    expect([first.state, second.state]).toEqual([SessionState.Terminated, SessionState.Terminated])
    first.end()
    await turn()
    expect(ended).toHaveLength(2)
  })

  it('ends only the calls of the user agent named, when one is (dropped after a newer connection took over)', async () => {
    const { calls, ended } = run(countingStore())
    const older = {}
    const newer = {}
    const kept = ring(calls, '12125550101', newer)
    calls.handle({ type: 'offHook' })
    calls.connectionLost('the connection to the SIP server was closed under the calls', older as never)
    await turn()
    expect(calls.callState).toMatchObject({ phase: 'connected', call: { remote: '+12125550101' } })
    expect(kept.state).toBe(SessionState.Established)
    calls.connectionLost('the connection to the SIP server was closed under the calls', newer as never)
    await turn()
    expect(calls.callState).toMatchObject({ phase: 'reorder', why: 'connectionLost' })
    expect(ended.map((e) => e.remote)).toEqual(['+12125550101'])
  })

  it('writes the calls in progress as seen when the app is disposed', () => {
    const store = memoryStore()
    const { calls } = run(store)
    ring(calls)
    pass(25_000)
    calls.dispose()
    expect(stored(store)[0]).toMatchObject({ endedAt: at(25_000) })
  })
})

/** A call as the controller tracks it, for the history alone. */
function tracked(direction: 'in' | 'out', startedAt: string): Tracked {
  return track(
    {} as Tracked['session'],
    { id: `${direction}-1`, direction, remote: '+12125550101' },
    startedAt
  )
}

describe('CallHistory', () => {
  const history = (store: KeyValueStore) => {
    const log = silentLogger()
    return new CallHistory(store, new EventBus(log), log, () => new Date(clock))
  }

  it('closes an outgoing call the app died during as failed: appClosed, or answered once it was', () => {
    const store = memoryStore()
    const first = history(store)
    const ringing = tracked('out', at(0))
    first.open(openEntry(ringing, ringing.startedAt))
    const talking = {
      ...tracked('out', at(1)),
      call: { id: 'out-2', direction: 'out', remote: '+1' }
    } as Tracked
    first.open(openEntry(talking, talking.startedAt))
    talking.answeredAt = at(2_000)
    first.update(openEntry(talking, at(2_000)))
    const recovered = history(store).recover()
    expect(recovered).toEqual([
      expect.objectContaining({
        id: 'out-2:' + at(1),
        outcome: 'answered',
        answeredAt: at(2_000),
        failure: null
      }),
      expect.objectContaining({
        id: 'out-1:' + at(0),
        outcome: 'failed',
        failure: 'appClosed',
        endedAt: at(0)
      })
    ])
  })

  it('keeps why the phone service ended an answered call, and nothing of it for a call never answered', () => {
    const cut = { ...tracked('out', at(0)), answeredAt: at(1_000), endedBy: 'creditRanOut' } as Tracked
    const entry = historyEntry(cut, null, at(60_000))
    expect(entry).toMatchObject({ outcome: 'answered', failure: null, ended: 'creditRanOut' })
    expect(historyEntrySchema.safeParse(entry).success).toBe(true)
    expect(
      historyEntry({ ...tracked('out', at(0)), endedBy: 'callTooLong' }, null, at(1)).ended
    ).toBeUndefined()
    expect(historyEntry(tracked('in', at(0)), null, at(1)).ended).toBeUndefined()
  })

  it('keeps who transferred a call to this line, and nothing of it for any other call', () => {
    const base = tracked('out', at(0))
    const followed = {
      ...base,
      call: { ...base.call, referredBy: '+13125550100' },
      answeredAt: at(1)
    } as Tracked
    const entry = historyEntry(followed, null, at(60_000))
    expect(entry).toMatchObject({ outcome: 'answered', referredBy: '+13125550100' })
    expect(historyEntrySchema.safeParse(entry).success).toBe(true)
    expect('referredBy' in historyEntry(tracked('out', at(0)), null, at(1))).toBe(false)
  })

  it('stores only whole entries, so an open one read as it stands is a valid entry', () => {
    const store = memoryStore()
    const h = history(store)
    h.open(openEntry(tracked('in', at(0)), at(0)))
    h.open(openEntry(tracked('out', at(5)), at(5)))
    for (const e of stored(store)) expect(historyEntrySchema.safeParse(e).success).toBe(true)
    h.stop()
  })

  it('stays at HISTORY_MAX with a call in progress, the open entry first and closed where it stands', () => {
    const old = Array.from({ length: HISTORY_MAX }, (_, i) =>
      historyEntry(tracked('in', new Date(T0 - (i + 1) * 60_000).toISOString()), null, at(0))
    )
    const store = memoryStore({ [HISTORY_KEY]: { none: old } })
    const h = history(store)
    const t = tracked('in', at(0))
    h.open(openEntry(t, at(0)))
    expect(stored(store)).toHaveLength(HISTORY_MAX)
    expect(stored(store)[0]).toMatchObject({ id: 'in-1:' + at(0), open: true })
    expect(h.list()).toHaveLength(HISTORY_MAX - 1)
    h.close(historyEntry(t, null, at(3_000)))
    expect(h.list()).toHaveLength(HISTORY_MAX)
    expect(h.list()[0]).toMatchObject({ id: 'in-1:' + at(0), endedAt: at(3_000) })
    expect(h.list()[1]).toEqual(old[0])
  })

  it('goes on when the store cannot be written, and a call it could not open is still added at its end', () => {
    let full = true
    const inner = memoryStore()
    const store: KeyValueStore = {
      ...inner,
      set: (k, v) => {
        if (full) throw Object.assign(new Error('no space'), { code: 'ENOSPC' })
        inner.set(k, v)
      }
    }
    const h = history(store)
    const t = tracked('in', at(0))
    expect(() => h.open(openEntry(t, at(0)))).not.toThrow()
    pass(SEEN_EVERY_MS)
    full = false
    h.close(historyEntry(t, null, at(SEEN_EVERY_MS)))
    expect(h.list()).toEqual([expect.objectContaining({ id: 'in-1:' + at(0), outcome: 'missed' })])
  })
})
