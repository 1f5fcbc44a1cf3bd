/**
 * UsbPort over libusb, via the `usb` package pinned to 2.18: only 2.x exposes port paths, the configuration
 * descriptor (bMaxPower) and getDeviceList (3.x is a WebUSB-only rewrite). Reading descriptors needs no open
 * handle on Linux, so listing works without the udev rule; opening the device is the device layer's business.
 */
import { createRequire } from 'node:module'
import type * as usbTypes from 'usb'
import type { Device } from 'usb'
import type { UsbDevice } from '../../shared/ipc/device'
import {
  decodePortStatus,
  UNKNOWN_CONFIG,
  type HubPortStatus,
  type UsbChange,
  type UsbConfigFacts,
  type UsbPort
} from './usb-port'

type UsbModule = typeof usbTypes

/** The package is CommonJS with a native addon; load it lazily so a broken install fails one command, not startup. */
function loadUsb(): UsbModule {
  return createRequire(import.meta.url)('usb') as UsbModule
}

/** bcdDevice 0x0123 -> '1.23': the BCD release as vendors print it. */
export function formatBcd(bcd: number): string {
  const major = (bcd >> 8) & 0xff
  const minor = bcd & 0xff
  return `${major.toString(16)}.${minor.toString(16).padStart(2, '0')}`
}

/** Linux's name for a device position: bus and port chain ('1-1.4'); a root hub is 'usbN'. */
export function portId(busNumber: number, portPath: readonly number[]): string {
  return portPath.length === 0 ? `usb${busNumber}` : `${busNumber}-${portPath.join('.')}`
}

/** bMaxPower is in 2 mA units at USB 2 speeds and 8 mA units for SuperSpeed (USB 3.2 spec, 9.6.3). */
export function maxPowerMa(bMaxPower: number, bcdUSB: number): number {
  return bMaxPower * (bcdUSB >= 0x0300 ? 8 : 2)
}

/** A device as its device descriptor and port say: nothing is read from it (libusb has these at the attach). */
export function identifyDevice(device: Device): UsbDevice {
  const d = device.deviceDescriptor
  let portPath: number[]
  try {
    portPath = [...(device.portNumbers ?? [])]
  } catch {
    portPath = []
  }
  return {
    id: portId(device.busNumber, portPath),
    busNumber: device.busNumber,
    deviceAddress: device.deviceAddress,
    portPath,
    vendorId: d.idVendor,
    productId: d.idProduct,
    deviceClass: d.bDeviceClass,
    release: formatBcd(d.bcdDevice),
    ...UNKNOWN_CONFIG
  }
}

/** The active configuration descriptor's facts (libusb reads which configuration is active from sysfs). */
export function configFacts(device: Device): UsbConfigFacts {
  try {
    const config = device.configDescriptor
    if (!config) return UNKNOWN_CONFIG
    return {
      maxPowerMa: maxPowerMa(config.bMaxPower, device.deviceDescriptor.bcdUSB),
      selfPowered: (config.bmAttributes & 0x40) !== 0,
      interfaceClasses: (config.interfaces ?? []).map((alts) => alts[0]?.bInterfaceClass ?? 0)
    }
  } catch {
    // Some platforms refuse the active configuration of a device without a driver; the fields stay unknown.
    return UNKNOWN_CONFIG
  }
}

export const describeDevice = (device: Device): UsbDevice => ({
  ...identifyDevice(device),
  ...configFacts(device)
})

export function createLibusbPort(load: () => UsbModule = loadUsb): UsbPort {
  let mod: UsbModule | undefined
  const usb = (): UsbModule => (mod ??= load())
  return {
    list: () => usb().getDeviceList().map(describeDevice),
    hotplugSupported: () => usb().usb._supportedHotplugEvents(),
    initError: () => {
      try {
        const err = usb().usb.INIT_ERROR
        return err ? `libusb could not start (error ${err})` : null
      } catch (e) {
        return e instanceof Error ? e.message : String(e)
      }
    },
    async hubPortStatus(hubBus, hubPortPath, port): Promise<HubPortStatus | null> {
      const hub = usb()
        .getDeviceList()
        .find(
          (d) =>
            d.busNumber === hubBus &&
            (d.portNumbers ?? []).join('.') === hubPortPath.join('.') &&
            d.deviceDescriptor.bDeviceClass === 9
        )
      if (!hub) return null
      try {
        hub.open(false)
      } catch {
        return null // no permission to open the hub: the sysfs facts stand alone
      }
      try {
        // bmRequestType 0xA3: device-to-host, class, other (port); bRequest 0 GET_STATUS; wIndex = port.
        const data = await new Promise<Buffer>((resolve, reject) =>
          hub.controlTransfer(0xa3, 0x00, 0, port, 4, (err, buf) =>
            err || !Buffer.isBuffer(buf) ? reject(err) : resolve(buf)
          )
        )
        return data.length >= 4 ? decodePortStatus(data.readUInt16LE(0), data.readUInt16LE(2)) : null
      } catch {
        return null
      } finally {
        hub.close()
      }
    },
    watch(listener) {
      const u = usb().usb
      // The event's own facts only: the configuration descriptor is read when (and if) the listener asks.
      const onAttach = (device: Device): void =>
        listener('attached' satisfies UsbChange, identifyDevice(device), () => configFacts(device))
      const onDetach = (device: Device): void =>
        listener('detached' satisfies UsbChange, identifyDevice(device), () => UNKNOWN_CONFIG)
      u.on('attach', onAttach)
      u.on('detach', onDetach)
      return () => {
        u.off('attach', onAttach)
        u.off('detach', onDetach)
      }
    }
  }
}
