/**
 * What the device layer keeps per device (DeviceRecord), how a record starts, and the Device a record shows to
 * everything above (toDevice). Kept apart from the manager so the shape of a device's facts, and how each fact
 * falls back when it is not known yet, read in one place.
 */
import type { Device, UsbDevice } from '../../shared/ipc/device'
import { CATALOG, type CatalogModel } from './catalog'
import type { PhoneDriver } from './drivers/phone-driver'
import type { HidInterfaceInfo } from './hid-port'
import { HID_CLASS } from './usb-port'
import { VIRTUAL_SERIAL } from './virtual-tigerjet'

export type DeviceProblem = NonNullable<Device['problem']>

export interface DeviceRecord {
  id: string
  usb: UsbDevice | null
  model: CatalogModel | null
  state: Device['state']
  hid: HidInterfaceInfo | null
  driver: PhoneDriver | null
  descriptorSource: Device['descriptorSource']
  problem: DeviceProblem | null
  line: Device['line']
  /** What the dongle last reported over the firmware protocol (firmwareVersion in Device). */
  firmwareVersion: string | null
  /** Its firmware version is being read (a real dongle, from plug-in until the first read has answered or not). */
  firmwareChecking: boolean
  cleanup: (() => void)[]
  /** Settles once the configuration facts are in (or the device left first); see DeviceManager.detailed. */
  detailed: Promise<void>
  settleDetails: () => void
}

/** A record just found: present, nothing opened; usb null is the virtual dongle. */
export function newRecord(id: string, usb: UsbDevice | null, model: CatalogModel | null): DeviceRecord {
  let settleDetails = (): void => undefined
  const detailed = new Promise<void>((resolve) => (settleDetails = resolve))
  return {
    detailed,
    settleDetails,
    id,
    usb,
    model,
    state: 'present',
    hid: null,
    driver: null,
    descriptorSource: null,
    problem: null,
    line: { offHook: false, ringing: false, linePower: false, muted: false },
    firmwareVersion: null,
    firmwareChecking: usb !== null,
    cleanup: []
  }
}

export function toDevice(r: DeviceRecord): Device {
  const generic = CATALOG.generic
  const usb = r.usb
  const classes = usb?.interfaceClasses ?? []
  return {
    id: r.id,
    state: r.state,
    virtual: r.usb === null,
    model: r.model
      ? { id: r.model.id, name: r.model.name, maker: r.model.maker, picture: r.model.picture, known: true }
      : {
          id: generic.id,
          name: r.hid?.product ?? generic.name,
          maker: r.hid?.manufacturer ?? null,
          picture: generic.picture,
          known: false
        },
    vendorId: usb?.vendorId ?? 0x06e6,
    productId: usb?.productId ?? 0xc200,
    serial: r.hid?.serialNumber ?? (r.usb === null ? VIRTUAL_SERIAL : null),
    firmware: usb?.release ?? '0.08',
    firmwareVersion: r.firmwareVersion,
    firmwareChecking:
      r.firmwareChecking && r.firmwareVersion === null && r.state !== 'error' && r.state !== 'gone',
    // A hotplugged catalog model is announced before its configuration is read: until then, the catalog's.
    interfaces:
      usb && (classes.length > 0 || !r.model)
        ? {
            audio: classes.includes(1),
            hidTelephony: r.hid !== null || classes.includes(HID_CLASS),
            storage: classes.includes(8)
          }
        : { ...(r.model?.interfaces ?? { audio: false, hidTelephony: true, storage: false }) },
    power: {
      declaredMa: usb?.maxPowerMa ?? null,
      selfPowered: usb?.selfPowered ?? null,
      needMa: r.model?.powerNeedMa ?? null
    },
    driver: r.driver?.name ?? null,
    capabilities: r.driver ? r.driver.capabilities : null,
    descriptorSource: r.descriptorSource,
    line: r.line,
    problem: r.problem
  }
}
