/**
 * The dev stack's checks before it starts anything, each failing with one plain sentence (a StackError): Kamailio
 * is installed, no other copy runs from the same data folder (a lock file holding the owner's pid; a lock left by
 * a process that is gone is taken over), and every port is free. Checking first means a problem is said at once,
 * instead of a child dying half way through the start or a wait that never ends; quickChecks runs them before the
 * start scripts load the rest of the stack.
 */
import {
  accessSync,
  constants,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  rmdirSync,
  writeSync,
  closeSync
} from 'node:fs'
import { dirname, join } from 'node:path'
import { tcpPortProblem, udpPortProblem } from '../../src/server/port-check'
import { PORTS, type PortKey, type StackConfig, StackError, readStackConfig } from './stack-config'

export function checkKamailio(bin: string): void {
  try {
    accessSync(bin, constants.X_OK)
  } catch {
    throw new StackError(
      `Kamailio, the SIP server, is not installed (nothing to run at ${bin}): run \`bash scripts/setup.sh\`, which installs it.`
    )
  }
}

/** Whether a process with this pid is running (one of another user's counts: EPERM). */
export const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export interface StackLock {
  readonly path: string
  release(): void
}

/** The copy of the stack running from this data folder, if any (reads the lock, creates nothing). */
function runningCopy(dir: string): { pid: number; command: string } | null {
  let owner: { pid?: unknown; command?: unknown } = {}
  try {
    owner = JSON.parse(readFileSync(join(dir, 'stack.lock'), 'utf8')) as typeof owner
  } catch {
    return null // no lock, or one left half-written by a copy that died
  }
  return typeof owner.pid === 'number' && owner.pid !== process.pid && alive(owner.pid)
    ? { pid: owner.pid, command: String(owner.command ?? 'npm start') }
    : null
}

const alreadyRunning = (dir: string, owner: { pid: number; command: string }) =>
  new StackError(
    `Dialtone is already running from ${dir} (\`${owner.command}\`, process ${owner.pid}): use that one, or stop it first.`
  )

/**
 * The checks that need only this file and stack-config.ts, for the start scripts to run before they load the rest
 * of the stack (seconds of TypeScript on a busy machine): Kamailio installed, no copy running from this data
 * folder, and every port but the web host's (checked later, when the web host is chosen) free. Creates nothing.
 */
export async function quickChecks(config: StackConfig): Promise<void> {
  checkKamailio(config.kamailioBin)
  const owner = runningCopy(config.serviceDataDir)
  if (owner) throw alreadyRunning(config.serviceDataDir, owner)
  await checkPorts(
    config,
    PORTS.map((p) => p.key).filter((k) => k !== 'web')
  )
}

/** quickChecks on the environment's configuration for a start script: the refusal's sentence, or null. */
export async function refusalBeforeStart(): Promise<string | null> {
  try {
    await quickChecks(readStackConfig())
    return null
  } catch (err) {
    if (err instanceof StackError) return err.message
    throw err
  }
}

/**
 * One stack per data folder: the lock file holds the running copy's pid and command. Releasing it also removes
 * the folders taking it created, when they are still empty: a start refused after the lock leaves nothing behind.
 */
export function takeLock(dir: string, command: string): StackLock {
  const created = mkdirSync(dir, { recursive: true })
  const path = join(dir, 'stack.lock')
  const removeCreated = () => {
    if (!created) return
    for (let d = dir; d.length >= created.length; d = dirname(d))
      try {
        rmdirSync(d) // only an empty folder; one the stack wrote into stays
      } catch {
        return
      }
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600)
      writeSync(fd, JSON.stringify({ pid: process.pid, command }))
      closeSync(fd)
      return {
        path,
        release() {
          try {
            if ((JSON.parse(readFileSync(path, 'utf8')) as { pid?: number }).pid === process.pid) rmSync(path)
          } catch {
            /* already gone */
          }
          removeCreated()
        }
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
    const owner = runningCopy(dir)
    if (owner) throw alreadyRunning(dir, owner)
    rmSync(path, { force: true }) // stale (its process is gone) or unreadable (left half-written): taken over
  }
  throw new StackError(`Another copy of Dialtone keeps taking the lock ${path}; stop it first.`)
}

/** Every port the stack will listen on (the web host's only when it runs), checked together: one sentence for all. */
export async function checkPorts(config: StackConfig, keys: readonly PortKey[]): Promise<void> {
  const busy: string[] = []
  const variables: string[] = []
  for (const p of PORTS.filter((q) => keys.includes(q.key))) {
    const port = config.ports[p.key]
    const problem = await (p.proto === 'udp' ? udpPortProblem(port) : tcpPortProblem(port))
    if (!problem) continue
    busy.push(`${port} (${p.name}${problem === 'EADDRINUSE' ? '' : `: ${problem}`})`)
    variables.push(p.variable)
  }
  if (busy.length === 0) return
  const one = busy.length === 1
  throw new StackError(
    `${one ? 'Port' : 'Ports'} ${busy.join(', ')} ${one ? 'is' : 'are'} already in use on 127.0.0.1: stop the program using ${one ? 'it' : 'them'}, or choose another with ${variables.join(', ')}.`
  )
}
