/**
 * The generic driver for any phone or headset that follows the HID Telephony page: it reads the device's own
 * report descriptor, decodes hook, keypad, flash, mute and redial from its input reports, and lights the LEDs
 * its output reports declare (Ring, Off-Hook, Mute, Message Waiting, Hold).
 */
import { DialtoneError } from '../../../shared/ipc/errors'
import type { HidDescriptor } from '../../../shared/telephony/hid-descriptor'
import type { Indicator } from '../../../shared/telephony/hid-usages'
import {
  encodeIndicators,
  findTelephonyControls,
  TelephonyDecoder,
  type PhoneEvent,
  type TelephonyControls
} from '../../../shared/telephony/telephony-controls'
import type { HidHandle } from '../hid-port'
import type { FirmwareAccess } from './firmware-access'
import type { DriverCapabilities, PhoneDriver } from './phone-driver'

export class HidTelephonyDriver implements PhoneDriver {
  readonly name: PhoneDriver['name'] = 'hid-telephony'
  readonly controls: TelephonyControls
  private readonly decoder: TelephonyDecoder
  private readonly listeners = new Set<(e: PhoneEvent) => void>()
  private readonly lit = new Map<Indicator, boolean>()
  private readonly stopData: () => void
  /** Device commands run one at a time: a read-modify-write must not interleave with another. */
  private queue: Promise<unknown> = Promise.resolve()

  /** Standard HID Telephony has no firmware channel; a vendor driver that has one sets it. */
  firmware: FirmwareAccess | null = null

  constructor(
    protected readonly handle: HidHandle,
    protected readonly descriptor: HidDescriptor
  ) {
    this.controls = findTelephonyControls(descriptor)
    this.decoder = new TelephonyDecoder(descriptor)
    this.stopData = handle.onData((report) => {
      for (const event of this.decoder.decode(report)) for (const l of this.listeners) l(event)
    })
  }

  get capabilities(): DriverCapabilities {
    const c = this.controls
    return {
      hook: c.hook,
      keypad: c.keypad,
      flash: c.flash,
      mute: c.mute,
      ring: c.indicators.includes('ring'),
      linePower: false,
      indicators: c.indicators
    }
  }

  onEvent(listener: (event: PhoneEvent) => void): () => void {
    this.listeners.add(listener)
    return () => void this.listeners.delete(listener)
  }

  ring(on: boolean): Promise<void> {
    return this.indicator('ring', on)
  }

  indicator(name: Indicator, on: boolean): Promise<void> {
    if (!this.capabilities.indicators.includes(name))
      return Promise.reject(
        new DialtoneError('UNSUPPORTED', `this device has no ${name} indicator`, [], 'no-indicator')
      )
    return this.serial(async () => {
      this.lit.set(name, on)
      for (const report of encodeIndicators(this.descriptor, this.lit)) await this.handle.write(report)
    })
  }

  linePower(_on: boolean): Promise<void> {
    return Promise.reject(
      new DialtoneError('UNSUPPORTED', 'this device has no analog line to power', [], 'no-line-power')
    )
  }

  async close(): Promise<void> {
    this.stopData()
    this.listeners.clear()
    await this.queue.catch(() => undefined)
    await this.handle.close()
  }

  /** The hook state the device last reported. */
  get offHook(): boolean {
    return this.decoder.state.offHook
  }

  protected serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work)
    this.queue = next.catch(() => undefined)
    return next
  }
}
