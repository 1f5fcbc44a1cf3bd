/**
 * Short statements of concurrent requests sent to PostgreSQL together (issue 24 goal 8: "batch what is not
 * needed"). A renewal's four round trips cannot be fewer for one request (the read before the price, the order
 * committed before the processor, the processor's answer before the fulfilment), and each round trip costs both
 * processes far more than the statement it carries: on loopback the service's `writev` that wakes the backend was
 * over half of the service's busy time per renewal, and the backend's protocol, executor start and commit some
 * 20 µs each. Requests that reach the same step at the same time can share one round trip and one commit.
 *
 * How: at most IN_FLIGHT messages at a time. A statement that arrives with room for one goes at once, alone, as it
 * would without this module (the same named prepared statement, the same bind parameters: an idle service gains
 * and loses nothing). Those that arrive meanwhile wait for one to finish and go next, together, as one simple-query message
 * of `EXECUTE`s of statements this connection prepared with SQL `PREPARE` (parsed and planned once per connection,
 * like the named ones). PostgreSQL runs the statements of one such message in one implicit transaction: they
 * commit together, and each caller hears of its statement only after that commit, so "committed before the next
 * step" holds for each as it did alone. If the server answers that the batch failed (one statement's error, a
 * deadlock, a plan gone stale after another process migrated), nothing of it was committed, and each statement is
 * sent again alone, in order: every caller gets exactly the answer or the error it would have got alone. If the
 * batch was sent and no such answer came (the connection died), it may have committed: nothing is sent again, and
 * every caller gets the error, as a statement alone on a connection that died would. Only statements a
 * caller marks as batchable come here (short, top-level, no session state); a long query would hold up the others.
 *
 * The values of a batch are written into the message as literals: pg's `escapeLiteral` (quotes doubled, a
 * backslash making it an `E''` string), each typed by the prepared statement's parameter as a bind value would be.
 * A value that cannot be written so (a NUL, which ends a simple-query message; an object; a number that is not
 * finite) sends its statement alone, as a bind parameter. Hostile text in a value stays a value: the tests feed
 * quotes, backslashes, `$$`, semicolons and comments through a batch and read them back byte for byte.
 */
import { createHash } from 'node:crypto'
import type { CompiledQuery, Kysely, QueryResult } from 'kysely'
import pg from 'pg'
import type { Database } from './schema'

/** At most this many statements in one message (a burst larger than that goes in several, one after another). */
const MAX_BATCH = 32
/**
 * Messages in flight at once. One makes the largest batches (the fewest round trips per statement); two let a
 * machine with more cores than this one run two backends' worth of them at once. Measured on 2 cores with the
 * billing benchmark: the same renewals per second and CPU per renewal either way, within the noise.
 */
const IN_FLIGHT = 2

export interface StatementBatcher {
  /** Runs `query` (top level, outside any transaction), with others waiting at the same time when there are. */
  run<R>(query: CompiledQuery<R>): Promise<QueryResult<R>>
  /**
   * SQLite (group-commit.ts): runs `work`, several statements, atomically, committed with other requests' work.
   * PostgreSQL's batcher has none (a unit of several statements would cost a round trip each).
   */
  transaction?<T>(work: (db: Kysely<Database>) => Promise<T>): Promise<T>
  /**
   * Statements run and round trips used so far (a batch is one round trip; a retry alone is one each). SQLite's
   * group commit counts units for statements and transactions for round trips.
   */
  stats(): {
    readonly statements: number
    readonly roundTrips: number
    readonly batches: number
    /** Batches that failed and whose statements were each sent again alone. */
    readonly retried: number
  }
}

interface Waiting {
  readonly sql: string
  readonly params: readonly unknown[]
  /** The parameters as SQL literals; undefined when one cannot be written as a literal (sent alone). */
  readonly literals: readonly string[] | undefined
  resolve(result: QueryResult<unknown>): void
  reject(err: unknown): void
}

/** A value as a SQL literal of unknown type (PostgreSQL gives it the parameter's type), or undefined. */
export function literalOf(value: unknown): string | undefined {
  if (value === null || value === undefined) return 'NULL'
  if (typeof value === 'string') return value.includes('\u0000') ? undefined : pg.escapeLiteral(value)
  if (typeof value === 'boolean') return value ? "'true'" : "'false'"
  if (typeof value === 'number') return Number.isFinite(value) ? `'${String(value)}'` : undefined
  if (typeof value === 'bigint') return `'${value.toString()}'`
  return undefined
}

/**
 * The server's own answer that it undid the statements (an error with a SQLSTATE): PostgreSQL ends a failed
 * implicit transaction by rolling it back. Anything else (a connection that died, no answer) leaves the outcome
 * unknown.
 */
const rolledBack = (err: unknown): boolean => /^[0-9A-Z]{5}$/.test(String((err as { code?: unknown }).code))

const batchName = (sql: string) => `b${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`

