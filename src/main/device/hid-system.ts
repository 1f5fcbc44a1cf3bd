/**
 * What the OS can tell about a HID interface beyond node-hid: which USB device (port id) it belongs to, its
 * report descriptor, and whether this user may open it. On Linux all three come from sysfs and the /dev node
 * (node-hid has no getReportDescriptor); elsewhere they are unknown and the catalog's stored descriptor and
 * vid/pid matching stand in.
 */
import { accessSync, constants, readFileSync, realpathSync } from 'node:fs'
import { basename, join } from 'node:path'
import { PAGE } from '../../shared/telephony/hid-usages'
import { FIRMWARE_USAGE, FIRMWARE_USAGE_PAGE } from './drivers/firmware-protocol'
import type { HidInterfaceInfo } from './hid-port'

export interface HidSystem {
  /** 'sysfs' when this system can read descriptors itself. */
  readonly descriptorSource: 'sysfs' | null
  usbIdOf(hidPath: string): string | null
  reportDescriptor(hidPath: string): Uint8Array | null
  /** true / false when known, null when the OS gives no way to tell before opening. */
  canOpen(hidPath: string): boolean | null
}

/** The USB port id in a sysfs device path: the last '1-1.4'-like segment before the interface ('1-1.4:1.0'). */
export function usbIdFromSysfsPath(path: string): string | null {
  const segments = path.split('/')
  for (let i = segments.length - 1; i >= 0; i--) {
    const s = segments[i] ?? ''
    if (/^\d+-[\d.]+$/.test(s)) return s
  }
  return null
}

export function linuxHidSystem(sysRoot = '/sys'): HidSystem {
  const deviceDir = (hidPath: string): string => join(sysRoot, 'class/hidraw', basename(hidPath), 'device')
  return {
    descriptorSource: 'sysfs',
    usbIdOf(hidPath) {
      try {
        return usbIdFromSysfsPath(realpathSync(deviceDir(hidPath)))
      } catch {
        return null
      }
    },
    reportDescriptor(hidPath) {
      try {
        return Uint8Array.from(readFileSync(join(deviceDir(hidPath), 'report_descriptor')))
      } catch {
        return null
      }
    },
    canOpen(hidPath) {
      try {
        accessSync(hidPath, constants.R_OK | constants.W_OK)
        return true
      } catch {
        return false
      }
    }
  }
}

export const opaqueHidSystem: HidSystem = {
  descriptorSource: null,
  usbIdOf: () => null,
  reportDescriptor: () => null,
  canOpen: () => null
}

export const hidSystemFor = (platform: string): HidSystem =>
  platform === 'linux' ? linuxHidSystem() : opaqueHidSystem

/**
 * The HID interface that makes a USB device a phone: same ids, on the same port where the OS can tell, the
 * Telephony collection first (a dongle may also expose Consumer). A catalog model may fall back to its first
 * HID interface; an unknown device counts only with a Telephony one.
 */
/** The HID interfaces of one USB device: same ids, and on the same port where the OS can tell. */
export function interfacesOf(
  usb: { id: string; vendorId: number; productId: number },
  hid: readonly HidInterfaceInfo[],
  system: HidSystem
): HidInterfaceInfo[] {
  return hid.filter((h) => {
    if (h.vendorId !== usb.vendorId || h.productId !== usb.productId) return false
    const owner = system.usbIdOf(h.path)
    return owner === null || owner === usb.id
  })
}

export function phoneInterfaceOf(
  usb: { id: string; vendorId: number; productId: number },
  hid: readonly HidInterfaceInfo[],
  system: HidSystem,
  known: boolean
): HidInterfaceInfo | null {
  const mine = interfacesOf(usb, hid, system).filter((h) => !isFirmwareInterface(h))
  return mine.find((h) => h.usagePage === PAGE.telephony) ?? (known ? (mine[0] ?? null) : null)
}

export const isFirmwareInterface = (h: HidInterfaceInfo): boolean =>
  h.usagePage === FIRMWARE_USAGE_PAGE && h.usage === FIRMWARE_USAGE
