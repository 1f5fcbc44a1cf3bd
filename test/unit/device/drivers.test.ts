import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { HidTelephonyDriver } from '../../../src/main/device/drivers/hid-telephony-driver'
import type { PhoneEvent } from '../../../src/main/device/drivers/phone-driver'
import { TigerJetDriver } from '../../../src/main/device/drivers/tigerjet-driver'
import { decodeCommand, registerWrite } from '../../../src/main/device/drivers/tigerjet-protocol'
import { VirtualTigerJet } from '../../../src/main/device/virtual-tigerjet'
import { parseHidDescriptor } from '../../../src/shared/telephony/hid-descriptor'
import { RecordingHandle } from '../../support/fake-hid'
import { STANDARD_PHONE_DESCRIPTOR } from '../../usb-vm/rig/profiles'

const tigerjet = parseHidDescriptor(
  readFileSync(join(import.meta.dirname, '../../fixtures/usb/tigerjet-06e6-c200/hid-report-descriptor.bin'))
)
const standard = parseHidDescriptor(STANDARD_PHONE_DESCRIPTOR)
const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0))

describe('the TigerJet vendor protocol', () => {
  it('frames a register write as command 0x20, little-endian, report id 0 first', () => {
    const r = registerWrite(0x00, 0x301)
    expect(r.length).toBe(65)
    expect([...r.subarray(0, 9)]).toEqual([0x00, 0x20, 0x00, 0x00, 0x01, 0x01, 0x03, 0x00, 0x00])
    expect(decodeCommand(r.subarray(1))).toEqual({ op: 'write', reg: 0, value: 0x301 })
    expect(decodeCommand(Uint8Array.from([0x00, 0x00, 0x14, 0x00]))).toEqual({ op: 'select', reg: 0x14 })
    expect(decodeCommand(Uint8Array.from([0x77]))).toBeNull()
  })
})

describe('the TigerJet driver (recorded reports in, vendor feature reports out)', () => {
  it('turns recorded input reports into hook and digit events', () => {
    const handle = new RecordingHandle()
    const driver = new TigerJetDriver(handle, tigerjet)
    const events: PhoneEvent[] = []
    driver.onEvent((e) => events.push(e))
    handle.input(0x00, 0x80)
    handle.input(0x02, 0x80)
    handle.input(0x00, 0x80)
    handle.input(0x00, 0x00)
    expect(events).toEqual([
      { type: 'hook', offHook: true },
      { type: 'digit', digit: '1' },
      { type: 'hook', offHook: false }
    ])
    expect(driver.capabilities).toEqual({
      hook: true,
      keypad: true,
      flash: true,
      mute: true,
      ring: true,
      linePower: true,
      indicators: []
    })
  })

  it('rings by setting control bits 8-9 and keeps the bits it does not own', async () => {
    const handle = new RecordingHandle()
    const driver = new TigerJetDriver(handle, tigerjet)
    handle.featureAnswer = Uint8Array.from([0, 0x00, 0x00, 0x01, 0x00, ...new Array(60).fill(0)]) // reg0 = 0x10000
    await driver.ring(true)
    const writes = handle.features.map((f) => decodeCommand(Uint8Array.from(f.slice(1))))
    expect(writes).toEqual([
      { op: 'select', reg: 0x00 },
      { op: 'write', reg: 0x00, value: 0x10300 }
    ])
    await driver.ring(false)
    expect(decodeCommand(Uint8Array.from(handle.features.at(-1)?.slice(1) ?? []))).toEqual({
      op: 'write',
      reg: 0,
      value: 0x10000
    })
  })

  it('powers the line with the vendor sequence: control bit 0, clock 3, status strobe', async () => {
    const handle = new RecordingHandle()
    const driver = new TigerJetDriver(handle, tigerjet)
    await driver.linePower(true)
    const writes = handle.features
      .map((f) => decodeCommand(Uint8Array.from(f.slice(1))))
      .filter((c) => c?.op === 'write')
    expect(writes).toEqual([
      { op: 'write', reg: 0x00, value: 0x001 },
      { op: 'write', reg: 0x38, value: 3 },
      { op: 'write', reg: 0x14, value: 0x80 },
      { op: 'write', reg: 0x14, value: 0x00 }
    ])
    await driver.ring(true)
    expect(decodeCommand(Uint8Array.from(handle.features.at(-1)?.slice(1) ?? []))).toEqual({
      op: 'write',
      reg: 0,
      value: 0x301
    })
  })

  it('refuses indicators the dongle does not have, clearly', async () => {
    const driver = new TigerJetDriver(new RecordingHandle(), tigerjet)
    await expect(driver.indicator('messageWaiting', true)).rejects.toThrow(
      'the TigerJet dongle has no messageWaiting indicator'
    )
  })
})

describe('the generic HID Telephony driver', () => {
  it('lights LEDs through output reports, keeping the others as they were', async () => {
    const handle = new RecordingHandle()
    const driver = new HidTelephonyDriver(handle, standard)
    expect(driver.capabilities.indicators).toEqual(['mute', 'offHook', 'ring', 'messageWaiting', 'hold'])
    await driver.ring(true)
    await driver.indicator('messageWaiting', true)
    await driver.ring(false)
    expect(handle.written).toEqual([
      [0x02, 0b00001],
      [0x02, 0b01001],
      [0x02, 0b01000]
    ])
    await expect(driver.linePower(true)).rejects.toThrow('no analog line')
    await driver.close()
    expect(handle.closed).toBe(true)
  })
})

describe('the virtual dongle, driven by the same TigerJet driver', () => {
  it('sends real TigerJet reports for the on-screen handset and keypad', async () => {
    const v = new VirtualTigerJet()
    const driver = new TigerJetDriver(v, v.descriptor)
    const events: PhoneEvent[] = []
    driver.onEvent((e) => events.push(e))
    const reports: number[][] = []
    v.onData((r) => reports.push([...r]))
    v.setOffHook(true)
    v.press('5')
    v.flash()
    v.setOffHook(false)
    expect(reports.slice(0, 3)).toEqual([
      [0x00, 0x80],
      [0x06, 0x80],
      [0x00, 0x80]
    ])
    expect(events).toEqual([
      { type: 'hook', offHook: true },
      { type: 'digit', digit: '5' },
      { type: 'flash' },
      { type: 'hook', offHook: false }
    ])
    await tick()
  })

  it('rings and powers its line when the driver says so, and reports its hook in the status register', async () => {
    const v = new VirtualTigerJet()
    const driver = new TigerJetDriver(v, v.descriptor)
    const states: unknown[] = []
    v.onState((s) => states.push(s))
    await driver.linePower(true)
    await driver.ring(true)
    expect(v.state()).toEqual({ offHook: false, ringing: true, linePower: true })
    v.setOffHook(true)
    expect((await driver.readRegister(0x14)) >>> 31).toBe(1)
    await driver.ring(false)
    expect(v.state().ringing).toBe(false)
    expect(states.length).toBeGreaterThanOrEqual(3)
  })
})
