/**
 * Finds and opens a dongle's firmware interface (firmware-protocol.ts: a HID interface of its own, vendor page
 * 0xFF00 usage 0xF1) beside its phone interface. udev makes each interface's hidraw node on its own, so when the
 * USB configuration shows more HID interfaces than the one already open, this waits (a few seconds at most) until
 * every one has its node, then decides; a dongle without the interface simply has no firmware capability.
 */
import type { Logger } from '../log/logger'
import { type FirmwareAccess, firmwareAccess } from './drivers/firmware-access'
import type { HidInterfaceInfo, HidPort } from './hid-port'
import { type HidSystem, interfacesOf, isFirmwareInterface } from './hid-system'
import { HID_CLASS } from './usb-port'
import type { UsbDevice } from '../../shared/ipc/device'

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

export interface OpenFirmware {
  readonly firmware: FirmwareAccess
  close(): Promise<void>
}

export async function openFirmwareInterface(
  usb: UsbDevice,
  hid: HidPort,
  system: HidSystem,
  log: Logger,
  wait: { timeoutMs: number; pollMs: number }
): Promise<OpenFirmware | null> {
  const hidCount = usb.interfaceClasses.filter((c) => c === HID_CLASS).length
  if (hidCount < 2) return null
  const deadline = Date.now() + wait.timeoutMs
  for (;;) {
    let mine: HidInterfaceInfo[] = []
    try {
      mine = interfacesOf(usb, hid.list(), system)
    } catch (err) {
      log.warn({ err }, 'could not list HID devices')
    }
    const found = mine.find(isFirmwareInterface)
    if (found) {
      try {
        const handle = await hid.open(found.path)
        // Always listened to: node-hid throws an 'error' nobody hears (an unplug between two commands).
        handle.onError((err) =>
          log.info({ id: usb.id, err: err.message }, 'firmware interface gone (unplugged?)')
        )
        return { firmware: firmwareAccess(handle, { via: 'interface' }), close: () => handle.close() }
      } catch (err) {
        log.warn({ id: usb.id, err }, 'the firmware interface would not open; firmware updates are off')
        return null
      }
    }
    // node-hid lists a node once per top-level collection: count nodes, not entries.
    if (new Set(mine.map((h) => h.path)).size >= hidCount || Date.now() > deadline) return null
    await sleep(wait.pollMs)
  }
}
