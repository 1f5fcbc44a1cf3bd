/**
 * A HID report-descriptor parser (Device Class Definition for HID 1.11, §6.2.2), written here because no
 * maintained npm library parses descriptors outside a browser's WebHID: node-hid exposes none, and WebHID
 * is Chromium-only. It turns the descriptor's items into report layouts: for each report (input, output,
 * feature; by report id) the fields with their bit offset, size, count, flags, logical range and usages.
 *
 * It is fed untrusted bytes (any USB device), so it walks the items once, always forward, bounds every
 * count and range, and fails only with HidDescriptorError. Limits follow the Linux kernel's HID core.
 */
export type ReportKind = 'input' | 'output' | 'feature'

export interface UsageRange {
  /** Extended usages (page << 16 | id), inclusive. */
  readonly min: number
  readonly max: number
}

export interface HidField {
  readonly kind: ReportKind
  /** 0 when the descriptor declares no report ids. */
  readonly reportId: number
  /** Offset in bits from the start of the report data (after the report id byte, if any). */
  readonly bitOffset: number
  readonly bitSize: number
  readonly count: number
  readonly constant: boolean
  /** Array fields carry indices into `usages`; variable fields carry one value per usage. */
  readonly array: boolean
  /** Relative (toggle, one-shot) rather than absolute state. */
  readonly relative: boolean
  readonly logicalMin: number
  readonly logicalMax: number
  /** In declaration order; a variable field's element i takes the i-th usage (the last one repeats). */
  readonly usages: readonly UsageRange[]
  /** Usages of the enclosing collections, outermost first. */
  readonly collections: readonly number[]
}

export interface ReportLayout {
  readonly kind: ReportKind
  readonly reportId: number
  /** Data bits, excluding the report id byte. */
  readonly bitLength: number
  readonly fields: readonly HidField[]
}

export interface HidDescriptor {
  readonly usesReportIds: boolean
  /** Usages of the top-level (application) collections, e.g. Telephony/Phone. */
  readonly applications: readonly number[]
  readonly reports: readonly ReportLayout[]
}

export type HidErrorCode =
  | 'TRUNCATED'
  | 'TOO_LONG'
  | 'UNBALANCED_COLLECTION'
  | 'BAD_REPORT_ID'
  | 'BAD_REPORT_SIZE'
  | 'BAD_REPORT_COUNT'
  | 'REPORT_TOO_LONG'
  | 'STACK'
  | 'TOO_MANY_USAGES'
  | 'RESERVED_ITEM'
  | 'EMPTY'

export class HidDescriptorError extends Error {
  constructor(
    readonly code: HidErrorCode,
    message: string,
    readonly offset: number
  ) {
    super(`HID report descriptor, byte ${offset}: ${message}`)
    this.name = 'HidDescriptorError'
  }
}

/** Bounds, as in Linux's hid-core (HID_MAX_DESCRIPTOR_SIZE, HID_MAX_USAGES, HID_GLOBAL_STACK_SIZE …). */
export const LIMITS = {
  descriptorBytes: 4096,
  reportSizeBits: 256,
  reportCount: 12288,
  reportBytes: 16384,
  globalStack: 4,
  collectionDepth: 32,
  usagesPerField: 12288,
  fields: 1024
} as const

interface Globals {
  usagePage: number
  logicalMin: number
  logicalMax: number
  logicalMaxRaw: number
  logicalMaxSize: number
  reportSize: number
  reportCount: number
  reportId: number
}

interface Local {
  usages: { value: number; explicitPage: boolean; range: boolean; max?: number; maxExplicit?: boolean }[]
  pendingMin: { value: number; explicitPage: boolean } | null
}

const unsigned = (bytes: Uint8Array, at: number, size: number): number => {
  let v = 0
  for (let i = size - 1; i >= 0; i--) v = v * 256 + (bytes[at + i] ?? 0)
  return v
}
const signed = (value: number, size: number): number => {
  if (size === 0) return 0
  const bits = size * 8
  return value >= 2 ** (bits - 1) ? value - 2 ** bits : value
}