/** Kysely's result from pg's, as its PostgreSQL driver makes it. */
function resultOf(res: pg.QueryResult): QueryResult<unknown> {
  const counted = ['INSERT', 'UPDATE', 'DELETE', 'MERGE'].includes(res.command)
  return {
    rows: res.rows ?? [],
    ...(counted ? { numAffectedRows: BigInt(res.rowCount ?? 0) } : {})
  }
}

/**
 * `alone` runs one statement the ordinary way (Kysely on the pool: a named prepared statement with bind
 * parameters); `pool` gives the connection a batch goes over; until `ready` (the schema migrated) all go alone.
 */
export function statementBatcher(
  pool: pg.Pool,
  alone: (query: CompiledQuery<unknown>) => Promise<QueryResult<unknown>>,
  ready: () => boolean = () => true
): StatementBatcher {
  const queue: Waiting[] = []
  const preparedOn = new WeakMap<pg.PoolClient, Set<string>>()
  const counts = { statements: 0, roundTrips: 0, batches: 0, retried: 0 }
  let busy = 0

  const one = async (w: Waiting) => {
    counts.statements++
    counts.roundTrips++
    try {
      w.resolve(await alone({ sql: w.sql, parameters: w.params } as CompiledQuery<unknown>))
    } catch (err) {
      w.reject(err)
    }
  }

  const together = async (batch: Waiting[]) => {
    let client: pg.PoolClient | undefined
    let broken: Error | undefined
    let results: pg.QueryResult[]
    let sent = false
    try {
      client = await pool.connect()
      let names = preparedOn.get(client)
      if (!names) {
        names = new Set<string>()
        preparedOn.set(client, names)
        // A connection that dies mid-batch rejects the batch and then emits the error as an event: the pool
        // listens only to idle connections (database.ts listens too; this module may be given any pool).
        client.on('error', () => undefined)
      }
      for (const sql of new Set(batch.map((w) => w.sql))) {
        const name = batchName(sql)
        if (names.has(name)) continue
        await client.query(`PREPARE ${name} AS ${sql}`)
        names.add(name)
      }
      const text = batch
        .map((w) => {
          const args = w.literals?.length ? `(${w.literals.join(', ')})` : ''
          return `EXECUTE ${batchName(w.sql)}${args}`
        })
        .join(';\n')
      sent = true
      const res = (await client.query(text)) as unknown as pg.QueryResult | pg.QueryResult[]
      results = Array.isArray(res) ? res : [res]
      if (results.length !== batch.length)
        throw new Error(`a batch of ${batch.length} statements answered ${results.length} results`)
    } catch (err) {
      // The connection is not reused: a plan gone stale (another process migrated) or a broken link goes with it.
      broken = err instanceof Error ? err : new Error(String(err))
      counts.roundTrips++
      if (sent && !rolledBack(err)) {
        // Sent, and no answer from the server that it undid the batch (the connection died, the answer made no
        // sense): the batch may have committed. Sending each statement again could write twice; each caller gets
        // this error, as it would have alone on a connection that died after its statement.
        for (const w of batch) w.reject(err)
        return true
      }
      // Not sent, or the server said why it undid it (one statement's error, a deadlock, a stale plan): nothing
      // committed, and each statement, sent again alone, meets its own answer.
      counts.retried++
      return false
    } finally {
      client?.release(broken)
    }
    counts.statements += batch.length
    counts.roundTrips++
    counts.batches++
    batch.forEach((w, i) => w.resolve(resultOf(results[i] as pg.QueryResult)))
    return true
  }

  const send = async (batch: Waiting[]) => {
    const literal = batch.filter((w) => w.literals !== undefined)
    // Before the schema is current (migrations running) a statement prepared now could outlive its table.
    if (literal.length > 1 && ready() && (await together(literal))) {
      for (const w of batch) if (w.literals === undefined) await one(w)
      return
    }
    for (const w of batch) await one(w)
  }

  const drain = async () => {
    busy++
    try {
      while (queue.length > 0) {
        const batch = queue.splice(0, MAX_BATCH)
        // `one` and `together` settle every statement themselves; this is for a fault of this module's own, so
        // that no caller waits for ever (a promise settled twice keeps its first answer).
        await send(batch).catch((err: unknown) => batch.forEach((w) => w.reject(err)))
      }
    } finally {
      busy--
    }
  }

  return {
    run: <R>(query: CompiledQuery<R>) =>
      new Promise<QueryResult<R>>((resolve, reject) => {
        const literals = query.parameters.map(literalOf)
        queue.push({
          sql: query.sql,
          params: query.parameters,
          literals: literals.every((l) => l !== undefined) ? (literals as string[]) : undefined,
          resolve: resolve as (r: QueryResult<unknown>) => void,
          reject
        })
        // drain cannot reject: every fault is settled on the statements it concerns.
        if (busy < IN_FLIGHT) drain().catch(() => undefined)
      }),
    stats: () => ({ ...counts })
  }
}
