/**
 * Load and overload (issue 24 goal 4) against the service on SQLite, with wrk (./wrk.ts, ./load-wrk.lua) as the
 * load: a C client whose thousands of connections cost a small part of a core, so the machine's CPU goes to the
 * service. Phases, one service, one run:
 *  1. peer: wrk on the health route (HTTP and Fastify without the database), straight to the process;
 *  2. the saturating load (1x): 1,000 connections of the mix (reads of a line's subscription, top-ups, renewals by
 *     card, each money request with its own idempotency key), straight to the process;
 *  3. 2x: 2,000 connections straight to the process (admission control answers what it cannot take with 503 and
 *     Retry-After; wrk waits it out);
 *  4. 2x through HAProxy in front of the same process: the shipped layout (docs/scaling.md); HAProxy accepts every
 *     client, forwards a bounded number at once and sheds at the door. Its request log times every answer.
 * Beside wrk in each mixed phase, a few Node clients (./load-clients.ts, 40, arriving over the phase) with the full
 * mix the app sends: same-key retries, Re-Up cards, Retry-After waited out; they time their TCP connect and first
 * answer (new connections not starved) and each request by what it got. The process's own probe (./load-probe.ts)
 * times every request from parse to answer and watches the accept queue and the loop. CPU per process from /proc
 * (./cpu.ts): the service, HAProxy, wrk, the Node clients, and the rest of the machine.
 * The money, from the database at the end: the Node clients' accounts each exactly their distinct top-ups; wrk's
 * accounts together exactly the top-ups answered 200; one charge per paid intent, one order per renewal answered,
 * vouchers redeemed once. Any answer other than 200/201, 503 with Retry-After, 429 or 409 coverage-cap fails.
 * Run: node --import tsx test/bench/load.bench.ts (`npm run bench`). DIALTONE_LOAD_SECONDS (20) per mixed phase.
 */
import { execFile, spawn } from 'node:child_process'
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { HAPROXY_BIN, haproxyArgs, haproxyConfig } from '../../scripts/lib/haproxy'
import { activateAtTill, createBatch, shipBatch } from '../../src/server/billing/vouchers'
import { loadConfig } from '../../src/server/config'
import { startService } from '../../src/server/service'
import { freePorts } from '../support/free-port'
import { benchAccounts } from './bench-accounts'
import { CORES, cpuMeter } from './cpu'
import { readDoorLog } from './door-log'
import type { LoadOutcome } from './load-clients'
import { countMoney, moneyExact } from './load-money'
import { probeServer } from './load-probe'
import { runLoadWorker } from './load-worker'
import { stat } from './stats'
import { runWrk } from './wrk'

const CONNECTIONS = 1000
const ACCOUNTS = 200
/** The Node clients' accounts (the rest are wrk's). */
const PROBE_ACCOUNTS = 40
const PROBE_CLIENTS = 40
const SECONDS = Number(process.env.DIALTONE_LOAD_SECONDS ?? 20)
const PEER_SECONDS = 5
/** After a phase's money traffic, health checks only, so every money request sent is answered before wrk stops. */
const DRAIN_SECONDS = 5
const TOP_UP = 500
const VOUCHERS_PER_RUN = 6
const VOUCHERS_PER_ACCOUNT = 3 * VOUCHERS_PER_RUN
/**
 * Through HAProxy: requests forwarded to the process at once, and waiting in HAProxy's queue past which the next
 * is refused at the door. A request's wait is about (in the process + queued) / throughput (Little's law): 32
 * ahead at 300 answers/s is 0.1 s, well inside the 1 s goal; a longer queue only makes every admitted request
 * later. SQLite runs one transaction at a time, so more in flight in the process buys nothing.
 */
const HAPROXY_MAXCONN = 8
const HAPROXY_SHED_QUEUE = 24

