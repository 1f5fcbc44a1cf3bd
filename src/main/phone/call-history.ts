/**
 * The call history: one entry a call, newest first (by when it started) and at most HISTORY_MAX, kept in the app's
 * store per account (history-store.ts: whose list a call goes in, who sees which, the upgrade from one list for
 * the whole computer), with phone.missedCall sent once for each missed one. The signed-in account sees and clears
 * its own list only. How a call ended is decided here from what its session saw (answered, refused, hung up by
 * this side, or lost with the connection or the audio).
 *
 * A call is in the store from its first moment (ringing in, or dialled out), not only from its end, so a crash, a
 * kill or a power cut during it loses nothing. While it is in progress its entry is marked open and says what the
 * history should say if the app died right then: an incoming call not answered yet is missed, an outgoing one
 * failed (appClosed), an answered one answered; its endedAt is the last moment the app was seen with it (its start,
 * its answer, then every SEEN_EVERY_MS). So an open entry is always a whole HistoryEntry, and closing one that a
 * run left behind when it died is only dropping the mark (recover(), at the next start, in every account's list),
 * then sending the missed-call notice that run never sent. The calls in progress are not listed: the Phone page
 * shows them with their controls, and the history once they have ended.
 */
import { DialtoneError } from '../../shared/ipc/errors'
import type { HistoryEntry } from '../../shared/ipc/phone'
import type { EventBus } from '../ipc/event-bus'
import type { Logger } from '../log/logger'
import type { KeyValueStore } from '../store/key-value-store'
import { storeError } from '../store/store-error'
import type { Tracked } from './call-session'
import { HistoryStore, type Owner, type Stored, slotOf } from './history-store'

export { HISTORY_MAX } from './history-store'
/**
 * How often the calls in progress write that they are still going (their end, should the app die before the next
 * time): a minute bounds both how early a recovered call ends and the writes (the store is a file).
 */
export const SEEN_EVERY_MS = 60_000

/** Why the calls now ending ended, when it was not the far end (the connection to the server dropped). */
export interface CallsLost {
  readonly reason: string
  readonly why: 'connectionLost' | 'mediaGone'
}

const entryId = (t: Tracked): string => t.call.id + ':' + t.startedAt

/** A call's entry as it stands: what is known of the call, its end and how it went. */
const entryOf = (
  t: Tracked,
  endedAt: string,
  outcome: HistoryEntry['outcome'],
  failure: HistoryEntry['failure']
): HistoryEntry => ({
  id: entryId(t),
  direction: t.call.direction,
  remote: t.call.remote,
  startedAt: t.startedAt,
  answeredAt: t.answeredAt,
  endedAt,
  outcome,
  failure,
  ...(t.endedBy && outcome === 'answered' ? { ended: t.endedBy } : {}),
  ...(t.call.referredBy ? { referredBy: t.call.referredBy } : {})
})

/** The history entry of a call whose session has ended. */
export function historyEntry(t: Tracked, lost: CallsLost | null, endedAt: string): HistoryEntry {
  // An outgoing call that ended unanswered without this side hanging up did not go through: failed, with why.
  const unanswered: HistoryEntry['outcome'] =
    t.call.direction === 'in' ? 'missed' : t.hungUp && !lost ? 'canceled' : 'failed'
  const outcome = t.outcome ?? (t.answeredAt ? 'answered' : unanswered)
  const failure =
    outcome === 'failed'
      ? (t.failure ?? (lost?.why === 'connectionLost' ? 'connectionLost' : 'unknown'))
      : null
  return entryOf(t, endedAt, outcome, failure)
}

/**
 * The entry of a call in progress: what the history says of it should the app stop now (quit, killed, crashed, the
 * power gone), ended at the moment it was last seen going.
 */
export function openEntry(t: Tracked, seenAt: string): HistoryEntry {
  const unanswered: HistoryEntry['outcome'] = t.call.direction === 'in' ? 'missed' : 'failed'
  const outcome = t.outcome ?? (t.answeredAt ? 'answered' : unanswered)
  return entryOf(t, seenAt, outcome, outcome === 'failed' ? (t.failure ?? 'appClosed') : null)
}

