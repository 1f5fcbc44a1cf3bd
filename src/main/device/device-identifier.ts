/**
 * Identification: from a USB device to a running phone driver. A catalog model is a phone by vendor and product
 * alone and is announced at once; an unknown device counts only once it shows a HID Telephony interface. Then
 * its report descriptor is read (sysfs, else the catalog's), the user's right to open it checked, the driver
 * started, the firmware interface opened beside it and the firmware version read. Each refusal leaves the device
 * in error with a problem that says why (and how to fix it, when this user can).
 */
import type { Device, UsbDevice } from '../../shared/ipc/device'
import {
  HidDescriptorError,
  parseHidDescriptor,
  type HidDescriptor
} from '../../shared/telephony/hid-descriptor'
import type { Logger } from '../log/logger'
import { descriptorBytes, findModel, type CatalogModel } from './catalog'
import { type DeviceProblem, type DeviceRecord, newRecord } from './device-record'
import type { DeviceTable } from './device-table'
import { HidTelephonyDriver } from './drivers/hid-telephony-driver'
import { TigerJetDriver } from './drivers/tigerjet-driver'
import { openFirmwareInterface } from './firmware-interface'
import { observeFirmware, readFirmwareAtPlugIn } from './firmware-version'
import type { HidInterfaceInfo, HidPort } from './hid-port'
import { phoneInterfaceOf, type HidSystem } from './hid-system'
import { HID_CLASS } from './usb-port'

export const PERMISSION_FIX =
  'Install Dialtone’s device rule (resources/udev/70-dialtone.rules) into /etc/udev/rules.d/, run ' +
  '`udevadm control --reload && udevadm trigger` as root, then unplug and replug the dongle. Setup does this for you.'

export interface IdentifyTiming {
  /** How long to wait for a new USB device's HID node to appear (udev creates it after the USB attach). */
  readonly timeoutMs: number
  readonly pollMs: number
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/**
 * The report descriptor of a HID interface: sysfs's, else the catalog model's, or the problem when neither is
 * there or it does not parse. Where the bytes came from is kept either way (the Device page shows it).
 */
function reportDescriptor(
  system: HidSystem,
  path: string,
  model: CatalogModel | null
): { source: Device['descriptorSource'] } & ({ descriptor: HidDescriptor } | { problem: DeviceProblem }) {
  let bytes = system.reportDescriptor(path)
  let source: Device['descriptorSource'] = bytes ? 'sysfs' : null
  if (!bytes && model) {
    bytes = descriptorBytes(model)
    source = 'catalog'
  }
  if (!bytes) {
    const message =
      'this system does not give the HID report descriptor and the catalog has none for this model'
    return { source, problem: { code: 'DESCRIPTOR_UNREADABLE', message, fix: null } }
  }
  try {
    return { source, descriptor: parseHidDescriptor(bytes) }
  } catch (err) {
    const message = err instanceof HidDescriptorError ? err.message : String(err)
    return { source, problem: { code: 'DESCRIPTOR_UNREADABLE', message, fix: null } }
  }
}

export class DeviceIdentifier {
  constructor(
    private readonly table: DeviceTable,
    private readonly hid: HidPort,
    private readonly system: HidSystem,
    private readonly log: Logger,
    private readonly timing: IdentifyTiming,
    /** Looks at the bus again (a failing HID handle usually means the dongle was unplugged). */
    private readonly rescan: () => void
  ) {}

  /** A device whose facts are all known (a rescan's): announced, then identified. */
  async consider(usb: UsbDevice): Promise<void> {
    const record = this.announce(usb)
    record?.settleDetails()
    await this.identify(usb, record)
  }

  /** A catalog model is a phone by vendor and product alone: it gets its record, announced as identifying. */
  announce(usb: UsbDevice): DeviceRecord | null {
    const model = findModel(usb.vendorId, usb.productId)
    if (!model) return null
    const record = newRecord(usb.id, usb, model)
    record.state = 'identifying'
    this.table.records.set(usb.id, record)
    this.table.emit('attached', usb.id)
    return record
  }

