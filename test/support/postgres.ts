/**
 * A private PostgreSQL 15 cluster for the tests (Debian's binaries, a temporary data folder, loopback only, a
 * free port). Started once per vitest run by global-setup.ts; each test file makes its own database in it.
 * As root, the server runs as the `postgres` user (PostgreSQL refuses to run as root). If the binaries are
 * missing, this throws: the suite fails, it does not skip.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { migrateToLatest, openDatabase } from '../../src/server/db/database'
import { freePort } from './free-port'

export interface PostgresCluster {
  readonly adminUrl: string
  readonly port: number
  stop(): Promise<void>
}

function binDir(): string {
  const root = '/usr/lib/postgresql'
  const versions = existsSync(root) ? readdirSync(root).sort() : []
  const v = versions.at(-1)
  if (!v)
    throw new Error('PostgreSQL is not installed (apt-get install postgresql); scripts/setup.sh installs it')
  return join(root, v, 'bin')
}

// Free ports live in ./free-port (below the ephemeral range); re-exported for the files that import them here.
export { freePort, freePorts } from './free-port'

export interface PostgresOptions {
  /**
   * Commits flushed as the product runs PostgreSQL (`npm run stack`: the server's own fsync, synchronous_commit
   * and full_page_writes, all on), for benchmarks of the product as it ships. Without it (the tests) the cluster
   * flushes nothing: fast, and lost with the machine, which a test does not mind.
   */
  readonly durable?: boolean
}

export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresCluster> {
  const bin = binDir()
  const dir = mkdtempSync(join(tmpdir(), 'dialtone-pg-'))
  chmodSync(dir, 0o777)
  const asRoot = process.getuid?.() === 0
  const run = (cmd: string, args: string[]) =>
    (asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]) as [string, string[]]
  const data = join(dir, 'data')
  const [c1, a1] = run(join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
    '--no-sync'
  ])
  execFileSync(c1, a1, { stdio: 'pipe' })
  const port = await freePort()
  const [c2, a2] = run(join(bin, 'postgres'), [
    '-D',
    data,
    '-p',
    String(port),
    '-k',
    dir,
    '-c',
    'listen_addresses=127.0.0.1',
    ...(options.durable
      ? []
      : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
    '-c',
    'max_connections=300'
  ])
  const proc: ChildProcess = spawn(c2, a2, { stdio: ['ignore', 'ignore', 'pipe'] })
  let log = ''
  proc.stderr?.on('data', (d: Buffer) => (log += d.toString()))
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`
  const deadline = Date.now() + 20_000
  for (;;) {
    const client = new pg.Client({ connectionString: adminUrl })
    try {
      await client.connect()
      await client.end()
      break
    } catch {
      await client.end().catch(() => undefined)
      if (proc.exitCode !== null || Date.now() > deadline)
        throw new Error(`PostgreSQL did not start:\n${log}`)
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  return {
    adminUrl,
    port,
    async stop() {
      // Signal the postmaster itself (runuser may not pass signals on): a fast shutdown, then a kill.
      const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0])
      const exited = new Promise((r) => proc.once('exit', r))
      try {
        process.kill(pid, 'SIGINT')
      } catch {
        /* already gone */
      }
      const timeout = new Promise((r) => setTimeout(r, 5000, 'timeout'))
      if ((await Promise.race([exited, timeout])) === 'timeout') {
        process.kill(pid, 'SIGKILL')
        proc.kill('SIGKILL')
      }
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

/**
 * A fresh database in the cluster; returns its URL. With `template`, a copy of that database (PostgreSQL's
 * CREATE DATABASE ... TEMPLATE, a file-level copy) instead of an empty one.
 */
export async function createDatabase(adminUrl: string, name: string, template?: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  await client.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`)
  await client.end()
  return adminUrl.replace(/\/postgres$/, `/${name}`)
}

/**
 * Once per run (global-setup.ts): a database migrated to the latest schema by the service's own migrator, closed,
 * for startTestService to copy. Every service start migrated its fresh database again (1.3-2.1 s against
 * 0.3-0.4 s for a migrated one, on a loaded 2-core machine), and a run starts dozens. The service still runs
 * migrateToLatest on the copy (it finds nothing to do); tests of migrations themselves use createDatabase alone.
 */
export async function createMigratedTemplate(adminUrl: string, name: string): Promise<void> {
  const url = await createDatabase(adminUrl, name)
  const database = openDatabase(url)
  try {
    await migrateToLatest(database)
  } finally {
    await database.close()
  }
}