/** A call with no registered line to carry it: failed, with that reason. */
export function noLineEntry(id: string, target: string, at: string): HistoryEntry {
  return {
    id: `${id}:${at}`,
    direction: 'out',
    remote: target,
    startedAt: at,
    answeredAt: null,
    endedAt: at,
    outcome: 'failed',
    failure: 'noLine'
  }
}

function withoutMark(e: Stored): HistoryEntry {
  if (!('open' in e)) return e
  const entry: Stored = { ...e }
  delete entry.open
  return entry
}

/** Whose list a call goes in and whose is shown (history-store.ts says who decides and why). */
export interface HistoryOwners {
  /** The account a call starting now belongs to; null: none (no one signed in). */
  readonly owner: () => Owner
  /** The account signed in now, whose list is listed and cleared; null: the calls no account owned. */
  readonly viewer: () => Owner
  /**
   * The account last signed in on this computer, its session expired or not (an older app's single list goes to it
   * when no one is signed in at the upgrade: history-store.ts); none: the viewer.
   */
  readonly lastSignedIn?: () => Owner
}

const NO_OWNERS: HistoryOwners = { owner: () => null, viewer: () => null }

export class CallHistory {
  /**
   * This run's calls in progress, with the owner each was written for when it started (open entries not among
   * them were left by a run that died). A call keeps its owner to its end, even if its account signs out first.
   */
  private readonly live = new Map<string, Owner>()
  private seenTimer: ReturnType<typeof setInterval> | null = null
  private stopped = false
  private readonly lists: HistoryStore

  constructor(
    store: KeyValueStore,
    private readonly events: EventBus,
    private readonly log: Logger,
    private readonly now: () => Date = () => new Date(),
    private readonly owners: HistoryOwners = NO_OWNERS
  ) {
    this.lists = new HistoryStore(store, log)
  }

  /** Replaces the entry with the same id where it stands (calls are listed by when they started), or puts it first. */
  private put(owner: Owner, entry: Stored, what: string): void {
    const lists = this.lists.load()
    const entries = lists.get(slotOf(owner)) ?? []
    const at = entries.findIndex((e) => e.id === entry.id)
    if (at >= 0) entries[at] = entry
    else entries.unshift(entry)
    lists.set(slotOf(owner), entries)
    this.lists.save(lists, what)
  }

  /**
   * The signed-in account's calls that have ended, newest first (with no one signed in, the calls no account
   * owned). A call in progress is on the Phone page, and here once it ends.
   */
  list(): HistoryEntry[] {
    return (this.lists.load().get(slotOf(this.owners.viewer())) ?? [])
      .filter((e) => !this.live.has(e.id))
      .map(withoutMark)
  }

  /**
   * Clears the signed-in account's history (with no one signed in, the calls no account owned); `owner` is the
   * one the screen shows, refused when someone else is signed in by now. The calls in progress keep their open
   * entries (a crash must still lose nothing) and are listed when they end. Returns the history as it is then.
   */
  clear(owner: Owner): HistoryEntry[] {
    const viewer = this.owners.viewer()
    if (owner !== viewer)
      throw new DialtoneError(
        'CONFLICT',
        'the signed-in account changed since this history was shown; nothing was cleared',
        [],
        'history-owner-changed'
      )
    const lists = this.lists.load()
    const entries = lists.get(slotOf(viewer)) ?? []
    const inProgress = entries.filter((e) => this.live.has(e.id))
    lists.set(slotOf(viewer), inProgress)
    try {
      this.lists.saveOrThrow(lists)
    } catch (err) {
      throw storeError('the call history could not be cleared', err)
    }
    this.log.info({ calls: entries.length - inProgress.length }, 'the call history was cleared')
    return this.list()
  }