  /** Matches the HID interface (an unknown device needs a HID Telephony one) and opens it. */
  async identify(usb: UsbDevice, announced: DeviceRecord | null): Promise<void> {
    // Unknown devices count only when they expose a HID Telephony interface; keyboards and disks do not.
    if (!announced && !usb.interfaceClasses.includes(HID_CLASS)) return
    const record = announced ?? newRecord(usb.id, usb, null)
    const hid = await this.waitForHid(record)
    if (announced && !this.table.isCurrent(announced)) return // unplugged meanwhile
    if (!hid) {
      if (announced)
        this.table.fail(record, {
          code: 'NO_HID_INTERFACE',
          message: 'the dongle shows no HID interface',
          fix: null
        })
      return
    }
    if (!announced) {
      if (this.table.records.has(usb.id) || !this.table.usbList.some((d) => d.id === usb.id)) return
      record.state = 'identifying'
      this.table.records.set(usb.id, record)
      this.table.emit('attached', usb.id)
    }
    record.hid = hid
    await this.open(record, hid)
  }

  /**
   * Opens again a dongle that was refused for want of permission, where it stays plugged in: once the access rule
   * is in place (`udevadm trigger` changes the node's mode, it sends no new attach), this is what replaces
   * unplugging and plugging it back in. Anything else in error is left as it is.
   */
  async reopen(record: DeviceRecord): Promise<void> {
    if (record.state !== 'error' || record.problem?.code !== 'PERMISSION_NEEDED') return
    // The node may have been made anew by the trigger: look for it again, else try the one seen before.
    const hid = this.matchHid(record) ?? record.hid
    if (!hid) return
    record.hid = hid
    this.table.update(record, { state: 'identifying', problem: null })
    await this.open(record, hid)
  }

  private async waitForHid(record: DeviceRecord): Promise<HidInterfaceInfo | null> {
    const deadline = Date.now() + this.timing.timeoutMs
    for (;;) {
      const found = this.matchHid(record)
      if (found) return found
      if (Date.now() > deadline || this.table.disposed) return null
      await sleep(this.timing.pollMs)
    }
  }

  private matchHid(record: DeviceRecord): HidInterfaceInfo | null {
    const usb = record.usb
    if (!usb) return null
    try {
      return phoneInterfaceOf(usb, this.hid.list(), this.system, record.model !== null)
    } catch (err) {
      this.log.warn({ err }, 'could not list HID devices')
      return null
    }
  }

  private async open(record: DeviceRecord, hid: HidInterfaceInfo): Promise<void> {
    const read = reportDescriptor(this.system, hid.path, record.model)
    record.descriptorSource = read.source
    if ('problem' in read) return this.table.fail(record, read.problem)
    if (this.system.canOpen(hid.path) === false) {
      return this.table.fail(record, {
        code: 'PERMISSION_NEEDED',
        message: `this user may not open ${hid.path}`,
        fix: PERMISSION_FIX
      })
    }
    let driver: HidTelephonyDriver
    try {
      const handle = await this.hid.open(hid.path)
      driver =
        record.model?.driver === 'tigerjet'
          ? new TigerJetDriver(handle, read.descriptor)
          : new HidTelephonyDriver(handle, read.descriptor)
      record.cleanup.push(
        handle.onError((err) => {
          this.log.info({ id: record.id, err: err.message }, 'device handle failed (unplugged?)')
          this.rescan()
        })
      )
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err)
      const permission = /permission|access/i.test(message)
      return this.table.fail(record, {
        code: permission ? 'PERMISSION_NEEDED' : 'OPEN_FAILED',
        message,
        fix: permission ? PERMISSION_FIX : null
      })
    }
    const fw = record.usb
      ? await openFirmwareInterface(record.usb, this.hid, this.system, this.log, {
          timeoutMs: Math.min(this.timing.timeoutMs, 3000),
          pollMs: this.timing.pollMs
        })
      : null
    if (!this.table.isCurrent(record)) {
      await fw?.close() // unplugged while opening
      await driver.close()
      return
    }
    if (fw) {
      driver.firmware = observeFirmware(this.table, record, fw.firmware)
      record.cleanup.push(() => void fw.close().catch(() => undefined))
    }
    record.driver = driver
    this.table.attachDriver(record, driver)
    // No firmware protocol: nothing to read, its version stays unknown (never the USB release in its place).
    const firmware = driver.firmware
    if (!firmware) record.firmwareChecking = false
    this.table.update(record, { state: 'ready' })
    // The version it runs, read once at plug-in, so the Device page never shows the USB release as the firmware.
    if (firmware) readFirmwareAtPlugIn(this.table, record, firmware, this.log)
  }
}
