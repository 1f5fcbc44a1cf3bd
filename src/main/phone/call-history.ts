/**
 * The call history: one entry a call, newest first (by when it started) and at most HISTORY_MAX, kept in the app's
 * store under phone.history, with phone.missedCall sent once for each missed one. How a call ended is decided here
 * from what its session saw (answered, refused, hung up by this side, or lost with the connection or the audio).
 *
 * A call is in the store from its first moment (ringing in, or dialled out), not only from its end, so a crash, a
 * kill or a power cut during it loses nothing. While it is in progress its entry is marked open and says what the
 * history should say if the app died right then: an incoming call not answered yet is missed, an outgoing one
 * failed (appClosed), an answered one answered; its endedAt is the last moment the app was seen with it (its start,
 * its answer, then every SEEN_EVERY_MS). So an open entry is always a whole HistoryEntry (an older app reading this
 * store lists it as it stands), and closing one that a run left behind when it died is only dropping the mark
 * (recover(), at the next start), then sending the missed-call notice that run never sent. The calls in progress
 * are not listed: the Phone page shows them with their controls, and the history once they have ended.
 */
import type { HistoryEntry } from '../../shared/ipc/phone'
import type { EventBus } from '../ipc/event-bus'
import type { Logger } from '../log/logger'
import type { KeyValueStore } from '../store/key-value-store'
import type { Tracked } from './call-session'

const HISTORY_KEY = 'phone.history'
export const HISTORY_MAX = 500
/**
 * How often the calls in progress write that they are still going (their end, should the app die before the next
 * time): a minute bounds both how early a recovered call ends and the writes (the store is a file).
 */
export const SEEN_EVERY_MS = 60_000

/** An entry as stored: a whole HistoryEntry, marked open while its call is in progress. */
type Stored = HistoryEntry & { open?: true }

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
  failure
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

export class CallHistory {
  /** The ids of this run's calls in progress (open entries not among them were left by a run that died). */
  private readonly live = new Set<string>()
  private seenTimer: ReturnType<typeof setInterval> | null = null
  private stopped = false

  constructor(
    private readonly store: KeyValueStore,
    private readonly events: EventBus,
    private readonly log: Logger,
    private readonly now: () => Date = () => new Date()
  ) {}

  private read(): Stored[] {
    const raw = this.store.get(HISTORY_KEY)
    return Array.isArray(raw)
      ? (raw as unknown[]).filter((e): e is Stored => typeof e === 'object' && e !== null)
      : []
  }

  private write(entries: readonly Stored[], what: string): boolean {
    try {
      this.store.set(HISTORY_KEY, entries.slice(0, HISTORY_MAX))
      return true
    } catch (err) {
      // A full disk must not take the phone down: the call goes on either way; only its history line is lost.
      this.log.warn({ err }, `the call history could not be written (${what})`)
      return false
    }
  }

  /** Replaces the entry with the same id where it stands (calls are listed by when they started), or puts it first. */
  private put(entry: Stored, what: string): void {
    const entries = this.read()
    const at = entries.findIndex((e) => e.id === entry.id)
    if (at >= 0) entries[at] = entry
    else entries.unshift(entry)
    this.write(entries, what)
  }

  /** The calls that have ended, newest first (a call in progress is on the Phone page, and here once it ends). */
  list(): HistoryEntry[] {
    return this.read()
      .filter((e) => !this.live.has(e.id))
      .map(withoutMark)
  }

  /** A call has started (it rings in, or is dialled out): in the store now, open. */
  open(entry: HistoryEntry): void {
    this.live.add(entry.id)
    this.put({ ...entry, open: true }, 'a call started')
    if (!this.seenTimer && !this.stopped) {
      this.seenTimer = setInterval(() => this.seen(), SEEN_EVERY_MS)
      this.seenTimer.unref?.()
    }
  }

  /** A call in progress has changed (it was answered): its open entry says so. */
  update(entry: HistoryEntry): void {
    if (this.live.has(entry.id)) this.put({ ...entry, open: true }, 'a call was answered')
  }

  /** A call has ended: its entry is closed (or added, for a call that never had one), and a missed one told. */
  close(entry: HistoryEntry): void {
    this.live.delete(entry.id)
    if (this.live.size === 0) this.stopSeen()
    this.put(entry, 'a call ended')
    if (entry.outcome === 'missed') this.events.emit('phone.missedCall', entry)
  }

  /**
   * Closes the calls a run that stopped during them left open, as their entries stand (ended when they were last
   * seen going), and tells the missed ones once listeners are in place (a turn later: the host subscribes after
   * starting the app). Returns the calls it closed.
   */
  recover(): HistoryEntry[] {
    const entries = this.read()
    const left = (e: Stored): boolean => e.open === true && !this.live.has(e.id)
    const recovered = entries.filter(left).map(withoutMark)
    if (recovered.length === 0) return []
    // Not written, not told: the entries stay open and are recovered at the next start, told then.
    if (
      !this.write(
        entries.map((e) => (left(e) ? withoutMark(e) : e)),
        'closing calls the app stopped during'
      )
    )
      return []
    this.log.warn(
      { calls: recovered.map((e) => e.id) },
      'the app stopped during calls: closed in the history'
    )
    const missed = recovered.filter((e) => e.outcome === 'missed')
    if (missed.length > 0)
      setImmediate(() => {
        for (const e of missed) this.events.emit('phone.missedCall', e)
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
    const entries = this.read()
    let changed = false
    for (const [i, e] of entries.entries())
      if (e.open && this.live.has(e.id)) {
        entries[i] = { ...e, endedAt: at }
        changed = true
      }
    if (changed) this.write(entries, 'calls in progress seen')
  }

  private stopSeen(): void {
    if (this.seenTimer) clearInterval(this.seenTimer)
    this.seenTimer = null
  }
}
