/**
 * A real rtpengine for tests: userspace (--table=-1), on loopback, its own ng control port and media port range,
 * in its own process group so stopping it (or the test process exiting) leaves nothing behind. calls() asks it
 * over the ng protocol which calls it still holds, for the "nothing left allocated" checks.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { RTPENGINE_BIN, ngCommand, rtpengineArgs, rtpengineCalls } from '../../scripts/lib/rtpengine'
import { freePort } from './postgres'
import { exitOnSignals } from './exit-on-signal'

export interface Rtpengine {
  readonly ngPort: number
  /** Kamailio's rtpengine_sock for it. */
  readonly sock: string
  calls(): Promise<string[]>
  readonly output: () => string
  stop(): Promise<void>
}

export async function startRtpengine(): Promise<Rtpengine> {
  if (!existsSync(RTPENGINE_BIN))
    throw new Error(
      'rtpengine is not installed (apt-get install rtpengine-daemon); scripts/setup.sh installs it'
    )
  const ngPort = await freePort()
  // A range of its own per file (files run one after another, but a leftover must never be shared).
  const portMin = 32000 + (ngPort % 200) * 100
  const proc = spawn(RTPENGINE_BIN, rtpengineArgs({ ngPort, portMin, portMax: portMin + 99 }), {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let log = ''
  proc.stdout?.on('data', (d: Buffer) => (log += d.toString()))
  proc.stderr?.on('data', (d: Buffer) => (log += d.toString()))
  const kill = (signal: NodeJS.Signals) => {
    try {
      if (proc.pid) process.kill(-proc.pid, signal)
    } catch {
      /* gone */
    }
  }
  const onExit = () => kill('SIGKILL')
  process.once('exit', onExit)
  exitOnSignals()
  const deadline = Date.now() + 10_000
  for (;;) {
    try {
      if ((await ngCommand(ngPort, { command: 'ping' }, 300)).result === 'pong') break
    } catch {
      if (proc.exitCode !== null || Date.now() > deadline) {
        kill('SIGKILL')
        throw new Error(`rtpengine did not start:\n${log}`)
      }
    }
  }
  return {
    ngPort,
    sock: `udp:127.0.0.1:${ngPort}`,
    calls: () => rtpengineCalls(ngPort),
    output: () => log,
    async stop() {
      const exited = new Promise((r) => (proc.exitCode !== null ? r(null) : proc.once('exit', r)))
      kill('SIGTERM')
      const timeout = new Promise((r) => setTimeout(r, 3000, 'timeout'))
      if ((await Promise.race([exited, timeout])) === 'timeout') kill('SIGKILL')
      process.off('exit', onExit)
    }
  }
}
