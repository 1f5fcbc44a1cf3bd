/**
 * CPU time spent by this process and by a PostgreSQL cluster's processes (the postmaster's children: backends,
 * WAL writer, checkpointer), in nanoseconds, for the billing benchmark's renewal cost. On a shared 2-core machine
 * the rates of a renewal and of a bare INSERT measured seconds apart swing with the other processes' load; the CPU
 * each one costs does much less, so the benchmark reports both. Linux only (/proc/<pid>/schedstat: time on CPU in
 * ns); elsewhere the database's share reads 0. Time a process waits for the disk (an fsync) is not CPU time.
 */
import { readFileSync, readdirSync } from 'node:fs'

const onCpu = (pid: number): number => {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0] ?? 0)
  } catch {
    return 0 // gone between the listing and the read, or not Linux
  }
}

const parentOf = (pid: string): number => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // "pid (comm) state ppid ...": comm may hold spaces, so read after its closing parenthesis.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
  } catch {
    return -1
  }
}

/** The postmaster's pid from one of its backends (each backend's parent is the postmaster). */
export const postmasterOf = (backendPid: number): number => parentOf(String(backendPid))

/** A reading: this process's CPU time and the cluster's (0 without a postmaster), in ns. */
export function cpuNow(postmaster?: number): { service: number; database: number } {
  let database = 0
  if (postmaster !== undefined) {
    database += onCpu(postmaster)
    let pids: string[] = []
    try {
      pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p))
    } catch {
      /* not Linux */
    }
    for (const p of pids) if (parentOf(p) === postmaster) database += onCpu(Number(p))
  }
  // All of this process's threads (V8's GC helpers too), microseconds to nanoseconds.
  const own = process.cpuUsage()
  return { service: (own.user + own.system) * 1000, database }
}
