/**
 * Scale: the service as N stateless processes behind HAProxy on one PostgreSQL (the layout of docs/scaling.md),
 * one process next to two, same clients, same run. Each phase starts HAProxy with one or two backends in front of
 * service processes already running (node src/server/main.ts, jobs on, admission control on); the load clients
 * (./load-clients.ts, a worker thread) mix reads, top-ups and renewals through HAProxy for the phase's seconds and
 * wait out any 503 per Retry-After. The money is counted from the database after both phases.
 * Run: node --import tsx test/bench/scale.bench.ts  (part of `npm run bench`).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { HAPROXY_BIN, haproxyArgs, haproxyConfig } from '../../scripts/lib/haproxy'
import { DEFAULT_MAX_IN_FLIGHT, loadConfig } from '../../src/server/config'
import { startService } from '../../src/server/service'
import { freePorts } from '../support/free-port'
import { createDatabase, startPostgres } from '../support/postgres'
import { benchAccounts } from './bench-accounts'
import type { LoadOutcome } from './load-clients'
import { countMoney, moneyExact } from './load-money'
import { runLoadWorker } from './load-worker'

const CLIENTS = 400
const ACCOUNTS = 100
const SECONDS = Number(process.env.DIALTONE_SCALE_SECONDS ?? 15)
/** Rounds of (one process, two processes), alternating, so a burst of other work on the machine hits both. */
const ROUNDS = Number(process.env.DIALTONE_SCALE_ROUNDS ?? 3)
const TOP_UP = 500
const PROCESSES = 2

