/**
 * Hotplug: the USB watcher's attach and detach events, each turned into device.changed events as soon as its
 * facts are in, in three steps: 'attached' from the attach event's own device descriptor (a catalog model is known
 * by vendor and product alone), 'updated' once the configuration descriptor is read (declared power, interfaces),
 * and 'updated' with the state once the HID interface is matched and opened (ready) or refused (error). An unplug
 * at any point ends it: later steps see the device gone and add nothing. A rescan (started by a failing HID
 * handle) may have seen the same change first: each change is announced once.
 */
import type { UsbDevice } from '../../shared/ipc/device'
import { logFailure, type Logger } from '../log/logger'
import type { DeviceIdentifier } from './device-identifier'
import type { DeviceRecord } from './device-record'
import type { DeviceTable } from './device-table'
import { UNKNOWN_CONFIG, type UsbConfigFacts } from './usb-port'

const sameIds = (a: UsbDevice, b: UsbDevice): boolean =>
  a.vendorId === b.vendorId && a.productId === b.productId

export class Hotplug {
  /** Each port's latest attach event, until its detach: a later step of an older attach finds itself stale. */
  private readonly attaches = new Map<string, UsbDevice>()

  constructor(
    private readonly table: DeviceTable,
    private readonly identifier: DeviceIdentifier,
    private readonly log: Logger
  ) {}

  /**
   * An attach: the event carries the device, so there is no need to walk the whole bus again. It is announced at
   * once from the device descriptor the event carries; the configuration descriptor is read on the next turn of
   * the event loop (details), so nothing the announcement waits for is a read.
   */
  attached(device: UsbDevice, config: () => UsbConfigFacts): void {
    const table = this.table
    const listed = table.usbList.find((d) => d.id === device.id)
    // Until the read, keep what a rescan may already have read of the same device.
    const entry: UsbDevice =
      listed && sameIds(listed, device)
        ? {
            ...device,
            maxPowerMa: listed.maxPowerMa,
            selfPowered: listed.selfPowered,
            interfaceClasses: listed.interfaceClasses
          }
        : device
    table.usbList = [...table.usbList.filter((d) => d.id !== device.id), entry]
    this.attaches.set(device.id, entry)
    const known = table.records.get(device.id)
    if (known?.usb && sameIds(known.usb, device)) {
      this.later(entry, config, known, false) // identified by the rescan already: only the facts to refresh
      return
    }
    if (known) {
      void table
        .remove(known)
        .then(() => {
          if (this.attaches.get(entry.id) === entry)
            this.later(entry, config, this.identifier.announce(entry), true)
        })
        .catch(logFailure(this.log, 'remove'))
      return
    }
    // Not (yet) a phone: still announce it, so the USB view stays live.
    const record = this.identifier.announce(entry)
    if (!record && !listed) table.emit('attached', device.id)
    this.later(entry, config, record, true)
  }

  async detached(device: UsbDevice): Promise<void> {
    const table = this.table
    const wasListed = table.usbList.some((d) => d.id === device.id)
    table.usbList = table.usbList.filter((d) => d.id !== device.id)
    this.attaches.delete(device.id)
    const record = table.records.get(device.id)
    if (record?.usb) await table.remove(record)
    else if (wasListed) table.emit('detached', device.id)
  }

  /** The configuration facts on the next turn of the event loop, then the HID interface (identify). */
  private later(
    entry: UsbDevice,
    config: () => UsbConfigFacts,
    record: DeviceRecord | null,
    identify: boolean
  ): void {
    setImmediate(() => {
      const usb = this.details(entry, config, record)
      if (usb && identify) void this.identifier.identify(usb, record).catch(logFailure(this.log, 'consider'))
    })
  }

  /**
   * Reads the configuration descriptor of a device announced from its attach, unless it left (or was replaced)
   * since: then there is nothing to add and nothing to leave behind. Returns the device with its facts.
   */
  private details(
    entry: UsbDevice,
    config: () => UsbConfigFacts,
    record: DeviceRecord | null
  ): UsbDevice | null {
    const table = this.table
    try {
      const current = record === null || table.isCurrent(record)
      if (table.disposed || !current || this.attaches.get(entry.id) !== entry) return null
      const usb: UsbDevice = { ...entry, ...this.readConfig(config) }
      // The read is synchronous: nothing can have changed the lists while it ran. A list() since the attach
      // may have walked the bus (its entry is this device, read whole): either way, this is the device now.
      table.usbList = table.usbList.map((d) => (d.id === usb.id && sameIds(d, usb) ? usb : d))
      if (record) record.usb = usb
      table.emit('updated', usb.id)
      return usb
    } finally {
      record?.settleDetails()
    }
  }

  /** The port's reader should not throw; if one does, the facts stay unknown and identification goes on. */
  private readConfig(config: () => UsbConfigFacts): UsbConfigFacts {
    try {
      return config()
    } catch (err) {
      logFailure(this.log, 'reading the configuration descriptor')(err)
      return UNKNOWN_CONFIG
    }
  }
}
