/**
 * A real Kamailio 5.6 for tests, with the project's own config (resources/kamailio/kamailio.cfg), reading SIP
 * credentials from the service's database and writing accounting as db_flatstore files. It runs in its own
 * process group, so stopping it (or the test process exiting) takes its worker processes down too.
 * Missing Kamailio is a failure, not a skip.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { kamailioNanpDefines } from '../../src/server/numbers/nanp-zones'
import { kamailioRateDefines } from '../../src/server/billing/rates'
import { postRetryingClosed } from '../../src/server/provisioning/kamailio-rpc'
import { freePort } from './postgres'
import { exitOnSignals } from './exit-on-signal'

export interface KamailioInstance {
  readonly sipPort: number
  readonly wsPort: number
  readonly wsUrl: string
  readonly rpcUrl: string
  readonly accountingDir: string
  /** The database URL Kamailio was started with (on PostgreSQL, its least-privilege role). */
  readonly dbUrl: string
  rpc<T = unknown>(method: string, params?: unknown[]): Promise<T>
  readonly output: () => string
  /** Freezes every Kamailio process (SIGSTOP): connections stay open, nothing is answered. `false` thaws it. */
  freeze(frozen: boolean): void
  stop(): Promise<void>
}

export interface KamailioPlan {
  /** The loopback address it listens on (127.0.0.1 unless a test gives each node its own). */
  readonly addr: string
  readonly sipPort: number
  readonly wsPort: number
  readonly wsUrl: string
  readonly rpcUrl: string
  readonly accountingDir: string
}

/** Ports and folders chosen before the service starts, so its config can point at Kamailio. */
export async function planKamailio(addr = '127.0.0.1'): Promise<KamailioPlan> {
  const sipPort = await freePort()
  const wsPort = await freePort()
  const accountingDir = mkdtempSync(join(tmpdir(), 'dialtone-acc-'))
  return {
    addr,
    sipPort,
    wsPort,
    wsUrl: `ws://${addr}:${wsPort}`,
    rpcUrl: `http://${addr}:${wsPort}/RPC`,
    accountingDir
  }
}

