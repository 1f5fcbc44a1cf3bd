/**
 * The device layer's one entry point: finds phone dongles on the USB bus at start and on hotplug, matches
 * each to its HID interface, reads its report descriptor, checks it may be opened, starts its driver, and
 * keeps a state per device (present -> identifying -> ready / in use / error -> gone). Everything above
 * talks to devices through this class and the contract; nothing above it sees bytes.
 *
 * A hotplug is announced in three device.changed events, each as soon as its facts are in: 'attached' from the
 * attach event's own device descriptor (a catalog model is known by vendor and product alone), 'updated' once
 * the configuration descriptor is read (declared power, interfaces), and 'updated' with the state once the HID
 * interface is matched and opened (ready) or refused (error). An unplug at any point ends it: later steps see
 * the device gone and add nothing.
 */
import {
  VIRTUAL_DEVICE_ID,
  type Device,
  type DeviceChanged,
  type DeviceList,
  type UsbDevice
} from '../../shared/ipc/device'
import { DialtoneError } from '../../shared/ipc/errors'
import {
  HidDescriptorError,
  parseHidDescriptor,
  type HidDescriptor
} from '../../shared/telephony/hid-descriptor'
import type { Indicator, PhoneKey } from '../../shared/telephony/hid-usages'
import type { EventBus } from '../ipc/event-bus'
import { logFailure, type Logger } from '../log/logger'
import { CATALOG, descriptorBytes, findModel, type CatalogModel } from './catalog'
import { HidTelephonyDriver } from './drivers/hid-telephony-driver'
import type { PhoneDriver } from './drivers/phone-driver'
import { type FirmwareAccess, firmwareAccess } from './drivers/firmware-access'
import { openFirmwareInterface } from './firmware-interface'
import { TigerJetDriver } from './drivers/tigerjet-driver'
import type { HidInterfaceInfo, HidPort } from './hid-port'
import { phoneInterfaceOf, type HidSystem } from './hid-system'
import { HID_CLASS, UNKNOWN_CONFIG, type UsbConfigFacts, type UsbPort } from './usb-port'
import { VIRTUAL_SERIAL, type VirtualFirmwareStore, VirtualTigerJet } from './virtual-tigerjet'

type State = Device['state']
type Problem = NonNullable<Device['problem']>

interface DeviceRecord {
  id: string
  usb: UsbDevice | null
  model: CatalogModel | null
  state: State
  hid: HidInterfaceInfo | null
  driver: PhoneDriver | null
  descriptorSource: Device['descriptorSource']
  problem: Problem | null
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

export interface DeviceManagerOptions {
  /** How long to wait for a new USB device's HID node to appear (udev creates it after the USB attach). */
  identifyTimeoutMs?: number
  pollMs?: number
  /** Where the virtual dongle keeps its firmware version between runs (the app's state); none: RAM only. */
  virtualFirmware?: VirtualFirmwareStore
}

export const PERMISSION_FIX =
  'Install Dialtone’s device rule (resources/udev/70-dialtone.rules) into /etc/udev/rules.d/, run ' +
  '`udevadm control --reload && udevadm trigger` as root, then unplug and replug the dongle. Setup does this for you.'

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

const sameIds = (a: UsbDevice, b: UsbDevice): boolean =>
  a.vendorId === b.vendorId && a.productId === b.productId

export class DeviceManager {
  private readonly records = new Map<string, DeviceRecord>()
  private usbList: UsbDevice[] = []
  /** Each port's latest attach event, until its detach: a later step of an older attach finds itself stale. */
  private readonly attaches = new Map<string, UsbDevice>()
  private virtual: VirtualTigerJet | null = null
  private stopWatching: (() => void) | null = null
  private readonly timeoutMs: number
  private readonly pollMs: number
  private readonly firmwareStore: VirtualFirmwareStore | null
  private disposed = false

  constructor(
    private readonly usb: UsbPort,
    private readonly hid: HidPort,
    private readonly system: HidSystem,
    private readonly events: EventBus,
    private readonly log: Logger,
    options: DeviceManagerOptions = {}
  ) {
    this.timeoutMs = options.identifyTimeoutMs ?? 5000
    this.pollMs = options.pollMs ?? 100
    this.firmwareStore = options.virtualFirmware ?? null
  }