  /** A call has started (it rings in, or is dialled out): in its owner's history now, open. */
  open(entry: HistoryEntry): void {
    const owner = this.owners.owner()
    this.live.set(entry.id, owner)
    this.put(owner, { ...entry, open: true }, 'a call started')
    if (!this.seenTimer && !this.stopped) {
      this.seenTimer = setInterval(() => this.seen(), SEEN_EVERY_MS)
      this.seenTimer.unref?.()
    }
  }

  /** A call in progress has changed (it was answered): its open entry says so. */
  update(entry: HistoryEntry): void {
    if (this.live.has(entry.id))
      this.put(this.live.get(entry.id) ?? null, { ...entry, open: true }, 'a call was answered')
  }

  /**
   * A call has ended: its entry is closed (or added, for a call that never had one), and a missed one told when
   * it is the signed-in account's (the next person at the screen is not told of the last one's calls).
   */
  close(entry: HistoryEntry): void {
    const owner = this.live.has(entry.id) ? (this.live.get(entry.id) ?? null) : this.owners.owner()
    this.live.delete(entry.id)
    if (this.live.size === 0) this.stopSeen()
    this.put(owner, entry, 'a call ended')
    if (owner !== this.owners.viewer()) return
    // The recent calls are read again now: the call left the Phone page (idle) a moment before its session ended.
    this.events.emit('phone.callEnded', entry)
    if (entry.outcome === 'missed') this.events.emit('phone.missedCall', entry)
  }

  /**
   * At start: first an older app's single list goes to the account signed in (history-store.ts), then the calls a
   * run that stopped during them left open, in any account's history, are closed as their entries stand (ended
   * when they were last seen going). The missed ones of the signed-in account are told once listeners are in
   * place (a turn later: the host subscribes after starting the app); another account's are not told here, its
   * owner finds them in the history. Returns the calls it closed.
   */
  recover(): HistoryEntry[] {
    const viewer = this.owners.viewer()
    this.lists.migrate(viewer ?? this.owners.lastSignedIn?.() ?? null)
    const lists = this.lists.load()
    const left = (e: Stored): boolean => e.open === true && !this.live.has(e.id)
    const recovered: HistoryEntry[] = []
    const tell: HistoryEntry[] = []
    for (const [slot, entries] of lists) {
      const closed = entries.filter(left).map(withoutMark)
      if (closed.length === 0) continue
      recovered.push(...closed)
      if (slot === slotOf(viewer)) tell.push(...closed.filter((e) => e.outcome === 'missed'))
      lists.set(
        slot,
        entries.map((e) => (left(e) ? withoutMark(e) : e))
      )
    }
    if (recovered.length === 0) return []
    // Not written, not told: the entries stay open and are recovered at the next start, told then.
    if (!this.lists.save(lists, 'closing calls the app stopped during')) return []
    this.log.warn(
      { calls: recovered.map((e) => e.id) },
      'the app stopped during calls: closed in the history'
    )
    if (tell.length > 0)
      setImmediate(() => {
        for (const e of tell) this.events.emit('phone.missedCall', e)
      })
    return recovered
  }

  /** The app is stopping: the calls in progress are seen now (their end, should their sessions not end in time). */
  stop(): void {
    this.stopped = true
    this.stopSeen()
    this.seen()
  }

  /** The calls in progress are still going: now is their end should the app stop before the next time. */
  private seen(): void {
    if (this.live.size === 0) return
    const at = this.now().toISOString()
    const lists = this.lists.load()
    let changed = false
    for (const owner of new Set(this.live.values())) {
      const entries = lists.get(slotOf(owner)) ?? []
      for (const [i, e] of entries.entries())
        if (e.open && this.live.get(e.id) === owner) {
          entries[i] = { ...e, endedAt: at }
          changed = true
        }
    }
    if (changed) this.lists.save(lists, 'calls in progress seen')
  }

  private stopSeen(): void {
    if (this.seenTimer) clearInterval(this.seenTimer)
    this.seenTimer = null
  }
}
