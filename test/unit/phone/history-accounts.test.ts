/**
 * The call history is the signed-in account's, on a computer several people share: each account's calls are
 * listed to it alone (not after it signs out, not to the next account), a call keeps the account it started under
 * to its end (its missed notice is not told to whoever signed in since), the calls made with no one signed in
 * have their own list, "Clear history" clears only the list shown, and the single list of an older app goes once
 * to the account signed in at the first start after the upgrade, or is dropped with no one signed in. Crash
 * safety across accounts: the calls a dead run left open are closed whichever account they belong to.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { CallHistory, noLineEntry } from '../../../src/main/phone/call-history'
import { HISTORY_KEY, LEGACY_HISTORY_KEY } from '../../../src/main/phone/history-store'
import { EventBus } from '../../../src/main/ipc/event-bus'
import { silentLogger } from '../../../src/main/log/logger'
import { createConfStore } from '../../../src/main/store/conf-store'
import { type KeyValueStore, memoryStore } from '../../../src/main/store/key-value-store'
import { DialtoneError } from '../../../src/shared/ipc/errors'
import type { HistoryEntry } from '../../../src/shared/ipc/phone'

const T0 = Date.parse('2026-12-03T10:00:00.000Z')
const at = (ms: number): string => new Date(T0 + ms).toISOString()

/** An ended or ringing call's entry. */
function entry(id: string, outcome: HistoryEntry['outcome'], ms = 0): HistoryEntry {
  return {
    id,
    direction: 'in',
    remote: '+12125550101',
    startedAt: at(ms),
    answeredAt: null,
    endedAt: at(ms),
    outcome,
    failure: null
  }
}

/** A computer: one store, and who is signed in now (changed by the test as people come and go). */
function computer(store: KeyValueStore = memoryStore()) {
  const who = { signedIn: null as string | null, last: null as string | null }
  /** One run of the app on that store, with the missed-call notices it sends. */
  const run = () => {
    const log = silentLogger()
    const events = new EventBus(log)
    const missed: HistoryEntry[] = []
    events.subscribe((name, payload) => {
      if (name === 'phone.missedCall') missed.push(payload as HistoryEntry)
    })
    const history = new CallHistory(store, events, log, () => new Date(T0), {
      owner: () => who.signedIn,
      viewer: () => who.signedIn,
      lastSignedIn: () => who.last
    })
    return { history, missed }
  }
  return { store, who, run }
}

const ids = (calls: readonly HistoryEntry[]): string[] => calls.map((c) => c.id)
const turn = () => new Promise((r) => setImmediate(r))

describe('the call history of a shared computer', () => {
  it('lists the signed-in account’s calls only: not after it signs out, not to the next account', () => {
    const c = computer()
    const { history } = c.run()
    c.who.signedIn = 'acc_ada'
    history.close(entry('ada-1', 'answered'))
    history.close(entry('ada-2', 'missed', 1))
    expect(ids(history.list())).toEqual(['ada-2', 'ada-1'])
    c.who.signedIn = null
    expect(history.list()).toEqual([])
    c.who.signedIn = 'acc_bob'
    expect(history.list()).toEqual([])
    history.close(entry('bob-1', 'answered', 2))
    expect(ids(history.list())).toEqual(['bob-1'])
    c.who.signedIn = 'acc_ada'
    expect(ids(history.list())).toEqual(['ada-2', 'ada-1'])
  })

  it('keeps a call in progress its account’s when that account signs out, and tells no one else it was missed', () => {
    const c = computer()
    const { history, missed } = c.run()
    c.who.signedIn = 'acc_ada'
    history.open(entry('ringing', 'missed'))
    c.who.signedIn = null
    history.close(entry('ringing', 'missed'))
    expect(missed).toEqual([])
    expect(history.list()).toEqual([])
    c.who.signedIn = 'acc_bob'
    expect(history.list()).toEqual([])
    c.who.signedIn = 'acc_ada'
    expect(ids(history.list())).toEqual(['ringing'])
    history.stop()
  })

  it('keeps the calls made with no one signed in in their own list, shown while no one is signed in', () => {
    const c = computer()
    const { history } = c.run()
    history.close(noLineEntry('out-1', '911', at(0)))
    expect(history.list()).toEqual([expect.objectContaining({ remote: '911', failure: 'noLine' })])
    c.who.signedIn = 'acc_ada'
    expect(history.list()).toEqual([])
  })
})

