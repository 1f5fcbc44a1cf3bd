/**
 * A UsbPort for machines without a USB bus, driven by the test: devices are plugged and unplugged by hand
 * and described by the real adapter's describeDevice from recorded descriptors. As the real adapter's, a change
 * carries the device without its configuration facts, which `config()` gives while the device is plugged in.
 */
import type { UsbDevice } from '../../src/shared/ipc/device'
import {
  UNKNOWN_CONFIG,
  type UsbChange,
  type UsbConfigFacts,
  type UsbPort
} from '../../src/main/device/usb-port'

export interface FakeUsb extends UsbPort {
  plug(device: UsbDevice): void
  unplug(id: string): void
  failWith(message: string | null): void
  watching(): number
}

export function fakeUsb(initial: UsbDevice[] = [], hotplug = true): FakeUsb {
  const devices = new Map(initial.map((d) => [d.id, d]))
  const listeners = new Set<(c: UsbChange, d: UsbDevice, config: () => UsbConfigFacts) => void>()
  let failure: string | null = null
  return {
    list() {
      if (failure) throw new Error(failure)
      return [...devices.values()]
    },
    hotplugSupported: () => hotplug,
    initError: () => null,
    hubPortStatus: async () => null,
    watch(listener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    plug(device) {
      devices.set(device.id, device)
      const { maxPowerMa, selfPowered, interfaceClasses } = device
      const config = (): UsbConfigFacts =>
        devices.get(device.id) === device ? { maxPowerMa, selfPowered, interfaceClasses } : UNKNOWN_CONFIG
      listeners.forEach((l) => l('attached', { ...device, ...UNKNOWN_CONFIG }, config))
    },
    unplug(id) {
      const device = devices.get(id)
      if (!device) throw new Error(`no device ${id}`)
      devices.delete(id)
      listeners.forEach((l) => l('detached', { ...device, ...UNKNOWN_CONFIG }, () => UNKNOWN_CONFIG))
    },
    failWith(message) {
      failure = message
    },
    watching: () => listeners.size
  }
}
