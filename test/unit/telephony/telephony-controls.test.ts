import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseHidDescriptor } from '../../../src/shared/telephony/hid-descriptor'
import {
  encodeIndicators,
  findTelephonyControls,
  TelephonyDecoder
} from '../../../src/shared/telephony/telephony-controls'
import {
  standardPhoneProfile,
  STANDARD_PHONE_DESCRIPTOR,
  tigerjetProfile,
  KEYS
} from '../../usb-vm/rig/profiles'

const tigerjet = parseHidDescriptor(
  readFileSync(join(import.meta.dirname, '../../fixtures/usb/tigerjet-06e6-c200/hid-report-descriptor.bin'))
)
const standard = parseHidDescriptor(STANDARD_PHONE_DESCRIPTOR)
const tj = tigerjetProfile()
const std = standardPhoneProfile()

describe('telephony controls found in descriptors', () => {
  it('TigerJet: hook, keypad, flash, mute, redial; no LEDs; a 64-byte vendor feature report', () => {
    expect(findTelephonyControls(tigerjet)).toEqual({
      telephony: true,
      hook: true,
      keypad: true,
      flash: true,
      mute: true,
      redial: true,
      indicators: [],
      vendorFeature: { reportId: 0, bytes: 64 }
    })
  })

  it('standard phone: every LED it declares', () => {
    expect(findTelephonyControls(standard)).toMatchObject({
      telephony: true,
      hook: true,
      keypad: true,
      indicators: ['mute', 'offHook', 'ring', 'messageWaiting', 'hold'],
      vendorFeature: null
    })
  })

  it('a keyboard is not a phone', () => {
    // Boot keyboard: Generic Desktop / Keyboard, modifier bits and a 6-key array.
    const keyboard = parseHidDescriptor(
      Uint8Array.from([
        0x05, 0x01, 0x09, 0x06, 0xa1, 0x01, 0x05, 0x07, 0x19, 0xe0, 0x29, 0xe7, 0x15, 0x00, 0x25, 0x01, 0x75,
        0x01, 0x95, 0x08, 0x81, 0x02, 0x95, 0x06, 0x75, 0x08, 0x25, 0x65, 0x19, 0x00, 0x29, 0x65, 0x81, 0x00,
        0xc0
      ])
    )
    expect(findTelephonyControls(keyboard).telephony).toBe(false)
  })
})

describe('the decoder: reports in, phone events out', () => {
  it('TigerJet recorded reports: lift, dial 5 and #, hold a key, hang up', () => {
    const dec = new TelephonyDecoder(tigerjet)
    const feed = (...bytes: number[][]) => bytes.flatMap((b) => dec.decode(Uint8Array.from(b)))
    expect(feed([0x00, 0x80])).toEqual([{ type: 'hook', offHook: true }])
    expect(feed([0x06, 0x80], [0x06, 0x80], [0x00, 0x80])).toEqual([{ type: 'digit', digit: '5' }])
    expect(feed([0x0c, 0x80], [0x00, 0x80], [0x0c, 0x80])).toEqual([
      { type: 'digit', digit: '#' },
      { type: 'digit', digit: '#' }
    ])
    expect(feed([0x50, 0x80], [0x00, 0x80])).toEqual([{ type: 'flash' }])
    expect(feed([0x00, 0x00])).toEqual([{ type: 'hook', offHook: false }])
    expect(dec.state.offHook).toBe(false)
  })

  it('standard phone: absolute hook, toggle-style mute (each report with the bit is one press)', () => {
    const dec = new TelephonyDecoder(standard)
    const feed = (...bytes: number[][]) => bytes.flatMap((b) => dec.decode(Uint8Array.from(b)))
    expect(feed([0x01, 0x01, 0x00])).toEqual([{ type: 'hook', offHook: true }])
    expect(feed([0x01, 0x05, 0x00], [0x01, 0x05, 0x00])).toEqual([
      { type: 'mute', on: true },
      { type: 'mute', on: false }
    ])
    expect(feed([0x01, 0x01, 10])).toEqual([{ type: 'digit', digit: '9' }])
    expect(feed([0x02, 0xff])).toEqual([]) // an output report id arriving as input: ignored
  })

  it('every key the rig profiles send decodes to the same key, for both devices', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...KEYS), { minLength: 1, maxLength: 30 }), (keys) => {
        for (const [profile, d] of [
          [tj, tigerjet],
          [std, standard]
        ] as const) {
          const dec = new TelephonyDecoder(d)
          const digits: string[] = []
          dec.decode(profile.encodeInput({ offHook: true }))
          for (const key of keys) {
            for (const e of dec.decode(profile.encodeInput({ offHook: true, key })))
              if (e.type === 'digit') digits.push(e.digit)
            dec.decode(profile.encodeInput({ offHook: true }))
          }
          expect(digits).toEqual(keys)
        }
      })
    )
  })

  it('never throws on arbitrary input reports', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        new TelephonyDecoder(tigerjet).decode(bytes)
        new TelephonyDecoder(standard).decode(bytes)
      }),
      { numRuns: 2000 }
    )
  })
})

describe('indicator output reports', () => {
  it('builds the standard phone LED report with only the asked LEDs lit', () => {
    expect(
      encodeIndicators(
        standard,
        new Map([
          ['ring', true],
          ['messageWaiting', true]
        ])
      ).map((r) => [...r])
    ).toEqual([[0x02, 0b01001]])
    expect(encodeIndicators(standard, new Map()).map((r) => [...r])).toEqual([[0x02, 0x00]])
  })

  it('has nothing to send to a device without LEDs', () => {
    expect(encodeIndicators(tigerjet, new Map([['ring', true]]))).toEqual([])
  })
})
