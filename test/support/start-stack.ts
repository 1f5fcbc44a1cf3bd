/**
 * `npm start` (scripts/start.mjs) and `npm run stack` as a person runs them, for the tests that check the one
 * command: spawned on the built out/ (DIALTONE_START_NO_BUILD=1; `npm test` builds first), their output kept, and
 * every process they started found by walking /proc (descendants and their process groups), so a test can prove
 * that nothing is left running after Ctrl-C.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { settleWithin } from '../../src/shared/settle-within'
import { freePortBlock } from './free-port'
import { freePort, freePorts } from './postgres'

export const ROOT = join(import.meta.dirname, '../..')

export function assertBuilt(): void {
  for (const f of ['out/main/server.js', 'out/main/updates.js', 'out/main/web.js', 'out/renderer/index.html'])
    if (!existsSync(join(ROOT, f))) throw new Error(`no ${f}: run \`npm run build\` first`)
}

export interface Launched {
  readonly proc: ChildProcess
  readonly stdout: () => string
  readonly stderr: () => string
  /** Resolves with the first match in stdout; rejects when the process exits first or after ms. */
  waitFor(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>
  /** Resolves with the exit code (null after a signal), or rejects after ms. */
  exit(ms?: number): Promise<number | null>
  /**
   * SIGKILL to the launcher and everything it started (Kamailio, rtpengine, the service, each in a group of its
   * own), for a test that failed before its stop: killing the launcher alone leaves them holding the run's ports
   * and cores. Nothing when the launcher has exited: its pid may name another process by now.
   */
  killAll(): void
}

export function launch(
  script: 'start' | 'stack',
  env: NodeJS.ProcessEnv,
  args: readonly string[] = []
): Launched {
  const proc = spawn(process.execPath, [join(ROOT, `scripts/${script}.mjs`), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DIALTONE_START_NO_BUILD: '1', DIALTONE_START_APP: 'web', ...env }
  })
  let out = ''
  let err = ''
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()))
  proc.stderr?.on('data', (d: Buffer) => (err += d.toString()))
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)))
  // 'exit' can come before the last of its output is read; 'close' comes after (its pipes ended).
  const closed = new Promise<void>((r) => proc.once('close', () => r()))
  return {
    proc,
    stdout: () => out,
    stderr: () => err,
    // 60 s: the whole stack starting (Kamailio, rtpengine, the service, the web host) on a CI machine whose other
    // suites keep both cores busy; it took over 30 s there once (the rehearsal of 2026-12-07, 22:18). Not a timing
    // check: what is printed and what stops is.
    async waitFor(pattern, ms = 60_000) {
      const deadline = Date.now() + ms
      for (;;) {
        const m = pattern.exec(out)
        if (m) return m
        if (proc.exitCode !== null || proc.signalCode !== null)
          throw new Error(
            `exited (${proc.exitCode}) before printing ${pattern}\nstdout:\n${out}\nstderr:\n${err}`
          )
        if (Date.now() > deadline)
          throw new Error(`no ${pattern} within ${ms} ms\nstdout:\n${out}\nstderr:\n${err}`)
        await new Promise((r) => setTimeout(r, 50))
      }
    },
    killAll() {
      if (proc.exitCode !== null || proc.signalCode !== null || proc.pid === undefined) return
      const tree = processTree(proc.pid)
      proc.kill('SIGKILL')
      for (const p of tree) {
        try {
          process.kill(p.pid, 'SIGKILL')
        } catch {
          // Already gone.
        }
      }
    },
    // Bounded by settleWithin, which clears its timer: a 15 s timer left pending outlived the test file.
    async exit(ms = 15_000) {
      if (!(await settleWithin(exited, ms)))
        throw new Error(`did not exit within ${ms} ms\nstdout:\n${out}\nstderr:\n${err}`)
      // Its output read to the end; bounded, since a process it started could hold a pipe open after it.
      await settleWithin(closed, 2000)
      return exited
    }
  }
}

interface ProcInfo {
  readonly pid: number
  readonly ppid: number
  readonly pgrp: number
  readonly state: string
  /** Start time in clock ticks since boot: a pid used again by a new process does not count as the old one. */
  readonly start: string
  readonly cmd: string
}

