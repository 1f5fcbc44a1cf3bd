/**
 * Opening the service's database from a URL: `sqlite:/abs/path.db` (the embedded default, better-sqlite3) or
 * `postgres://user:pass@host:port/db` (at scale, node-postgres). Either way the caller gets one Kysely handle and
 * runs the same migrations. SQLite is put in WAL mode here, by the service, because Kamailio reads this file:
 * in rollback-journal mode a concurrent write makes Kamailio's digest lookup fail and answer 401 (a wrong
 * password, as far as the phone can tell), and Kamailio 5.6's own journal-mode setting races at its startup.
 */
import { createHash } from 'node:crypto'
import { chmodSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely'
import pg from 'pg'
import { type Dialect, migrationProvider } from './migrations'
import type { Database } from './schema'
import { type GroupCommit, groupCommit } from './group-commit'

export interface ServiceDatabase {
  readonly db: Kysely<Database>
  readonly dialect: Dialect
  /** The SQLite file, for Kamailio's db_url; null on PostgreSQL. */
  readonly sqliteFile: string | null
  /** Told by migrateToLatest that the schema is current (PostgreSQL prepares statements from then on). */
  readonly migrated?: () => void
  /** SQLite: short writes of concurrent requests committed together (group-commit.ts). */
  readonly batch?: GroupCommit
  close(): Promise<void>
}

export class DatabaseUrlError extends Error {}

/**
 * Kysely prepares every statement it sends (better-sqlite3's prepare compiles the SQL each time): a renewal's 34
 * statements spent an eighth of its time compiling the same few texts. Statements are kept by their SQL text
 * (the service sends a bounded set: values are always parameters); one busy with an unfinished iteration is not
 * handed out again, a fresh one is prepared instead.
 */
function cachePreparedStatements(sqlite: SqliteDatabase.Database, max = 500): void {
  const prepare = sqlite.prepare.bind(sqlite)
  const cache = new Map<string, SqliteDatabase.Statement>()
  Object.assign(sqlite, {
    prepare: (source: string) => {
      const kept = cache.get(source)
      if (kept && !kept.busy) return kept
      const stmt = prepare(source)
      if (cache.size >= max) cache.delete(cache.keys().next().value ?? '')
      if (!kept) cache.set(source, stmt)
      return stmt
    }
  })
}

/**
 * The same on PostgreSQL: every statement the service sends with parameters (it sends a bounded set of texts) is
 * a named prepared statement on its connection, parsed and analysed once per connection instead of every time
 * (a renewal's joined reads cost PostgreSQL more to plan than to run). Named only once the schema is migrated
 * (migrateToLatest), and a statement whose table changed under it (another process migrated: "cached plan must
 * not change result type") is dropped and sent again, so a rolling upgrade does not break running processes.
 */
const PREPARABLE = /^\s*(select|insert|update|delete|with)\b/i
const STALE_PLAN = '0A000'

function prepareStatements(client: pg.PoolClient, enabled: () => boolean): void {
  type Query = (text: unknown, values?: unknown, callback?: unknown) => Promise<unknown>
  const query = client.query.bind(client) as Query
  // A ready query object: pg queues it and answers through its callback (it returns the object, not a promise).
  const submit = client.query.bind(client) as (q: pg.Query) => unknown
  const names = new Map<string, string>()
  const nameOf = (text: string) => {
    let name = names.get(text)
    if (!name) {
      name = `k${createHash('sha1').update(text).digest('hex').slice(0, 24)}`
      if (names.size < 1000) names.set(text, name)
    }
    return name
  }
  const prepared: Query = async (text, values, callback) => {
    if (!enabled() || typeof text !== 'string' || !Array.isArray(values) || values.length === 0)
      return query(text, values, callback)
    if (!PREPARABLE.test(text)) return query(text, values, callback)
    const name = nameOf(text)
    try {
      return await named(name, text, values)
    } catch (err) {
      if ((err as { code?: string }).code !== STALE_PLAN) throw err
      await query(`DEALLOCATE ${name}`)
      const connection = (client as unknown as { connection: { parsedStatements: Record<string, unknown> } })
        .connection
      delete connection.parsedStatements[name]
      return named(name, text, values)
    }
  }
  // The query made here and given to pg ready (its "submittable" form): given a config object instead, pg copies
  // it property by property (cloneQueryConfig), 5% of a renewal's JavaScript for nothing (issue 24 goal 8).
  const named = (name: string, text: string, values: unknown[]) =>
    new Promise<unknown>((resolve, reject) => {
      const q = new pg.Query(text, values, (err: Error | undefined, res: unknown) =>
        err ? reject(err) : resolve(res)
      )
      Object.assign(q, { name })
      submit(q)
    })
  Object.assign(client, { query: prepared })
}

/**
 * SQLite's automatic WAL checkpoint, in pages (issue 24 goal 8). A checkpoint copies the WAL back into the
 * database file and syncs both (two fsyncs with synchronous = NORMAL); the connection whose commit takes the WAL
 * past this size runs it inside that commit. At SQLite's default of 1000 pages a request in every few dozen
 * renewals (some 21 pages each) paid for one; at 4000 it is a quarter as often, and a page that many commits
 * wrote meanwhile (an index's upper pages, a table's last) is copied once. 4000 keeps the WAL within the first block of its index
 * (4062 frames): a reader's lookup of a page in the WAL (the service's, Kamailio's) still searches one hash
 * table, and the file stays under 17 MB. Durability is unchanged: a commit is in the WAL either way.
 * Checkpoints in a worker thread of their own (off the request path) were measured too: on a 2-core machine under
 * load the worker competed with the requests for CPU and did worse than this (billing bench, renewal/INSERT).
 */
export const WAL_CHECKPOINT_PAGES = 4000

export function parseDatabaseUrl(url: string): { dialect: Dialect; target: string } {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '')
    if (!file.startsWith('/') && file !== ':memory:')
      throw new DatabaseUrlError(`the SQLite path in ${url} must be absolute (sqlite:/path/to/file.db)`)
    return { dialect: 'sqlite', target: file }
  }
  if (/^postgres(?:ql)?:\/\//.test(url)) return { dialect: 'postgres', target: url }
  throw new DatabaseUrlError(
    `unsupported database URL "${url.replace(/:[^:@/]*@/, ':***@')}"; use sqlite: or postgres://`
  )
}

