/**
 * The addresses processes listen on, read from /proc (Linux): each process's socket inodes (/proc/<pid>/fd) matched
 * with the kernel's socket tables (/proc/net/tcp, tcp6, udp, udp6). For checking that a stack listens on loopback
 * only: TCP sockets in LISTEN, and bound UDP sockets that are not connected (UDP has no listen; such a one takes
 * datagrams from anyone who can reach its address). The tables are the reader's network namespace's, and the words
 * in them are read as little-endian (x86 and ARM as Linux runs them). Written by hand: no library reads /proc's
 * socket tables, and `ss` is not on every machine the tests run on.
 */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs'

export interface OpenSocket {
  readonly pid: number
  readonly proto: 'tcp' | 'tcp6' | 'udp' | 'udp6'
  readonly address: string
  readonly port: number
}

const LISTEN = '0A'
/** A UDP socket that is bound and not connected (TCP_CLOSE in the kernel's table): it takes datagrams from anyone. */
const UNCONNECTED = '07'

/** /proc/net's hex address (little-endian words) as text: 0100007F -> 127.0.0.1; IPv6 as eight groups. */
function addressOf(hex: string): string {
  const words = hex.match(/.{8}/g) ?? []
  const bytes = words.flatMap((w) => (w.match(/../g) ?? []).reverse().map((b) => parseInt(b, 16)))
  if (bytes.length === 4) return bytes.join('.')
  const groups: string[] = []
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16))
  return groups.join(':')
}

/** inode -> the socket's table, address and port, for the sockets that listen (TCP) or are bound (UDP). */
function socketTable(): Map<string, Omit<OpenSocket, 'pid'>> {
  const table = new Map<string, Omit<OpenSocket, 'pid'>>()
  for (const proto of ['tcp', 'tcp6', 'udp', 'udp6'] as const) {
    let text: string
    try {
      text = readFileSync(`/proc/net/${proto}`, 'utf8')
    } catch {
      continue // no IPv6 on this machine
    }
    for (const line of text.trim().split('\n').slice(1)) {
      const f = line.trim().split(/\s+/)
      const [local, state, inode] = [f[1] ?? '', f[3] ?? '', f[9] ?? '']
      if (state !== (proto.startsWith('tcp') ? LISTEN : UNCONNECTED)) continue
      const [hex = '', port = '0'] = local.split(':')
      table.set(inode, { proto, address: addressOf(hex), port: parseInt(port, 16) })
    }
  }
  return table
}

/** Every listening TCP and bound UDP socket the given processes hold (a process gone meanwhile holds none). */
export function openSockets(pids: readonly number[]): OpenSocket[] {
  const table = socketTable()
  const found: OpenSocket[] = []
  for (const pid of pids) {
    let fds: string[]
    try {
      fds = readdirSync(`/proc/${pid}/fd`)
    } catch {
      continue
    }
    for (const fd of fds) {
      let target: string
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`)
      } catch {
        continue
      }
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1]
      const socket = inode ? table.get(inode) : undefined
      if (socket) found.push({ pid, ...socket })
    }
  }
  return found
}

/** Whether an address is loopback: 127.0.0.0/8, ::1, or an IPv4-mapped loopback (::ffff:127.x.y.z). */
export const isLoopback = (address: string): boolean =>
  /^127\./.test(address) || address === '0:0:0:0:0:0:0:1' || /^0:0:0:0:0:ffff:7f[0-9a-f]{2}:/.test(address)
