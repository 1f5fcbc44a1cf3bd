/**
 * What a phone's HID descriptor offers, by meaning rather than by bit: hook switch, flash, mute, redial and
 * the keypad in its input reports; Ring, Off-Hook, Mute, Message Waiting and Hold LEDs in its output reports;
 * a vendor feature report for devices (like the TigerJet dongle) that are driven through one.
 * The decoder turns a stream of input reports into phone events, for absolute controls (state while held)
 * and relative ones (one report per press, the "toggle" style) alike.
 */
import { fieldUsages, type HidDescriptor, type HidField, type ReportLayout } from './hid-descriptor'
import { arrayFieldUsages, decodeReport, encodeReport, layoutFor } from './hid-report'
import { INDICATORS, LED, PAGE, pageOf, phoneKeyOf, TEL, type Indicator, type PhoneKey } from './hid-usages'

export type PhoneEvent =
  | { type: 'hook'; offHook: boolean }
  | { type: 'digit'; digit: PhoneKey }
  | { type: 'flash' }
  | { type: 'mute'; on: boolean }
  | { type: 'redial' }

export interface TelephonyControls {
  /** The device answers to the Telephony page at all (an application collection or a telephony input). */
  telephony: boolean
  hook: boolean
  keypad: boolean
  flash: boolean
  mute: boolean
  redial: boolean
  indicators: Indicator[]
  /** The largest vendor-page feature report: its id and length in bytes. */
  vendorFeature: { reportId: number; bytes: number } | null
}

const inputFields = (d: HidDescriptor): HidField[] =>
  d.reports.filter((r) => r.kind === 'input').flatMap((r) => r.fields.filter((f) => !f.constant))

const has = (fields: HidField[], u: number): boolean => fields.some((f) => [...fieldUsages(f)].includes(u))

export function findTelephonyControls(d: HidDescriptor): TelephonyControls {
  const inputs = inputFields(d)
  const outputs = d.reports
    .filter((r) => r.kind === 'output')
    .flatMap((r) => r.fields.filter((f) => !f.constant))
  const keypad = inputs.some((f) => [...fieldUsages(f)].some((u) => phoneKeyOf(u) !== null))
  let vendorFeature: TelephonyControls['vendorFeature'] = null
  for (const r of d.reports) {
    if (r.kind !== 'feature') continue
    const vendor = r.fields.some((f) => f.usages.some((u) => pageOf(u.min) >= PAGE.vendorFirst))
    const bytes = Math.ceil(r.bitLength / 8)
    if (vendor && bytes > (vendorFeature?.bytes ?? 0)) vendorFeature = { reportId: r.reportId, bytes }
  }
  const hook = has(inputs, TEL.hookSwitch)
  return {
    telephony:
      d.applications.some((u) => pageOf(u) === PAGE.telephony) ||
      hook ||
      keypad ||
      has(inputs, TEL.phoneMute),
    hook,
    keypad,
    flash: has(inputs, TEL.flash),
    mute: has(inputs, TEL.phoneMute),
    redial: has(inputs, TEL.redial),
    indicators: INDICATORS.filter((name) => has(outputs, LED[name])),
    vendorFeature
  }
}

/** Usages that are relative (toggle style) in a layout. */
function relativeUsages(layout: ReportLayout): Set<number> {
  const out = new Set<number>()
  for (const f of layout.fields) if (f.relative && !f.array) for (const u of fieldUsages(f)) out.add(u)
  return out
}

/** Turns input reports into phone events. One decoder per open device: it remembers what is held. */
export class TelephonyDecoder {
  private held = new Set<number>()
  /** Per input layout, what never changes between reports: its toggle-style and its array usages. */
  private readonly shapes = new Map<ReportLayout, { relative: Set<number>; arrays: Set<number> }>()
  private offHook = false
  private muted = false

  constructor(private readonly descriptor: HidDescriptor) {}

  /** The events one input report causes, in a stable order: hook first, then keys, then buttons. */
  decode(report: Uint8Array): PhoneEvent[] {
    const found = layoutFor(this.descriptor, 'input', report)
    if (!found) return []
    const values = decodeReport(found.layout, found.data)
    let shape = this.shapes.get(found.layout)
    if (!shape) {
      shape = { relative: relativeUsages(found.layout), arrays: arrayFieldUsages(found.layout) }
      this.shapes.set(found.layout, shape)
    }
    const { relative, arrays } = shape
    const inLayout = new Set([...values.keys(), ...arrays])
    const events: PhoneEvent[] = []
    const pressed = (u: number): boolean => {
      const v = values.get(u) ?? 0
      if (relative.has(u)) return v > 0 // every report with the bit set is one press
      return v !== 0 && !this.held.has(u)
    }

    // In an array field the hook switch is listed while off-hook and absent when it goes back on the hook.
    if (values.has(TEL.hookSwitch) || arrays.has(TEL.hookSwitch)) {
      const v = values.get(TEL.hookSwitch) ?? 0
      const next = relative.has(TEL.hookSwitch) ? (v > 0 ? !this.offHook : this.offHook) : v !== 0
      if (next !== this.offHook) {
        this.offHook = next
        events.push({ type: 'hook', offHook: next })
      }
    }
    for (const [u, v] of values) {
      const key = phoneKeyOf(u)
      if (key && v !== 0 && pressed(u)) events.push({ type: 'digit', digit: key })
    }
    if (pressed(TEL.flash)) events.push({ type: 'flash' })
    if (pressed(TEL.redial)) events.push({ type: 'redial' })
    if (pressed(TEL.phoneMute)) {
      this.muted = !this.muted
      events.push({ type: 'mute', on: this.muted })
    }
    // Remember absolute controls that are down now; forget those this report says are up.
    for (const u of inLayout) {
      if (relative.has(u)) continue
      if ((values.get(u) ?? 0) !== 0) this.held.add(u)
      else this.held.delete(u)
    }
    return events
  }

  get state(): { offHook: boolean; muted: boolean } {
    return { offHook: this.offHook, muted: this.muted }
  }
}

/** Output reports that set the given indicators, one per report id that carries any of them. */
export function encodeIndicators(d: HidDescriptor, on: ReadonlyMap<Indicator, boolean>): Uint8Array[] {
  const values = new Map<number, number>()
  for (const name of INDICATORS) values.set(LED[name], on.get(name) ? 1 : 0)
  return d.reports
    .filter(
      (r) =>
        r.kind === 'output' &&
        r.fields.some((f) => INDICATORS.some((n) => [...fieldUsages(f)].includes(LED[n])))
    )
    .map((r) => encodeReport(d, r, values))
}
