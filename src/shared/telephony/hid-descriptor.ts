/**
 * A HID report-descriptor parser (Device Class Definition for HID 1.11, §6.2.2), written here because no
 * maintained npm library parses descriptors outside a browser's WebHID: node-hid exposes none, and WebHID
 * is Chromium-only. It turns the descriptor's items into report layouts: for each report (input, output,
 * feature; by report id) the fields with their bit offset, size, count, flags, logical range and usages.
 *
 * Usages follow §6.2.2.8 as Linux's hid-core reads it (hid_add_usage, hid_concatenate_last_usage_page): a Usage
 * of one or two bytes takes the Usage Page current when the Usage item is read, so a page changed between two
 * usages of one field applies only to the usages after it; a four-byte (extended) Usage carries its own page. At
 * the main item, the last declared Usage Page is applied once more to the trailing usages read before it (devices
 * that write "Usage, Usage Page, Input"), walking back only until a usage already on that page.
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
  /**
   * In declaration order, each resolved to its page. A variable field's element i takes the i-th usage; elements
   * beyond the list repeat the last usage (as hid-core's hid_add_field does), and usages beyond `count` have no
   * element at all. An array field's value v selects usage v - logicalMin.
   */
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

/** A usage (or Usage Minimum..Maximum range) as read: already resolved to extended usages. */
interface LocalUsage {
  min: number
  max: number
  /** Given as a four-byte item (for a range: its Usage Maximum, as in hid-core): keeps its own page. */
  extended: boolean
}

interface Local {
  usages: LocalUsage[]
  pendingMin: { value: number; extended: boolean } | null
}

const pageOf = (u: number): number => Math.floor(u / 0x10000) & 0xffff
const onPage = (page: number, u: number): number => (page & 0xffff) * 0x10000 + (u & 0xffff)

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

  /** A usage id on the page current now (hid-core's complete_usage); an extended usage as it is. */
  const resolve = (value: number, extended: boolean): number =>
    extended ? value >>> 0 : onPage(g.usagePage, value)

  /**
   * At a main item: the last declared Usage Page also covers the trailing short usages read before it, back to
   * the first one already on that page (hid_concatenate_last_usage_page). Extended usages are never re-paged.
   */
  const localRanges = (): UsageRange[] => {
    const page = g.usagePage & 0xffff
    for (let i = local.usages.length - 1; i >= 0; i--) {
      const u = local.usages[i] as LocalUsage
      if (u.extended) continue
      if (pageOf(u.min) === page) break
      u.min = onPage(page, u.min)
      u.max = onPage(page, u.max)
    }
    return local.usages.map((u) => (u.max >= u.min ? { min: u.min, max: u.max } : { min: u.max, max: u.min }))
  }

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
      // Local items, resolved as they are read: 4-byte usages carry their own page, shorter ones take the
      // Usage Page current now (a later Usage Page applies only to the usages after it).
      const extended = size === 4
      if (tag === 0x0 || tag === 0x2) {
        if (local.usages.length >= LIMITS.usagesPerField)
          throw new HidDescriptorError('TOO_MANY_USAGES', 'too many usages before one main item', start)
      }
      if (tag === 0x0) {
        const u = resolve(raw, extended)
        local.usages.push({ min: u, max: u, extended })
      } else if (tag === 0x1) {
        local.pendingMin = { value: raw, extended }
      } else if (tag === 0x2) {
        // A range is resolved at its Usage Maximum, as hid-core adds its usages there.
        const min = local.pendingMin ?? { value: 0, extended: false }
        local.usages.push({ min: resolve(min.value, min.extended), max: resolve(raw, extended), extended })
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

/**
 * How many usages a field declares (ranges counted in full). A variable field's elements from this index on
 * repeat the last usage (hid-core), whose own element is the real one: a repeat never overwrites it.
 */
export function declaredUsages(field: HidField): number {
  let n = 0
  for (const r of field.usages) n += r.max - r.min + 1
  return n
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

/**
 * Every usage a field can report, in order: a variable field's usages that have an element (the first `count`;
 * usages beyond Report Count are not controls), an array field's usages its logical range can select.
 */
export function* fieldUsages(field: HidField): Generator<number> {
  const reachable = field.array ? field.logicalMax - field.logicalMin + 1 : field.count
  let n = 0
  for (const r of field.usages)
    for (let u = r.min; u <= r.max; u++) {
      if (n++ >= reachable) return
      yield u
    }
}
