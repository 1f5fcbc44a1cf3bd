/**
 * wrk (Debian's `wrk` 4.1, scripts/setup.sh) as the load and scale benchmarks' load generator, with the mix in
 * ./load-wrk.lua: a C client on epoll, so thousands of connections cost it a small part of one core and the
 * machine's CPU goes to what is measured (the Node clients of ./load-clients.ts cost about as much CPU per request
 * as the service's health route, so with them the "machine's floor" was the clients'). Writes the accounts for the
 * script, runs wrk for the money traffic plus a drain (health checks only, so every money request sent is answered
 * before wrk stops), and returns what the script counted: answers by kind, errors with their bodies, money
 * requests sent, wrk's latency over all answers and its own CPU time.
 */
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { LoadAccount } from './load-clients'

export const WRK_BIN = process.env.DIALTONE_WRK_BIN ?? '/usr/bin/wrk'
const SCRIPT = new URL('./load-wrk.lua', import.meta.url).pathname
/** Clock ticks per second (`getconf CLK_TCK`, 100 on Linux). */
const TICKS = 100

export interface WrkJob {
  readonly port: number
  readonly connections: number
  readonly seconds: number
  /** Health checks only after `seconds`, for this long, so the money requests in flight are answered. */
  readonly drainSeconds: number
  readonly mode: 'mixed' | 'health'
  readonly accounts: readonly LoadAccount[]
  readonly topUpMinor: number
  /** A folder for the accounts file. */
  readonly dir: string
  /** Unique per run on one database: the idempotency keys carry it. */
  readonly tag: string
  /** wrk threads (each its own epoll loop); 1 unless the client is the bottleneck. */
  readonly threads?: number
  /** Told wrk's process id once it runs (for a CPU meter that stops before the drain). */
  readonly onStart?: (pid: number) => void
}

export interface WrkOutcome {
  /** Answers by kind: read, topUp, renewal, capped, refused (503 with Retry-After), health (drain), or a status. */
  readonly counts: Record<string, number>
  /** Money-phase requests sent (reads, top-ups, renewals); each was answered if `unanswered` is 0. */
  readonly sent: number
  /** Money-phase requests with no answer when wrk stopped (sent minus answers other than the drain's). */
  readonly unanswered: number
  readonly errors: number
  readonly errorBodies: string[]
  /** Connection-level errors wrk counted (connect, read, write, timeout). */
  readonly socketErrors: Record<string, number>
  /** wrk's latency over every answer (all kinds, drain included), ms. */
  readonly latency: { p50: number; p99: number; max: number }
  readonly seconds: number
  /** wrk's own CPU time, seconds (user + system). */
  readonly cpuSeconds: number
  /** wrk's process id while it ran (to tell it apart from the others). */
  readonly pid: number
}

/** Answers that are the service doing its job (everything else from the money phase is an error). */
const EXPECTED = new Set(['read', 'topUp', 'renewal', 'capped', 'refused', 'health'])

export function runWrk(job: WrkJob): Promise<WrkOutcome> {
  const accountsFile = join(job.dir, `wrk-accounts-${job.tag}.lua`)
  writeFileSync(
    accountsFile,
    `return {\n${job.accounts
      .map(
        (a) =>
          `{ line = ${JSON.stringify(a.lineId)}, token = ${JSON.stringify(a.token)}, pm = ${JSON.stringify(a.pm)} },`
      )
      .join('\n')}\n}\n`
  )
  const threads = job.threads ?? 1
  const args = [
    `-t${threads}`,
    `-c${Math.max(threads, job.connections)}`,
    `-d${job.seconds + job.drainSeconds}s`,
    // wrk's own timeout only sorts an answer into its "timeout" count; the script still sees every answer.
    '--timeout',
    '60s',
    '-s',
    SCRIPT,
    `http://127.0.0.1:${job.port}`,
    '--',
    accountsFile,
    String(job.seconds),
    String(job.topUpMinor),
    job.mode,
    job.tag
  ]
  return new Promise((resolve, reject) => {
    const child = spawn(WRK_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    if (child.pid) job.onStart?.(child.pid)
    let out = ''
    let err = ''
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c))
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c))
    child.once('error', reject)
    child.once('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('WRK_RESULT '))
      if (code !== 0 || !line) return reject(new Error(`wrk exited ${code}: ${err.trim() || out.trim()}`))
      const r = JSON.parse(line.slice('WRK_RESULT '.length)) as {
        counts: Record<string, number>
        sent: number
        healthSent: number
        errorBodies: string[] | Record<string, never>
        durationUs: number
        socketErrors: Record<string, number>
        latencyUs: { p50: number; p99: number; max: number }
        cpuTicks: number
      }
      // A drain health check is answered 200 (health) or, through HAProxy after its queue timeout, 503: those
      // 503s are the drain's, not money requests' refusals.
      const drainRefused = Math.max(0, r.healthSent - (r.counts.health ?? 0))
      const counts = { ...r.counts, refused: (r.counts.refused ?? 0) - drainRefused }
      if (counts.refused === 0) delete (counts as Partial<typeof counts>).refused
      const answered = Object.entries(counts).reduce((n, [k, v]) => n + (k === 'health' ? 0 : v), 0)
      // wrk asks each thread's script for one request as the thread starts and never sends it (measured: a
      // server answering at once, one connection, one thread: requests asked = answers + 1).
      const neverSent = threads
      const errors = Object.entries(counts).reduce((n, [k, v]) => n + (EXPECTED.has(k) ? 0 : v), 0)
      const ms = (us: number) => +(us / 1000).toFixed(1)
      resolve({
        counts,
        sent: r.sent,
        unanswered: r.sent - neverSent - answered,
        errors,
        errorBodies: Object.values(r.errorBodies),
        socketErrors: r.socketErrors,
        latency: { p50: ms(r.latencyUs.p50), p99: ms(r.latencyUs.p99), max: ms(r.latencyUs.max) },
        seconds: +(r.durationUs / 1e6).toFixed(1),
        cpuSeconds: r.cpuTicks / TICKS,
        pid: child.pid ?? 0
      })
    })
  })
}
