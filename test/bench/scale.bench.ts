/**
 * Scale: the service as N stateless processes behind HAProxy on one PostgreSQL (the layout of docs/scaling.md),
 * one process next to two, same clients, same run. Each phase starts HAProxy with one or two backends in front of
 * service processes already running (node src/server/main.ts, jobs on, admission control on); wrk (./wrk.ts, the
 * mix of ./load-wrk.lua: reads, top-ups and renewals, each money request its own key) sends through HAProxy for
 * the phase's seconds, then health checks only until every money request is answered. The money is counted from
 * the database after all phases: exactly the top-ups and renewals answered 200/201.
 * What the machine allows: every phase reads each part's CPU time from /proc (./cpu.ts): each service process,
 * PostgreSQL (postmaster and backends), HAProxy, wrk, and the rest of the machine (other work on a shared host).
 * From the one-process phase's CPU per answered request, the most two processes could answer here is what is left
 * of the cores after PostgreSQL, HAProxy, wrk and the other work, divided by the whole cost of a request (and no
 * more than two processes' worth of one core each); the ceiling on the ratio is that over the one-process rate.
 * The bench prints the measured ratio, that ceiling and the fraction of it reached.
 * Run: node --import tsx test/bench/scale.bench.ts  (part of `npm run bench`).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { HAPROXY_BIN, haproxyArgs, haproxyConfig } from '../../scripts/lib/haproxy'
import { DEFAULT_MAX_IN_FLIGHT, loadConfig } from '../../src/server/config'
import { startService } from '../../src/server/service'
import { freePorts } from '../support/free-port'
import { createDatabase, startPostgres } from '../support/postgres'
import { benchAccounts } from './bench-accounts'
import { CORES, cpuMeter, pidByPort, processTree } from './cpu'
import { countMoney, moneyExact } from './load-money'
import { runWrk, type WrkOutcome } from './wrk'

/**
 * wrk's connections: twice one process's in-flight bound, so either layout is kept busy (one process: 64 in it, 64
 * in HAProxy's queue, under the shedding bound; two: 64 each) and the comparison is of throughput, not of shedding.
 */
