/**
 * Short writes of concurrent requests committed together, on SQLite (issue 24 goal 8). On SQLite a write costs
 * mostly its commit, and a commit costs the frames it appends to the WAL (a write each), one at least for every
 * B-tree page it changed: a renewal's fulfilment alone committed some 13. Requests that reach the same step in the
 * same turn of the event loop (the order's INSERT, the fulfilment) share one transaction; a page they all change
 * (a table's last page, an index's upper pages, a time-ordered index's right edge) goes to the WAL once per batch.
 *
 * How: a unit of work (one statement, or a few that must be atomic together) is queued, and the queue is run at
 * the end of the turn (setImmediate) in one transaction, one unit after another. Every caller hears only after
 * the COMMIT: "committed before the next step" holds for each, as it did alone. If a unit throws (the fast
 * fulfilment finding the facts changed, a constraint), nothing of the batch was written, and each unit runs again
 * alone, in its own transaction, and meets its own answer or error there; a unit is only statements on the handle
 * it is given, so running it again is running it for the first time. When the database refuses the batch as a
 * whole (the file locked by another process past the busy timeout, a full disk), every unit gets that error at
 * once: alone, each would wait as long to be refused the same way. A lone unit runs in its own transaction, as it
 * would without this module. Savepoints around each unit (so that one throwing would not undo the others) were
 * measured and cost more than the commits they shared saved: three statements more per unit, for a rare case.
 *
 * SQLite runs one writer at a time on one connection anyway (Kysely's connection mutex): a batch holds the
 * connection for as long as its units take, which is why only short units of the hot path come here, and a unit
 * must use only the handle it is given (the connection is held: anything else would wait for ever).
 */
import type { CompiledQuery, Kysely, QueryResult } from 'kysely'
import type { Database } from './schema'

/** Short writes committed with those of concurrent requests (ServiceContext.batch on SQLite). */
export interface GroupCommit {
  /** Runs one statement (top level, outside any transaction), committed with others' when there are. */
  run<R>(query: CompiledQuery<R>): Promise<QueryResult<R>>
  /** Runs `work`, several statements, atomically, committed with others' when there are. */
  transaction<T>(work: (db: Kysely<Database>) => Promise<T>): Promise<T>
  /** Units run, transactions committed (a batch is one; a unit alone is one), batches, and batches run again. */
  stats(): {
    readonly units: number
    readonly transactions: number
    readonly batches: number
    /** Batches undone by a unit's own error, whose units then each ran alone. */
    readonly retried: number
  }
}

/** The handle a write is given, and the group commit beside it when there is one. */
interface Writer {
  readonly db: Kysely<Database>
  readonly batch?: GroupCommit
}

/** The group commit to use: none inside a transaction (the write is the transaction's) or where there is none. */
const grouping = (w: Writer): GroupCommit | undefined => (w.db.isTransaction ? undefined : w.batch)

/** One statement, committed with concurrent requests' writes where there is a group commit, else as usual. */
export function runGrouped<R>(w: Writer, query: CompiledQuery<R>): Promise<QueryResult<R>> {
  return grouping(w)?.run(query) ?? w.db.executeQuery(query)
}

/** Several statements atomically: in the group commit where there is one, else in a transaction of their own. */
export function transactionGrouped<T>(w: Writer, work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  return grouping(w)?.transaction(work) ?? w.db.transaction().execute(work)
}

/** At most this many units in one transaction. */
const MAX_BATCH = 64

interface Unit {
  readonly work: (db: Kysely<Database>) => Promise<unknown>
  resolve(value: unknown): void
  reject(err: unknown): void
}

/** An error of the unit's own (the application's, a constraint), not of the database as a whole. */
function unitOwn(err: unknown): boolean {
  const code = (err as { code?: unknown }).code
  return typeof code !== 'string' || !code.startsWith('SQLITE_') || code.startsWith('SQLITE_CONSTRAINT')
}

export function groupCommit(db: Kysely<Database>): GroupCommit {
  let queue: Unit[] = []
  let running = false
  const counts = { units: 0, transactions: 0, batches: 0, retried: 0 }

  const alone = async (u: Unit) => {
    counts.transactions++
    try {
      u.resolve(await db.transaction().execute(u.work))
    } catch (err) {
      u.reject(err)
    }
  }

  const together = async (batch: Unit[]) => {
    const values: unknown[] = []
    let unitFailed = false
    try {
      await db.transaction().execute(async (trx) => {
        for (const u of batch) {
          try {
            values.push(await u.work(trx))
          } catch (err) {
            unitFailed = true
            throw err
          }
        }
      })
    } catch (err) {
      // Nothing of the batch is written. A unit that refused (its own error, a constraint) runs again alone with
      // the others, and each gets its own answer. The database refusing everyone (locked by another process past
      // the busy timeout, full, failing) would refuse each of them again after as long: all get its error now.
      if (!unitFailed || !unitOwn(err)) {
        for (const u of batch) u.reject(err)
        return
      }
      counts.retried++
      for (const u of batch) await alone(u)
      return
    }
    counts.transactions++
    counts.batches++
    batch.forEach((u, i) => u.resolve(values[i]))
  }

  // One batch at a time (the connection allows no more); what arrives meanwhile waits for the next.
  const flush = async () => {
    const batch = queue.slice(0, MAX_BATCH)
    queue = queue.slice(MAX_BATCH)
    counts.units += batch.length
    try {
      if (batch.length === 1) await alone(batch[0] as Unit)
      else await together(batch)
    } finally {
      running = false
      if (queue.length > 0) schedule()
    }
  }

  function schedule() {
    if (running) return
    running = true
    // flush cannot reject: alone and together settle every unit themselves.
    setImmediate(() => {
      flush().catch(() => undefined)
    })
  }

  const transaction = <T>(work: (db: Kysely<Database>) => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      queue.push({ work, resolve: resolve as (v: unknown) => void, reject })
      schedule()
    })

  return {
    transaction,
    run: <R>(query: CompiledQuery<R>) =>
      transaction((on) => on.executeQuery(query)) as Promise<QueryResult<R>>,
    stats: () => ({ ...counts })
  }
}
