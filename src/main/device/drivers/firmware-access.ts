/**
 * The driver's firmware capability over Dialtone's firmware protocol: read the running version, write an image
 * (begin, chunks with progress, commit), and verify by reading the version back. The device only switches after
 * it has checked size and SHA-256 itself, so a failed or interrupted write leaves it on its old firmware: that is
 * the rollback.
 */
import { createHash } from 'node:crypto'
import type { HidHandle } from '../hid-port'
import {
  FW_CHUNK_BYTES,
  FW_STATUS,
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

export function firmwareAccess(handle: HidHandle): FirmwareAccess {
  const status = async (): Promise<FwStatus> =>
    decodeStatus(await handle.getFeatureReport(0, 1 + FEATURE_DATA_BYTES))
  const command = async (report: Uint8Array): Promise<FwStatus> => {
    try {
      await handle.sendFeatureReport(report)
      return await status()
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
