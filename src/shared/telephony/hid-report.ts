/**
 * Reading and writing report fields: HID packs fields little-endian, bit 0 being the least significant bit
 * of the first data byte. A field is signed when its logical minimum is negative.
 */
import {
  arrayUsage,
  declaredUsages,
  fieldUsages,
  type HidDescriptor,
  type HidField,
  type ReportKind,
  type ReportLayout,
  variableUsage
} from './hid-descriptor'

export function readBits(data: Uint8Array, bitOffset: number, bitSize: number): number {
  let value = 0
  for (let i = bitSize - 1; i >= 0; i--) {
    const bit = bitOffset + i
    const byte = data[bit >> 3] ?? 0
    value = value * 2 + ((byte >> (bit & 7)) & 1)
  }
  return value
}

export function writeBits(data: Uint8Array, bitOffset: number, bitSize: number, value: number): void {
  let v = value < 0 ? value + 2 ** bitSize : value
  for (let i = 0; i < bitSize; i++) {
    const bit = bitOffset + i
    const index = bit >> 3
    if (index >= data.length) return
    const mask = 1 << (bit & 7)
    data[index] = (v % 2 === 1 ? (data[index] as number) | mask : (data[index] as number) & ~mask) & 0xff
    v = Math.floor(v / 2)
  }
}

const toSigned = (field: HidField, raw: number): number =>
  field.logicalMin < 0 && raw >= 2 ** (field.bitSize - 1) ? raw - 2 ** field.bitSize : raw

/** The report layout a buffer belongs to: by its first byte when the device uses report ids. */
export function layoutFor(
  descriptor: HidDescriptor,
  kind: ReportKind,
  report: Uint8Array
): { layout: ReportLayout; data: Uint8Array } | null {
  if (!descriptor.usesReportIds) {
    const layout = descriptor.reports.find((r) => r.kind === kind && r.reportId === 0)
    return layout ? { layout, data: report } : null
  }
  const id = report[0]
  const layout = descriptor.reports.find((r) => r.kind === kind && r.reportId === id)
  return layout ? { layout, data: report.subarray(1) } : null
}

/**
 * The usages a report says are active, with their values: for variable fields every usage with its value
 * (0 included, so a released button is seen), for array fields each selected usage with value 1 (a usage an
 * array no longer lists is released: arrayFieldUsages names them). Elements past a variable field's usage list
 * repeat its last usage, whose own element already gave its value: padding there never overwrites it.
 */
export function decodeReport(layout: ReportLayout, data: Uint8Array): Map<number, number> {
  const out = new Map<number, number>()
  for (const field of layout.fields) {
    if (field.constant) continue
    // A variable field reads only the elements that own a usage (see declaredUsages); an array reads every slot.
    const elements = field.array ? field.count : Math.min(field.count, declaredUsages(field))
    for (let i = 0; i < elements; i++) {
      const raw = readBits(data, field.bitOffset + i * field.bitSize, field.bitSize)
      const value = toSigned(field, raw)
      if (field.array) {
        const u = arrayUsage(field, value)
        if (u !== null) out.set(u, 1)
      } else {
        const u = variableUsage(field, i)
        if (u !== null) out.set(u, value)
      }
    }
  }
  return out
}

/** The usages an array field could report, so a decoder knows which ones went quiet. */
export function arrayFieldUsages(layout: ReportLayout): Set<number> {
  const out = new Set<number>()
  for (const f of layout.fields) {
    if (!f.array || f.constant) continue
    let n = 0
    for (const u of fieldUsages(f)) {
      if (n++ >= 4096) break // a bound for hostile descriptors; no phone's array comes near it
      out.add(u)
    }
  }
  return out
}

/**
 * Builds a report (report id byte first when the device uses ids): variable usages get their values; an array
 * field gets the index of the first of its usages whose value is non-zero (as a pressed key is reported).
 */
export function encodeReport(
  descriptor: HidDescriptor,
  layout: ReportLayout,
  values: ReadonlyMap<number, number>
): Uint8Array {
  const idBytes = descriptor.usesReportIds ? 1 : 0
  const out = new Uint8Array(idBytes + Math.ceil(layout.bitLength / 8))
  if (idBytes) out[0] = layout.reportId
  const data = out.subarray(idBytes)
  for (const field of layout.fields) {
    if (field.constant) continue
    if (field.array) {
      let slot = 0
      for (const [u, v] of values) {
        if (v === 0 || slot >= field.count) continue
        const index = usageIndex(field, u)
        if (index === null) continue
        writeBits(data, field.bitOffset + slot * field.bitSize, field.bitSize, field.logicalMin + index)
        slot++
      }
      continue
    }
    // Only elements with a usage of their own: the repeats of the last usage stay 0, as hid-core leaves them.
    const owned = Math.min(field.count, declaredUsages(field))
    for (let i = 0; i < owned; i++) {
      const u = variableUsage(field, i)
      const v = u === null ? undefined : values.get(u)
      if (v !== undefined) writeBits(data, field.bitOffset + i * field.bitSize, field.bitSize, v)
    }
  }
  return out
}

function usageIndex(field: HidField, u: number): number | null {
  let base = 0
  for (const r of field.usages) {
    if (u >= r.min && u <= r.max) {
      const index = base + (u - r.min)
      return field.logicalMin + index <= field.logicalMax ? index : null
    }
    base += r.max - r.min + 1
  }
  return null
}
