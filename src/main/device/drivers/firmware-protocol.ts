/**
 * Dialtone's firmware protocol for dongles that speak it (the virtual dongle, the rig's gadget profile), carried in
 * the same 64-byte vendor feature report as the TigerJet registers, with opcodes of its own (0x40-0x46):
 *   0x40 QUERY                         -> status report
 *   0x41 BEGIN  size:u32le sha256[32]  -> device opens a staging area (status RECEIVING)
 *   0x42 CHUNK  offset:u32le len:u8 data[len<=56]; offsets must follow each other (else status OUT_OF_ORDER)
 *   0x43 COMMIT version[16] ASCII      -> device checks size and SHA-256; only then switches (else VERIFY_FAILED,
 *                                          the old firmware stays)
 *   0x44 ABORT                         -> staging dropped
 *   0x45 ATTEST challenge[32]          -> the dongle signs, with the Ed25519 key only it holds, the attestation
 *                                          message for the challenge, its own serial and model
 *                                          (src/shared/api/attestation.ts); status SIGNED and received = 64, or
 *                                          NO_KEY for a dongle without one
 *   0x46 SIGNATURE offset:u8           -> one part of that signature (a 64-byte signature does not fit one answer)
 * A GET_FEATURE after any of them answers: status:u8, received:u32le, version[16] (the running firmware); after
 * SIGNATURE instead: status:u8, offset:u8, len:u8, signature[offset, offset+len) (len <= 32).
 * Staging lives in RAM: an unplug mid-write leaves the device on its old firmware.
 *
 * Second transport, the firmware interface: a dongle whose control endpoint cannot answer GET_FEATURE with data
 * (the USB rig's gadget: Linux 6.1's f_hid answers every GET_REPORT with zeros) carries the same protocol on a HID
 * interface of its own, vendor page 0xFF00 usage 0xF1 (FIRMWARE_INTERFACE_DESCRIPTOR): each command is a 64-byte
 * output report (the feature report's data, opcode first) and the device answers with a 64-byte input report:
 * the opcode it answers, then the status as above.
 */
import { CHALLENGE_BYTES } from '../../../shared/api/attestation'
import { FEATURE_DATA_BYTES } from './tigerjet-protocol'

export const FW_OP = {
  query: 0x40,
  begin: 0x41,
  chunk: 0x42,
  commit: 0x43,
  abort: 0x44,
  attest: 0x45,
  signature: 0x46
} as const
export const FW_STATUS = {
  idle: 0x00,
  receiving: 0x01,
  signed: 0x02,
  outOfOrder: 0xe1,
  verifyFailed: 0xe2,
  noSession: 0xe3,
  noKey: 0xe4
} as const
/** The signature travels in parts of this size (an answer is 64 bytes, with its header). */
export const FW_SIGNATURE_PART_BYTES = 32
export const FW_CHUNK_BYTES = 56
export const FW_VERSION_BYTES = 16

const le32 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff]
const readLe32 = (b: Uint8Array, at: number): number =>
  ((b[at] ?? 0) | ((b[at + 1] ?? 0) << 8) | ((b[at + 2] ?? 0) << 16) | ((b[at + 3] ?? 0) << 24)) >>> 0

/** A feature report (report id 0 first) for a firmware command. */
function report(op: number, body: number[] | Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + FEATURE_DATA_BYTES)
  out[1] = op
  out.set(body, 2)
  return out
}

export const fwQuery = (): Uint8Array => report(FW_OP.query, [])
export const fwBegin = (size: number, sha256: Uint8Array): Uint8Array =>
  report(FW_OP.begin, [...le32(size), ...sha256])
export function fwChunk(offset: number, data: Uint8Array): Uint8Array {
  if (data.length > FW_CHUNK_BYTES) throw new Error(`a firmware chunk holds at most ${FW_CHUNK_BYTES} bytes`)
  return report(FW_OP.chunk, [...le32(offset), data.length, ...data])
}
export function fwCommit(version: string): Uint8Array {
  const v = new Uint8Array(FW_VERSION_BYTES)
  v.set(new TextEncoder().encode(version).subarray(0, FW_VERSION_BYTES))
  return report(FW_OP.commit, v)
}
export const fwAbort = (): Uint8Array => report(FW_OP.abort, [])
export const fwAttest = (challenge: Uint8Array): Uint8Array => report(FW_OP.attest, challenge)
export const fwSignature = (offset: number): Uint8Array => report(FW_OP.signature, [offset])

/** The answer to SIGNATURE (without report id or opcode): status, offset, length, then that part. */
export function encodeSignaturePart(status: number, offset: number, part: Uint8Array): Uint8Array {
  const out = new Uint8Array(FEATURE_DATA_BYTES)
  const bytes = part.subarray(0, FW_SIGNATURE_PART_BYTES)
  out.set([status, offset, bytes.length])
  out.set(bytes, 3)
  return out
}

