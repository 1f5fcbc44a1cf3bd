/**
 * The driver's firmware capability over Dialtone's firmware protocol: read the running version, write an image
 * (begin, chunks with progress, commit), and verify by reading the version back. The device only switches after
 * it has checked size and SHA-256 itself, so a failed or interrupted write leaves it on its old firmware: that is
 * the rollback. Two transports carry the commands (firmware-protocol.ts): the vendor feature report (SET_FEATURE,
 * then GET_FEATURE for the status) and the firmware interface (an output report, answered by an input report).
 */
import { createHash } from 'node:crypto'
import type { HidHandle } from '../hid-port'
import {
  FW_CHUNK_BYTES,
  FW_STATUS,
  decodeAnswer,
  decodeStatus,
  fwAbort,
  fwBegin,
  fwChunk,
  fwCommit,
  fwQuery,
  type FwStatus
} from './firmware-protocol'
import { FEATURE_DATA_BYTES } from './tigerjet-protocol'

export class FirmwareError extends Error {
  constructor(
    readonly code: 'out-of-order' | 'verify-failed' | 'not-applied' | 'device-gone',
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
}

/** One command (a report: id 0, then the opcode and its body) and the device's answer. */
type Exchange = (report: Uint8Array) => Promise<FwStatus>

/** Over the vendor feature report: SET_FEATURE with the command, GET_FEATURE for the status. */
function featureExchange(handle: HidHandle): Exchange {
  return async (report) => {
    await handle.sendFeatureReport(report)
    return decodeStatus(await handle.getFeatureReport(0, 1 + FEATURE_DATA_BYTES))
  }
}

/**
 * Over the firmware interface: the command as an output report, the answer as the next input report that names
 * the same opcode. One command at a time (the write loop awaits each), so an answer cannot be taken for another's.
 */
function interruptExchange(handle: HidHandle, timeoutMs: number): Exchange {
  return (report) =>
    new Promise<FwStatus>((resolve, reject) => {
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
        const answer = decodeAnswer(input)
        if (answer?.op !== op) return
        done()
        resolve(answer.status)
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
  const command = async (report: Uint8Array): Promise<FwStatus> => {
    try {
      return await exchange(report)
    } catch (err) {
      throw new FirmwareError(
        'device-gone',
        `the dongle stopped answering (${err instanceof Error ? err.message : String(err)}); it keeps its old firmware`
      )
    }
  }
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
    }
  }
}
