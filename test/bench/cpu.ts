/**
 * CPU time per process, from /proc (Linux), for the load and scale benchmarks: how much of the machine's two cores
 * went to the service, PostgreSQL, HAProxy and the load clients during a phase, and to everything else on the
 * machine (other people's work on a shared host). Read before and after a phase; the difference is the phase's.
 * Why: on two cores the processes under test and their peers share the CPU, so a throughput figure means little
 * without what each part used; the scale benchmark derives from it the most two processes could reach here.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { cpus } from 'node:os'

/** Clock ticks per second (`getconf CLK_TCK`, 100 on Linux). */
const TICKS = 100

/** user + system CPU seconds of a process (or a thread: /proc/<pid>/task/<tid>, /proc/thread-self); 0 if gone. */
export function cpuSecondsOf(procPath: string): number {
  try {
    const stat = readFileSync(`${procPath}/stat`, 'utf8')
    // Fields after the command's closing parenthesis: state is the first, utime the 12th, stime the 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / TICKS
  } catch {
    return 0
  }
}

/** A process and its descendants (PostgreSQL's backends are children of the postmaster). */
export function processTree(root: number): number[] {
  const parentOf = new Map<number, number>()
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      parentOf.set(Number(name), ppid)
    } catch {
      // gone meanwhile
    }
  }
  const tree = [root]
  for (let i = 0; i < tree.length; i++)
    for (const [pid, ppid] of parentOf) if (ppid === tree[i] && !tree.includes(pid)) tree.push(pid)
  return tree
}

/** The whole machine's busy CPU seconds (every core, everything but idle and iowait), from /proc/stat. */
export function machineBusySeconds(): number {
  const [, ...v] = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/)
  const n = v.map(Number)
  // user nice system idle iowait irq softirq steal (guest time is already in user)
  return ((n[0] ?? 0) + (n[1] ?? 0) + (n[2] ?? 0) + (n[5] ?? 0) + (n[6] ?? 0) + (n[7] ?? 0)) / TICKS
}

export const CORES = cpus().length

/**
 * A meter over named groups of processes: `start()` reads them, `stop()` returns each group's CPU seconds over the
 * interval, the machine's busy seconds, and the rest (work on the machine outside the groups). The groups' pids
 * (and, for trees, their descendants) are read at both ends: a process that starts inside the interval counts
 * whole, one that ends inside it is missed (the benches keep their pools open, so PostgreSQL's backends stay).
 */
export function cpuMeter(groups: Record<string, () => number[]>, extra: Record<string, () => number> = {}) {
  const read = () => {
    const byGroup: Record<string, Map<number, number>> = {}
    for (const [name, pids] of Object.entries(groups))
      byGroup[name] = new Map(pids().map((pid) => [pid, cpuSecondsOf(`/proc/${pid}`)]))
    return { byGroup, extra: Object.fromEntries(Object.entries(extra).map(([k, f]) => [k, f()])) }
  }
  let before = read()
  let machine0 = machineBusySeconds()
  let t0 = performance.now()
  return {
    start() {
      before = read()
      machine0 = machineBusySeconds()
      t0 = performance.now()
    },
    stop(): { seconds: number; cpuSeconds: Record<string, number>; machineBusy: number; others: number } {
      const after = read()
      const machineBusy = machineBusySeconds() - machine0
      const cpuSeconds: Record<string, number> = {}
      for (const [name, now] of Object.entries(after.byGroup)) {
        let s = 0
        for (const [pid, c] of now) s += c - (before.byGroup[name]?.get(pid) ?? 0)
        cpuSeconds[name] = +s.toFixed(2)
      }
      for (const [name, v] of Object.entries(after.extra))
        cpuSeconds[name] = +(v - (before.extra[name] ?? 0)).toFixed(2)
      const ours = Object.values(cpuSeconds).reduce((a, b) => a + b, 0)
      return {
        seconds: +((performance.now() - t0) / 1000).toFixed(1),
        cpuSeconds,
        machineBusy: +machineBusy.toFixed(2),
        others: +Math.max(0, machineBusy - ours).toFixed(2)
      }
    }
  }
}

/** The process whose command line has `<program>` ... `-p <port>` (a PostgreSQL postmaster, by its port). */
export function pidByPort(program: string, port: number): number {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const args = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0')
      const p = args.indexOf('-p')
      if ((args[0] ?? '').endsWith(program) && p >= 0 && args[p + 1] === String(port)) return Number(name)
    } catch {
      // gone meanwhile
    }
  }
  return 0
}
