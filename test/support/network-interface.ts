/** An address as `os.networkInterfaces()` lists it, for tests that hand the app the computer's addresses. */
import type { NetworkInterfaceInfo } from 'node:os'

export const nic = (address: string, internal = false): NetworkInterfaceInfo =>
  ({
    address,
    netmask: address.includes(':') ? 'ffff:ffff:ffff:ffff::' : '255.255.255.0',
    family: address.includes(':') ? 'IPv6' : 'IPv4',
    mac: '02:00:00:00:00:01',
    internal,
    cidr: null,
    ...(address.includes(':') ? { scopeid: 0 } : {})
  }) as NetworkInterfaceInfo
