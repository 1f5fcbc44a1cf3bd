/**
 * The TigerJet 06e6:c200 (magicJack) vendor feature-report protocol: ARM control-register reads and writes
 * through the 64-byte feature report. Register map and framing: test/fixtures/usb/tigerjet-06e6-c200/PROTOCOL.md.
 */
export const FEATURE_DATA_BYTES = 64
export const REG = { control: 0x00, status: 0x14, clock: 0x38 } as const
export const CONTROL = { linePower: 0x001, ring: 0x300 } as const
export const STATUS = { strobe: 0x80, offHook: 0x8000_0000 } as const
const CMD_WRITE = 0x20

const le32 = (value: number): number[] => [
  value & 0xff,
  (value >>> 8) & 0xff,
  (value >>> 16) & 0xff,
  (value >>> 24) & 0xff
]

/** A feature report (report id 0 first) that writes `value` to register `reg`. */
export function registerWrite(reg: number, value: number): Uint8Array {
  const out = new Uint8Array(1 + FEATURE_DATA_BYTES)
  out.set([CMD_WRITE, reg & 0xff, 0x00, 0x01, ...le32(value >>> 0)], 1)
  return out
}

/** A feature report (report id 0 first) that selects register `reg` for the next GET_FEATURE. */
export function registerReadRequest(reg: number): Uint8Array {
  const out = new Uint8Array(1 + FEATURE_DATA_BYTES)
  out.set([0x00, 0x00, reg & 0xff, 0x00], 1)
  return out
}

/** The register value in a GET_FEATURE answer; `withReportId` when byte 0 is the report id (node-hid). */
export function registerValue(answer: Uint8Array, withReportId = true): number {
  const at = withReportId ? 1 : 0
  return (
    ((answer[at] ?? 0) |
      ((answer[at + 1] ?? 0) << 8) |
      ((answer[at + 2] ?? 0) << 16) |
      ((answer[at + 3] ?? 0) << 24)) >>>
    0
  )
}

export type DecodedCommand = { op: 'write'; reg: number; value: number } | { op: 'select'; reg: number }

/** What a feature report's data (without report id) asks of the chip; used by the virtual dongle and the rig. */
export function decodeCommand(data: Uint8Array): DecodedCommand | null {
  if (data[0] === CMD_WRITE && data[3] === 0x01)
    return { op: 'write', reg: data[1] ?? 0, value: registerValue(data.subarray(4), false) }
  if (data[0] === 0x00 && data[1] === 0x00) return { op: 'select', reg: data[2] ?? 0 }
  return null
}
