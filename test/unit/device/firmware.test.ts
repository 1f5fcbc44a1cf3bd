/**
 * Firmware through the driver, against the virtual dongle's implementation of Dialtone's firmware protocol: the
 * version reads back after a write; a damaged image, chunks out of order and an unplug mid-write all leave the
 * dongle on its old firmware, and a later write still works.
 */
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { FirmwareError } from '../../../src/main/device/drivers/firmware-access'
import { firmwareAccess } from '../../../src/main/device/drivers/firmware-access'
import {
  FW_OP,
  decodeFirmwareCommand,
  decodeStatus,
  encodeStatus,
  fwChunk
} from '../../../src/main/device/drivers/firmware-protocol'
import type { HidHandle } from '../../../src/main/device/hid-port'
import { VirtualTigerJet } from '../../../src/main/device/virtual-tigerjet'

/** A handle that lets a test meddle with the reports on their way to the dongle. */
function meddling(dongle: VirtualTigerJet, meddle: (report: Uint8Array, n: number) => Uint8Array | 'unplug') {
  let n = 0
  const handle: HidHandle = {
    write: () => dongle.write(),
    getFeatureReport: (id, len) => dongle.getFeatureReport(id, len),
    onData: (l) => dongle.onData(l),
    onError: (l) => dongle.onError(l),
    close: () => dongle.close(),
    async sendFeatureReport(report) {
      const out = meddle(report, n++)
      if (out === 'unplug') {
        dongle.unplug()
        throw new Error('could not write to HID device (unplugged)')
      }
      return dongle.sendFeatureReport(out)
    }
  }
  return handle
}

const IMAGE = randomBytes(1000)

describe('firmware over the driver', () => {
  it('writes an image with progress and reads the new version back', async () => {
    const dongle = new VirtualTigerJet()
    const fw = firmwareAccess(dongle)
    expect(await fw.version()).toBe('1.0.0')
    const progress: number[] = []
    await fw.write(IMAGE, '1.2.0', (bytes) => progress.push(bytes))
    expect(await fw.version()).toBe('1.2.0')
    expect(progress.at(-1)).toBe(IMAGE.length)
    expect(progress).toHaveLength(Math.ceil(IMAGE.length / 56))
  })

  it('keeps the old firmware when a byte is damaged on the way (the dongle checks SHA-256 before switching)', async () => {
    const dongle = new VirtualTigerJet()
    const fw = firmwareAccess(
      meddling(dongle, (r) => {
        if (r[1] === FW_OP.chunk && r[2] === 56) {
          const copy = Uint8Array.from(r)
          copy[8] = (copy[8] ?? 0) ^ 0xff
          return copy
        }
        return r
      })
    )
    const err = await fw.write(IMAGE, '1.2.0').catch((e: unknown) => e)
    expect((err as FirmwareError).code).toBe('verify-failed')
    expect(dongle.firmwareVersion).toBe('1.0.0')
  })

  it('stops and keeps the old firmware when chunks arrive out of order', async () => {
    const dongle = new VirtualTigerJet()
    const fw = firmwareAccess(meddling(dongle, (r, n) => (n === 3 ? fwChunk(999, new Uint8Array(4)) : r)))
    const err = await fw.write(IMAGE, '1.2.0').catch((e: unknown) => e)
    expect((err as FirmwareError).code).toBe('out-of-order')
    expect(dongle.firmwareVersion).toBe('1.0.0')
  })

  it('survives an unplug mid-write on the old firmware, and a later write succeeds', async () => {
    const dongle = new VirtualTigerJet()
    const err = await firmwareAccess(meddling(dongle, (r, n) => (n === 7 ? 'unplug' : r)))
      .write(IMAGE, '1.2.0')
      .catch((e: unknown) => e)
    expect((err as FirmwareError).code).toBe('device-gone')
    expect(dongle.firmwareVersion).toBe('1.0.0')
    await firmwareAccess(dongle).write(IMAGE, '1.2.0')
    expect(dongle.firmwareVersion).toBe('1.2.0')
  })

  it('encodes and decodes its reports symmetrically', () => {
    const s = { status: 0xe2, received: 123456, version: '10.20.300' }
    const withId = new Uint8Array(65)
    withId.set(encodeStatus(s), 1)
    expect(decodeStatus(withId)).toEqual(s)
    const chunk = fwChunk(112, Uint8Array.from([1, 2, 3]))
    expect(decodeFirmwareCommand(chunk.subarray(1))).toEqual({
      op: 'chunk',
      offset: 112,
      data: Uint8Array.from([1, 2, 3])
    })
    expect(() => fwChunk(0, new Uint8Array(57))).toThrow(/at most 56/)
  })
})