function readProc(pid: number): ProcInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const close = stat.lastIndexOf(')')
    const fields = stat.slice(close + 2).split(' ')
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim()
    return {
      pid,
      state: fields[0] ?? '',
      ppid: Number(fields[1]),
      pgrp: Number(fields[2]),
      start: fields[19] ?? '',
      cmd
    }
  } catch {
    return null // gone while we looked
  }
}

const allProcs = (): ProcInfo[] =>
  readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => readProc(Number(d)))
    .filter((p): p is ProcInfo => p !== null)

/** Every live process below root, and every process in the groups those lead (a forked worker, reparented). */
export function processTree(root: number): ProcInfo[] {
  const procs = allProcs()
  const found = new Map<number, ProcInfo>()
  const walk = (pid: number): void => {
    for (const p of procs)
      if (p.ppid === pid && !found.has(p.pid)) {
        found.set(p.pid, p)
        walk(p.pid)
      }
  }
  walk(root)
  // The launcher shares its caller's group (the test runner's); its children each lead their own.
  const callers = procs.find((p) => p.pid === root)?.pgrp
  const groups = new Set([...found.values()].map((p) => p.pgrp).filter((g) => g !== callers))
  for (const p of procs) if (groups.has(p.pgrp) && p.pid !== root) found.set(p.pid, p)
  return [...found.values()]
}

/** Those of the given processes that still run (a zombie has ended; only its exit status is left). */
export const stillRunning = (procs: readonly ProcInfo[]): ProcInfo[] =>
  procs.filter((p) => {
    const now = readProc(p.pid)
    return now !== null && now.start === p.start && now.state !== 'Z'
  })

/** A fresh data folder and free ports for every part, as the variables the launcher reads. */
export interface Setup {
  readonly dataDir: string
  readonly env: Record<string, string>
  readonly ports: {
    service: number
    sip: number
    ws: number
    update: number
    web: number
    psap: number
    addressTest: number
  }
}

export async function freshSetup(): Promise<Setup> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dialtone-start-'))
  const [service, sip, ws, update, web, psap, addressTest, rtpengine, carrierA, carrierB, carrierIn] =
    (await freePorts(11)) as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number
    ]
  const ports = { service, sip, ws, update, web, psap, addressTest }
  return {
    dataDir,
    ports,
    env: {
      DIALTONE_DATA_DIR: dataDir,
      DIALTONE_SERVICE_PORT: String(ports.service),
      DIALTONE_SIP_PORT: String(ports.sip),
      DIALTONE_WS_PORT: String(ports.ws),
      DIALTONE_UPDATE_PORT: String(ports.update),
      DIALTONE_WEB_PORT: String(ports.web),
      // The media relay and simulated carriers (scripts/lib/stack-carriers.ts).
      DIALTONE_RTPENGINE_PORT: String(rtpengine),
      DIALTONE_CARRIER_A_PORT: String(carrierA),
      DIALTONE_CARRIER_B_PORT: String(carrierB),
      DIALTONE_CARRIER_IN_PORT: String(carrierIn),
      // A whole block: carriers A, B and the caller bind from the base at +0, +10 and +20 (scripts/lib/stack-carriers.ts).
      DIALTONE_CARRIER_MEDIA_PORT: String(await freePortBlock(22)),
      DIALTONE_PSAP_PORT: String(ports.psap),
      DIALTONE_ADDRESS_TEST_PORT: String(ports.addressTest),
      // The voicemail server's SIP port and its media ports (scripts/lib/stack-voicemail.ts): 20 a line for its 4
      // lines, a block checked free like the carriers', so two stacks started by test files running side by side
      // (start, dev-seeds) never share the default 32000 (one's voicemail lines failed to bind and its service
      // stopped by itself, in CI). Below the system's ephemeral range, as every port here: the block used to be
      // drawn from 52000-62900, inside that range, where any test's outgoing connection could hold one of its ports.
      DIALTONE_VOICEMAIL_PORT: String(await freePort()),
      DIALTONE_VOICEMAIL_RTP_PORT: String(await freePortBlock(80))
    }
  }
}
