/**
 * Load: 1,000 concurrent API clients for 60 s (DIALTONE_LOAD_SECONDS to change it) against the service on SQLite,
 * each on its own loopback address (127.1.x.y, so per-IP limits apply per client as they would per person),
 * mixing reads (balance, subscription), top-ups, renewals by card and Re-Up redemptions; one in five money-moving
 * requests is a retry with the same idempotency key, as a client does after a dropped answer. Then the money is
 * counted from the database: every account's balance is exactly its distinct top-ups, every charge belongs to
 * exactly one distinct intent, and no voucher was redeemed twice. Any error (a status >= 400 other than a rate
 * limit, or a 5xx) fails the run. The peer, measured first with the same clients, is the service's health route
 * (HTTP and Fastify without the database). Then the overload: twice as many clients (the first run already
 * saturates the service) against the same service, whose admission control answers what it cannot take at once with
 * 503 and Retry-After; the clients wait it out and send the same request again; then the same overload through
 * HAProxy in front of the same process (it accepts every client, forwards a bounded number at once and sheds at
 * the door). Reported: the admitted requests' p99, the 503s' own latency, each client's TCP connect and wait for
 * its first answer, where requests waited in the process (./load-probe.ts: accept queue, accept to parse, requests
 * held, event-loop delay), the load average, and the money over the three runs.
 * Run: node --import tsx test/bench/load.bench.ts (`npm run bench`).
 */
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { HAPROXY_BIN, haproxyArgs, haproxyConfig } from '../../scripts/lib/haproxy'
import { activateAtTill, createBatch, shipBatch } from '../../src/server/billing/vouchers'
import { loadConfig } from '../../src/server/config'
import { startService } from '../../src/server/service'
import { freePorts } from '../support/free-port'
import { benchAccounts } from './bench-accounts'
import type { LoadJob, LoadOutcome } from './load-clients'
import { countMoney, moneyExact } from './load-money'
import { probeServer } from './load-probe'
import { runLoadWorker } from './load-worker'
import { stat } from './stats'

const CLIENTS = 1000
const ACCOUNTS = 200
const SECONDS = Number(process.env.DIALTONE_LOAD_SECONDS ?? 60)
const OVERLOAD_SECONDS = Number(process.env.DIALTONE_OVERLOAD_SECONDS ?? Math.ceil(SECONDS / 2))
const TOP_UP = 500
const RAMP_MS = 1000
/** Re-Up cards per account for each of the three mixed runs (a worker takes them in order). */
const VOUCHERS_PER_RUN = 6
const VOUCHERS_PER_ACCOUNT = 3 * VOUCHERS_PER_RUN
/** Through HAProxy: requests it forwards to the process at once, and waiting in its queue before it sheds. */
const HAPROXY_MAXCONN = 32
const HAPROXY_SHED_QUEUE = 128

const dir = mkdtempSync(join(tmpdir(), 'dialtone-bench-load-'))
const service = await startService(
  {
    ...loadConfig(
      {
        DIALTONE_PASSWORD_COST: 'test',
        DIALTONE_MAX_IN_FLIGHT: process.env.DIALTONE_MAX_IN_FLIGHT,
        // HAProxy's X-Forwarded-For is believed (the HAProxy phase); the direct clients come from 127.1.x.y.
        DIALTONE_TRUSTED_PROXIES: '127.0.0.1'
      },
      dir
    ),
    jobs: false
  },
  {}
)
const ctx = service.ctx
await service.app.listen({ host: '127.0.0.1', port: 0, backlog: 2048 })
const port = (service.app.server.address() as { port: number }).port
const accounts = await benchAccounts(ctx, ACCOUNTS, 'LOAD')
const batch = await createBatch(ctx, {
  name: 'load',
  planId: 'line-1y@1',
  size: ACCOUNTS * VOUCHERS_PER_ACCOUNT,
  expiresAt: new Date(Date.now() + 365 * 86_400_000)
})
await shipBatch(ctx, batch.batchId)
for (const c of batch.cards) await activateAtTill(ctx, c.serial)
const pinsFor = (run: number) =>
  accounts.map((_, a) =>
    batch.cards
      .slice(a * VOUCHERS_PER_ACCOUNT, (a + 1) * VOUCHERS_PER_ACCOUNT)
      .slice(run * VOUCHERS_PER_RUN, (run + 1) * VOUCHERS_PER_RUN)
      .map((c) => c.pin)
  )