export interface OpenOptions {
  /**
   * SQLite: every commit synced to disk (`synchronous = FULL`), as a production service runs (db/durability.ts
   * says why: an order must survive a power cut after its card was charged). Without it (development, tests,
   * the tools) `NORMAL`: a commit survives the process's crash but not the machine's, and costs no sync.
   */
  readonly durable?: boolean
}

export function openDatabase(url: string, options: OpenOptions = {}): ServiceDatabase {
  const { dialect, target } = parseDatabaseUrl(url)
  if (dialect === 'sqlite') {
    if (target !== ':memory:') mkdirSync(dirname(target), { recursive: true })
    // timeout = busy_timeout: wait for a lock instead of failing at once (Node's side; Kamailio 5.6 has none).
    const sqlite = new SqliteDatabase(target, { timeout: 5000 })
    sqlite.pragma('journal_mode = WAL')
    sqlite.pragma('foreign_keys = ON')
    sqlite.pragma(options.durable ? 'synchronous = FULL' : 'synchronous = NORMAL')
    sqlite.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`)
    // SQLite creates the file 0644 whatever the umask; Kamailio (another user, same group) must open it too.
    if (target !== ':memory:') chmodSync(target, 0o660)
    cachePreparedStatements(sqlite)
    const db = new Kysely<Database>({
      dialect: new SqliteDialect({ database: sqlite })
    })
    return {
      db,
      dialect,
      batch: groupCommit(db),
      sqliteFile: target === ':memory:' ? null : target,
      close: () => db.destroy()
    }
  }
  const pool = new pg.Pool({ connectionString: target, max: 10 })
  const migrated = { done: false }
  // A migration must never leave Kamailio's workers waiting on a lock for long (they stall SIP meanwhile).
  pool.on('connect', (client) => {
    // A connection that dies while a statement runs on it (a network that drops) fails that statement with the
    // error, and then emits it as an event too; the pool listens only while the connection is idle, and an event
    // nobody listens to would stop the whole service (pg-restart.test.ts). The statement's caller has the error.
    client.on('error', () => undefined)
    void client.query("SET lock_timeout = '5s'").catch(() => undefined)
    prepareStatements(client, () => migrated.done)
  })
  // An idle pooled connection the server drops (a PostgreSQL restart, an administrator's terminate) is reported
  // here; pg removes it from the pool and the next query opens a new one. Without a listener Node would treat
  // the event as an uncaught error and stop the whole service.
  pool.on('error', () => undefined)
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  return {
    db,
    dialect,
    sqliteFile: null,
    close: () => db.destroy(),
    migrated: () => void (migrated.done = true)
  }
}

/** Bring the schema up to date; throws with the failing migration's name. */
export async function migrateToLatest(database: ServiceDatabase): Promise<string[]> {
  const migrator = new Migrator({ db: database.db, provider: migrationProvider(database.dialect) })
  const { error, results } = await migrator.migrateToLatest()
  const failed = results?.find((r) => r.status === 'Error')
  if (error)
    throw new Error(
      `database migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`
    )
  database.migrated?.()
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}
