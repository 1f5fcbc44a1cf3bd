/**
 * The device list as the app shows it: enumerate on request, follow plug and unplug, and announce each
 * change with the new list. A USB stack failure is an error the person sees, never an empty list.
 */
import type { DeviceList, UsbDevice } from '../../shared/ipc/device'
import { DialtoneError } from '../../shared/ipc/errors'
import type { EventBus } from '../ipc/event-bus'
import type { Logger } from '../log/logger'
import type { UsbChange, UsbPort } from './usb-port'

export class DeviceService {
  private stopWatching: (() => void) | null = null

  constructor(
    private readonly usb: UsbPort,
    private readonly events: EventBus,
    private readonly log: Logger
  ) {}

  list(): DeviceList {
    return { devices: this.enumerate(), hotplug: this.hotplug() }
  }

  start(): void {
    if (this.stopWatching) return
    try {
      this.stopWatching = this.usb.watch((change, device) => this.onChange(change, device))
    } catch (err) {
      this.log.warn({ err }, 'USB hotplug unavailable; the list refreshes only on request')
    }
  }

  dispose(): void {
    this.stopWatching?.()
    this.stopWatching = null
  }

  private onChange(change: UsbChange, device: UsbDevice): void {
    this.log.info({ change, id: device.id, vid: device.vendorId, pid: device.productId }, 'usb change')
    let devices: UsbDevice[]
    try {
      devices = this.enumerate()
    } catch (err) {
      this.log.warn({ err }, 'could not re-list USB devices after a change')
      devices = []
    }
    this.events.emit('device.changed', { change, device, devices })
  }

  private enumerate(): UsbDevice[] {
    try {
      return this.usb.list()
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err)
      throw new DialtoneError('USB_ERROR', `the USB stack did not answer: ${detail}`)
    }
  }

  private hotplug(): boolean {
    try {
      return this.usb.hotplugSupported()
    } catch {
      return false
    }
  }
}
