/**
 * The dev stack's children: each in its own process group (Kamailio forks workers; killing only its main process
 * would orphan them), its output in a log file or passed through, and stopped together: SIGTERM to every group,
 * newest first, then SIGKILL to any group that still has a member after a grace period. A child that exits while
 * the stack is not stopping is reported once, through onUnexpectedExit.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs'
import { dirname } from 'node:path'

export interface Part {
  /** What a person calls it: "the account service". */
  readonly name: string
  readonly child: ChildProcess
  /** Where its output goes, or null when it is passed through to this terminal. */
  readonly log: string | null
  /** Resolves with the exit code (null when a signal ended it). */
  readonly exited: Promise<number | null>
}

export interface PartSpec {
  readonly name: string
  readonly cmd: string
  readonly args: readonly string[]
  readonly env?: NodeJS.ProcessEnv
  /** A log file, or 'inherit' to pass output through, or 'pipe' to read stdout here (stderr passes through). */
  readonly output: string
  /** A child that is meant to finish (the build): its exit is not a failure. */
  readonly finishes?: boolean
}

const groupAlive = (pid: number): boolean => {
  try {
    process.kill(-pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

const signalGroup = (pid: number, signal: NodeJS.Signals): void => {
  try {
    process.kill(-pid, signal)
  } catch {
    /* the group is gone */
  }
}

export class Children {
  private readonly parts: Part[] = []
  private stopping = false

  constructor(private readonly onUnexpectedExit: (part: Part, code: number | null) => void) {
    // Last resort if this process ends without stop() (an exception): nothing it started may outlive it.
    process.once('exit', () => {
      for (const p of this.parts) if (p.child.pid) signalGroup(p.child.pid, 'SIGKILL')
    })
  }

  get isStopping(): boolean {
    return this.stopping
  }

  start(spec: PartSpec): Part {
    if (this.stopping) throw new Error('the stack is stopping')
    let fd: number | null = null
    if (spec.output !== 'inherit' && spec.output !== 'pipe') {
      mkdirSync(dirname(spec.output), { recursive: true })
      fd = openSync(spec.output, 'a')
    }
    const stdio =
      fd !== null
        ? (['ignore', fd, fd] as const)
        : spec.output === 'pipe'
          ? (['ignore', 'pipe', 'inherit'] as const)
          : (['ignore', 'inherit', 'inherit'] as const)
    const child = spawn(spec.cmd, [...spec.args], {
      detached: true,
      stdio: [...stdio],
      env: { ...process.env, ...spec.env }
    })
    if (fd !== null) closeSync(fd)
    const exited = new Promise<number | null>((resolve) => {
      child.once('error', () => resolve(127)) // could not be started at all
      child.once('exit', (code) => resolve(code))
    })
    const part: Part = { name: spec.name, child, log: fd !== null ? spec.output : null, exited }
    this.parts.push(part)
    void exited.then((code) => {
      if (!this.stopping && !(spec.finishes && code === 0)) this.onUnexpectedExit(part, code)
    })
    return part
  }

  /**
   * Stops every child and every process in their groups; resolves when none is left, or with the pids of the
   * groups still alive 3 s after SIGKILL (a process stuck in the kernel: only the caller can say so).
   */
  async stop(graceMs = 5000): Promise<number[]> {
    this.stopping = true
    const pids = this.parts.map((p) => p.child.pid).filter((pid): pid is number => pid !== undefined)
    for (const pid of [...pids].reverse()) signalGroup(pid, 'SIGTERM')
    const deadline = Date.now() + graceMs
    while (pids.some(groupAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    for (const pid of pids.filter(groupAlive)) signalGroup(pid, 'SIGKILL')
    // SIGKILL cannot be refused; the wait is for the kernel and for Node to reap the leaders.
    const reaped = Date.now() + 3000
    while (pids.some(groupAlive) && Date.now() < reaped) await new Promise((r) => setTimeout(r, 20))
    return pids.filter(groupAlive)
  }
}

/** The last lines a part wrote to its log, to show when it stopped by itself. */
export function logTail(file: string, lines = 12): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
  } catch {
    return ''
  }
}
