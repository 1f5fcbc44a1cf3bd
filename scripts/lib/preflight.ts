/**
 * The dev stack's checks before it starts anything, each failing with one plain sentence (a StackError): Kamailio
 * is installed, no other copy runs from the same data folder (a lock file holding the owner's pid; a lock left by
 * a process that is gone is taken over), and every port is free. Checking first means a problem is said at once,
 * instead of a child dying half way through the start or a wait that never ends.
 */
import {
  accessSync,
  constants,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeSync,
  closeSync
} from 'node:fs'
import { createSocket } from 'node:dgram'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { PORTS, type PortKey, type StackConfig, StackError } from './stack-config'

export function checkKamailio(bin: string): void {
  try {
    accessSync(bin, constants.X_OK)
  } catch {
    throw new StackError(
      `Kamailio, the SIP server, is not installed (nothing to run at ${bin}): run \`bash scripts/setup.sh\`, which installs it.`
    )
  }
}

const alive = (pid: number): boolean => {
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

/** One stack per data folder: the lock file holds the running copy's pid and command. */
export function takeLock(dir: string, command: string): StackLock {
  mkdirSync(dir, { recursive: true })
  const path = join(dir, 'stack.lock')
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
        }
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
    let owner: { pid?: unknown; command?: unknown } = {}
    try {
      owner = JSON.parse(readFileSync(path, 'utf8')) as typeof owner
    } catch {
      /* unreadable: left half-written by a copy that died; taken over below */
    }
    if (typeof owner.pid === 'number' && owner.pid !== process.pid && alive(owner.pid))
      throw new StackError(
        `Dialtone is already running from ${dir} (\`${String(owner.command ?? 'npm start')}\`, process ${owner.pid}): use that one, or stop it first.`
      )
    rmSync(path, { force: true }) // stale: its process is gone
  }
  throw new StackError(`Another copy of Dialtone keeps taking the lock ${path}; stop it first.`)
}

function tcpFree(port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'))
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(null)))
  })
}

function udpFree(port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4')
    socket.once('error', (err: NodeJS.ErrnoException) => {
      socket.close()
      resolve(err.code ?? 'error')
    })
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(null)))
  })
}

/** Every port the stack will listen on (the web host's only when it runs), checked together: one sentence for all. */
export async function checkPorts(config: StackConfig, keys: readonly PortKey[]): Promise<void> {
  const busy: string[] = []
  const variables: string[] = []
  for (const p of PORTS.filter((q) => keys.includes(q.key))) {
    const port = config.ports[p.key]
    const problem = await (p.proto === 'udp' ? udpFree(port) : tcpFree(port))
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