const dir = mkdtempSync(join(tmpdir(), 'dialtone-bench-load-'))
const service = await startService(
  {
    ...loadConfig(
      {
        DIALTONE_PASSWORD_COST: 'test',
        DIALTONE_MAX_IN_FLIGHT: process.env.DIALTONE_MAX_IN_FLIGHT,
        // HAProxy's X-Forwarded-For is believed (the HAProxy phase); the Node clients come from 127.1.x.y.
        DIALTONE_TRUSTED_PROXIES: '127.0.0.1'
      },
      dir
    ),
    jobs: false
  },
  {}
)
const ctx = service.ctx
await service.app.listen({ host: '127.0.0.1', port: 0, backlog: 4096 })
const port = (service.app.server.address() as { port: number }).port
const accounts = await benchAccounts(ctx, ACCOUNTS, 'LOAD')
const probeAccounts = accounts.slice(0, PROBE_ACCOUNTS)
const wrkAccounts = accounts.slice(PROBE_ACCOUNTS)
const batch = await createBatch(ctx, {
  name: 'load',
  planId: 'line-1y@1',
  size: PROBE_ACCOUNTS * VOUCHERS_PER_ACCOUNT,
  expiresAt: new Date(Date.now() + 365 * 86_400_000)
})
await shipBatch(ctx, batch.batchId)
for (const c of batch.cards) await activateAtTill(ctx, c.serial)
const pinsFor = (run: number) =>
  probeAccounts.map((_, a) =>
    batch.cards
      .slice(a * VOUCHERS_PER_ACCOUNT, (a + 1) * VOUCHERS_PER_ACCOUNT)
      .slice(run * VOUCHERS_PER_RUN, (run + 1) * VOUCHERS_PER_RUN)
      .map((c) => c.pin)
  )

// HAProxy (phase 4) runs from the start, idle until then, so its process is there for the CPU meter.
const [front = 0] = await freePorts(1)
const cfg = join(dir, 'haproxy.cfg')
const doorLog = join(dir, 'haproxy.log')
writeFileSync(
  cfg,
  haproxyConfig({
    bind: { host: '127.0.0.1', port: front },
    backends: [{ name: 's1', host: '127.0.0.1', port }],
    maxConnPerServer: HAPROXY_MAXCONN,
    shedQueue: HAPROXY_SHED_QUEUE,
    // A request that would wait longer in HAProxy's queue (the process stalled) is refused rather than served late.
    queueTimeoutMs: 500,
    logRequests: true
  })
)
const logFd = openSync(doorLog, 'w')
const haproxy = spawn(HAPROXY_BIN, haproxyArgs(cfg), { stdio: ['ignore', logFd, 'inherit'] })
closeSync(logFd)
process.on('exit', () => haproxy.kill('SIGTERM'))
for (let ok = false; !ok; await new Promise((r) => setTimeout(r, 100)))
  ok = await fetch(`http://127.0.0.1:${front}/v1/health`).then(
    (r) => r.ok,
    () => false
  )

const p99 = (l: readonly number[]) =>
  +([...l].sort((x, y) => x - y)[Math.floor(0.99 * (l.length - 1))] ?? 0).toFixed(1)
const times = (l: readonly number[]) => ({ count: l.length, p99: p99(l), ...stat(l) })
let tags = 0

/** One phase: wrk (and, for the mix, the Node clients) to `to` for `seconds`; what each side saw. */
async function phase(
  connections: number,
  to: number,
  mode: 'mixed' | 'health',
  seconds: number,
  run: number
) {
  let wrkPid = 0
  const meter = cpuMeter({ haproxy: () => [haproxy.pid ?? 0], wrk: () => (wrkPid ? [wrkPid] : []) })
  const selfCpu = cpuMeter({ bench: () => [process.pid] })
  const probe = probeServer(service.app.server, port)
  meter.start()
  selfCpu.start()
  // CPU is read when the money traffic ends, before wrk's drain.
  const metered = new Promise<[ReturnType<typeof meter.stop>, number]>((resolve) =>
    setTimeout(() => resolve([meter.stop(), selfCpu.stop().cpuSeconds.bench ?? 0]), seconds * 1000)
  )
  const [wrk, clients, [cpu, bench]] = await Promise.all([
    runWrk({
      onStart: (pid) => (wrkPid = pid),
      port: to,
      connections,
      seconds,
      drainSeconds: mode === 'mixed' ? DRAIN_SECONDS : 0,
      mode,
      accounts: wrkAccounts,
      topUpMinor: TOP_UP,
      dir,
      tag: `${process.pid}x${++tags}`
    }),
    mode === 'health'
      ? Promise.resolve(undefined)
      : runLoadWorker({
          port: to,
          clients: PROBE_CLIENTS,
          seconds,
          peer: false,
          // They arrive over most of the phase: a new connection every half second or so, into the overload.
          rampMs: seconds * 800,
          topUpMinor: TOP_UP,
          accounts: probeAccounts.map(({ lineId, token, pm }) => ({ lineId, token, pm })),
          pins: pinsFor(run)
        }),
    metered
  ])
  const waits = probe.stop()
  const clientCpu = clients?.cpuSeconds ?? 0
  cpu.cpuSeconds = {
    service: +(bench - clientCpu).toFixed(2),
    haproxy: cpu.cpuSeconds.haproxy ?? 0,
    wrk: cpu.cpuSeconds.wrk ?? 0,
    nodeClients: +clientCpu.toFixed(2)
  }
  cpu.others = +Math.max(
    0,
    cpu.machineBusy - Object.values(cpu.cpuSeconds).reduce((a, b) => a + b, 0)
  ).toFixed(2)
  return { wrk, clients, waits, cpu, loadAverage: loadavg().map((l) => +l.toFixed(2)) }
}
type Phase = Awaited<ReturnType<typeof phase>>