export async function startKamailio(opts: {
  dbUrl: string
  plan: KamailioPlan
  domain?: string
  postgres?: boolean
  /** Where message-summary subscriptions go (a voicemail server); none: Kamailio answers 489. */
  voicemailUri?: string
  /** rtpengine's ng control socket (carriers.cfg), e.g. udp:127.0.0.1:22222. */
  rtpengineSock?: string
  /** Where 911 goes (the simulated PSAP) and where 933 goes (the address-test service); none: Kamailio answers 503. */
  emergencyUri?: string
  addressTestUri?: string
  /** Shared memory in MiB (default 64); the registrations live in it (100,000 take about 100 MiB). */
  memoryMiB?: number
  /** A node of a cluster sharing registrations (dmq.cfg): its own DMQ address and another node's. */
  dmq?: { self: string; peer: string }
  /** tm's global fr_timer (carriers.cfg's TM_FR_TIMER_MS, 10 s unless said): how long an unanswered OPTIONS probe takes. */
  frTimerMs?: number
  /** How long a call may last before Kamailio ends it (kamailio.cfg's MAX_CALL_SECONDS, 4 hours unless said). */
  maxCallSeconds?: number
  /** flood.cfg's new requests per client address in each 2 s, and how long an address over it is dropped. */
  flood?: { density: number; banSeconds: number }
  /** The TLS terminator's address, whose X-Forwarded-For names a WebSocket client (flood.cfg). */
  terminatorAddr?: string
}): Promise<KamailioInstance> {
  const binary = '/usr/sbin/kamailio'
  if (!existsSync(binary))
    throw new Error('Kamailio is not installed (apt-get install kamailio); scripts/setup.sh installs it')
  const dir = mkdtempSync(join(tmpdir(), 'dialtone-kam-'))
  const run = join(dir, 'run')
  const { addr, sipPort, wsPort, accountingDir } = opts.plan
  mkdirSync(run)
  const args = [
    '-DD',
    '-E',
    '-f',
    resolve('resources/kamailio/kamailio.cfg'),
    '-Y',
    run,
    '-w',
    run,
    '-m',
    String(opts.memoryMiB ?? 64),
    // TLSF allocator, as shipped (scripts/lib/stack.ts): constant-time, where the default qm's search grew with the
    // registrations held (docs/scaling.md, REGISTER/s).
    '-x',
    'tlsf',
    '-A',
    `DBURL="${opts.dbUrl}"`,
    '-A',
    `SIP_ADDR=${addr}`,
    '-A',
    `SIP_PORT=${sipPort}`,
    '-A',
    `WS_PORT=${wsPort}`,
    '-A',
    `SIP_DOMAIN="${opts.domain ?? 'dialtone.test'}"`,
    // Other NANP countries and premium rate, from the service's own table (services.cfg does not parse without them).
    ...kamailioNanpDefines(),
    // What a minute abroad costs, from the rating's table (credit.cfg needs it to start).
    ...kamailioRateDefines(),
    ...(opts.postgres ? ['-A', 'WITH_PG'] : ['-A', `ACC_DBURL="flatstore:${accountingDir}"`]),
    ...(opts.voicemailUri ? ['-A', `VOICEMAIL_URI="${opts.voicemailUri}"`] : []),
    ...(opts.rtpengineSock ? ['-A', `RTPENGINE_SOCK="${opts.rtpengineSock}"`] : []),
    ...(opts.emergencyUri ? ['-A', `EMERGENCY_URI="${opts.emergencyUri}"`] : []),
    ...(opts.addressTestUri ? ['-A', `ADDRESS_TEST_URI="${opts.addressTestUri}"`] : []),
    ...(opts.dmq
      ? ['-A', 'WITH_DMQ', '-A', `DMQ_SELF="${opts.dmq.self}"`, '-A', `DMQ_PEER="${opts.dmq.peer}"`]
      : []),
    ...(opts.frTimerMs ? ['-A', `TM_FR_TIMER_MS=${opts.frTimerMs}`] : []),
    ...(opts.maxCallSeconds ? ['-A', `MAX_CALL_SECONDS=${opts.maxCallSeconds}`] : []),
    ...(opts.flood
      ? ['-A', `FLOOD_DENSITY=${opts.flood.density}`, '-A', `FLOOD_BAN_SECONDS=${opts.flood.banSeconds}`]
      : []),
    ...(opts.terminatorAddr ? ['-A', `TERMINATOR_ADDR="${opts.terminatorAddr}"`] : [])
  ]
  const proc: ChildProcess = spawn(binary, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TZ: 'UTC' }
  })
  let log = ''
  proc.stdout?.on('data', (d: Buffer) => (log += d.toString()))
  proc.stderr?.on('data', (d: Buffer) => (log += d.toString()))
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (proc.pid) process.kill(-proc.pid, signal)
    } catch {
      /* gone */
    }
  }
  const onExit = () => killGroup('SIGKILL')
  process.once('exit', onExit)
  exitOnSignals()
  const rpcUrl = `http://${addr}:${wsPort}/RPC`
  async function rpc<T>(method: string, params: unknown[] = []): Promise<T> {
    const res = await postRetryingClosed(rpcUrl, {
      method: 'POST',
      body: JSON.stringify({ jsonrpc: '2.0', method, params, id: 1 }),
      signal: AbortSignal.timeout(2000)
    })
    const body = (await res.json()) as { result?: T; error?: { message: string } }
    if (body.error) throw new Error(`${method}: ${body.error.message}`)
    return body.result as T
  }
  const deadline = Date.now() + 15_000
  for (;;) {
    try {
      await rpc('core.uptime')
      break
    } catch {
      if (proc.exitCode !== null || Date.now() > deadline) {
        killGroup('SIGKILL')
        throw new Error(`Kamailio did not start:\n${log}`)
      }
      await new Promise((r) => setTimeout(r, 50))
    }
  }
  return {
    sipPort,
    wsPort,
    wsUrl: `ws://${addr}:${wsPort}`,
    rpcUrl,
    accountingDir,
    dbUrl: opts.dbUrl,
    rpc,
    output: () => log,
    freeze: (frozen) => killGroup(frozen ? 'SIGSTOP' : 'SIGCONT'),
    async stop() {
      killGroup('SIGCONT')
      const exited = new Promise((r) => (proc.exitCode !== null ? r(null) : proc.once('exit', r)))
      killGroup('SIGTERM')
      const timeout = new Promise((r) => setTimeout(r, 3000, 'timeout'))
      if ((await Promise.race([exited, timeout])) === 'timeout') killGroup('SIGKILL')
      process.off('exit', onExit)
      rmSync(dir, { recursive: true, force: true })
      rmSync(accountingDir, { recursive: true, force: true })
    }
  }
}

const ROLE_SQL = resolve('resources/kamailio/postgres-role.sql')

/** Creates Kamailio's least-privilege role with the file we ship; answers the URL Kamailio connects with. */
export function kamailioRole(ownerUrl: string): string {
  const role = `kam_${process.pid}_${Date.now()}`
  const password = `pw${Date.now()}`
  execFileSync(
    'psql',
    [
      ownerUrl,
      '-q',
      '-v',
      'ON_ERROR_STOP=1',
      '-v',
      `role=${role}`,
      '-v',
      `password=${password}`,
      '-f',
      ROLE_SQL
    ],
    { stdio: 'pipe' }
  )
  const url = new URL(ownerUrl)
  url.username = role
  url.password = password
  return url.toString()
}