const CONNECTIONS = 2 * DEFAULT_MAX_IN_FLIGHT
const ACCOUNTS = 100
const SECONDS = Number(process.env.DIALTONE_SCALE_SECONDS ?? 10)
const DRAIN_SECONDS = 10
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

  const postmaster = pidByPort('postgres', pg.port)
  interface Phase {
    readonly wrk: WrkOutcome
    readonly processes: number
    /** Answers other than 503 per second over the money traffic. */
    readonly perSecond: number
    readonly cpu: ReturnType<ReturnType<typeof cpuMeter>['stop']>
  }
  let tags = 0
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
    let wrkPid = 0
    const meter = cpuMeter({
      ...Object.fromEntries(
        children.slice(0, PROCESSES).map((c, i) => [`service${i + 1}`, () => [c.pid ?? 0]])
      ),
      postgres: () => processTree(postmaster),
      haproxy: () => [haproxy.pid ?? 0],
      wrk: () => (wrkPid ? [wrkPid] : []),
      bench: () => [process.pid]
    })
    meter.start()
    // CPU is read when the money traffic ends, before wrk's drain.
    const metered = new Promise<ReturnType<typeof meter.stop>>((resolve) =>
      setTimeout(() => resolve(meter.stop()), SECONDS * 1000)
    )
    const wrk = await runWrk({
      onStart: (pid) => (wrkPid = pid),
      port: front,
      connections: CONNECTIONS,
      seconds: SECONDS,
      drainSeconds: DRAIN_SECONDS,
      mode: 'mixed',
      accounts: accounts.map(({ lineId, token, pm }) => ({ lineId, token, pm })),
      topUpMinor: TOP_UP,
      dir,
      tag: `${process.pid}s${++tags}`
    })
    const cpu = await metered
    haproxy.kill('SIGTERM')
    await new Promise((r) => haproxy.once('exit', r))
    const c = wrk.counts
    const answered = (c.read ?? 0) + (c.topUp ?? 0) + (c.renewal ?? 0) + (c.capped ?? 0)
    return { wrk, processes: n, perSecond: +(answered / SECONDS).toFixed(1), cpu }
  }

  // A warm-up through both processes, not counted: the first phase otherwise measures V8 compiling the service.
  const warmUp = await phase(PROCESSES)
  const rounds: { one: Phase; two: Phase; loadAverage: number }[] = []
  for (let r = 0; r < ROUNDS; r++) {
    // Which layout goes first alternates, so a trend in the machine's other work does not favour one.
    const first = await phase(r % 2 === 0 ? 1 : PROCESSES)
    const second = await phase(r % 2 === 0 ? PROCESSES : 1)
    const [one, two] = r % 2 === 0 ? [first, second] : [second, first]
    rounds.push({ one, two, loadAverage: +(loadavg()[0] ?? 0).toFixed(2) })
  }
  const phases = [warmUp, ...rounds.flatMap((r) => [r.one, r.two])]
  const money = await countMoney(
    setup.ctx,
    [],
    { toppedUp: [], renewed: [], redeemed: new Set(), topUpMinor: TOP_UP },
    {
      accounts,
      topUps: phases.reduce((n, p) => n + (p.wrk.counts.topUp ?? 0), 0),
      renewals: phases.reduce((n, p) => n + (p.wrk.counts.renewal ?? 0), 0)
    }
  )
  await setup.close()

  /** A phase's figures, and its CPU per answered request by part (ms). */
  const summary = (p: Phase) => {
    const answered = p.perSecond * SECONDS
    const per = (s: number) => +((1000 * s) / Math.max(1, answered)).toFixed(2)
    // The processes behind HAProxy in this phase (the other one idles, its timers aside, and counts as ours).
    const serving = Array.from({ length: p.processes }, (_, i) => p.cpu.cpuSeconds[`service${i + 1}`] ?? 0)
    const service = serving.reduce((a, b) => a + b, 0)
    return {
      perSecond: p.perSecond,
      answers: p.wrk.counts,
      unanswered: p.wrk.unanswered,
      errors: p.wrk.errors,
      cpuSeconds: p.cpu.cpuSeconds,
      machineBusySeconds: p.cpu.machineBusy,
      othersCores: +(p.cpu.others / p.cpu.seconds).toFixed(2),
      cpuMsPerAnswer: {
        service: per(service),
        postgres: per(p.cpu.cpuSeconds.postgres ?? 0),
        haproxy: per(p.cpu.cpuSeconds.haproxy ?? 0),
        wrk: per(p.cpu.cpuSeconds.wrk ?? 0)
      },
      /** The busiest service process's share of a core. */
      busiestServiceCore: +(Math.max(...serving) / p.cpu.seconds).toFixed(2)
    }
  }
  /**
   * The most two processes could answer on this machine: the cores left after the other work (as measured in the
   * two-process phase) divided by a request's whole CPU (service, PostgreSQL, HAProxy, wrk, from the one-process
   * phase), and no more than two service processes of one core each; over the one-process rate.
   */
  const ceilingOf = (one: ReturnType<typeof summary>, two: ReturnType<typeof summary>) => {
    const c = one.cpuMsPerAnswer
    const whole = c.service + c.postgres + c.haproxy + c.wrk
    const coresLeft = Math.max(0, CORES - two.othersCores)
    const twoMax = Math.min((1000 * coresLeft) / whole, (2 * 1000) / c.service)
    // On this machine with nothing else running: one process is bounded by its one core or by the cores all parts
    // need per request, two by two cores of service or the same; their ratio is what two processes could gain.
    const idleOne = Math.min(1000 / c.service, (1000 * CORES) / whole)
    const idleTwo = Math.min((2 * 1000) / c.service, (1000 * CORES) / whole)
    return {
      requestCpuMs: +whole.toFixed(2),
      coresLeft: +coresLeft.toFixed(2),
      twoProcessesMaxPerSecond: +twoMax.toFixed(1),
      ceiling: +(twoMax / one.perSecond).toFixed(2),
      ceilingOnAnIdleMachine: +(idleTwo / idleOne).toFixed(2)
    }
  }
  const perRound = rounds.map((r) => {
    const one = summary(r.one)
    const two = summary(r.two)
    const ratio = +(two.perSecond / one.perSecond).toFixed(2)
    const ceiling = ceilingOf(one, two)
    return {
      oneProcess: one,
      twoProcesses: two,
      ratio,
      ...ceiling,
      fractionOfCeiling: +(ratio / ceiling.ceiling).toFixed(2),
      loadAverage: r.loadAverage
    }
  })
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? 0
  const medianRound = perRound.find((r) => r.ratio === median(perRound.map((x) => x.ratio))) ?? perRound[0]
  // A request wrk sent and stopped waiting for (the drain too short for a starved machine) may still be carried
  // out: then the database holds between what was answered and that plus the unanswered, and no more.
  const unanswered = phases.reduce((n, p) => n + Math.max(0, p.wrk.unanswered), 0)
  const result = {
    environment: `wrk ${CONNECTIONS} connections through HAProxy ${HAPROXY_BIN} to service processes on one PostgreSQL, ${ROUNDS} rounds of ${SECONDS} s a phase (one process, two processes, order alternating), mixed reads, top-ups and renewals; ${CORES} CPU cores shared by wrk, HAProxy, PostgreSQL, the processes and the machine's other work; Node ${process.version}`,
    rounds: perRound,
    oneProcess: medianRound?.oneProcess,
    twoProcesses: medianRound?.twoProcesses,
    ratio: medianRound?.ratio ?? 0,
    ceiling: medianRound?.ceiling ?? 0,
    ceilingOnAnIdleMachine: medianRound?.ceilingOnAnIdleMachine ?? 0,
    fractionOfCeiling: medianRound?.fractionOfCeiling ?? 0,
    goal: 1.7,
    money,
    unanswered
  }
  mkdirSync('test-results/bench', { recursive: true })
  writeFileSync('test-results/bench/scale.json', JSON.stringify(result, null, 2))
  console.log(JSON.stringify(result, null, 2))
  const extra = money.succeededCharges - money.distinctIntents
  const moneyOk = unanswered === 0 ? moneyExact(money) : extra >= 0 && extra <= unanswered
  const errors = phases.flatMap((p) => p.wrk.errorBodies)
  if (errors.length > 0 || !moneyOk) {
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
