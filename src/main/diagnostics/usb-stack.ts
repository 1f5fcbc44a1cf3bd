/** Whether the USB stack itself works: the first question a technician asks before blaming a port. */
import type { UsbStack } from '../../shared/ipc/diagnostics'
import type { UsbPort } from '../device/usb-port'

export function inspectUsbStack(usb: UsbPort): UsbStack {
  try {
    const initError = usb.initError()
    if (initError) return { available: false, hotplug: false, error: initError }
    usb.list()
    return { available: true, hotplug: usb.hotplugSupported(), error: null }
  } catch (err) {
    return { available: false, hotplug: false, error: err instanceof Error ? err.message : String(err) }
  }
}
