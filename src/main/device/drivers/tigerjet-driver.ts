/**
 * The TigerJet 06e6:c200 (magicJack) driver: input through the generic HID Telephony decoding (its descriptor
 * is standard for hook and keypad), but no LED page, so ringing and line power go through its vendor feature
 * report (tigerjet-protocol.ts). Register writes keep every bit Dialtone does not own as the chip reports it.
 */
import type { Indicator } from '../../../shared/telephony/hid-usages'
import { DialtoneError } from '../../../shared/ipc/errors'
import { HidTelephonyDriver } from './hid-telephony-driver'
import type { DriverCapabilities, PhoneDriver } from './phone-driver'
import { CONTROL, REG, STATUS, registerReadRequest, registerValue, registerWrite } from './tigerjet-protocol'

const OWNED = CONTROL.linePower | CONTROL.ring
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

export class TigerJetDriver extends HidTelephonyDriver {
  override readonly name: PhoneDriver['name'] = 'tigerjet'
  private control = 0

  override get capabilities(): DriverCapabilities {
    return { ...super.capabilities, ring: true, linePower: true, indicators: [] }
  }

  /** Rings the analog phone (the host makes the cadence by switching this on and off). */
  override ring(on: boolean): Promise<void> {
    return this.serial(() => this.setControl(CONTROL.ring, on))
  }

  override indicator(name: Indicator, on: boolean): Promise<void> {
    if (name === 'ring') return this.ring(on)
    return Promise.reject(
      new DialtoneError('UNSUPPORTED', `the TigerJet dongle has no ${name} indicator`, [], 'no-indicator')
    )
  }

  /** Powers the analog line (dial tone from the dongle's firmware, port LED) with the vendor sequence. */
  override linePower(on: boolean): Promise<void> {
    return this.serial(async () => {
      await this.setControl(CONTROL.linePower, on)
      if (!on) return
      await this.handle.sendFeatureReport(registerWrite(REG.clock, 3))
      const status = await this.readRegister(REG.status)
      await this.handle.sendFeatureReport(registerWrite(REG.status, status | STATUS.strobe))
      await sleep(10)
      await this.handle.sendFeatureReport(registerWrite(REG.status, status & ~STATUS.strobe))
    })
  }

  async readRegister(reg: number): Promise<number> {
    await this.handle.sendFeatureReport(registerReadRequest(reg))
    return registerValue(await this.handle.getFeatureReport(0, 65))
  }

  private async setControl(bits: number, on: boolean): Promise<void> {
    this.control = on ? this.control | bits : this.control & ~bits
    const current = await this.readRegister(REG.control)
    await this.handle.sendFeatureReport(registerWrite(REG.control, ((current & ~OWNED) | this.control) >>> 0))
  }
}
