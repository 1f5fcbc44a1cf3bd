/**
 * Says when this computer's network addresses change: Wi-Fi back, another network joined, a cable plugged in, a
 * VPN up or down. Node has no event for it (nor has Electron's main process), so the addresses are read every few
 * seconds (`os.networkInterfaces()`, a system call that costs microseconds) and compared.
 *
 * Why the line needs it: after the network comes back, a line waiting out its back-off (up to 36 s) retries at
 * once, and a connection that looks up is asked at once whether it still works (the heartbeat's ping): one made
 * from an address that is gone is dead, and nothing else says so before the next ping.
 */
import { type NetworkInterfaceInfo, networkInterfaces } from 'node:os'

export type Interfaces = () => NodeJS.Dict<NetworkInterfaceInfo[]>

export interface NetworkWatchOptions {
  readonly intervalMs?: number
  /** Where the addresses are read (tests pass their own). */
  readonly interfaces?: Interfaces
}

/** Every address this computer has on a network, loopback left out, in one comparable string. */
export function addressesOf(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): string {
  return Object.entries(interfaces)
    .flatMap(([name, list]) => (list ?? []).filter((i) => !i.internal).map((i) => `${name} ${i.address}`))
    .sort()
    .join('\n')
}

/** Calls `onChange` after each change of the addresses; returns the watch's stop. */
export function watchNetwork(onChange: () => void, o: NetworkWatchOptions = {}): () => void {
  const read = o.interfaces ?? networkInterfaces
  let last = addressesOf(read())
  const timer = setInterval(() => {
    const now = addressesOf(read())
    if (now === last) return
    last = now
    onChange()
  }, o.intervalMs ?? 2000)
  timer.unref()
  return () => clearInterval(timer)
}
