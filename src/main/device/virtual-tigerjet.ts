/**
 * A virtual TigerJet dongle for demos and browser tests, chosen explicitly (--virtual-dongle or the setting),
 * never silently. It is a HidHandle driven by the real TigerJet report descriptor: the on-screen handset and
 * keypad become the same input reports the dongle sends, and the vendor feature reports the driver sends
 * change the same registers the chip has. The same TigerJetDriver drives it as drives the hardware.
 */
import { parseHidDescriptor, type HidDescriptor } from '../../shared/telephony/hid-descriptor'
import { encodeReport } from '../../shared/telephony/hid-report'
import { TEL, type PhoneKey, PHONE_KEYS } from '../../shared/telephony/hid-usages'
import { descriptorBytes, findModel } from './catalog'
import { CONTROL, decodeCommand, FEATURE_DATA_BYTES, REG, STATUS } from './drivers/tigerjet-protocol'
import type { HidHandle } from './hid-port'
import { devAttestationIdentity } from './dev-attestation'
import { decodeFirmwareCommand } from './drivers/firmware-protocol'
import { FirmwareTarget } from './drivers/firmware-target'

export interface VirtualLineState {
  offHook: boolean
  ringing: boolean
  linePower: boolean
}

/**
 * What a real dongle keeps in flash across power cycles and restarts: the firmware version it runs. The app keeps
 * the virtual dongle's in its own state under the data folder (app.ts), so a restart finds the version the setup
 * installed (the newcomer's README run saw "updated from 1.0.0 to 1.0.1", then 1.0.0 after a restart).
 */
export interface VirtualFirmwareStore {
  /** The version last committed, or null for a dongle fresh from the factory. */
  load(): string | null
  save(version: string): void
}

/** The version a fresh virtual dongle runs. */
const VIRTUAL_FACTORY_FIRMWARE = '1.0.0'

const ON_HOOK_STATUS = 0x0b00_0104
/** The virtual dongle's serial number, as the device list shows it and its attestation signs it. */
export const VIRTUAL_SERIAL = 'VIRTUAL'

export class VirtualTigerJet implements HidHandle {
  readonly descriptor: HidDescriptor
  private readonly registers = new Map<number, number>([[REG.status, ON_HOOK_STATUS]])
  private selected = 0
  private offHook = false
  private closed = false
  private readonly dataListeners = new Set<(r: Uint8Array) => void>()
  private readonly errorListeners = new Set<(e: Error) => void>()
  private readonly stateListeners = new Set<(s: VirtualLineState) => void>()
  /**
   * The running firmware (from flash), a write in progress (RAM only: an unplug drops it), and the development
   * attestation key of the serial 'VIRTUAL' (trusted only by a development service).
   */
  private readonly firmware: FirmwareTarget
  /** The firmware protocol's answer to the last firmware command, for the next GET_FEATURE. */
  private firmwareAnswer: Uint8Array | null = null

  /** Without a store, the firmware lives as long as this object (unit tests). */
  constructor(private readonly firmwareStore: VirtualFirmwareStore | null = null) {
    const model = findModel(0x06e6, 0xc200)
    if (!model) throw new Error('the catalog has no TigerJet model')
    this.descriptor = parseHidDescriptor(descriptorBytes(model))
    this.firmware = new FirmwareTarget(
      firmwareStore?.load() ?? VIRTUAL_FACTORY_FIRMWARE,
      devAttestationIdentity(VIRTUAL_SERIAL, '06e6:c200')
    )
  }

  // --- the person at the on-screen phone ---

  setOffHook(offHook: boolean): void {
    this.offHook = offHook
    const status = this.registers.get(REG.status) ?? ON_HOOK_STATUS
    this.registers.set(
      REG.status,
      offHook ? (status | STATUS.offHook) >>> 0 : (status & ~STATUS.offHook) >>> 0
    )
    this.send(null)
    this.emitState()
  }

  /** A key press: the report with the key held, then the release. */
  press(key: PhoneKey): void {
    this.send(TEL.key0 + PHONE_KEYS.indexOf(key))
    this.send(null)
  }

  flash(): void {
    this.send(TEL.flash)
    this.send(null)
  }

  state(): VirtualLineState {
    const control = this.registers.get(REG.control) ?? 0
    return {
      offHook: this.offHook,
      ringing: (control & CONTROL.ring) !== 0,
      linePower: (control & CONTROL.linePower) !== 0
    }
  }

  onState(listener: (s: VirtualLineState) => void): () => void {
    this.stateListeners.add(listener)
    return () => void this.stateListeners.delete(listener)
  }

  get firmwareVersion(): string {
    return this.firmware.version
  }

  /** Pulling the virtual dongle out: the open handle fails as a real one does, and a firmware write is lost. */
  unplug(): void {
    this.firmware.powerLost()
    for (const l of this.errorListeners)
      l(new Error('could not read from HID device (virtual dongle removed)'))
  }

  // --- HidHandle, as the driver sees it ---

  async write(): Promise<void> {
    throw new Error('the TigerJet dongle has no output report')
  }

  async sendFeatureReport(report: Uint8Array): Promise<void> {
    this.assertOpen()
    const fw = decodeFirmwareCommand(report.subarray(1))
    const running = this.firmware.version
    this.firmwareAnswer = fw ? this.firmware.reply(fw) : null
    // A verified commit is what a real dongle writes to flash.
    if (this.firmware.version !== running) this.firmwareStore?.save(this.firmware.version)
    if (fw) return
    const command = decodeCommand(report.subarray(1))
    if (!command) return
    if (command.op === 'select') {
      this.selected = command.reg
      return
    }
    const before = this.state()
    this.registers.set(command.reg, command.value)
    const after = this.state()
    if (before.ringing !== after.ringing || before.linePower !== after.linePower) this.emitState()
  }

  async getFeatureReport(reportId: number, length: number): Promise<Uint8Array> {
    this.assertOpen()
    const out = new Uint8Array(Math.max(length, 1 + FEATURE_DATA_BYTES))
    out[0] = reportId
    if (this.firmwareAnswer) {
      out.set(this.firmwareAnswer, 1)
      return out.subarray(0, length)
    }
    const v = this.registers.get(this.selected) ?? 0
    out.set([v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff], 1)
    return out.subarray(0, length)
  }

  onData(listener: (report: Uint8Array) => void): () => void {
    this.dataListeners.add(listener)
    return () => void this.dataListeners.delete(listener)
  }

  onError(listener: (error: Error) => void): () => void {
    this.errorListeners.add(listener)
    return () => void this.errorListeners.delete(listener)
  }

  async close(): Promise<void> {
    this.closed = true
    this.dataListeners.clear()
    this.errorListeners.clear()
  }

  private send(pressed: number | null): void {
    const layout = this.descriptor.reports.find((r) => r.kind === 'input')
    if (!layout || this.closed) return
    const values = new Map<number, number>([[TEL.hookSwitch, this.offHook ? 1 : 0]])
    if (pressed !== null) values.set(pressed, 1)
    const report = encodeReport(this.descriptor, layout, values)
    for (const l of this.dataListeners) l(report)
  }

  private emitState(): void {
    const s = this.state()
    for (const l of this.stateListeners) l(s)
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the virtual dongle is closed')
  }
}
