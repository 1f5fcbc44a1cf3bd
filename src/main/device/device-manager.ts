/**
 * The device layer's one entry point: finds phone dongles on the USB bus at start and on hotplug, matches
 * each to its HID interface, reads its report descriptor, checks it may be opened, starts its driver, and
 * keeps a state per device (present -> identifying -> ready / in use / error -> gone). Everything above
 * talks to devices through this class and the contract; nothing above it sees bytes.
 *
 * The steps live in modules of their own, all working on one DeviceTable (device-table.ts, the state and the
 * device.changed events): hotplug.ts (attach and detach events), device-identifier.ts (from a USB device to a
 * running driver), firmware-version.ts (the version the dongle runs), virtual-dongle.ts (the dongle with no USB
 * under it). This class starts and stops them, walks the bus (rescan) and drives a ready device.
 */
import type { DeviceList, UsbDevice } from '../../shared/ipc/device'
import type { Indicator, PhoneKey } from '../../shared/telephony/hid-usages'
import type { EventBus } from '../ipc/event-bus'
import { logFailure, type Logger } from '../log/logger'
import { DeviceIdentifier } from './device-identifier'
import { DeviceTable } from './device-table'
import type { PhoneDriver } from './drivers/phone-driver'
import type { HidPort } from './hid-port'
import type { HidSystem } from './hid-system'
import { Hotplug } from './hotplug'
import type { UsbPort } from './usb-port'
import { VirtualDongle } from './virtual-dongle'
import type { VirtualFirmwareStore } from './virtual-tigerjet'

export interface DeviceManagerOptions {
  /** How long to wait for a new USB device's HID node to appear (udev creates it after the USB attach). */
  identifyTimeoutMs?: number
  pollMs?: number
  /** Where the virtual dongle keeps its firmware version between runs (the app's state); none: RAM only. */
  virtualFirmware?: VirtualFirmwareStore
}

export class DeviceManager {
  private readonly table: DeviceTable
  private readonly identifier: DeviceIdentifier
  private readonly hotplug: Hotplug
  private readonly virtual: VirtualDongle
  private stopWatching: (() => void) | null = null

  constructor(
    private readonly usb: UsbPort,
    hid: HidPort,
    system: HidSystem,
    events: EventBus,
    private readonly log: Logger,
    options: DeviceManagerOptions = {}
  ) {
    this.table = new DeviceTable(usb, events, log)
    const timing = { timeoutMs: options.identifyTimeoutMs ?? 5000, pollMs: options.pollMs ?? 100 }
    this.identifier = new DeviceIdentifier(this.table, hid, system, log, timing, () => {
      void this.rescan().catch(logFailure(this.log, 'rescan'))
    })
    this.hotplug = new Hotplug(this.table, this.identifier, log)
    this.virtual = new VirtualDongle(this.table, options.virtualFirmware ?? null)
  }

  /** Watches hotplug and looks at what is plugged in already. */
  start(): void {
    if (this.stopWatching) return
    try {
      this.stopWatching = this.usb.watch((change, device, config) =>
        change === 'attached' ? this.hotplug.attached(device, config) : void this.hotplug.detached(device)
      )
    } catch (err) {
      this.log.warn({ err }, 'USB hotplug unavailable; devices are found only on refresh')
    }
    void this.rescan().catch(logFailure(this.log, 'rescan'))
  }

  async dispose(): Promise<void> {
    const table = this.table
    table.disposed = true
    this.stopWatching?.()
    this.stopWatching = null
    for (const r of table.records.values()) r.settleDetails()
    await Promise.all([...table.records.values()].map((r) => table.release(r)))
    table.records.clear()
  }

  list(): DeviceList {
    this.table.usbList = this.table.enumerate()
    return this.table.snapshot()
  }

  /** Compares the bus with what is known: new dongles are identified, missing ones are let go. */
  async rescan(): Promise<void> {
    const table = this.table
    let usb: UsbDevice[]
    try {
      usb = table.enumerate()
    } catch (err) {
      this.log.warn({ err }, 'could not list USB devices')
      return
    }
    table.usbList = usb
    const present = new Set(usb.map((d) => d.id))
    for (const record of [...table.records.values()]) {
      if (record.usb && !present.has(record.id)) await table.remove(record)
    }
    for (const device of usb) {
      const known = table.records.get(device.id)
      if (known && known.usb?.vendorId === device.vendorId && known.usb.productId === device.productId)
        continue
      if (known) await table.remove(known)
      void this.identifier.consider(device).catch(logFailure(this.log, 'consider'))
    }
  }

  /**
   * Opens again each dongle that this user was not allowed to open, after the access rule was installed: a
   * rescan leaves known devices alone, and the rule's `udevadm trigger` announces no attach.
   */
  async reopenRefused(): Promise<void> {
    await Promise.all([...this.table.records.values()].map((r) => this.identifier.reopen(r)))
  }

  /**
   * Settles once the device's configuration facts (declared power, interfaces) are in, or at once when there is
   * nothing to wait for: what reads the power (setup's power step) waits for it, the announcement does not.
   */
  detailed(id: string): Promise<void> {
    return this.table.records.get(id)?.detailed ?? Promise.resolve()
  }

  async ring(id: string, on: boolean): Promise<void> {
    const record = this.table.ready(id)
    await this.table.driverOf(record).ring(on)
    this.table.update(record, { line: { ...record.line, ringing: on } })
  }

  async indicator(id: string, name: Indicator, on: boolean): Promise<void> {
    await this.table.driverOf(this.table.ready(id)).indicator(name, on)
  }

  async linePower(id: string, on: boolean): Promise<void> {
    const record = this.table.ready(id)
    await this.table.driverOf(record).linePower(on)
    this.table.update(record, { line: { ...record.line, linePower: on } })
  }

  /** The phone layer marks a device busy during a call, and ready after. */
  setInUse(id: string, inUse: boolean): void {
    const record = this.table.ready(id)
    this.table.update(record, { state: inUse ? 'in-use' : 'ready' })
  }

  driverFor(id: string): PhoneDriver | null {
    return this.table.records.get(id)?.driver ?? null
  }

  // --- the virtual dongle (virtual-dongle.ts) ---

  setVirtual(enabled: boolean): Promise<void> {
    return this.virtual.set(enabled)
  }

  get virtualPresent(): boolean {
    return this.virtual.present
  }

  virtualHandset(offHook: boolean): void {
    this.virtual.handset(offHook)
  }

  virtualPress(key: PhoneKey): void {
    this.virtual.press(key)
  }

  virtualFlash(): void {
    this.virtual.flash()
  }
}
