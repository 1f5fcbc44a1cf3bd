/**
 * The device layer's state: the phones it keeps a record of, the USB devices it last saw on the bus, and the one
 * place a device.changed event is sent from. Every step of the manager (hotplug, identification, the virtual
 * dongle) changes a device through here, so each change is announced with the whole list as it now is, and a
 * record that has left (removed, or replaced by a replug of the same port) is never announced again.
 */
import type { DeviceChanged, DeviceList, UsbDevice } from '../../shared/ipc/device'
import { DialtoneError } from '../../shared/ipc/errors'
import type { EventBus } from '../ipc/event-bus'
import type { Logger } from '../log/logger'
import { type DeviceProblem, type DeviceRecord, toDevice } from './device-record'
import type { PhoneDriver } from './drivers/phone-driver'
import type { UsbPort } from './usb-port'

export class DeviceTable {
  readonly records = new Map<string, DeviceRecord>()
  usbList: UsbDevice[] = []
  /** Set by the manager's dispose: nothing is announced after it. */
  disposed = false

  constructor(
    private readonly usb: UsbPort,
    private readonly events: EventBus,
    private readonly log: Logger
  ) {}

  /** The record is still the one kept for its id (not removed, not replaced by a replug). */
  isCurrent(record: DeviceRecord): boolean {
    return this.records.get(record.id) === record
  }

  /** The devices on the bus now, as a DialtoneError when the USB stack does not answer. */
  enumerate(): UsbDevice[] {
    try {
      return this.usb.list()
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err)
      throw new DialtoneError('USB_ERROR', `the USB stack did not answer: ${detail}`, [], 'usb-error')
    }
  }

  snapshot(): DeviceList {
    return {
      devices: [...this.records.values()].map(toDevice),
      usb: this.usbList,
      hotplug: this.hotplug()
    }
  }

  emit(kind: DeviceChanged['change']['kind'], id: string): void {
    if (this.disposed) return
    this.events.emit('device.changed', { ...this.snapshot(), change: { kind, id } })
  }

  update(record: DeviceRecord, patch: Partial<Pick<DeviceRecord, 'state' | 'problem' | 'line'>>): void {
    Object.assign(record, patch)
    if (this.isCurrent(record)) this.emit('updated', record.id)
  }

  fail(record: DeviceRecord, problem: DeviceProblem): void {
    this.log.warn({ id: record.id, code: problem.code, message: problem.message }, 'device problem')
    if (!this.isCurrent(record)) return
    this.update(record, { state: 'error', problem })
  }

  async remove(record: DeviceRecord): Promise<void> {
    this.records.delete(record.id)
    record.state = 'gone'
    record.settleDetails()
    // Announced before the driver's handle has closed: a replug of the same port announced meanwhile would
    // otherwise come before this detach.
    const released = this.release(record)
    this.emit('detached', record.id)
    await released
  }

  async release(record: DeviceRecord): Promise<void> {
    for (const stop of record.cleanup.splice(0)) stop()
    const driver = record.driver
    record.driver = null
    await driver?.close().catch((err: unknown) => this.log.warn({ err }, 'closing a driver failed'))
  }

  /** Follows the driver's hook and mute in the record, and passes its events on to the phone layer. */
  attachDriver(record: DeviceRecord, driver: PhoneDriver): void {
    record.cleanup.push(
      driver.onEvent((event) => {
        if (event.type === 'hook') record.line = { ...record.line, offHook: event.offHook }
        if (event.type === 'mute') record.line = { ...record.line, muted: event.on }
        this.events.emit('device.phoneEvent', { deviceId: record.id, event })
        if (event.type === 'hook' || event.type === 'mute') this.emit('updated', record.id)
      })
    )
  }

  /** The record of a device that may be driven now (ready, or in use by a call). */
  ready(id: string): DeviceRecord {
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

  driverOf(record: DeviceRecord): PhoneDriver {
    if (!record.driver)
      throw new DialtoneError('UNAVAILABLE', `device '${record.id}' has no driver running`, [], 'no-driver')
    return record.driver
  }

  private hotplug(): boolean {
    try {
      return this.usb.hotplugSupported()
    } catch {
      return false
    }
  }
}
