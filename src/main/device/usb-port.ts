/**
 * The seam between the device layer and the USB stack. The real adapter is libusb through the `usb` package
 * (usb-libusb.ts); tests that cannot reach a USB bus use a fake written from that package's recorded shapes,
 * and the QEMU rig runs the real adapter against the real kernel.
 */
import type { UsbDevice } from '../../shared/ipc/device'

export type UsbChange = 'attached' | 'detached'

/** What only the active configuration descriptor says: declared power, self-powered, the interfaces' classes. */
export type UsbConfigFacts = Pick<UsbDevice, 'maxPowerMa' | 'selfPowered' | 'interfaceClasses'>

/** The configuration facts of a device whose configuration descriptor has not been (or could not be) read. */
export const UNKNOWN_CONFIG: UsbConfigFacts = { maxPowerMa: null, selfPowered: null, interfaceClasses: [] }

/** bInterfaceClass of a HID interface (USB class code 0x03). */
export const HID_CLASS = 3

export interface UsbPort {
  /** The devices present now. Throws when the USB stack fails (an empty bus is an empty list, not an error). */
  list(): UsbDevice[]
  /** Whether the OS reports plug/unplug by itself. */
  hotplugSupported(): boolean
  /** Why the USB stack could not be initialised, or null when it was. */
  initError(): string | null
  /**
   * The hub's own word on one of its ports (USB 2.0 §11.24.2.7 GET_STATUS, port recipient), or null where the OS
   * does not let this user open the hub (typical without root on Linux; always on Windows).
   */
  hubPortStatus(hubBus: number, hubPortPath: readonly number[], port: number): Promise<HubPortStatus | null>
  /**
   * Starts watching; returns the function that stops watching (and lets the process exit). A change carries the
   * device as its device descriptor and port say (what the OS hands over with the event, no reading): its
   * configuration facts are UNKNOWN_CONFIG, and `config()` reads them from the configuration descriptor when the
   * listener wants them (after an unplug it gives UNKNOWN_CONFIG). Reading it in the event itself would hold the
   * event, and everything announced from it, for the read.
   */
  watch(listener: (change: UsbChange, device: UsbDevice, config: () => UsbConfigFacts) => void): () => void
}

/** wPortStatus / wPortChange bits that matter for power (USB 2.0 table 11-21 and 11-22). */
export interface HubPortStatus {
  connected: boolean
  enabled: boolean
  suspended: boolean
  overCurrent: boolean
  powered: boolean
  /** C_PORT_OVER_CURRENT: an over-current happened since the change was last cleared. */
  overCurrentChanged: boolean
}

export function decodePortStatus(status: number, change: number): HubPortStatus {
  return {
    connected: (status & 0x0001) !== 0,
    enabled: (status & 0x0002) !== 0,
    suspended: (status & 0x0004) !== 0,
    overCurrent: (status & 0x0008) !== 0,
    powered: (status & 0x0100) !== 0,
    overCurrentChanged: (change & 0x0008) !== 0
  }
}
