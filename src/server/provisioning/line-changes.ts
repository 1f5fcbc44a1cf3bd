/**
 * Who is told that an account's lines changed, inside the service: the long polls of running apps
 * (shared/api/line-changes.ts) wait here for a change to their account, and the changes say so here (syncLine,
 * closeLine, a label; not the short renewal path, whose paid-through other apps see when their hold ends: a NOTIFY
 * per renewal would cost PostgreSQL's renewals). What a wake-up carries is only "look again": the poll computes its
 * lines' version anew (line-version.ts) and answers only if it moved, so a wake-up for nothing costs one read and a
 * missed one costs at most the poll's hold.
 *
 * - One process (SQLite): the waiters of this process are woken at once. A change inside a transaction wakes them
 *   before its commit, which is safe on SQLite: there the poll's read goes through the one connection the
 *   transaction holds, so it runs after the commit (or the rollback, and then finds nothing new).
 * - PostgreSQL (one or more processes behind HAProxy): the change is a NOTIFY in the writer's own transaction, so it
 *   is heard at its commit, by every process, and never for a rolled-back change; each process LISTENs on one
 *   connection of its own, opened when its first poll comes (which reads only once it is in place), opened again
 *   after it drops (the polls waiting meanwhile find changes by their version when their hold ends).
 *
 * Bounded: at most MAX_PER_SESSION waiting polls per session (an app holds one), MAX_PER_PERSON per signed-in
 * person whatever the number of their sessions (sign-ins are not counted: a business's member who signed in many
 * times must not take the other members' places), MAX_PER_ACCOUNT per account and MAX_WAITING in the process; past
 * them a poll is refused at once ('busy': the route answers 503 with Retry-After), so someone with a session who
 * opens polls by the thousand holds no more than their share.
 */
import { type Kysely, sql } from 'kysely'
import pg from 'pg'
import type { Database } from '../db/schema'
import { settleWithin } from '../../shared/settle-within'

/** Why a wait ended. */
export type WaitEnd = 'changed' | 'timeout' | 'aborted' | 'busy' | 'closed'

export interface LineChanges {
  /** A line of `accountId` changed (on PostgreSQL in `db`'s transaction, when it is one: heard at its commit). */
  changed(db: Kysely<Database>, accountId: string): Promise<void>
  /** Resolves once changes made from now on will be heard (PostgreSQL: the LISTEN is in place, or it gave up). */
  ready(): Promise<void>
  /** Waits for the next change heard for the account, at most `ms`, or until `signal` aborts. */
  next(who: Waiter, ms: number, signal: AbortSignal): Promise<WaitEnd>
  /** Ends every wait ('closed', at once and from now on) and the PostgreSQL listener. */
  close(): Promise<void>
}

/** Whose poll waits: the account whose lines it is about, the session it came with and the person signed in. */
export interface Waiter {
  readonly accountId: string
  readonly sessionId: string
  readonly personId: string
}

const MAX_PER_SESSION = 2
/** Eight apps of one person, each holding its two. */
const MAX_PER_PERSON = 16
const MAX_PER_ACCOUNT = 64
const MAX_WAITING = 10_000
const CHANNEL = 'dialtone_lines'
/** How long a poll waits for the LISTEN connection to be in place before it reads the version anyway. */
const READY_WAIT_MS = 2000

/** One more (or, with -1, one fewer) for `key`: the map holds only keys with some. */
function bump(counts: Map<string, number>, key: string, by: 1 | -1): void {
  const n = (counts.get(key) ?? 0) + by
  if (n > 0) counts.set(key, n)
  else counts.delete(key)
}

