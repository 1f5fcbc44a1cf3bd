/**
 * The usage rules of HID 1.11 §6.2.2.8 as Linux's hid-core applies them: a Usage takes the Usage Page current
 * when it is read; a hook switch in an array field is on-hook once the array stops listing it; Report Count past
 * the usage list repeats the last usage without overwriting its real bit; usages past Report Count are no
 * controls. Each rule has examples (each failed before the parser followed it) and a property over random fields.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fieldUsages, parseHidDescriptor, type HidField } from '../../../src/shared/telephony/hid-descriptor'
import { decodeReport, encodeReport } from '../../../src/shared/telephony/hid-report'
import { LED, PAGE, TEL, usage } from '../../../src/shared/telephony/hid-usages'
import {
  encodeIndicators,
  findTelephonyControls,
  TelephonyDecoder
} from '../../../src/shared/telephony/telephony-controls'
import { STANDARD_PHONE_DESCRIPTOR } from '../../usb-vm/rig/profiles'

// Short items, spelled out so each test reads like the descriptor it builds.
const le16 = (v: number): number[] => [v & 0xff, (v >> 8) & 0xff]
const item = {
  page: (p: number): number[] => (p <= 0xff ? [0x05, p] : [0x06, ...le16(p)]),
  usage: (id: number): number[] => (id <= 0xff ? [0x09, id] : [0x0a, ...le16(id)]),
  extended: (u: number): number[] => [0x0b, ...le16(u & 0xffff), ...le16(u >>> 16)],
  min: (id: number): number[] => [0x19, id],
  max: (id: number): number[] => [0x29, id],
  logical: (lo: number, hi: number): number[] => [0x15, lo, 0x25, hi],
  size: (n: number): number[] => [0x75, n],
  count: (n: number): number[] => [0x95, n],
  input: (flags: number): number[] => [0x81, flags],
  output: (flags: number): number[] => [0x91, flags],
  application: (pageId: number, id: number): number[] => [0x05, pageId, 0x09, id, 0xa1, 0x01],
  end: [0xc0]
}
const VARIABLE = 0x02
const ARRAY = 0x00
const CONSTANT = 0x01
const parse = (...items: number[][]) => parseHidDescriptor(Uint8Array.from(items.flat()))
const onlyField = (d: ReturnType<typeof parse>, kind = 'input'): HidField => {
  const f = d.reports.find((r) => r.kind === kind)?.fields[0]
  if (!f) throw new Error(`no ${kind} field`)
  return f
}
const ranges = (...us: number[]) => us.map((u) => ({ min: u, max: u }))

describe('a Usage Page applies to the usages read after it', () => {
  it('a page changed between two usages of one field leaves the first on its own page', () => {
    const d = parse(
      item.page(PAGE.telephony),
      item.usage(0x20), // Hook Switch
      item.page(PAGE.led),
      item.usage(0x18), // Ring
      item.logical(0, 1),
      item.size(1),
      item.count(2),
      item.input(VARIABLE),
      item.count(6),
      item.input(CONSTANT)
    )
    const field = onlyField(d)
    expect(field.usages).toEqual(ranges(TEL.hookSwitch, LED.ring))
    expect(decodeReport(d.reports[0]!, Uint8Array.of(0b01))).toEqual(
      new Map([
        [TEL.hookSwitch, 1],
        [LED.ring, 0]
      ])
    )
    expect(findTelephonyControls(d).hook).toBe(true)
  })

  it('a Usage Minimum..Maximum range keeps the page current at its Usage Maximum', () => {
    const d = parse(
      item.page(PAGE.telephony),
      item.min(0xb0),
      item.max(0xbb), // Phone Key 0..#
      item.page(PAGE.led),
      item.usage(0x09), // Mute LED
      item.logical(0, 1),
      item.size(1),
      item.count(13),
      item.input(VARIABLE)
    )
    expect(onlyField(d).usages).toEqual([
      { min: TEL.key0, max: TEL.keyPound },
      { min: LED.mute, max: LED.mute }
    ])
    expect(findTelephonyControls(d).keypad).toBe(true)
  })

  it('an extended (four-byte) usage keeps its own page, and the short usages around it keep theirs', () => {
    const d = parse(
      item.page(PAGE.telephony),
      item.usage(0x20),
      item.extended(LED.ring),
      item.usage(0x21),
      item.page(PAGE.consumer),
      item.usage(0xe9),
      item.logical(0, 1),
      item.size(1),
      item.count(4),
      item.input(VARIABLE)
    )
    expect(onlyField(d).usages).toEqual(
      ranges(TEL.hookSwitch, LED.ring, TEL.flash, usage(PAGE.consumer, 0xe9))
    )
  })

  it('a Usage Page declared after the usages (before the main item) still covers them, as hid-core does', () => {
    const d = parse(
      item.usage(0x20),
      item.usage(0x21),
      item.page(PAGE.telephony),
      item.logical(0, 1),
      item.size(1),
      item.count(2),
      item.input(VARIABLE)
    )
    expect(onlyField(d).usages).toEqual(ranges(TEL.hookSwitch, TEL.flash))
  })

  it('property: every usage of a field is on the page that was current when it was read', () => {
    const pages = [PAGE.led, PAGE.button, PAGE.telephony, PAGE.consumer, 0xff00]
    const entry = fc.record({
      page: fc.constantFrom(...pages),
      id: fc.integer({ min: 1, max: 0x1ff }),
      extended: fc.boolean()
    })
    fc.assert(
      fc.property(
        fc.uniqueArray(entry, { minLength: 1, maxLength: 24, selector: (e) => usage(e.page, e.id) }),
        fc.integer({ min: 0, max: 0xffffff }),
        (entries, bits) => {
          let current = -1
          const items: number[][] = []
          for (const e of entries) {
            if (e.extended) items.push(item.extended(usage(e.page, e.id)))
            else {
              if (e.page !== current) items.push(item.page(e.page))
              current = e.page
              items.push(item.usage(e.id))
            }
          }
          const n = entries.length
          const d = parse(...items, item.logical(0, 1), item.size(1), item.count(n), item.input(VARIABLE))
          const field = onlyField(d)
          const expected = entries.map((e) => usage(e.page, e.id))
          expect(field.usages).toEqual(ranges(...expected))
          expect([...fieldUsages(field)]).toEqual(expected)
          const report = Uint8Array.of(bits & 0xff, (bits >> 8) & 0xff, (bits >> 16) & 0xff)
          const values = decodeReport(d.reports[0]!, report)
          expect(values).toEqual(new Map(expected.map((u, i) => [u, (bits >> i) & 1])))
        }
      ),
      { numRuns: 1000 }
    )
  })
})

describe('a hook switch in an array field', () => {
  // Telephony/Phone with an array of two 4-bit slots: 1 = Hook Switch, 2 = Flash, 3 = Redial, 4 = Hold.
  const phone = parse(
    item.application(PAGE.telephony, 0x01),
    item.usage(0x20),
    item.usage(0x21),
    item.usage(0x24),
    item.usage(0x23),
    item.logical(1, 4),
    item.size(4),
    item.count(2),
    item.input(ARRAY),
    item.end
  )

  it('is a hook control, off-hook while listed and on-hook once the array no longer lists it', () => {
    expect(findTelephonyControls(phone)).toMatchObject({ hook: true, flash: true, redial: true })
    const dec = new TelephonyDecoder(phone)
    const feed = (...reports: number[]) => reports.flatMap((b) => dec.decode(Uint8Array.of(b)))
    expect(feed(0x01)).toEqual([{ type: 'hook', offHook: true }])
    expect(feed(0x21)).toEqual([{ type: 'flash' }]) // flash in slot 2, hook still listed in slot 1
    expect(feed(0x02)).toEqual([{ type: 'hook', offHook: false }]) // hook left the array, flash still held
    expect(dec.state.offHook).toBe(false)
    expect(feed(0x10)).toEqual([{ type: 'hook', offHook: true }]) // in the second slot counts the same
    expect(feed(0x00)).toEqual([{ type: 'hook', offHook: false }])
  })

  it('property: after every report the line is off-hook exactly when the array lists the hook switch', () => {
    const slotValue = fc.integer({ min: 0, max: 4 }) // 0 = empty slot
    fc.assert(
      fc.property(fc.array(fc.tuple(slotValue, slotValue), { maxLength: 40 }), (reports) => {
        const dec = new TelephonyDecoder(phone)
        let offHook = false
        for (const [a, b] of reports) {
          const events = dec.decode(Uint8Array.of(a | (b << 4)))
          const listed = a === 1 || b === 1
          const hookEvents = events.filter((e) => e.type === 'hook')
          expect(hookEvents).toEqual(listed === offHook ? [] : [{ type: 'hook', offHook: listed }])
          offHook = listed
          expect(dec.state.offHook).toBe(listed)
        }
      }),
      { numRuns: 500 }
    )
  })
})

describe('Report Count and the usage list', () => {
  it('past the usage list, the last usage repeats without overwriting its real bit', () => {
    const phone = parse(
      item.page(PAGE.telephony),
      item.usage(0x20),
      item.logical(0, 1),
      item.size(1),
      item.count(8),
      item.input(VARIABLE)
    )
    const dec = new TelephonyDecoder(phone)
    expect(dec.decode(Uint8Array.of(0x01))).toEqual([{ type: 'hook', offHook: true }])
    expect(dec.decode(Uint8Array.of(0x81))).toEqual([]) // a repeat bit changes nothing
    expect(dec.decode(Uint8Array.of(0xfe))).toEqual([{ type: 'hook', offHook: false }]) // the real bit is 0
  })

  it('an output report lights only the real bit of a repeated LED usage', () => {
    const leds = parse(
      item.page(PAGE.led),
      item.usage(0x18),
      item.logical(0, 1),
      item.size(1),
      item.count(8),
      item.output(VARIABLE)
    )
    expect(encodeIndicators(leds, new Map([['ring', true]])).map((r) => [...r])).toEqual([[0x01]])
  })

  it('usages past Report Count are not controls and never reported', () => {
    const phone = parse(
      item.page(PAGE.telephony),
      item.usage(0x20),
      item.usage(0x21), // Flash: no element of its own
      item.usage(0x24), // Redial: none either
      item.logical(0, 1),
      item.size(1),
      item.count(1),
      item.input(VARIABLE),
      item.count(7),
      item.input(CONSTANT)
    )
    expect(findTelephonyControls(phone)).toMatchObject({ hook: true, flash: false, redial: false })
    expect([...fieldUsages(onlyField(phone))]).toEqual([TEL.hookSwitch])
    expect(decodeReport(phone.reports[0]!, Uint8Array.of(0xff))).toEqual(new Map([[TEL.hookSwitch, 1]]))
  })

  it('property: the first min(usages, Report Count) elements report their usage; nothing else is reported', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0x20, max: 0xbb }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 24 }),
        fc.uint8Array({ minLength: 3, maxLength: 3 }),
        fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 12, maxLength: 12 }),
        (ids, count, report, wanted) => {
          const d = parse(
            item.page(PAGE.telephony),
            ...ids.map(item.usage),
            item.logical(0, 1),
            item.size(1),
            item.count(count),
            item.input(VARIABLE)
          )
          const field = onlyField(d)
          const owned = ids.slice(0, count).map((id) => usage(PAGE.telephony, id))
          const bit = (i: number): number => ((report[i >> 3] ?? 0) >> (i & 7)) & 1
          expect([...fieldUsages(field)]).toEqual(owned)
          expect(decodeReport(d.reports[0]!, report)).toEqual(new Map(owned.map((u, i) => [u, bit(i)])))
          // Writing: each owned usage gets its own bit; repeats and the rest of the report stay 0.
          const values = new Map(ids.map((id, i) => [usage(PAGE.telephony, id), wanted[i] ?? 0]))
          const out = encodeReport(d, d.reports[0]!, values)
          for (let i = 0; i < count; i++)
            expect((out[i >> 3]! >> (i & 7)) & 1).toBe(i < owned.length ? wanted[i] : 0)
        }
      ),
      { numRuns: 1000 }
    )
  })
})

describe('the real descriptors read as before', () => {
  const reportable = (bytes: Uint8Array) =>
    parseHidDescriptor(bytes).reports.map((r) => [
      r.kind,
      r.reportId,
      r.fields.map((f) => [...fieldUsages(f)])
    ])
  const tel = (...ids: number[]) => ids.map((id) => usage(PAGE.telephony, id))

  it('TigerJet: keypad, function keys, volume, buttons, hook, the vendor feature report', () => {
    const tigerjet = readFileSync(
      join(import.meta.dirname, '../../fixtures/usb/tigerjet-06e6-c200/hid-report-descriptor.bin')
    )
    expect(reportable(tigerjet)).toEqual([
      [
        'input',
        0,
        [
          tel(0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xbb),
          tel(0x25, 0x23, 0x24, 0x26, 0x21, 0x2f, 0x31),
          [usage(PAGE.consumer, 0xe0)],
          [1, 2, 3, 4].map((b) => usage(PAGE.button, b)),
          [TEL.hookSwitch]
        ]
      ],
      ['feature', 0, [[usage(0xffff, 0)]]]
    ])
  })

  it('the standard phone: hook and flash, mute and redial, keypad; five LEDs', () => {
    expect(reportable(STANDARD_PHONE_DESCRIPTOR)).toEqual([
      [
        'input',
        1,
        [
          tel(0x20, 0x21),
          tel(0x2f, 0x24),
          [], // padding
          tel(0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xbb),
          [] // padding
        ]
      ],
      ['output', 2, [[LED.ring, LED.offHook, LED.mute, LED.messageWaiting, LED.hold], []]]
    ])
  })
})
