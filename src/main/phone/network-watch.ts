/**
 * Says when this computer's network addresses change: Wi-Fi back, another network joined, a cable plugged in, a
 * VPN up or down. Node has no event for it (nor has Electron's main process), so the addresses are read every two
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

/**
 * Every address this computer has on a network, in one comparable string: loopback left out, and link-local ones
 * (169.254.x.x, fe80::) too, which an interface has without any network behind it (a cable with no DHCP server, a
 * virtual interface) and some systems add and drop all the time.
 */
export function addressesOf(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): string {
  return Object.entries(interfaces)
    .flatMap(([name, list]) =>
      (list ?? [])
        .filter((i) => !i.internal && !LINK_LOCAL.test(i.address))
        .map((i) => `${name} ${i.address}`)
    )
    .sort()
    .join('\n')
}

const LINK_LOCAL = /^(169\.254\.|fe[89ab][0-9a-f]:)/i

/**
 * Calls `onChange` after each change of the addresses, once they have held for two readings (a network coming up
 * adds its addresses one after another); returns the watch's stop. A reading the system refuses (some sandboxes)
 * changes nothing.
 */
export function watchNetwork(onChange: () => void, o: NetworkWatchOptions = {}): () => void {
  const read = (): string | null => {
    try {
      return addressesOf((o.interfaces ?? networkInterfaces)())
    } catch {
      return null
    }
  }
  let last = read() ?? ''
  let pending: string | null = null
  const timer = setInterval(() => {
    const now = read()
    if (now === null || now === last) {
      pending = null
      return
    }
    if (now !== pending) {
      pending = now
      return
    }
    last = now
    pending = null
    onChange()
  }, o.intervalMs ?? 2000)
  timer.unref()
  return () => clearInterval(timer)
}
