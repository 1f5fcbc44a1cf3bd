/**
 * The dev stack's `--processes N` layout (docs/scaling.md): a PostgreSQL cluster of the stack's own (kept in the
 * service data folder, made on first use), N stateless service processes on it (ports SERVICE_BASE_PORT+1..N),
 * and HAProxy on the account service's usual port in front of them; Kamailio then reads PostgreSQL (WITH_PG: its
 * accounting in the same database, which the service imports). One process (the default) is the SQLite stack.
 */
import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import pg from 'pg'
import type { Children, Part } from './children'
import { HAPROXY_BIN, haproxyArgs, haproxyConfig } from './haproxy'
import { type StackConfig, StackError } from './stack-config'

const ROOT = resolve(import.meta.dirname, '../..')
/** Where the service processes listen: the next ports after this one (HAProxy has the service's own port). */
const SERVICE_BASE_PORT = Number(process.env.DIALTONE_SERVICE_BASE_PORT ?? 4790)
const PG_PORT = Number(process.env.DIALTONE_POSTGRES_PORT ?? 4789)
/** The service's default in-flight bound (src/server/config.ts); HAProxy opens twice that to each process. */
const IN_FLIGHT = Number(process.env.DIALTONE_MAX_IN_FLIGHT ?? 64)

export interface ScaledService {
  readonly databaseUrl: string
  /** Kamailio's database arguments for PostgreSQL. */
  readonly kamailioDbArgs: string[]
  /** What the service processes' environment adds (the database; the load balancer trusted for addresses). */
  readonly serviceEnv: Record<string, string>
}

/** `--processes N` from the command line; 1 without it. */
export function processesFromArgs(argv: readonly string[]): number {
  const i = argv.indexOf('--processes')
  if (i < 0) return 1
  const n = Number(argv[i + 1])
  if (!Number.isInteger(n) || n < 1 || n > 16)
    throw new StackError(
      '--processes takes a whole number of service processes from 1 to 16, e.g. --processes 2'
    )
  return n
}

function postgresBin(): string {
  const root = '/usr/lib/postgresql'
  const v = existsSync(root) ? readdirSync(root).sort().at(-1) : undefined
  if (!v)
    throw new StackError(
      'PostgreSQL is not installed (scripts/setup.sh installs it); it is needed for --processes.'
    )
  return join(root, v, 'bin')
}

export async function startScaledService(
  config: StackConfig,
  children: Children,
  baseEnv: Record<string, string>,
  processes: number,
  waitFor: (part: Part, url: string) => Promise<void>
): Promise<ScaledService> {
  const bin = postgresBin()
  const dir = join(config.serviceDataDir, 'postgres')
  const data = join(dir, 'data')
  // As root (a container), PostgreSQL runs as its own user; elsewhere as the person running the stack.
  const asRoot = process.getuid?.() === 0
  const as = (cmd: string, args: string[]): [string, string[]] =>
    asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]
  if (!existsSync(data)) {
    mkdirSync(dir, { recursive: true })
    if (asRoot) chmodSync(dir, 0o777)
    const [c, a] = as(join(bin, 'initdb'), [
      '-D',
      data,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--locale=C.UTF-8'
    ])
    execFileSync(c, a, { stdio: 'pipe' })
  }
  const [pc, pa] = as(join(bin, 'postgres'), [
    ...['-D', data, '-p', String(PG_PORT), '-k', dir],
    ...['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200']
  ])
  const postgres = children.start({
    name: 'PostgreSQL',
    cmd: pc,
    args: pa,
    output: join(config.logsDir, 'postgres.log')
  })
  const adminUrl = `postgres://postgres@127.0.0.1:${PG_PORT}/postgres`
  const deadline = Date.now() + 20_000
  for (;;) {
    const client = new pg.Client({ connectionString: adminUrl })
    try {
      await client.connect()
      const exists = await client.query("select 1 from pg_database where datname = 'dialtone'")
      if (exists.rowCount === 0) await client.query('create database dialtone')
      await client.end()
      break
    } catch {
      await client.end().catch(() => undefined)
      if (Date.now() > deadline)
        throw new StackError(`PostgreSQL did not start (its log: ${postgres.log ?? ''}).`)
      await new Promise((r) => setTimeout(r, 200))
    }
  }
  const databaseUrl = `postgres://postgres@127.0.0.1:${PG_PORT}/dialtone`
  const serviceEnv = { DIALTONE_DATABASE_URL: databaseUrl, DIALTONE_TRUSTED_PROXIES: '127.0.0.1' }
  const { DIALTONE_ACCOUNTING_DIR: _flatstore, ...rest } = baseEnv
  // The voicemail server (SIP and media on fixed ports, baresip lines) runs in the first process only: Kamailio
  // sends voicemail calls to one address. At scale it is a process of its own (docs/scaling.md).
  // (Set empty rather than left out: the children inherit the stack's own environment.)
  const withoutVoicemail = { ...rest, DIALTONE_VOICEMAIL_PORT: '' }
  const start = (i: number) => {
    const port = SERVICE_BASE_PORT + i
    const part = children.start({
      name: `account service process ${i}`,
      cmd: process.execPath,
      args: [join(ROOT, 'out/main/server.js')],
      env: { ...(i === 1 ? rest : withoutVoicemail), ...serviceEnv, DIALTONE_SERVICE_PORT: String(port) },
      output: join(config.logsDir, `service-${i}.log`)
    })
    return waitFor(part, `http://127.0.0.1:${port}/v1/health`)
  }
  // The first migrates the database; the others start together after it (stateless, any order).
  await start(1)
  await Promise.all(Array.from({ length: processes - 1 }, (_, i) => start(i + 2)))
  const cfg = join(config.serviceDataDir, 'haproxy.cfg')
  writeFileSync(
    cfg,
    haproxyConfig({
      bind: { host: '127.0.0.1', port: config.ports.service },
      backends: Array.from({ length: processes }, (_, i) => ({
        name: `service${i + 1}`,
        host: '127.0.0.1',
        port: SERVICE_BASE_PORT + i + 1
      })),
      // Each process gets its own bound's worth at once; HAProxy queues the rest and sheds at the door past
      // two bounds' worth per process waiting (docs/scaling.md, "Admission control").
      maxConnPerServer: IN_FLIGHT,
      shedQueue: 2 * IN_FLIGHT * processes,
      queueTimeoutMs: 1000
    })
  )
  const haproxy = children.start({
    name: 'HAProxy',
    cmd: HAPROXY_BIN,
    args: haproxyArgs(cfg),
    output: join(config.logsDir, 'haproxy.log')
  })
  await waitFor(haproxy, `http://127.0.0.1:${config.ports.service}/v1/health`)
  return { databaseUrl, kamailioDbArgs: ['-A', 'WITH_PG', '-A', `DBURL="${databaseUrl}"`], serviceEnv }
}
