/**
 * The virtual dongle as a device: turned on from Settings or --virtual-dongle, it gets a record like a plugged-in
 * TigerJet (catalog model, TigerJet driver, firmware protocol) with no USB or HID under it, and the screen's
 * handset, keys and flash stand in for a real phone's.
 */
import { VIRTUAL_DEVICE_ID } from '../../shared/ipc/device'
import { DialtoneError } from '../../shared/ipc/errors'
import type { PhoneKey } from '../../shared/telephony/hid-usages'
import { findModel } from './catalog'
import { newRecord } from './device-record'
import type { DeviceTable } from './device-table'
import { firmwareAccess } from './drivers/firmware-access'
import { TigerJetDriver } from './drivers/tigerjet-driver'
import { observeFirmware } from './firmware-version'
import { type VirtualFirmwareStore, VirtualTigerJet } from './virtual-tigerjet'

export class VirtualDongle {
  private virtual: VirtualTigerJet | null = null

  constructor(
    private readonly table: DeviceTable,
    /** Where the virtual dongle keeps its firmware version between runs (the app's state); null: RAM only. */
    private readonly firmwareStore: VirtualFirmwareStore | null
  ) {}

  get present(): boolean {
    return this.virtual !== null
  }

  async set(enabled: boolean): Promise<void> {
    const table = this.table
    if (enabled && !this.virtual) {
      const handle = new VirtualTigerJet(this.firmwareStore)
      this.virtual = handle
      const driver = new TigerJetDriver(handle, handle.descriptor)
      const record = newRecord(VIRTUAL_DEVICE_ID, null, findModel(0x06e6, 0xc200))
      record.settleDetails() // nothing to read: the virtual dongle's facts are the catalog's
      // Its flash is in hand (no protocol exchange, which the update step owns): the Device page shows the
      // version it runs from the start, not the USB release, also after a restart when no setup step reads it.
      record.firmwareVersion = handle.firmwareVersion
      // The virtual dongle speaks Dialtone's firmware protocol (firmware-protocol.ts), as the rig's gadget will.
      driver.firmware = observeFirmware(table, record, firmwareAccess(handle))
      record.driver = driver
      record.hid = null
      record.descriptorSource = 'virtual'
      record.state = 'ready'
      table.attachDriver(record, driver)
      record.cleanup.push(
        handle.onState((s) =>
          table.update(record, { line: { ...record.line, ringing: s.ringing, linePower: s.linePower } })
        )
      )
      table.records.set(VIRTUAL_DEVICE_ID, record)
      table.emit('attached', VIRTUAL_DEVICE_ID)
    } else if (!enabled && this.virtual) {
      this.virtual = null
      const record = table.records.get(VIRTUAL_DEVICE_ID)
      if (record) await table.remove(record)
    }
  }

  handset(offHook: boolean): void {
    this.require().setOffHook(offHook)
  }

  press(key: PhoneKey): void {
    this.require().press(key)
  }

  flash(): void {
    this.require().flash()
  }

  private require(): VirtualTigerJet {
    if (!this.virtual)
      throw new DialtoneError(
        'NOT_FOUND',
        'no virtual dongle: turn it on in Settings or start with --virtual-dongle',
        [],
        'no-virtual-dongle'
      )
    return this.virtual
  }
}