/**
 * Waits until the process holds nothing: its accept queue empty (connections a client left there are accepted
 * and their requests answered to no one, see below) and no request parsed and unanswered, for a second.
 */
async function settle(): Promise<number> {
  const t0 = performance.now()
  const watch = probeServer(service.app.server, port)
  let quiet = 0
  while (quiet < 4 && performance.now() - t0 < 120_000) {
    await new Promise((r) => setTimeout(r, 250))
    const q = await new Promise<number>((resolve) =>
      execFile('ss', ['-Hlnt', `sport = :${port}`], (err, out) =>
        resolve(err ? 0 : Number(out.trim().split(/\s+/)[1] ?? 0))
      )
    )
    quiet = q === 0 && watch.held() === 0 ? quiet + 1 : 0
  }
  watch.stop()
  return +((performance.now() - t0) / 1000).toFixed(1)
}

/** The money so far, from the database, against what the clients were answered. */
async function money(phases: readonly Phase[]) {
  const outcomes = phases.map((p) => p.clients as LoadOutcome)
  const redeemed = new Set<string>()
  for (const pin of outcomes.flatMap((r) => r.redeemed)) {
    if (redeemed.has(pin)) errors.push(`voucher ${pin} redeemed twice`)
    redeemed.add(pin)
  }
  return countMoney(
    ctx,
    probeAccounts,
    {
      toppedUp: probeAccounts.map((_, a) => new Set(outcomes.flatMap((r) => r.toppedUp[a] ?? []))),
      renewed: probeAccounts.map((_, a) => new Set(outcomes.flatMap((r) => r.renewed[a] ?? []))),
      redeemed,
      topUpMinor: TOP_UP
    },
    {
      accounts: wrkAccounts,
      topUps: phases.reduce((n, p) => n + (p.wrk.counts.topUp ?? 0), 0),
      renewals: phases.reduce((n, p) => n + (p.wrk.counts.renewal ?? 0), 0)
    }
  )
}

const errors: string[] = []
// The peer and the shipped layout first; straight to the process last, since thousands of connections opened at
// once straight to it wait in its accept queue (Node 20 takes one a turn of its loop) well past the phase's end.
const peer = await phase(CONNECTIONS, port, 'health', PEER_SECONDS, 0)
const settled = [await settle()]
const via = await phase(2 * CONNECTIONS, front, 'mixed', SECONDS, 2)
settled.push(await settle())
// Through HAProxy every money request was answered (wrk's drain), so the database must hold exactly what was
// answered 200/201: checked here, before the phases straight to the process.
const viaMoney = await money([via])
haproxy.kill('SIGTERM')
await new Promise((r) => haproxy.once('exit', r))
const door = readDoorLog(doorLog)
const oneX = await phase(CONNECTIONS, port, 'mixed', SECONDS, 0)
settled.push(await settle())
const twoX = await phase(2 * CONNECTIONS, port, 'mixed', SECONDS, 1)
settled.push(await settle())
// Straight to the process, requests wrk wrote on connections the process had not yet accepted when wrk stopped
// are unanswered (wrk counts them: sent minus answered); the process may still take them from its accept queue and
// carry them out, as with any answer lost on the way (the app sends the same key again). So the database's count
// of wrk's top-ups and renewals lies between what was answered and that plus the unanswered; every account of the
// Node clients (which wait for every answer) stays exact, and no key is charged twice (the idempotency keys).
const allMoney = await money([via, oneX, twoX])
const unanswered = oneX.wrk.unanswered + twoX.wrk.unanswered
const pooledInDb =
  allMoney.succeededCharges -
  (allMoney.distinctIntents - (allMoney.pooled?.topUps ?? 0) - (allMoney.pooled?.renewals ?? 0))