describe('Clear history', () => {
  it('clears the signed-in account’s list only, and a call in progress is listed when it ends', () => {
    const c = computer()
    const { history } = c.run()
    c.who.signedIn = 'acc_bob'
    history.close(entry('bob-1', 'answered'))
    c.who.signedIn = 'acc_ada'
    history.close(entry('ada-1', 'answered'))
    history.close(entry('ada-2', 'missed', 1))
    history.open(entry('ada-live', 'missed', 2))
    expect(history.clear('acc_ada')).toEqual([])
    expect(history.list()).toEqual([])
    // The call in progress keeps its open entry: a crash now still loses nothing.
    const stored = c.store.get(HISTORY_KEY) as Record<string, { id: string; open?: true }[]>
    expect(stored['account:acc_ada']).toEqual([expect.objectContaining({ id: 'ada-live', open: true })])
    history.close(entry('ada-live', 'answered', 2))
    expect(ids(history.list())).toEqual(['ada-live'])
    c.who.signedIn = 'acc_bob'
    expect(ids(history.list())).toEqual(['bob-1'])
  })

  it('is refused when someone else signed in since the list was shown, and clears nothing', () => {
    const c = computer()
    const { history } = c.run()
    c.who.signedIn = 'acc_ada'
    history.close(entry('ada-1', 'answered'))
    c.who.signedIn = 'acc_bob'
    history.close(entry('bob-1', 'answered'))
    let refused: unknown
    try {
      history.clear('acc_ada')
    } catch (err) {
      refused = err
    }
    expect(refused).toBeInstanceOf(DialtoneError)
    expect(refused).toMatchObject({ code: 'CONFLICT', reason: 'history-owner-changed' })
    expect(ids(history.list())).toEqual(['bob-1'])
    c.who.signedIn = 'acc_ada'
    expect(ids(history.list())).toEqual(['ada-1'])
  })

  it('says the disk is full when it cannot write, and the list stays', () => {
    const inner = memoryStore()
    let full = false
    const c = computer({
      ...inner,
      set: (k, v) => {
        if (full) throw Object.assign(new Error('no space'), { code: 'ENOSPC' })
        inner.set(k, v)
      }
    })
    const { history } = c.run()
    history.close(entry('out-1', 'answered'))
    full = true
    expect(() => history.clear(null)).toThrow(
      expect.objectContaining({ code: 'UNAVAILABLE', reason: 'storage-failed' })
    )
    expect(ids(history.list())).toEqual(['out-1'])
  })
})

describe('the single list of an older app, at the first start after the upgrade', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  })
  /** The real conf store on disk, as the older app left it: one list under phone.history, one call left open. */
  function upgraded(): KeyValueStore {
    const dir = mkdtempSync(join(tmpdir(), 'dialtone-history-'))
    dirs.push(dir)
    const store = createConfStore(dir)
    store.set(LEGACY_HISTORY_KEY, [
      { ...entry('left-open', 'missed', 2), open: true },
      entry('old-2', 'answered', 1),
      entry('old-1', 'missed')
    ])
    return store
  }

  it('goes to the account signed in then, once, its open call recovered and told', async () => {
    const c = computer(upgraded())
    c.who.signedIn = 'acc_ada'
    const first = c.run()
    expect(ids(first.history.recover())).toEqual(['left-open'])
    expect(ids(first.history.list())).toEqual(['left-open', 'old-2', 'old-1'])
    expect(c.store.get(LEGACY_HISTORY_KEY)).toBeUndefined()
    await turn()
    expect(ids(first.missed)).toEqual(['left-open'])
    const second = c.run()
    expect(second.history.recover()).toEqual([])
    expect(ids(second.history.list())).toEqual(['left-open', 'old-2', 'old-1'])
    c.who.signedIn = 'acc_bob'
    expect(second.history.list()).toEqual([])
    c.who.signedIn = null
    expect(second.history.list()).toEqual([])
  })

  it('goes to the account last signed in when its session has expired: that account finds it, no other', async () => {
    const c = computer(upgraded())
    c.who.last = 'acc_ada'
    const first = c.run()
    first.history.recover()
    expect(c.store.get(LEGACY_HISTORY_KEY)).toBeUndefined()
    expect(first.history.list()).toEqual([])
    c.who.signedIn = 'acc_bob'
    expect(first.history.list()).toEqual([])
    c.who.signedIn = 'acc_ada'
    expect(ids(first.history.list())).toEqual(['left-open', 'old-2', 'old-1'])
  })

  it('is dropped when no one was ever signed in: whoever signs in next does not get it', async () => {
    const c = computer(upgraded())
    const first = c.run()
    expect(first.history.recover()).toEqual([])
    expect(c.store.get(LEGACY_HISTORY_KEY)).toBeUndefined()
    expect(first.history.list()).toEqual([])
    await turn()
    expect(first.missed).toEqual([])
    c.who.signedIn = 'acc_bob'
    expect(c.run().history.list()).toEqual([])
  })
})

describe('a run that died during a call', () => {
  it('has the call closed at the next start whoever is signed in, told only to its own account', async () => {
    const c = computer()
    c.who.signedIn = 'acc_ada'
    c.run().history.open(entry('ringing', 'missed'))
    // The app dies; the next start has Bob signed in.
    c.who.signedIn = 'acc_bob'
    const next = c.run()
    expect(ids(next.history.recover())).toEqual(['ringing'])
    await turn()
    expect(next.missed).toEqual([])
    expect(next.history.list()).toEqual([])
    c.who.signedIn = 'acc_ada'
    expect(next.history.list()).toEqual([expect.objectContaining({ id: 'ringing', outcome: 'missed' })])
    expect(next.history.list()[0]).not.toHaveProperty('open')
    expect(c.run().history.recover()).toEqual([])
  })
})
