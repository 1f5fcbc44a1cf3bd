/**
 * The call history as the app's store keeps it: one list per account, so a computer that several people use shows
 * each of them only their own calls, never the calls of whoever was signed in before. All the lists are one value
 * under phone.historyByAccount ({ "account:<id>": entries, "none": entries }), so every change is one write and
 * the calls a crashed run left open are found whoever they belong to.
 *
 * Whose list a call goes in (call-history.ts asks phone-service.ts): the account signed in when it starts; else,
 * for the moment between a sign-out and its line stopping, the account whose line carries it; else no account
 * ("none"). No line is registered while no one is signed in, so "none" holds only calls that could not go out
 * (an emergency call dialled from the screen then is one: failed, no line). They are no one's to hand to the next
 * person who signs in, so they stay in their own list, listed on the Phone page while no one is signed in (to
 * whoever sits at the computer: it is the only owner they have) and cleared from there.
 *
 * Upgrade: an older app kept one list for the whole computer under phone.history. At the first start after the
 * upgrade it goes, once, to the account signed in then (the computer's owner has been using it, and its open
 * entries are recovered with the rest); with no one signed in, to the account last signed in here, whose session
 * the vault still holds though it expired (an owner who had not opened the app for a month signs in to find their
 * calls). Only when no account was ever signed in here is it dropped: no one can say whose calls they are, and
 * handing them to whoever signs in next is the very leak this module closes.
 */
import type { HistoryEntry } from '../../shared/ipc/phone'
import type { Logger } from '../log/logger'
import type { KeyValueStore } from '../store/key-value-store'

export const HISTORY_KEY = 'phone.historyByAccount'
/** The single list of the apps before the history had owners (read once, at the first start after the upgrade). */
export const LEGACY_HISTORY_KEY = 'phone.history'
export const HISTORY_MAX = 500

/** An entry as stored: a whole HistoryEntry, marked open while its call is in progress. */
export type Stored = HistoryEntry & { open?: true }

/** Whose calls: an account id, or null for the calls made while no one was signed in. */
export type Owner = string | null

/** The lists by owner's slot: "account:<id>", or "none". */
export type Lists = Map<string, Stored[]>

/** An owner's key in the stored value (prefixed, so no account id can be a key objects treat specially). */
export const slotOf = (owner: Owner): string => (owner === null ? 'none' : `account:${owner}`)

const entriesOf = (raw: unknown): Stored[] =>
  Array.isArray(raw) ? (raw as unknown[]).filter((e): e is Stored => typeof e === 'object' && e !== null) : []

export class HistoryStore {
  constructor(
    private readonly store: KeyValueStore,
    private readonly log: Logger
  ) {}

  /** Every owner's list. */
  load(): Lists {
    const raw = this.store.get(HISTORY_KEY)
    const lists: Lists = new Map()
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return lists
    for (const [slot, entries] of Object.entries(raw)) {
      const list = entriesOf(entries)
      if (list.length > 0) lists.set(slot, list)
    }
    return lists
  }

  /** Writes every list (an empty one leaves no key behind); throws what the store threw. */
  saveOrThrow(lists: Lists): void {
    const value: Record<string, Stored[]> = {}
    for (const [slot, entries] of lists) if (entries.length > 0) value[slot] = entries.slice(0, HISTORY_MAX)
    this.store.set(HISTORY_KEY, value)
  }

  /** Writes every list; false when the store could not (a full disk must not take the phone down). */
  save(lists: Lists, what: string): boolean {
    try {
      this.saveOrThrow(lists)
      return true
    } catch (err) {
      this.log.warn({ err }, `the call history could not be written (${what})`)
      return false
    }
  }

  /**
   * Moves an older app's single list to `owner`'s (the account signed in, else the one last signed in on this
   * computer, its session expired: call-history.ts), or drops it when `owner` is null (the module header says why),
   * once: the old key is gone afterwards. Nothing is deleted unless its new place was written.
   */
  migrate(owner: Owner): void {
    const legacy = this.store.get(LEGACY_HISTORY_KEY)
    if (legacy === undefined) return
    const entries = entriesOf(legacy)
    if (owner !== null && entries.length > 0) {
      const lists = this.load()
      const mine = lists.get(slotOf(owner)) ?? []
      const ids = new Set(mine.map((e) => e.id))
      lists.set(slotOf(owner), [...mine, ...entries.filter((e) => !ids.has(e.id))])
      if (!this.save(lists, 'moving the history to the signed-in account')) return
      this.log.info({ calls: entries.length }, 'the call history moved to the signed-in account')
    } else if (entries.length > 0)
      this.log.info(
        { calls: entries.length },
        'the call history of an older version dropped: no one signed in'
      )
    try {
      this.store.delete(LEGACY_HISTORY_KEY)
    } catch (err) {
      this.log.warn({ err }, 'the old call history could not be removed; moved again at the next start')
    }
  }
}