const pooledAnswered = (allMoney.pooled?.topUps ?? 0) + (allMoney.pooled?.renewals ?? 0)
const straightMoney = {
  ...allMoney,
  wrkMoneyAnswered: pooledAnswered,
  wrkMoneyInDb: pooledInDb,
  wrkUnanswered: unanswered,
  withinBound:
    pooledInDb >= pooledAnswered &&
    pooledInDb <= pooledAnswered + unanswered &&
    allMoney.accountsWithWrongBalance === 0
}
const mixed = [oneX, twoX, via]
errors.push(
  ...mixed.flatMap((p) => p.wrk.errorBodies.map((b) => `wrk: ${b}`)),
  ...mixed.flatMap((p) => (p.clients as LoadOutcome).errors),
  ...(via.wrk.unanswered !== 0
    ? [`wrk through HAProxy: ${via.wrk.unanswered} money requests unanswered`]
    : [])
)
const wrkErrors = mixed.reduce((n, p) => n + p.wrk.errors, 0)
await service.close()
rmSync(dir, { recursive: true, force: true })

/** A mixed phase's figures: wrk's answers, the process's and the Node clients' timings, CPU per request. */
function summary(p: Phase, doorTimes?: ReturnType<typeof readDoorLog>) {
  const c = p.wrk.counts
  const admitted = (c.read ?? 0) + (c.topUp ?? 0) + (c.renewal ?? 0) + (c.capped ?? 0)
  const seconds = SECONDS
  const o = p.clients as LoadOutcome
  const clientAdmitted = Object.values(o.latencies).flat()
  const served = admitted + Object.values(o.latencies).reduce((n, l) => n + l.length, 0)
  return {
    connections: undefined as number | undefined,
    admittedPerSecond: +(admitted / seconds).toFixed(1),
    wrk: {
      answers: c,
      sent: p.wrk.sent,
      unanswered: p.wrk.unanswered,
      latencyAllAnswers: p.wrk.latency,
      socketErrors: p.wrk.socketErrors
    },
    ...(doorTimes && {
      door: {
        admitted: times(doorTimes.admitted),
        refused: times(doorTimes.refused),
        shed: times(doorTimes.shed),
        statuses: doorTimes.statuses
      }
    }),
    process: {
      admitted: times(p.waits.served.admitted),
      refused: times(p.waits.served.refused),
      acceptQueue: p.waits.acceptQueue,
      acceptToParsed: p.waits.acceptToParsed,
      maxHeld: p.waits.maxHeld,
      loopDelay: p.waits.loopDelay
    },
    nodeClients: {
      clients: PROBE_CLIENTS,
      admitted: times(clientAdmitted),
      refused: times(o.refused),
      firstAnswer: times(o.firstAnswer),
      connected: stat(o.connected),
      errors: o.errors.length,
      rateLimited: o.rateLimited,
      capped: o.capped
    },
    cpu: {
      ...p.cpu,
      serviceMsPerAnswer: +(
        (1000 * (p.cpu.cpuSeconds.service ?? 0)) /
        Math.max(1, served + (c.refused ?? 0))
      ).toFixed(2)
    },
    errors: p.wrk.errors + o.errors.length,
    loadAverage: p.loadAverage
  }
}

const viaSummary = summary(via, door)
const result = {
  environment: `wrk ${CONNECTIONS} connections (1x) and ${2 * CONNECTIONS} (2x) on ${wrkAccounts.length} accounts plus ${PROBE_CLIENTS} Node clients arriving over each phase on ${PROBE_ACCOUNTS} more, ${SECONDS} s a phase, SQLite, admission control at ${ctx.config.maxInFlight} requests in flight; ${CORES} cores; Node ${process.version}`,
  seconds: SECONDS,
  peer: {
    route: 'GET /v1/health',
    connections: CONNECTIONS,
    perSecond: +((peer.wrk.counts.health ?? 0) / PEER_SECONDS).toFixed(1),
    latency: peer.wrk.latency,
    cpu: peer.cpu,
    loadAverage: peer.loadAverage
  },
  oneX: { ...summary(oneX), connections: CONNECTIONS },
  twoX: { ...summary(twoX), connections: 2 * CONNECTIONS },
  viaHaproxy: {
    ...viaSummary,
    connections: 2 * CONNECTIONS,
    haproxy: `maxconn ${HAPROXY_MAXCONN} to the process, 503 at the door past ${HAPROXY_SHED_QUEUE} queued, timeout queue 0.5 s`
  },
  settledSeconds: settled,
  errors: errors.length + wrkErrors,
  errorSamples: errors.slice(0, 5),
  money: viaMoney,
  moneyStraight: straightMoney
}
mkdirSync('test-results/bench', { recursive: true })
writeFileSync('test-results/bench/load.json', JSON.stringify(result, null, 2))
console.log(JSON.stringify(result, null, 2))
if (result.errors > 0 || !moneyExact(viaMoney) || !straightMoney.withinBound) {
  console.error(`load run failed: ${errors.slice(0, 5).join('; ')}`)
  process.exit(1)
}
