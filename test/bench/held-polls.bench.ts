/**
 * What the line-changes long poll (shared/api/line-changes.ts: one held request per signed-in app) costs the
 * service, next to its peer in the same run: as many idle keep-alive connections to the same service, each after
 * one request (what every app's connection was before the poll). The service runs in this process on SQLite; the
 * clients in a process of their own (held-polls-clients.ts), so only the service's side is counted. Figures: the
 * JavaScript heap (after a full collection) and resident memory per held poll and per idle connection, the
 * service's CPU while they are held, and how long one account's 8 held polls take to answer after a change to it
 * (its line's label set), next to the label change's own answer.
 * Run: node --expose-gc --import tsx test/bench/held-polls.bench.ts  (part of `npm run bench`).
 */
import { fork } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../../src/server/config'
import { createSession } from '../../src/server/identity/sessions'
import { startService } from '../../src/server/service'
import { benchAccounts } from './bench-accounts'
import { sized, writeResult } from './bench-run'

/** Accounts, sessions of each (its computers), and polls held per session (the service holds at most 2). */
const ACCOUNTS = sized(250, 4)
const SESSIONS = 4
const PER_SESSION = 2
const PER_ACCOUNT = SESSIONS * PER_SESSION
const HELD = ACCOUNTS * PER_ACCOUNT
const SETTLE_MS = sized(2000, 50)
const CPU_SECONDS = sized(5, 0.2)
const WAKES = sized(20, 2)

const gc = (globalThis as { gc?: () => void }).gc
if (!gc) throw new Error('run with node --expose-gc')
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
/** Heap used and resident memory after two full collections (KiB). */
const memory = async () => {
  await sleep(SETTLE_MS)
  gc()
  gc()
  const m = process.memoryUsage()
  return { heapKiB: Math.round(m.heapUsed / 1024), rssKiB: Math.round(m.rss / 1024) }
}
const perEach = (
  after: { heapKiB: number; rssKiB: number },
  before: { heapKiB: number; rssKiB: number }
) => ({
  heapKiB: +((after.heapKiB - before.heapKiB) / HELD).toFixed(2),
  rssKiB: +((after.rssKiB - before.rssKiB) / HELD).toFixed(2)
})
const cpuMsPerSecond = async () => {
  const c0 = process.cpuUsage()
  await sleep(CPU_SECONDS * 1000)
  const c = process.cpuUsage(c0)
  return +((c.user + c.system) / 1000 / CPU_SECONDS).toFixed(1)
}
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? 0

const dir = mkdtempSync(join(tmpdir(), 'dialtone-bench-held-'))
const clients = fork(join(import.meta.dirname, 'held-polls-clients.ts'), [], {
  execArgv: ['--import', 'tsx']
})
type Message = { kind: 'open' | 'released' } | { kind: 'answered'; account: number; status: number }
const answered = new Map<number, number[]>()
const waiters: { kind: string; resolve: () => void }[] = []
clients.on('message', (m: Message) => {
  if (m.kind === 'answered') {
    if (m.status !== 200) throw new Error(`a held poll answered ${m.status}`)
    answered.set(m.account, [...(answered.get(m.account) ?? []), performance.now()])
    return
  }
  const i = waiters.findIndex((w) => w.kind === m.kind)
  if (i >= 0) waiters.splice(i, 1)[0]?.resolve()
})
const tell = (command: unknown, until: 'open' | 'released') =>
  new Promise<void>((resolve) => {
    waiters.push({ kind: until, resolve })
    clients.send(command as never)
  })

try {
  const service = await startService(
    {
      ...loadConfig({ DIALTONE_PASSWORD_COST: 'test' }, dir),
      databaseUrl: `sqlite:${join(dir, 'service.db')}`,
      jobs: false
    },
    {}
  )
  await service.app.listen({ host: '127.0.0.1', port: 0 })
  const port = (service.app.server.address() as { port: number }).port
  const base = `http://127.0.0.1:${port}`
  const accounts = await benchAccounts(service.ctx, ACCOUNTS, 'HELD')
  // Each account's computers: its own session and SESSIONS - 1 more.
  const tokens: string[][] = []
  for (const a of accounts) {
    const more = []
    for (let k = 1; k < SESSIONS; k++)
      more.push((await createSession(service.ctx, a.accountId, 'bench', null)).token)
    tokens.push([a.token, ...more])
  }
  // Each account's version, as an app reads it first.
  const versions: string[] = []
  for (const a of accounts) {
    const r = await fetch(`${base}/v1/lines/changes`, { headers: { authorization: `Bearer ${a.token}` } })
    versions.push(((await r.json()) as { version: string }).version)
  }

  const before = await memory()
  await tell({ kind: 'idle', port, count: HELD }, 'open')
  const withIdle = await memory()
  const idleCpu = await cpuMsPerSecond()
  await tell({ kind: 'release' }, 'released')
  const between = await memory()
  await tell(
    {
      kind: 'hold',
      port,
      polls: accounts.flatMap((a, account) =>
        (tokens[account] ?? []).flatMap((token) =>
          Array.from({ length: PER_SESSION }, () => ({ account, token, since: versions[account] }))
        )
      )
    },
    'open'
  )
  const withHeld = await memory()
  const heldCpu = await cpuMsPerSecond()

  const wake: number[] = []
  const own: number[] = []
  for (const [i, a] of accounts.slice(0, WAKES).entries()) {
    const t0 = performance.now()
    const r = await fetch(`${base}/v1/lines/${a.lineId}/label`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${a.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ label: `Desk ${i}` })
    })
    await r.arrayBuffer()
    if (r.status !== 200) throw new Error(`the label change answered ${r.status}`)
    own.push(performance.now() - t0)
    for (let t = 0; (answered.get(i)?.length ?? 0) < PER_ACCOUNT; t++) {
      if (t > 5000) throw new Error(`account ${i}'s polls did not answer`)
      await sleep(1)
    }
    wake.push(Math.max(...(answered.get(i) ?? [])) - t0)
  }
  await tell({ kind: 'release' }, 'released')
  await service.close()

  const out = {
    environment:
      `the service in this process on SQLite, the clients in another; ${HELD} polls held over ${ACCOUNTS} ` +
      `accounts (${SESSIONS} sessions each, ${PER_SESSION} polls a session) against ${HELD} idle keep-alive ` +
      `connections; Node ${process.version}`,
    held: HELD,
    memory: { before, withIdleConnections: withIdle, between, withHeldPolls: withHeld },
    perIdleConnection: perEach(withIdle, before),
    perHeldPoll: perEach(withHeld, between),
    cpuMsPerSecond: { idleConnections: idleCpu, heldPolls: heldCpu },
    // Medians over WAKES accounts: the label change's own answer, and until the account's polls had all answered.
    labelAnsweredMs: +median(own).toFixed(1),
    labelToPollsAnsweredMs: +median(wake).toFixed(1)
  }
  writeResult('held-polls', out)
} finally {
  clients.kill()
  rmSync(dir, { recursive: true, force: true })
}