export function parseHidDescriptor(bytes: Uint8Array): HidDescriptor {
  if (bytes.length === 0) throw new HidDescriptorError('EMPTY', 'the descriptor is empty', 0)
  if (bytes.length > LIMITS.descriptorBytes)
    throw new HidDescriptorError(
      'TOO_LONG',
      `longer than ${LIMITS.descriptorBytes} bytes`,
      LIMITS.descriptorBytes
    )

  let g: Globals = {
    usagePage: 0,
    logicalMin: 0,
    logicalMax: 0,
    logicalMaxRaw: 0,
    logicalMaxSize: 0,
    reportSize: 0,
    reportCount: 0,
    reportId: 0
  }
  const stack: Globals[] = []
  let local: Local = { usages: [], pendingMin: null }
  const collections: number[] = []
  const applications: number[] = []
  const reports = new Map<string, { kind: ReportKind; reportId: number; bits: number; fields: HidField[] }>()
  let usesReportIds = false
  let fieldCount = 0

  const resolve = (u: { value: number; explicitPage: boolean }): number =>
    u.explicitPage ? u.value : ((g.usagePage & 0xffff) * 0x10000 + (u.value & 0xffff)) >>> 0

  const localRanges = (): UsageRange[] =>
    local.usages.map((u) => {
      const min = resolve(u)
      if (!u.range) return { min, max: min }
      const max = resolve({ value: u.max ?? u.value, explicitPage: u.maxExplicit ?? u.explicitPage })
      return max >= min ? { min, max } : { min: max, max: min }
    })

  let at = 0
  while (at < bytes.length) {
    const start = at
    const prefix = bytes[at] as number
    if (prefix === 0xfe) {
      // Long item: skipped (no long item tags are defined by the spec).
      if (at + 2 >= bytes.length)
        throw new HidDescriptorError('TRUNCATED', 'long item header cut short', start)
      const dataSize = bytes[at + 1] as number
      at += 3 + dataSize
      if (at > bytes.length) throw new HidDescriptorError('TRUNCATED', 'long item data cut short', start)
      continue
    }
    const size = [0, 1, 2, 4][prefix & 0x03] as number
    const type = (prefix >> 2) & 0x03
    const tag = prefix >> 4
    if (at + 1 + size > bytes.length)
      throw new HidDescriptorError(
        'TRUNCATED',
        `item 0x${prefix.toString(16)} needs ${size} data bytes`,
        start
      )
    const raw = unsigned(bytes, at + 1, size)
    at += 1 + size

    if (type === 0) {
      // Main items.
      if (tag === 0x8 || tag === 0x9 || tag === 0xb) {
        const kind: ReportKind = tag === 0x8 ? 'input' : tag === 0x9 ? 'output' : 'feature'
        if (g.reportSize > LIMITS.reportSizeBits)
          throw new HidDescriptorError('BAD_REPORT_SIZE', `report size ${g.reportSize} bits`, start)
        if (g.reportCount > LIMITS.reportCount)
          throw new HidDescriptorError('BAD_REPORT_COUNT', `report count ${g.reportCount}`, start)
        const key = `${kind}:${g.reportId}`
        const report = reports.get(key) ?? { kind, reportId: g.reportId, bits: 0, fields: [] }
        reports.set(key, report)
        const bits = g.reportSize * g.reportCount
        if (bits > 0) {
          if (++fieldCount > LIMITS.fields)
            throw new HidDescriptorError('TOO_MANY_USAGES', 'too many fields', start)
          let logicalMax = g.logicalMax
          // A common quirk: Logical Maximum 0xFF in one byte meant 255, not -1.
          if (g.logicalMin >= 0 && logicalMax < g.logicalMin) logicalMax = g.logicalMaxRaw
          const usages = localRanges()
          let span = 0
          for (const r of usages) span += r.max - r.min + 1
          if (span > LIMITS.usagesPerField)
            throw new HidDescriptorError('TOO_MANY_USAGES', `${span} usages in one field`, start)
          report.fields.push({
            kind,
            reportId: g.reportId,
            bitOffset: report.bits,
            bitSize: g.reportSize,
            count: g.reportCount,
            constant: (raw & 0x01) !== 0,
            array: (raw & 0x02) === 0,
            relative: (raw & 0x04) !== 0,
            logicalMin: g.logicalMin,
            logicalMax,
            usages,
            collections: [...collections]
          })
          report.bits += bits
          if (report.bits > LIMITS.reportBytes * 8)
            throw new HidDescriptorError('REPORT_TOO_LONG', `${kind} report ${g.reportId} is too long`, start)
        }
      } else if (tag === 0xa) {
        if (collections.length >= LIMITS.collectionDepth)
          throw new HidDescriptorError('UNBALANCED_COLLECTION', 'collections nested too deep', start)
        const ranges = localRanges()
        const u = ranges[0]?.min ?? 0
        if (collections.length === 0 && (raw & 0xff) === 0x01) applications.push(u)
        collections.push(u)
      } else if (tag === 0xc) {
        if (collections.length === 0)
          throw new HidDescriptorError('UNBALANCED_COLLECTION', 'End Collection without a Collection', start)
        collections.pop()
      }
      local = { usages: [], pendingMin: null }
    } else if (type === 1) {
      // Global items.
      switch (tag) {
        case 0x0:
          g.usagePage = raw & 0xffff
          break
        case 0x1:
          g.logicalMin = signed(raw, size)
          break
        case 0x2:
          g.logicalMax = signed(raw, size)
          g.logicalMaxRaw = raw
          g.logicalMaxSize = size
          break
        case 0x7:
          g.reportSize = raw
          break
        case 0x8:
          if (raw === 0 || raw > 255) throw new HidDescriptorError('BAD_REPORT_ID', `report id ${raw}`, start)
          g.reportId = raw
          usesReportIds = true
          break
        case 0x9:
          g.reportCount = raw
          break
        case 0xa:
          if (stack.length >= LIMITS.globalStack)
            throw new HidDescriptorError('STACK', 'Push beyond the stack', start)
          stack.push({ ...g })
          break
        case 0xb: {
          const popped = stack.pop()
          if (!popped) throw new HidDescriptorError('STACK', 'Pop without Push', start)
          g = popped
          break
        }
        case 0x3:
        case 0x4:
        case 0x5:
        case 0x6:
          break // physical range and units: not needed for telephony controls
        default:
          throw new HidDescriptorError('RESERVED_ITEM', `reserved global item tag ${tag}`, start)
      }
    } else if (type === 2) {
      // Local items. 4-byte usages carry their own page.
      const explicitPage = size === 4
      if (tag === 0x0) {
        if (local.usages.length >= LIMITS.usagesPerField)
          throw new HidDescriptorError('TOO_MANY_USAGES', 'too many usages before one main item', start)
        local.usages.push({ value: raw, explicitPage, range: false })
      } else if (tag === 0x1) {
        local.pendingMin = { value: raw, explicitPage }
      } else if (tag === 0x2) {
        const min = local.pendingMin ?? { value: 0, explicitPage: false }
        local.usages.push({
          value: min.value,
          explicitPage: min.explicitPage,
          range: true,
          max: raw,
          maxExplicit: explicitPage
        })
        local.pendingMin = null
      }
      // Designators, strings and delimiters do not change the layout.
    } else {
      throw new HidDescriptorError('RESERVED_ITEM', 'reserved item type', start)
    }
  }
  if (collections.length > 0)
    throw new HidDescriptorError(
      'UNBALANCED_COLLECTION',
      `${collections.length} collection(s) left open`,
      bytes.length
    )

  return {
    usesReportIds,
    applications,
    reports: [...reports.values()].map((r) => ({
      kind: r.kind,
      reportId: r.reportId,
      bitLength: r.bits,
      fields: r.fields
    }))
  }
}

/** The extended usage of element `index` of a variable field (the last usage repeats). */
export function variableUsage(field: HidField, index: number): number | null {
  let i = index
  let last: number | null = null
  for (const r of field.usages) {
    const n = r.max - r.min + 1
    if (i < n) return r.min + i
    i -= n
    last = r.max
  }
  return last
}

/** The extended usage an array field's value selects, or null for "nothing" / out of range. */
export function arrayUsage(field: HidField, value: number): number | null {
  if (value < field.logicalMin || value > field.logicalMax) return null
  return variableUsageStrict(field, value - field.logicalMin)
}

function variableUsageStrict(field: HidField, index: number): number | null {
  let i = index
  for (const r of field.usages) {
    const n = r.max - r.min + 1
    if (i < n) return r.min + i
    i -= n
  }
  return null
}

/** Every usage a field can report. */
export function* fieldUsages(field: HidField): Generator<number> {
  for (const r of field.usages) for (let u = r.min; u <= r.max; u++) yield u
}
