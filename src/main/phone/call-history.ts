/**
 * The call history: one entry a call, newest first and at most HISTORY_MAX, kept in the app's store under
 * phone.history, with phone.missedCall sent for each missed one. How a call ended is decided here from what its
 * session saw (answered, refused, hung up by this side, or lost with the connection or the audio).
 */
import type { HistoryEntry } from '../../shared/ipc/phone'
import type { EventBus } from '../ipc/event-bus'
import type { Logger } from '../log/logger'
import type { KeyValueStore } from '../store/key-value-store'
import type { Tracked } from './call-session'

const HISTORY_KEY = 'phone.history'
const HISTORY_MAX = 500

/** Why the calls now ending ended, when it was not the far end (the connection to the server dropped). */
export interface CallsLost {
  readonly reason: string
  readonly why: 'connectionLost' | 'mediaGone'
}

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
  return {
    id: t.call.id + ':' + t.startedAt,
    direction: t.call.direction,
    remote: t.call.remote,
    startedAt: t.startedAt,
    answeredAt: t.answeredAt,
    endedAt,
    outcome,
    failure
  }
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

export class CallHistory {
  constructor(
    private readonly store: KeyValueStore,
    private readonly events: EventBus,
    private readonly log: Logger
  ) {}

  list(): HistoryEntry[] {
    const raw = this.store.get(HISTORY_KEY)
    return Array.isArray(raw) ? (raw as HistoryEntry[]) : []
  }

  add(entry: HistoryEntry): void {
    const outcome = entry.outcome
    try {
      this.store.set(HISTORY_KEY, [entry, ...this.list()].slice(0, HISTORY_MAX))
    } catch (err) {
      // A full disk must not take the phone down: the call is over either way; only its history line is lost.
      this.log.warn({ err, call: entry.id }, 'the call could not be added to the history')
    }
    if (outcome === 'missed') this.events.emit('phone.missedCall', entry)
  }
}
