/**
 * Dongles the rig can play, as USB gadget profiles. The TigerJet profile carries the real dongle's identity and
 * its recorded 111-byte HID report descriptor (test/fixtures/usb/tigerjet-06e6-c200); the standard USB phone
 * uses only the HID Telephony (0x0B) and LED (0x08) pages, as a standards-compliant handset would.
 * Each profile also knows how to encode the input reports its handset sends (hook, keypad, flash).
 */
import type { KeyObject } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

export type Key = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '*' | '#'
export const KEYS: readonly Key[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#']

/** What the handset is doing at one instant; one input report describes one such state. */
export interface HandsetState {
  offHook: boolean
  key?: Key | null
  flash?: boolean
}

export interface GadgetProfile {
  /** configfs gadget directory name. */
  name: string
  vendorId: number
  productId: number
  bcdDevice: number
  manufacturer: string
  product: string
  serial: string
  maxPowerMa: number
  selfPowered: boolean
  maxSpeed: 'full-speed' | 'high-speed'
  hid: {
    reportDescriptor: Buffer
    /** The interrupt IN endpoint's packet size, and the largest report the gadget reads at once. */
    reportLength: number
    /** true: no interrupt OUT endpoint; output and feature reports come by SET_REPORT (as on the TigerJet). */
    noOutEndpoint: boolean
  }
  /** A read-only disk like the TigerJet's "ZeroCD" installer interface. */
  massStorage: boolean
  /**
   * A second HID interface that speaks Dialtone's firmware protocol, and the version the dongle starts on. It
   * attests with its serial's development key, or with `attestationKey` (a counterfeit's own Ed25519 key).
   */
  firmware?: { version: string; attestationKey?: KeyObject }
  encodeInput(state: HandsetState): Buffer
}

const fixtures = join(import.meta.dirname, '../../fixtures/usb')

/** Keypad array value: logical 1..12 = Phone Key 0..9, *, # (usages 0xB0..0xBB); 0 = no key. */
export const keypadValue = (key: Key | null | undefined): number => (key ? KEYS.indexOf(key) + 1 : 0)

/**
 * The recorded descriptor, or with DIALTONE_RIG_BREAK=descriptor a deliberately wrong one (Hook Switch
 * declared as Flash): the rig's proof that its tests check something (run-guest.sh expects a failure).
 */
function tigerjetDescriptor(): Buffer {
  const recorded = readFileSync(join(fixtures, 'tigerjet-06e6-c200/hid-report-descriptor.bin'))
  if (process.env.DIALTONE_RIG_BREAK !== 'descriptor') return recorded
  const broken = Buffer.from(recorded)
  if (broken[0x57] !== 0x09 || broken[0x58] !== 0x20) throw new Error('the recorded descriptor changed')
  broken[0x58] = 0x21 // 09 20 (Usage Hook Switch) -> 09 21 (Usage Flash)
  return broken
}

export function tigerjetProfile(overrides: Partial<GadgetProfile> = {}): GadgetProfile {
  return {
    name: 'tigerjet',
    vendorId: 0x06e6,
    productId: 0xc200,
    bcdDevice: 0x0008,
    manufacturer: 'TigerJet Network, Inc.',
    product: 'USB Internet Phone by TigerJet',
    serial: 'DT-RIG-0001',
    maxPowerMa: 500,
    selfPowered: false,
    maxSpeed: 'full-speed',
    hid: {
      reportDescriptor: tigerjetDescriptor(),
      reportLength: 64,
      noOutEndpoint: true
    },
    massStorage: true,
    // 2-byte input report, from bit 0: keypad (4 bits), function array (6 bits; Flash = 5th usage -> 5),
    // volume (2), buttons (3), Hook Switch (bit 15).
    encodeInput(state) {
      const v = keypadValue(state.key) | ((state.flash ? 5 : 0) << 4) | ((state.offHook ? 1 : 0) << 15)
      return Buffer.from([v & 0xff, v >> 8])
    },
    ...overrides
  }
}

/**
 * A standards-based USB phone: report 1 (input) = Hook Switch and Flash (absolute), Phone Mute and Redial (toggle-style,
 * relative), keypad array;
 * report 2 (output) = LEDs Ring, Off-Hook, Mute, Message Waiting, Hold.
 */
export const STANDARD_PHONE_DESCRIPTOR = Buffer.from([
  0x05,
  0x0b, //       Usage Page (Telephony)
  0x09,
  0x01, //       Usage (Phone)
  0xa1,
  0x01, //       Collection (Application)
  0x85,
  0x01, //         Report ID (1)
  0x15,
  0x00, //         Logical Minimum (0)
  0x25,
  0x01, //         Logical Maximum (1)
  0x09,
  0x20, //         Usage (Hook Switch)
  0x09,
  0x21, //         Usage (Flash)
  0x75,
  0x01, //         Report Size (1)
  0x95,
  0x02, //         Report Count (2)
  0x81,
  0x02, //         Input (Data, Variable, Absolute): held while pressed
  0x09,
  0x2f, //         Usage (Phone Mute)
  0x09,
  0x24, //         Usage (Redial)
  0x81,
  0x06, //         Input (Data, Variable, Relative): toggle-style buttons, one report per press
  0x95,
  0x04, //         Report Count (4)
  0x81,
  0x03, //         Input (Constant): padding
  0x15,
  0x01, //         Logical Minimum (1)
  0x25,
  0x0c, //         Logical Maximum (12)
  0x19,
  0xb0, //         Usage Minimum (Phone Key 0)
  0x29,
  0xbb, //         Usage Maximum (Phone Key #)
  0x75,
  0x04, //         Report Size (4)
  0x95,
  0x01, //         Report Count (1)
  0x81,
  0x00, //         Input (Data, Array, Absolute)
  0x81,
  0x03, //         Input (Constant): padding
  0x85,
  0x02, //         Report ID (2)
  0x05,
  0x08, //         Usage Page (LEDs)
  0x15,
  0x00, //         Logical Minimum (0)
  0x25,
  0x01, //         Logical Maximum (1)
  0x09,
  0x18, //         Usage (Ring)
  0x09,
  0x17, //         Usage (Off-Hook)
  0x09,
  0x09, //         Usage (Mute)
  0x09,
  0x19, //         Usage (Message Waiting)
  0x09,
  0x20, //         Usage (Hold)
  0x75,
  0x01, //         Report Size (1)
  0x95,
  0x05, //         Report Count (5)
  0x91,
  0x02, //         Output (Data, Variable, Absolute)
  0x75,
  0x03, //         Report Size (3)
  0x95,
  0x01, //         Report Count (1)
  0x91,
  0x03, //         Output (Constant): padding
  0xc0 //              End Collection
])

export function standardPhoneProfile(overrides: Partial<GadgetProfile> = {}): GadgetProfile {
  return {
    name: 'usbphone',
    vendorId: 0x1209, // pid.codes, the open-source VID
    productId: 0x0001, // pid.codes test PID
    bcdDevice: 0x0100,
    manufacturer: 'Dialtone Test Bench',
    product: 'Standard USB Phone',
    serial: 'DT-RIG-0002',
    maxPowerMa: 100,
    selfPowered: false,
    maxSpeed: 'full-speed',
    hid: { reportDescriptor: STANDARD_PHONE_DESCRIPTOR, reportLength: 8, noOutEndpoint: false },
    massStorage: false,
    encodeInput(state) {
      const bits = (state.offHook ? 1 : 0) | ((state.flash ? 1 : 0) << 1)
      return Buffer.from([0x01, bits, keypadValue(state.key)])
    },
    ...overrides
  }
}
