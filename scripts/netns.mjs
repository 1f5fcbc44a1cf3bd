#!/usr/bin/env node
/**
 * Runs a command in a new network namespace with only loopback up, so nothing it starts can reach or be
 * reached from a real network (WebRTC media tests: Chromium gathers candidates on every interface).
 * As root: `unshare -n`; otherwise a user namespace maps us to root for the network setup (`unshare -rn`).
 * It also gets a dead-end veth pair (both ends inside, TEST-NET-1 address, no route anywhere): baresip refuses
 * to register when it finds no non-loopback address at all, though all its SIP then goes to 127.0.0.1.
 * Usage: node scripts/netns.mjs <command> [args...]
 */
import { spawnSync } from 'node:child_process'

const [cmd, ...args] = process.argv.slice(2)
if (!cmd) {
  console.error('usage: node scripts/netns.mjs <command> [args...]')
  process.exit(2)
}
const asRoot = process.getuid?.() === 0
const quoted = [cmd, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ')
const r = spawnSync(
  'unshare',
  [
    asRoot ? '-n' : '-rn',
    'sh',
    '-c',
    `ip link set lo up && ip link add dt0 type veth peer name dt1 && ip addr add 192.0.2.10/32 dev dt0 && ip link set dt0 up && ip link set dt1 up && exec env DIALTONE_NETNS=loopback ${quoted}`
  ],
  { stdio: 'inherit' }
)
if (r.error) {
  console.error(
    `cannot create a network namespace: ${r.error.message} (needs util-linux's unshare and iproute2)`
  )
  process.exit(1)
}
process.exit(r.status ?? 1)
