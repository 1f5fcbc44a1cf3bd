/** The network watch: which addresses count, and one call per change of them. */
import type { NetworkInterfaceInfo } from 'node:os'
import { describe, expect, it } from 'vitest'
import { addressesOf, watchNetwork } from '../../../src/main/phone/network-watch'
import { hasNetwork } from '../../../src/main/phone/line-problem'
import { nic } from '../../support/network-interface'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('the network watch', () => {
  it('reads every address but loopback and link-local, in one order whatever the system lists first', () => {
    const lo = { lo: [nic('127.0.0.1', true), nic('::1', true)] }
    expect(addressesOf(lo)).toBe('')
    expect(hasNetwork(lo)).toBe(false)
    const a = { ...lo, wlan0: [nic('192.168.1.20'), nic('fe80::1')], eth0: [nic('10.0.0.5')] }
    const b = { eth0: [nic('10.0.0.5')], wlan0: [nic('fe80::1'), nic('192.168.1.20')], ...lo }
    expect(addressesOf(a)).toBe('eth0 10.0.0.5\nwlan0 192.168.1.20')
    expect(addressesOf(b)).toBe(addressesOf(a))
    expect(hasNetwork(a)).toBe(true)
    // A cable with no DHCP server behind it: addresses, but no network.
    expect(hasNetwork({ ...lo, eth0: [nic('169.254.10.3'), nic('fe80::a00:27ff:fe4e:66a1')] })).toBe(false)
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
    // One reading that differs (an address on its way) or that the system refused is not a change.
    const stable = now
    let reading = 0
    const flicker = watchNetwork(() => changes++, {
      intervalMs: 10,
      interfaces: () => {
        reading++
        if (reading === 2) return { wlan0: [nic('192.168.1.99')] }
        if (reading === 3) throw new Error('uv_interface_addresses returned Unknown system error 97')
        return stable
      }
    })
    await sleep(60)
    flicker()
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