/** Runs the clients in their own worker thread (their own event loop) and waits for what they saw. */
function runClients(
  seconds: number,
  peer: boolean,
  clients = CLIENTS,
  pins = pinsFor(0),
  to = port
): Promise<LoadOutcome> {
  const job: LoadJob = {
    port: to,
    clients,
    seconds,
    peer,
    rampMs: RAMP_MS,
    topUpMinor: TOP_UP,
    accounts: accounts.map(({ lineId, token, pm }) => ({ lineId, token, pm })),
    pins
  }
  return runLoadWorker(job)
}

// The peer first: the same 1,000 clients on the service's health route (HTTP and Fastify, no database).
const peerSeconds = Math.max(5, Math.round(SECONDS / 6))
const p0 = performance.now()
const peerRun = await runClients(peerSeconds, true)
const peer = {
  seconds: +((performance.now() - p0) / 1000).toFixed(1),
  requests: peerRun.latencies.health.length
}

const t0 = performance.now()
const mixedProbe = probeServer(service.app.server, port)
const mixed = await runClients(SECONDS, false)
const mixedWaits = mixedProbe.stop()
const seconds = (performance.now() - t0) / 1000
const { latencies, errors, rateLimited } = mixed
latencies.health = peerRun.latencies.health
errors.push(...peerRun.errors)

// The overload: twice the clients, same service, same mix; admission control refuses what it cannot take.
const o0 = performance.now()
const overProbe = probeServer(service.app.server, port)
const over = await runClients(OVERLOAD_SECONDS, false, 2 * CLIENTS, pinsFor(1))
const overWaits = overProbe.stop()
const overSeconds = (performance.now() - o0) / 1000
errors.push(...over.errors)

// The same overload through HAProxy in front of the same process: HAProxy accepts every client at once, forwards
// HAPROXY_MAXCONN requests at a time over reused connections, and sheds past HAPROXY_SHED_QUEUE waiting.
const [front = 0] = await freePorts(1)
const cfg = join(dir, 'haproxy.cfg')
writeFileSync(
  cfg,
  haproxyConfig({
    bind: { host: '127.0.0.1', port: front },
    backends: [{ name: 's1', host: '127.0.0.1', port }],
    maxConnPerServer: HAPROXY_MAXCONN,
    shedQueue: HAPROXY_SHED_QUEUE,
    queueTimeoutMs: 1000
  })
)
const haproxy = spawn(HAPROXY_BIN, haproxyArgs(cfg), { stdio: ['ignore', 'ignore', 'inherit'] })
process.on('exit', () => haproxy.kill('SIGTERM'))
for (let ok = false; !ok; await new Promise((r) => setTimeout(r, 100)))
  ok = await fetch(`http://127.0.0.1:${front}/v1/health`).then(
    (r) => r.ok,
    () => false
  )
const h0 = performance.now()
const viaProbe = probeServer(service.app.server, port)
const via = await runClients(OVERLOAD_SECONDS, false, 2 * CLIENTS, pinsFor(2), front)
const viaWaits = viaProbe.stop()
const viaSeconds = (performance.now() - h0) / 1000
haproxy.kill('SIGTERM')
errors.push(...via.errors)

const runs = [mixed, over, via]
const toppedUp = accounts.map((_, a) => new Set(runs.flatMap((r) => r.toppedUp[a] ?? [])))
const renewed = accounts.map((_, a) => new Set(runs.flatMap((r) => r.renewed[a] ?? [])))
const redeemed = new Set<string>()
for (const pin of runs.flatMap((r) => r.redeemed)) {
  if (redeemed.has(pin)) errors.push(`voucher ${pin} redeemed twice`)
  redeemed.add(pin)
}