  /** Watches hotplug and looks at what is plugged in already. */
  start(): void {
    if (this.stopWatching) return
    try {
      this.stopWatching = this.usb.watch((change, device, config) =>
        change === 'attached' ? this.onAttached(device, config) : void this.onDetached(device)
      )
    } catch (err) {
      this.log.warn({ err }, 'USB hotplug unavailable; devices are found only on refresh')
    }
    void this.rescan().catch(logFailure(this.log, 'rescan'))
  }

  async dispose(): Promise<void> {
    this.disposed = true
    this.stopWatching?.()
    this.stopWatching = null
    for (const r of this.records.values()) r.settleDetails()
    await Promise.all([...this.records.values()].map((r) => this.release(r)))
    this.records.clear()
  }

  list(): DeviceList {
    this.usbList = this.enumerate()
    return this.snapshot()
  }

  /**
   * A hotplug attach: the event carries the device, so there is no need to walk the whole bus again. It is
   * announced at once from the device descriptor the event carries; the configuration descriptor is read on the
   * next turn of the event loop (details), so nothing the announcement waits for is a read. A rescan (started by
   * a failing HID handle) may have seen the same change first: each change is announced once.
   */
  private onAttached(device: UsbDevice, config: () => UsbConfigFacts): void {
    const listed = this.usbList.find((d) => d.id === device.id)
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
    this.usbList = [...this.usbList.filter((d) => d.id !== device.id), entry]
    this.attaches.set(device.id, entry)
    const known = this.records.get(device.id)
    if (known?.usb && sameIds(known.usb, device)) {
      this.later(entry, config, known, false) // identified by the rescan already: only the facts to refresh
      return
    }
    if (known) {
      void this.remove(known)
        .then(() => {
          if (this.attaches.get(entry.id) === entry) this.later(entry, config, this.announce(entry), true)
        })
        .catch(logFailure(this.log, 'remove'))
      return
    }
    // Not (yet) a phone: still announce it, so the USB view stays live.
    const record = this.announce(entry)
    if (!record && !listed) this.emit('attached', device.id)
    this.later(entry, config, record, true)
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
      if (usb && identify) void this.identify(usb, record).catch(logFailure(this.log, 'consider'))
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
    try {
      const current = record === null || this.records.get(entry.id) === record
      if (this.disposed || !current || this.attaches.get(entry.id) !== entry) return null
      const usb: UsbDevice = { ...entry, ...this.readConfig(config) }
      // The read is synchronous: nothing can have changed the lists while it ran. A list() since the attach
      // may have walked the bus (its entry is this device, read whole): either way, this is the device now.
      this.usbList = this.usbList.map((d) => (d.id === usb.id && sameIds(d, usb) ? usb : d))
      if (record) record.usb = usb
      this.emit('updated', usb.id)
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

  private async onDetached(device: UsbDevice): Promise<void> {
    const wasListed = this.usbList.some((d) => d.id === device.id)
    this.usbList = this.usbList.filter((d) => d.id !== device.id)
    this.attaches.delete(device.id)
    const record = this.records.get(device.id)
    if (record?.usb) await this.remove(record)
    else if (wasListed) this.emit('detached', device.id)
  }

  /** Compares the bus with what is known: new dongles are identified, missing ones are let go. */
  async rescan(): Promise<void> {
    let usb: UsbDevice[]
    try {
      usb = this.enumerate()
    } catch (err) {
      this.log.warn({ err }, 'could not list USB devices')
      return
    }
    this.usbList = usb
    const present = new Set(usb.map((d) => d.id))
    for (const record of [...this.records.values()]) {
      if (record.usb && !present.has(record.id)) await this.remove(record)
    }
    for (const device of usb) {
      const known = this.records.get(device.id)
      if (known && known.usb?.vendorId === device.vendorId && known.usb.productId === device.productId)
        continue
      if (known) await this.remove(known)
      void this.consider(device).catch(logFailure(this.log, 'consider'))
    }
  }

  async ring(id: string, on: boolean): Promise<void> {
    const record = this.ready(id)
    await this.driverOf(record).ring(on)
    this.update(record, { line: { ...record.line, ringing: on } })
  }

  async indicator(id: string, name: Indicator, on: boolean): Promise<void> {
    await this.driverOf(this.ready(id)).indicator(name, on)
  }

  async linePower(id: string, on: boolean): Promise<void> {
    const record = this.ready(id)
    await this.driverOf(record).linePower(on)
    this.update(record, { line: { ...record.line, linePower: on } })
  }

  /** The phone layer marks a device busy during a call, and ready after. */
  setInUse(id: string, inUse: boolean): void {
    const record = this.ready(id)
    this.update(record, { state: inUse ? 'in-use' : 'ready' })
  }

  driverFor(id: string): PhoneDriver | null {
    return this.records.get(id)?.driver ?? null
  }

  // --- the virtual dongle ---

  async setVirtual(enabled: boolean): Promise<void> {
    if (enabled && !this.virtual) {
      const handle = new VirtualTigerJet(this.firmwareStore)
      this.virtual = handle
      const driver = new TigerJetDriver(handle, handle.descriptor)
      const record = this.newRecord(VIRTUAL_DEVICE_ID, null, findModel(0x06e6, 0xc200))
      record.settleDetails() // nothing to read: the virtual dongle's facts are the catalog's
      // Its flash is in hand (no protocol exchange, which the update step owns): the Device page shows the
      // version it runs from the start, not the USB release, also after a restart when no setup step reads it.
      record.firmwareVersion = handle.firmwareVersion
      // The virtual dongle speaks Dialtone's firmware protocol (firmware-protocol.ts), as the rig's gadget will.
      driver.firmware = this.observeFirmware(record, firmwareAccess(handle))
      record.driver = driver
      record.hid = null
      record.descriptorSource = 'virtual'
      record.state = 'ready'
      this.attachDriver(record, driver)
      record.cleanup.push(
        handle.onState((s) =>
          this.update(record, { line: { ...record.line, ringing: s.ringing, linePower: s.linePower } })
        )
      )
      this.records.set(VIRTUAL_DEVICE_ID, record)
      this.emit('attached', VIRTUAL_DEVICE_ID)
    } else if (!enabled && this.virtual) {
      this.virtual = null
      const record = this.records.get(VIRTUAL_DEVICE_ID)
      if (record) await this.remove(record)
    }
  }

  get virtualPresent(): boolean {
    return this.virtual !== null
  }

  virtualHandset(offHook: boolean): void {
    this.requireVirtual().setOffHook(offHook)
  }

  virtualPress(key: PhoneKey): void {
    this.requireVirtual().press(key)
  }

  virtualFlash(): void {
    this.requireVirtual().flash()
  }

  // --- identification ---

  /** A device whose facts are all known (a rescan's): announced, then identified. */
  private async consider(usb: UsbDevice): Promise<void> {
    const record = this.announce(usb)
    record?.settleDetails()
    await this.identify(usb, record)
  }

  /** A catalog model is a phone by vendor and product alone: it gets its record, announced as identifying. */
  private announce(usb: UsbDevice): DeviceRecord | null {
    const model = findModel(usb.vendorId, usb.productId)
    if (!model) return null
    const record = this.newRecord(usb.id, usb, model)
    record.state = 'identifying'
    this.records.set(usb.id, record)
    this.emit('attached', usb.id)
    return record
  }

  /** Matches the HID interface (an unknown device needs a HID Telephony one) and opens it. */
  private async identify(usb: UsbDevice, announced: DeviceRecord | null): Promise<void> {
    // Unknown devices count only when they expose a HID Telephony interface; keyboards and disks do not.
    if (!announced && !usb.interfaceClasses.includes(HID_CLASS)) return
    const record = announced ?? this.newRecord(usb.id, usb, null)
    const hid = await this.waitForHid(record)
    if (announced && this.records.get(usb.id) !== announced) return // unplugged meanwhile
    if (!hid) {
      if (announced)
        this.fail(record, {
          code: 'NO_HID_INTERFACE',
          message: 'the dongle shows no HID interface',
          fix: null
        })
      return
    }
    if (!announced) {
      if (this.records.has(usb.id) || !this.usbList.some((d) => d.id === usb.id)) return
      record.state = 'identifying'
      this.records.set(usb.id, record)
      this.emit('attached', usb.id)
    }
    record.hid = hid
    await this.open(record, hid)
  }

  /**
   * Settles once the device's configuration facts (declared power, interfaces) are in, or at once when there is
   * nothing to wait for: what reads the power (setup's power step) waits for it, the announcement does not.
   */
  detailed(id: string): Promise<void> {
    return this.records.get(id)?.detailed ?? Promise.resolve()
  }

  private async waitForHid(record: DeviceRecord): Promise<HidInterfaceInfo | null> {
    const deadline = Date.now() + this.timeoutMs
    for (;;) {
      const found = this.matchHid(record)
      if (found) return found
      if (Date.now() > deadline || this.disposed) return null
      await sleep(this.pollMs)
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
    let bytes = this.system.reportDescriptor(hid.path)
    record.descriptorSource = bytes ? 'sysfs' : null
    if (!bytes && record.model) {
      bytes = descriptorBytes(record.model)
      record.descriptorSource = 'catalog'
    }
    if (!bytes) {
      return this.fail(record, {
        code: 'DESCRIPTOR_UNREADABLE',
        message:
          'this system does not give the HID report descriptor and the catalog has none for this model',
        fix: null
      })
    }
    let descriptor: HidDescriptor
    try {
      descriptor = parseHidDescriptor(bytes)
    } catch (err) {
      const message = err instanceof HidDescriptorError ? err.message : String(err)
      return this.fail(record, { code: 'DESCRIPTOR_UNREADABLE', message, fix: null })
    }
    if (this.system.canOpen(hid.path) === false) {
      return this.fail(record, {
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
          ? new TigerJetDriver(handle, descriptor)
          : new HidTelephonyDriver(handle, descriptor)
      record.cleanup.push(
        handle.onError((err) => {
          this.log.info({ id: record.id, err: err.message }, 'device handle failed (unplugged?)')
          void this.rescan().catch(logFailure(this.log, 'rescan'))
        })
      )
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err)
      const permission = /permission|access/i.test(message)
      return this.fail(record, {
        code: permission ? 'PERMISSION_NEEDED' : 'OPEN_FAILED',
        message,
        fix: permission ? PERMISSION_FIX : null
      })
    }
    const fw = record.usb
      ? await openFirmwareInterface(record.usb, this.hid, this.system, this.log, {
          timeoutMs: Math.min(this.timeoutMs, 3000),
          pollMs: this.pollMs
        })
      : null
    if (this.records.get(record.id) !== record) {
      await fw?.close() // unplugged while opening
      await driver.close()
      return
    }
    if (fw) {
      driver.firmware = this.observeFirmware(record, fw.firmware)
      record.cleanup.push(() => void fw.close().catch(() => undefined))
    }
    record.driver = driver
    this.attachDriver(record, driver)
    // No firmware protocol: nothing to read, its version stays unknown (never the USB release in its place).
    const firmware = driver.firmware
    if (!firmware) record.firmwareChecking = false
    this.update(record, { state: 'ready' })
    if (!firmware) return
    // The version it runs, read once at plug-in (in turn with the setup's update step: observeFirmware), so the
    // Device page never shows the USB release (bcdDevice) as if it were the firmware.
    void firmware
      .version()
      .catch((err: unknown) =>
        this.log.info(
          { id: record.id, err: String(err) },
          'the firmware version could not be read at plug-in'
        )
      )
      .finally(() => this.firmwareChecked(record))
  }

  private firmwareChecked(record: DeviceRecord): void {
    if (!record.firmwareChecking) return
    record.firmwareChecking = false
    if (this.records.get(record.id) === record) this.emit('updated', record.id)
  }

  private attachDriver(record: DeviceRecord, driver: PhoneDriver): void {
    record.cleanup.push(
      driver.onEvent((event) => {
        if (event.type === 'hook') record.line = { ...record.line, offHook: event.offHook }
        if (event.type === 'mute') record.line = { ...record.line, muted: event.on }
        this.events.emit('device.phoneEvent', { deviceId: record.id, event })
        if (event.type === 'hook' || event.type === 'mute') this.emit('updated', record.id)
      })
    )
  }

  /**
   * Learns the firmware version from every read and write (the plug-in read, the setup's update step), so the
   * Device page shows the version the dongle runs, the same one the setup reported. The firmware protocol is one
   * command at a time: each operation (a read, a whole write, an attestation) waits for the one before it.
   */
  private observeFirmware(record: DeviceRecord, fw: FirmwareAccess): FirmwareAccess {
    const learn = (version: string): void => {
      if (this.records.get(record.id) !== record || record.firmwareVersion === version) return
      record.firmwareVersion = version
      this.emit('updated', record.id)
    }
    let last: Promise<unknown> = Promise.resolve()
    const inTurn = <T>(op: () => Promise<T>): Promise<T> => {
      const run = last.then(op, op)
      last = run.catch(() => undefined)
      return run
    }
    return {
      version: () =>
        inTurn(async () => {
          const version = await fw.version()
          learn(version)
          return version
        }),
      write: (image, version, onProgress) =>
        inTurn(async () => {
          await fw.write(image, version, onProgress)
          learn(version)
        }),
      attest: (challenge) => inTurn(() => fw.attest(challenge))
    }
  }

  // --- bookkeeping ---

  private newRecord(id: string, usb: UsbDevice | null, model: CatalogModel | null): DeviceRecord {
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

  private fail(record: DeviceRecord, problem: Problem): void {
    this.log.warn({ id: record.id, code: problem.code, message: problem.message }, 'device problem')
    if (this.records.get(record.id) !== record) return
    this.update(record, { state: 'error', problem })
  }

  private update(
    record: DeviceRecord,
    patch: Partial<Pick<DeviceRecord, 'state' | 'problem' | 'line'>>
  ): void {
    Object.assign(record, patch)
    if (this.records.get(record.id) === record) this.emit('updated', record.id)
  }

  private async remove(record: DeviceRecord): Promise<void> {
    this.records.delete(record.id)
    record.state = 'gone'
    record.settleDetails()
    // Announced before the driver's handle has closed: a replug of the same port announced meanwhile would
    // otherwise come before this detach.
    const released = this.release(record)
    this.emit('detached', record.id)
    await released
  }

  private async release(record: DeviceRecord): Promise<void> {
    for (const stop of record.cleanup.splice(0)) stop()
    const driver = record.driver
    record.driver = null
    await driver?.close().catch((err: unknown) => this.log.warn({ err }, 'closing a driver failed'))
  }

  private ready(id: string): DeviceRecord {
    const record = this.records.get(id)
    if (!record) throw new DialtoneError('NOT_FOUND', `no device '${id}'`, [], 'device-missing')
    if (record.state !== 'ready' && record.state !== 'in-use')
      throw new DialtoneError(
        'UNAVAILABLE',
        `device '${id}' is ${record.state}, not ready`,
        [],
        'device-not-ready'
      )
    return record
  }

  private driverOf(record: DeviceRecord): PhoneDriver {
    if (!record.driver)
      throw new DialtoneError('UNAVAILABLE', `device '${record.id}' has no driver running`, [], 'no-driver')
    return record.driver
  }

  private requireVirtual(): VirtualTigerJet {
    if (!this.virtual)
      throw new DialtoneError(
        'NOT_FOUND',
        'no virtual dongle: turn it on in Settings or start with --virtual-dongle',
        [],
        'no-virtual-dongle'
      )
    return this.virtual
  }

  private enumerate(): UsbDevice[] {
    try {
      return this.usb.list()
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err)
      throw new DialtoneError('USB_ERROR', `the USB stack did not answer: ${detail}`, [], 'usb-error')
    }
  }

  private hotplug(): boolean {
    try {
      return this.usb.hotplugSupported()
    } catch {
      return false
    }
  }

  private snapshot(): DeviceList {
    return {
      devices: [...this.records.values()].map((r) => this.toDevice(r)),
      usb: this.usbList,
      hotplug: this.hotplug()
    }
  }

  private emit(kind: DeviceChanged['change']['kind'], id: string): void {
    if (this.disposed) return
    this.events.emit('device.changed', { ...this.snapshot(), change: { kind, id } })
  }

  private toDevice(r: DeviceRecord): Device {
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
}