/** The waiting polls of this process, by account (to wake), by session and by person (to bound). */
function waiters() {
  const byAccount = new Map<string, Set<(end: WaitEnd) => void>>()
  const bySession = new Map<string, number>()
  const byPerson = new Map<string, number>()
  let count = 0
  let closed = false
  return {
    wake(accountId: string) {
      const set = byAccount.get(accountId)
      if (!set) return
      byAccount.delete(accountId)
      for (const done of set) done('changed')
    },
    next({ accountId, sessionId, personId }: Waiter, ms: number, signal: AbortSignal): Promise<WaitEnd> {
      if (closed) return Promise.resolve('closed')
      if (signal.aborted) return Promise.resolve('aborted')
      const set = byAccount.get(accountId) ?? new Set()
      if (
        (bySession.get(sessionId) ?? 0) >= MAX_PER_SESSION ||
        (byPerson.get(personId) ?? 0) >= MAX_PER_PERSON ||
        set.size >= MAX_PER_ACCOUNT ||
        count >= MAX_WAITING
      )
        return Promise.resolve('busy')
      byAccount.set(accountId, set)
      bump(bySession, sessionId, 1)
      bump(byPerson, personId, 1)
      count++
      return new Promise<WaitEnd>((resolve) => {
        const done = (end: WaitEnd) => {
          clearTimeout(timer)
          signal.removeEventListener('abort', onAbort)
          if (set.delete(done) && set.size === 0 && byAccount.get(accountId) === set)
            byAccount.delete(accountId)
          bump(bySession, sessionId, -1)
          bump(byPerson, personId, -1)
          count--
          resolve(end)
        }
        const onAbort = () => done('aborted')
        const timer = setTimeout(() => done('timeout'), ms)
        signal.addEventListener('abort', onAbort, { once: true })
        set.add(done)
      })
    },
    close() {
      closed = true
      for (const set of [...byAccount.values()]) for (const done of [...set]) done('closed')
    }
  }
}

/** One process, no database notifications (SQLite, and contexts built without a service). */
export function localLineChanges(): LineChanges {
  const w = waiters()
  return {
    changed: async (_db, accountId) => w.wake(accountId),
    ready: async () => undefined,
    next: (who, ms, signal) => w.next(who, ms, signal),
    close: async () => w.close()
  }
}

/** Every process of a PostgreSQL service: NOTIFY in the writer's transaction, LISTEN on a connection of its own. */
export function postgresLineChanges(url: string, warn: (m: string) => void): LineChanges {
  const w = waiters()
  let client: pg.Client | null = null
  let connecting: Promise<void> | null = null
  let closed = false
  let retryAt = 0

  const listen = async () => {
    // Keep-alive probes find a connection a partition left half-open; a host that does not answer is given up on
    // in 5 s (the polls meanwhile end on their hold, and the next one tries again).
    const c = new pg.Client({ connectionString: url, keepAlive: true, connectionTimeoutMillis: 5000 })
    // A dropped listener is opened again by the next wait; until then polls end on their hold.
    c.on('error', (err) => {
      warn(`line changes: the listening connection failed (${err.message}); listening again on the next poll`)
      if (client === c) client = null
      retryAt = Date.now() + 1000
      c.end().catch(() => undefined)
    })
    c.on('notification', (n) => {
      if (n.channel === CHANNEL && n.payload) w.wake(n.payload)
    })
    await c.connect()
    await c.query(`LISTEN ${CHANNEL}`)
    if (closed) await c.end()
    else client = c
  }

  const ensureListening = () => {
    if (client || connecting || closed || Date.now() < retryAt) return
    connecting = listen()
      .catch((err: unknown) => {
        warn(`line changes: cannot listen (${err instanceof Error ? err.message : String(err)})`)
        retryAt = Date.now() + 5000
      })
      .finally(() => (connecting = null))
  }

  return {
    async changed(db, accountId) {
      await sql`SELECT pg_notify(${CHANNEL}, ${accountId})`.execute(db)
    },
    async ready() {
      ensureListening()
      if (connecting) await settleWithin(connecting, READY_WAIT_MS)
    },
    next(who, ms, signal) {
      ensureListening()
      return w.next(who, ms, signal)
    },
    async close() {
      closed = true
      w.close()
      await connecting
      await client?.end().catch(() => undefined)
      client = null
    }
  }
}
