/**
 * The seam between the device layer and the USB stack. The real adapter is libusb through the `usb` package
 * (usb-libusb.ts); tests that cannot reach a USB bus use a fake written from that package's recorded shapes,
 * and the QEMU rig runs the real adapter against the real kernel.
 */
import type { UsbDevice } from '../../shared/ipc/device'

export type UsbChange = 'attached' | 'detached'

export interface UsbPort {
  /** The devices present now. Throws when the USB stack fails (an empty bus is an empty list, not an error). */
  list(): UsbDevice[]
  /** Whether the OS reports plug/unplug by itself. */
  hotplugSupported(): boolean
  /** Why the USB stack could not be initialised, or null when it was. */
  initError(): string | null
  /** Starts watching; returns the function that stops watching (and lets the process exit). */
  watch(listener: (change: UsbChange, device: UsbDevice) => void): () => void
}
