import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  arrayUsage,
  HidDescriptorError,
  parseHidDescriptor,
  variableUsage,
  type HidField
} from '../../../src/shared/telephony/hid-descriptor'
import { PAGE, TEL, usage } from '../../../src/shared/telephony/hid-usages'
import { STANDARD_PHONE_DESCRIPTOR } from '../../usb-vm/rig/profiles'

const tigerjet = readFileSync(
  join(import.meta.dirname, '../../fixtures/usb/tigerjet-06e6-c200/hid-report-descriptor.bin')
)

const fieldWith = (fields: readonly HidField[], u: number): HidField | undefined =>
  fields.find((f) => f.usages.some((r) => u >= r.min && u <= r.max))

describe('the HID report-descriptor parser on the real TigerJet descriptor', () => {
  const d = parseHidDescriptor(tigerjet)
  const input = d.reports.find((r) => r.kind === 'input')
  const feature = d.reports.find((r) => r.kind === 'feature')

  it('sees one Telephony/Phone application and no report ids', () => {
    expect(tigerjet.length).toBe(111)
    expect(d.usesReportIds).toBe(false)
    expect(d.applications).toEqual([TEL.phone])
    expect(d.reports.map((r) => [r.kind, r.reportId, r.bitLength])).toEqual([
      ['input', 0, 16],
      ['feature', 0, 512]
    ])
  })

  it('finds the keypad array at bits 0-3, logical 1-12 = Phone Key 0..9, *, #', () => {
    const keypad = fieldWith(input?.fields ?? [], TEL.key0)
    expect(keypad).toMatchObject({
      bitOffset: 0,
      bitSize: 4,
      count: 1,
      array: true,
      logicalMin: 1,
      logicalMax: 12
    })
    expect(keypad?.usages).toEqual([{ min: TEL.key0, max: TEL.keyPound }])
    expect(keypad?.collections).toEqual([TEL.phone, TEL.keypad])
    if (!keypad) return
    expect(arrayUsage(keypad, 1)).toBe(TEL.key0)
    expect(arrayUsage(keypad, 12)).toBe(TEL.keyPound)
    expect(arrayUsage(keypad, 0)).toBeNull()
  })

  it('finds the function array, volume, buttons and the Hook Switch at bit 15', () => {
    const fields = input?.fields ?? []
    expect(fieldWith(fields, TEL.flash)).toMatchObject({
      bitOffset: 4,
      bitSize: 6,
      array: true,
      logicalMin: 1,
      logicalMax: 7
    })
    expect(fieldWith(fields, usage(PAGE.consumer, 0xe0))).toMatchObject({
      bitOffset: 10,
      bitSize: 2,
      relative: true,
      logicalMin: -1
    })
    expect(fieldWith(fields, usage(PAGE.button, 1))).toMatchObject({ bitOffset: 12, bitSize: 3, array: true })
    const hook = fieldWith(fields, TEL.hookSwitch)
    expect(hook).toMatchObject({
      bitOffset: 15,
      bitSize: 1,
      array: false,
      relative: false,
      logicalMin: 0,
      logicalMax: 1
    })
  })

  it('finds the 64-byte vendor feature report (usage page 0xFFFF)', () => {
    expect(feature?.fields).toHaveLength(1)
    expect(feature?.fields[0]).toMatchObject({ bitOffset: 0, bitSize: 8, count: 64 })
    expect(feature?.fields[0]?.usages[0]?.min).toBe(usage(0xffff, 0))
  })
})

describe('the parser on the standards-based USB phone', () => {
  const d = parseHidDescriptor(STANDARD_PHONE_DESCRIPTOR)

  it('sees report 1 input and report 2 LED output', () => {
    expect(d.usesReportIds).toBe(true)
    expect(d.reports.map((r) => [r.kind, r.reportId, r.bitLength])).toEqual([
      ['input', 1, 16],
      ['output', 2, 8]
    ])
    const input = d.reports[0]?.fields ?? []
    expect(fieldWith(input, TEL.hookSwitch)).toMatchObject({ bitOffset: 0, relative: false })
    expect(fieldWith(input, TEL.phoneMute)).toMatchObject({ bitOffset: 2, relative: true })
    const leds = d.reports[1]?.fields[0]
    expect(leds && [0, 1, 2, 3, 4].map((i) => variableUsage(leds, i))).toEqual([
      usage(PAGE.led, 0x18),
      usage(PAGE.led, 0x17),
      usage(PAGE.led, 0x09),
      usage(PAGE.led, 0x19),
      usage(PAGE.led, 0x20)
    ])
  })
})

describe('the parser on bad input', () => {
  const refuse = (bytes: number[], code: string): void => {
    let caught: unknown
    try {
      parseHidDescriptor(Uint8Array.from(bytes))
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(HidDescriptorError)
    expect((caught as HidDescriptorError).code).toBe(code)
  }

  it('names what is wrong and where', () => {
    refuse([], 'EMPTY')
    refuse([0x05], 'TRUNCATED')
    refuse([0xa1, 0x01], 'UNBALANCED_COLLECTION')
    refuse([0xc0], 'UNBALANCED_COLLECTION')
    refuse([0x85, 0x00], 'BAD_REPORT_ID')
    refuse([0xb4], 'STACK')
    refuse([0x75, 0x01, 0x96, 0x01, 0x40, 0x81, 0x02], 'BAD_REPORT_COUNT')
    refuse([0x0c], 'RESERVED_ITEM')
    expect(() => parseHidDescriptor(Uint8Array.from([0x05]))).toThrow(
      'HID report descriptor, byte 0: item 0x5 needs 1 data bytes'
    )
  })

  it('never throws anything but a typed parse error, on any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 600 }), (bytes) => {
        try {
          const d = parseHidDescriptor(bytes)
          for (const r of d.reports) expect(r.bitLength).toBeLessThanOrEqual(16384 * 8)
        } catch (err) {
          if (!(err instanceof HidDescriptorError)) throw err
        }
      }),
      { numRuns: 3000 }
    )
  })

  it('never throws anything else on mutations of real descriptors, and finishes quickly', () => {
    const seeds = [tigerjet, STANDARD_PHONE_DESCRIPTOR]
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        (seed, edits) => {
          const bytes = Uint8Array.from(seed)
          for (const [i, v] of edits) bytes[i % bytes.length] = v
          const started = performance.now()
          try {
            parseHidDescriptor(bytes)
          } catch (err) {
            if (!(err instanceof HidDescriptorError)) throw err
          }
          expect(performance.now() - started).toBeLessThan(250)
        }
      ),
      { numRuns: 3000 }
    )
  })

  it('is bounded on huge usage ranges and long descriptors', () => {
    // Usage Minimum 0, Usage Maximum 0xFFFF (4-byte, explicit page), one array byte: refused, not expanded.
    refuse([0x1b, 0, 0, 1, 0, 0x2b, 0xff, 0xff, 1, 0, 0x75, 8, 0x95, 1, 0x81, 0], 'TOO_MANY_USAGES')
    refuse(
      Array.from({ length: 5000 }, () => 0x00),
      'TOO_LONG'
    )
  })
})
