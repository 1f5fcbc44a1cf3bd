/** The network watch: which addresses count, and one call per change of them. */
import type { NetworkInterfaceInfo } from 'node:os'
import { describe, expect, it } from 'vitest'
import { addressesOf, watchNetwork } from '../../../src/main/phone/network-watch'
import { hasNetwork } from '../../../src/main/phone/line-problem'

const nic = (address: string, internal = false): NetworkInterfaceInfo =>
  ({
    address,
    netmask: '255.255.255.0',
    family: address.includes(':') ? 'IPv6' : 'IPv4',
    mac: '00:00:00:00:00:00',
    internal,
    cidr: null,
    ...(address.includes(':') ? { scopeid: 0 } : {})
  }) as NetworkInterfaceInfo
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('the network watch', () => {
  it('reads every address but loopback, in one order whatever the system lists first', () => {
    const lo = { lo: [nic('127.0.0.1', true), nic('::1', true)] }
    expect(addressesOf(lo)).toBe('')
    expect(hasNetwork(lo)).toBe(false)
    const a = { ...lo, wlan0: [nic('192.168.1.20'), nic('fe80::1')], eth0: [nic('10.0.0.5')] }
    const b = { eth0: [nic('10.0.0.5')], wlan0: [nic('fe80::1'), nic('192.168.1.20')], ...lo }
    expect(addressesOf(a)).toBe('eth0 10.0.0.5\nwlan0 192.168.1.20\nwlan0 fe80::1')
    expect(addressesOf(b)).toBe(addressesOf(a))
    expect(hasNetwork(a)).toBe(true)
  })

  it('says each change once (Wi-Fi gone, back, another network), and nothing after it is stopped', async () => {
    let now: NodeJS.Dict<NetworkInterfaceInfo[]> = { wlan0: [nic('192.168.1.20')] }
    let changes = 0
    const stop = watchNetwork(() => changes++, { intervalMs: 10, interfaces: () => now })
    await sleep(60)
    expect(changes).toBe(0)
    now = {}
    await sleep(60)
    expect(changes).toBe(1)
    now = { wlan0: [nic('192.168.1.20')] }
    await sleep(60)
    now = { wlan0: [nic('172.16.4.9')] }
    await sleep(60)
    expect(changes).toBe(3)
    stop()
    now = {}
    await sleep(60)
    expect(changes).toBe(3)
  })
})
