/**
 * Free ports for the tests' servers, chosen below the system's ephemeral range (ip_local_port_range, 32768-60999
 * on Linux). A port the system picks for `listen(0)` comes from the same range it gives every outgoing connection:
 * between a test choosing it and its server binding it, another test's client (a PostgreSQL or Kamailio
 * connection) could take it, and a dev stack once failed with EADDRINUSE so. Below that range nobody gets a port
 * without asking. Each port is checked free for TCP and UDP on 127.0.0.1 (SIP uses both), is never handed out
 * twice by one process, and is claimed across processes: a port is handed out only once its claim file (in
 * CLAIMS, named by the port, holding the claiming process's pid) is made, so two test workers never get the same one.
 * Checking that a port is free is not enough: a server a test starts later binds it (a PSAP's sipp binds its port
 * at each call), and meanwhile another worker found it free and bound it first (CI: "Unable to bind main socket,
 * errno = 98" for the PSAP, and every call after it failed). A claim whose process is gone is taken over. The test
 * media relays' port ranges (test/support/rtpengine.ts) start at 32000, above these.
 */
import { mkdirSync, openSync, readFileSync, closeSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { alive } from '../../scripts/lib/preflight'
import { tcpPortFree, udpPortFree } from '../../src/server/port-check'

const LOW = 10_000
const HIGH = Math.min(30_000, ephemeralLow())
const handedOut = new Set<number>()
const CLAIMS = join(tmpdir(), 'dialtone-test-ports')

/** Claims `port` for this process across the machine's test processes; false if a live process holds it. */
function claim(port: number): boolean {
  mkdirSync(CLAIMS, { recursive: true })
  const file = join(CLAIMS, String(port))
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx')
      writeSync(fd, String(process.pid))
      closeSync(fd)
      return true
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      let holder = Number.NaN
      try {
        holder = Number(readFileSync(file, 'utf8'))
      } catch {
        // removed meanwhile: try again
      }
      if (Number.isInteger(holder) && holder > 0 && alive(holder)) return false
      // Its process is gone (or it was being written): take it over, once.
      if (attempt === 0) rmSync(file, { force: true })
    }
  }
  return false
}

// This process's claims go with it (a claim left by a killed process is taken over as above).
process.once('exit', () => {
  for (const port of handedOut) {
    try {
      if (Number(readFileSync(join(CLAIMS, String(port)), 'utf8')) === process.pid)
        rmSync(join(CLAIMS, String(port)), { force: true })
    } catch {
      // gone already
    }
  }
})

function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0])
    return Number.isInteger(low) && low > LOW + 1000 ? low : 30_000
  } catch {
    return 30_000
  }
}

export async function freePort(): Promise<number> {
  for (let tries = 0; tries < 500; tries++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW))
    if (handedOut.has(port)) continue
    if ((await tcpPortFree(port)) && (await udpPortFree(port)) && claim(port)) {
      handedOut.add(port)
      return port
    }
  }
  throw new Error(`no free port between ${LOW} and ${HIGH} after 500 tries`)
}

/**
 * A block of `size` consecutive ports, every one free for TCP and UDP and none handed out before, for a server that
 * binds from a base upwards (the simulated carriers' media: base, +10 and +20, two ports each). Checking only the
 * base let another stack's port land inside the block (CI: "UDP ... already in use" for the carriers' media).
 */
export async function freePortBlock(size: number): Promise<number> {
  for (let tries = 0; tries < 500; tries++) {
    const base = LOW + Math.floor(Math.random() * (HIGH - LOW - size))
    const block = Array.from({ length: size }, (_, i) => base + i)
    if (block.some((p) => handedOut.has(p))) continue
    let free = true
    for (const p of block) if (!((await tcpPortFree(p)) && (await udpPortFree(p)))) free = false
    if (free) {
      const claimed: number[] = []
      for (const p of block) if (claim(p)) claimed.push(p)
      for (const p of claimed) handedOut.add(p)
      if (claimed.length === size) return base
      // Part of the block is another process's: keep what was claimed out of use here, try another block.
    }
  }
  throw new Error(`no ${size} free ports in a row between ${LOW} and ${HIGH} after 500 tries`)
}

/** `n` distinct free ports. */
export async function freePorts(n: number): Promise<number[]> {
  const ports: number[] = []
  for (let i = 0; i < n; i++) ports.push(await freePort())
  return ports
}