export function decodeSignaturePart(data: Uint8Array): { status: number; offset: number; part: Uint8Array } {
  const len = Math.min(data[2] ?? 0, FW_SIGNATURE_PART_BYTES)
  return { status: data[0] ?? 0, offset: data[1] ?? 0, part: data.slice(3, 3 + len) }
}

export interface FwStatus {
  readonly status: number
  readonly received: number
  readonly version: string
}

/** A GET_FEATURE answer; `withReportId` when byte 0 is the report id. */
export function decodeStatus(answer: Uint8Array, withReportId = true): FwStatus {
  const at = withReportId ? 1 : 0
  const v = answer.subarray(at + 5, at + 5 + FW_VERSION_BYTES)
  const end = v.indexOf(0)
  return {
    status: answer[at] ?? 0,
    received: readLe32(answer, at + 1),
    version: new TextDecoder().decode(end === -1 ? v : v.subarray(0, end))
  }
}

export function encodeStatus(s: FwStatus): Uint8Array {
  const out = new Uint8Array(FEATURE_DATA_BYTES)
  out[0] = s.status
  out.set(le32(s.received), 1)
  out.set(new TextEncoder().encode(s.version).subarray(0, FW_VERSION_BYTES), 5)
  return out
}

export type FirmwareCommand =
  | { readonly op: 'query' | 'abort' }
  | { readonly op: 'begin'; readonly size: number; readonly sha256: Uint8Array }
  | { readonly op: 'chunk'; readonly offset: number; readonly data: Uint8Array }
  | { readonly op: 'commit'; readonly version: string }
  | { readonly op: 'attest'; readonly challenge: Uint8Array }
  | { readonly op: 'signature'; readonly offset: number }

/** What a feature report's data (without report id) asks, when it is a firmware command. */
export function decodeFirmwareCommand(data: Uint8Array): FirmwareCommand | null {
  switch (data[0]) {
    case FW_OP.query:
      return { op: 'query' }
    case FW_OP.abort:
      return { op: 'abort' }
    case FW_OP.begin:
      return { op: 'begin', size: readLe32(data, 1), sha256: data.slice(5, 37) }
    case FW_OP.chunk: {
      const len = Math.min(data[5] ?? 0, FW_CHUNK_BYTES)
      return { op: 'chunk', offset: readLe32(data, 1), data: data.slice(6, 6 + len) }
    }
    case FW_OP.commit: {
      const v = data.subarray(1, 1 + FW_VERSION_BYTES)
      const end = v.indexOf(0)
      return { op: 'commit', version: new TextDecoder().decode(end === -1 ? v : v.subarray(0, end)) }
    }
    case FW_OP.attest:
      return { op: 'attest', challenge: data.slice(1, 1 + CHALLENGE_BYTES) }
    case FW_OP.signature:
      return { op: 'signature', offset: data[1] ?? 0 }
    default:
      return null
  }
}

/** The firmware interface: vendor usage page and usage that mark it in the report descriptor. */
export const FIRMWARE_USAGE_PAGE = 0xff00
export const FIRMWARE_USAGE = 0xf1

/** Its report descriptor: one 64-byte input report (answers) and one 64-byte output report (commands), no ids. */
// prettier-ignore
export const FIRMWARE_INTERFACE_DESCRIPTOR = Uint8Array.from([
  0x06, 0x00, 0xff, // Usage Page (Vendor 0xFF00)
  0x09, 0xf1,       // Usage (0xF1: Dialtone firmware)
  0xa1, 0x01,       // Collection (Application)
  0x15, 0x00,       //   Logical Minimum (0)
  0x26, 0xff, 0x00, //   Logical Maximum (255)
  0x75, 0x08,       //   Report Size (8)
  0x95, 0x40,       //   Report Count (64)
  0x09, 0x01,       //   Usage (1)
  0x81, 0x02,       //   Input (Data, Variable, Absolute): answers
  0x09, 0x02,       //   Usage (2)
  0x91, 0x02,       //   Output (Data, Variable, Absolute): commands
  0xc0              // End Collection
])

/** The firmware interface's answer to a command: the opcode, then the status (or the answer's data as given). */
export function encodeAnswer(op: number, s: FwStatus | Uint8Array): Uint8Array {
  const out = new Uint8Array(FEATURE_DATA_BYTES)
  out[0] = op
  out.set((s instanceof Uint8Array ? s : encodeStatus(s)).subarray(0, FEATURE_DATA_BYTES - 1), 1)
  return out
}

/** An input report from the firmware interface: which command it answers and the status; null if it is not one. */
export function decodeAnswer(report: Uint8Array): { op: number; status: FwStatus } | null {
  const op = report[0] ?? 0
  if (op < FW_OP.query || op > FW_OP.signature) return null
  return { op, status: decodeStatus(report, true) }
}