// The money, counted from the database.
const money = await countMoney(ctx, accounts, { toppedUp, renewed, redeemed, topUpMinor: TOP_UP })
await service.close()
rmSync(dir, { recursive: true, force: true })

const admittedOf = (o: LoadOutcome) => Object.values(o.latencies).reduce((n, l) => n + l.length, 0)
const total = Object.entries(latencies).reduce((n, [k, l]) => n + (k === 'health' ? 0 : l.length), 0)
const p99 = (l: number[]) =>
  +([...l].sort((x, y) => x - y)[Math.floor(0.99 * (l.length - 1))] ?? 0).toFixed(1)
const result = {
  environment: `${CLIENTS} clients (each its own 127.1.x.y address, one keep-alive connection) on ${ACCOUNTS} accounts, ${SECONDS} s, SQLite, admission control at ${ctx.config.maxInFlight} requests in flight; Node ${process.version}`,
  seconds: +seconds.toFixed(1),
  requests: total,
  perSecond: +(total / seconds).toFixed(1),
  peer: {
    route: 'GET /v1/health',
    ...peer,
    perSecond: +(peer.requests / peer.seconds).toFixed(1),
    p99: p99(latencies.health),
    ...stat(latencies.health)
  },
  byKind: Object.fromEntries(
    Object.entries(latencies)
      .filter(([k]) => k !== 'health')
      .map(([k, l]) => [k, { requests: l.length, p99: p99(l), ...stat(l) }])
  ),
  refused: { requests: mixed.refused.length, p99: p99(mixed.refused), ...stat(mixed.refused) },
  firstAnswer: { p99: p99(mixed.firstAnswer), ...stat(mixed.firstAnswer) },
  connected: stat(mixed.connected),
  waits: mixedWaits,
  overload: {
    clients: 2 * CLIENTS,
    seconds: +overSeconds.toFixed(1),
    admitted: admittedOf(over),
    perSecond: +(admittedOf(over) / overSeconds).toFixed(1),
    admittedP99: p99(Object.values(over.latencies).flat()),
    admittedMax: stat(Object.values(over.latencies).flat()).max,
    refused: { requests: over.refused.length, p99: p99(over.refused), ...stat(over.refused) },
    firstAnswer: { p99: p99(over.firstAnswer), ...stat(over.firstAnswer) },
    connected: stat(over.connected),
    waits: overWaits,
    rateLimited: over.rateLimited,
    capped: over.capped,
    errors: over.errors.length
  },
  viaHaproxy: {
    clients: 2 * CLIENTS,
    haproxy: `maxconn ${HAPROXY_MAXCONN} to the process, 503 at the door past ${HAPROXY_SHED_QUEUE} queued, timeout queue 1 s`,
    seconds: +viaSeconds.toFixed(1),
    admitted: admittedOf(via),
    perSecond: +(admittedOf(via) / viaSeconds).toFixed(1),
    admittedP99: p99(Object.values(via.latencies).flat()),
    admittedMax: stat(Object.values(via.latencies).flat()).max,
    refused: { requests: via.refused.length, p99: p99(via.refused), ...stat(via.refused) },
    firstAnswer: { p99: p99(via.firstAnswer), ...stat(via.firstAnswer) },
    connected: stat(via.connected),
    waits: viaWaits,
    rateLimited: via.rateLimited,
    capped: via.capped,
    errors: via.errors.length
  },
  loadAverage: loadavg().map((l) => +l.toFixed(2)),
  errors: errors.length,
  rateLimited,
  capped: mixed.capped,
  money
}
mkdirSync('test-results/bench', { recursive: true })
writeFileSync('test-results/bench/load.json', JSON.stringify(result, null, 2))
console.log(JSON.stringify(result, null, 2))
const ok = errors.length === 0 && moneyExact(money)
if (!ok) {
  console.error(`load run failed: ${errors.slice(0, 5).join('; ')}`)
  process.exit(1)
}