const pg = await startPostgres()
const dir = mkdtempSync(join(tmpdir(), 'dialtone-bench-scale-'))
const children: ChildProcess[] = []
const stopAll = () => {
  for (const c of children) c.kill('SIGTERM')
}
process.on('exit', stopAll)
try {
  const databaseUrl = await createDatabase(pg.adminUrl, `scale_${process.pid}`)
  // This process migrates, makes the accounts and counts the money; it serves no request.
  const setup = await startService(
    { ...loadConfig({ DIALTONE_PASSWORD_COST: 'test' }, dir), databaseUrl, jobs: false },
    {}
  )
  const accounts = await benchAccounts(setup.ctx, ACCOUNTS, 'SCALE')
  const [front = 0, ...servicePorts] = await freePorts(1 + PROCESSES)

  // The service processes, as production runs them (jobs on), each its own pool; same data folder = same key.
  const waitHealthy = async (port: number) => {
    const deadline = Date.now() + 60_000
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/v1/health`).then(
        (r) => r.ok,
        () => false
      )
      if (ok) return
      if (Date.now() > deadline) throw new Error(`service on ${port} did not start`)
      await new Promise((r) => setTimeout(r, 200))
    }
  }
  for (const port of servicePorts) {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
      env: {
        ...process.env,
        DIALTONE_DATABASE_URL: databaseUrl,
        DIALTONE_SERVICE_PORT: String(port),
        DIALTONE_SERVICE_DATA_DIR: dir,
        DIALTONE_PASSWORD_COST: 'test',
        DIALTONE_TRUSTED_PROXIES: '127.0.0.1',
        DIALTONE_LOG_LEVEL: 'warn'
      },
      stdio: ['ignore', 'ignore', 'inherit']
    })
    children.push(child)
  }
  await Promise.all(servicePorts.map(waitHealthy))

  interface Phase {
    readonly outcome: LoadOutcome
    readonly seconds: number
  }
  /** One phase: HAProxy in front of the first `n` processes, the clients through it. */
  async function phase(n: number): Promise<Phase> {
    const cfg = join(dir, `haproxy-${n}.cfg`)
    writeFileSync(
      cfg,
      haproxyConfig({
        bind: { host: '127.0.0.1', port: front },
        backends: servicePorts.slice(0, n).map((port, i) => ({ name: `s${i + 1}`, host: '127.0.0.1', port })),
        // As `npm run stack -- --processes N` runs it (scripts/lib/stack-scale.ts).
        maxConnPerServer: DEFAULT_MAX_IN_FLIGHT,
        shedQueue: 2 * DEFAULT_MAX_IN_FLIGHT * n,
        queueTimeoutMs: 1000
      })
    )
    const haproxy = spawn(HAPROXY_BIN, haproxyArgs(cfg), { stdio: ['ignore', 'ignore', 'inherit'] })
    children.push(haproxy)
    await waitHealthy(front)
    const t0 = performance.now()
    const outcome = await runLoadWorker({
      port: front,
      clients: CLIENTS,
      seconds: SECONDS,
      peer: false,
      rampMs: 1000,
      topUpMinor: TOP_UP,
      accounts: accounts.map(({ lineId, token, pm }) => ({ lineId, token, pm })),
      pins: accounts.map(() => [])
    })
    const seconds = (performance.now() - t0) / 1000
    haproxy.kill('SIGTERM')
    await new Promise((r) => haproxy.once('exit', r))
    return { outcome, seconds }
  }

  const rounds: { one: Phase; two: Phase; loadAverage: number }[] = []
  for (let r = 0; r < ROUNDS; r++) {
    // Which layout goes first alternates, so a trend in the machine's other work does not favour one.
    const first = await phase(r % 2 === 0 ? 1 : PROCESSES)
    const second = await phase(r % 2 === 0 ? PROCESSES : 1)
    const [one, two] = r % 2 === 0 ? [first, second] : [second, first]
    rounds.push({ one, two, loadAverage: +(loadavg()[0] ?? 0).toFixed(2) })
  }
  const summary = ({ outcome, seconds }: Phase) => {
    const all = Object.values(outcome.latencies).flat()
    const sorted = [...all].sort((a, b) => a - b)
    return {
      admitted: all.length,
      perSecond: +(all.length / seconds).toFixed(1),
      p99: +(sorted[Math.floor(0.99 * (sorted.length - 1))] ?? 0).toFixed(1),
      refused: outcome.refused.length,
      errors: outcome.errors.length
    }
  }
  const phases = rounds.flatMap((r) => [r.one, r.two])
  const seen = {
    toppedUp: accounts.map((_, a) => new Set(phases.flatMap((p) => p.outcome.toppedUp[a] ?? []))),
    renewed: accounts.map((_, a) => new Set(phases.flatMap((p) => p.outcome.renewed[a] ?? []))),
    redeemed: new Set<string>(),
    topUpMinor: TOP_UP
  }
  const money = await countMoney(setup.ctx, accounts, seen)
  await setup.close()
  const perRound = rounds.map((r) => {
    const one = summary(r.one)
    const two = summary(r.two)
    return {
      oneProcess: one,
      twoProcesses: two,
      ratio: +(two.perSecond / one.perSecond).toFixed(2),
      loadAverage: r.loadAverage
    }
  })
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? 0
  const medianRound = perRound.find((r) => r.ratio === median(perRound.map((x) => x.ratio))) ?? perRound[0]
  const result = {
    environment: `${CLIENTS} clients through HAProxy ${HAPROXY_BIN} to service processes on one PostgreSQL, ${ROUNDS} rounds of ${SECONDS} s a phase (one process, two processes, order alternating), mixed reads, top-ups and renewals; ${cpus().length} CPU cores shared by the clients, HAProxy, PostgreSQL and the processes; Node ${process.version}`,
    rounds: perRound,
    oneProcess: medianRound?.oneProcess,
    twoProcesses: medianRound?.twoProcesses,
    ratio: medianRound?.ratio ?? 0,
    goal: 1.7,
    money
  }
  mkdirSync('test-results/bench', { recursive: true })
  writeFileSync('test-results/bench/scale.json', JSON.stringify(result, null, 2))
  console.log(JSON.stringify(result, null, 2))
  const errors = phases.flatMap((p) => p.outcome.errors)
  if (errors.length > 0 || !moneyExact(money)) {
    console.error(`scale run failed: ${errors.slice(0, 5).join('; ')}`)
    process.exitCode = 1
  }
} finally {
  // The processes first (their pools would see PostgreSQL go away), then the cluster.
  const exits = children
    .filter((c) => c.exitCode === null && c.signalCode === null)
    .map((c) => new Promise((r) => c.once('exit', r)))
  stopAll()
  await Promise.all(exits)
  await pg.stop()
  rmSync(dir, { recursive: true, force: true })
}
