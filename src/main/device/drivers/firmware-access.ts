/**
 * The driver's firmware capability over Dialtone's firmware protocol: read the running version, write an image
 * (begin, chunks with progress, commit), and verify by reading the version back. The device only switches after
 * it has checked size and SHA-256 itself, so a failed or interrupted write leaves it on its old firmware: that is
 * the rollback. Two transports carry the commands (firmware-protocol.ts): the vendor feature report (SET_FEATURE,
 * then GET_FEATURE for the status) and the firmware interface (an output report, answered by an input report).
 * The same commands carry attestation: the dongle signs the service's challenge, and the signature is read back
 * in parts.
 */
import { createHash } from 'node:crypto'
import type { HidHandle } from '../hid-port'
import { SIGNATURE_BYTES } from '../../../shared/api/attestation'
import {
  FW_CHUNK_BYTES,
  FW_SIGNATURE_PART_BYTES,
  FW_STATUS,
  decodeSignaturePart,
  decodeStatus,
  fwAbort,
  fwAttest,
  fwBegin,
  fwChunk,
  fwCommit,
  fwQuery,
  fwSignature,
  type FwStatus
} from './firmware-protocol'
import type { FIRMWARE_FAILURES } from '../../../shared/ipc/setup'
import { FEATURE_DATA_BYTES } from './tigerjet-protocol'

export class FirmwareError extends Error {
  constructor(
    readonly code: (typeof FIRMWARE_FAILURES)[number],
    message: string
  ) {
    super(message)
    this.name = 'FirmwareError'
  }
}

export interface FirmwareAccess {
  version(): Promise<string>
  write(
    image: Uint8Array,
    version: string,
    onProgress?: (bytes: number, total: number) => void
  ): Promise<void>
  /**
   * The dongle's Ed25519 signature (64 bytes) over the attestation message for this challenge and its own serial
   * and model. FirmwareError 'cannot-attest' when the dongle has no key, 'device-gone' when it stops answering.
   */
  attest(challenge: Uint8Array): Promise<Uint8Array>
}

/** One command (a report: id 0, then the opcode and its body) and the device's answer (its 64 data bytes). */
type Exchange = (report: Uint8Array) => Promise<Uint8Array>

/** Over the vendor feature report: SET_FEATURE with the command, GET_FEATURE for the answer. */
function featureExchange(handle: HidHandle): Exchange {
  return async (report) => {
    await handle.sendFeatureReport(report)
    return (await handle.getFeatureReport(0, 1 + FEATURE_DATA_BYTES)).subarray(1)
  }
}

/**
 * Over the firmware interface: the command as an output report, the answer as the next input report that names
 * the same opcode. One command at a time (the write loop awaits each), so an answer cannot be taken for another's.
 */
function interruptExchange(handle: HidHandle, timeoutMs: number): Exchange {
  return (report) =>
    new Promise<Uint8Array>((resolve, reject) => {
      const op = report[1] ?? 0
      const done = (): void => {
        clearTimeout(timer)
        stopData()
        stopError()
      }
      const timer = setTimeout(() => {
        done()
        reject(new Error(`no answer to firmware command 0x${op.toString(16)} within ${timeoutMs} ms`))
      }, timeoutMs)
      const stopData = handle.onData((input) => {
        if (input[0] !== op) return
        done()
        resolve(input.subarray(1))
      })
      const stopError = handle.onError((err) => {
        done()
        reject(err)
      })
      handle.write(report).catch((err: unknown) => {
        done()
        reject(err instanceof Error ? err : new Error(String(err)))
      })
    })
}

export interface FirmwareTransport {
  /** 'feature' (default): the vendor feature report on the phone's own interface; 'interface': the firmware interface. */
  readonly via?: 'feature' | 'interface'
  /** How long the firmware interface may take to answer one command. */
  readonly timeoutMs?: number
}

export function firmwareAccess(handle: HidHandle, transport: FirmwareTransport = {}): FirmwareAccess {
  const exchange =
    transport.via === 'interface'
      ? interruptExchange(handle, transport.timeoutMs ?? 5000)
      : featureExchange(handle)
  const raw = async (report: Uint8Array): Promise<Uint8Array> => {
    try {
      return await exchange(report)
    } catch (err) {
      throw new FirmwareError(
        'device-gone',
        `the dongle stopped answering (${err instanceof Error ? err.message : String(err)}); it keeps its old firmware`
      )
    }
  }
  const command = async (report: Uint8Array): Promise<FwStatus> => decodeStatus(await raw(report), false)
  return {
    async version() {
      return (await command(fwQuery())).version
    },
    async write(image, version, onProgress) {
      const sha = createHash('sha256').update(image).digest()
      await command(fwBegin(image.length, sha))
      for (let offset = 0; offset < image.length; offset += FW_CHUNK_BYTES) {
        const s = await command(fwChunk(offset, image.subarray(offset, offset + FW_CHUNK_BYTES)))
        if (s.status === FW_STATUS.outOfOrder) {
          await command(fwAbort())
          throw new FirmwareError(
            'out-of-order',
            `the dongle lost its place at byte ${offset}; it keeps its old firmware`
          )
        }
        onProgress?.(Math.min(image.length, offset + FW_CHUNK_BYTES), image.length)
      }
      const done = await command(fwCommit(version))
      if (done.status === FW_STATUS.verifyFailed)
        throw new FirmwareError(
          'verify-failed',
          'the dongle found the image damaged and kept its old firmware'
        )
      if (done.version !== version)
        throw new FirmwareError('not-applied', `the dongle still reports ${done.version}, not ${version}`)
    },
    async attest(challenge) {
      const s = await command(fwAttest(challenge))
      if (s.status === FW_STATUS.noKey)
        throw new FirmwareError('cannot-attest', 'this dongle has no attestation key')
      if (s.status !== FW_STATUS.signed || s.received !== SIGNATURE_BYTES)
        throw new FirmwareError(
          'cannot-attest',
          `the dongle answered ATTEST with status 0x${s.status.toString(16)}`
        )
      const signature = new Uint8Array(SIGNATURE_BYTES)
      for (let offset = 0; offset < SIGNATURE_BYTES; offset += FW_SIGNATURE_PART_BYTES) {
        const part = decodeSignaturePart(await raw(fwSignature(offset)))
        if (part.status !== FW_STATUS.signed || part.offset !== offset || part.part.length === 0)
          throw new FirmwareError('device-gone', 'the dongle lost its signature (unplugged?); ask it again')
        signature.set(part.part, offset)
      }
      return signature
    }
  }
}
