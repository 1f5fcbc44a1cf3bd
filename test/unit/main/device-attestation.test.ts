/**
 * The app's attester when the dongle is pulled out mid-attestation: the device list may still show the unplugged
 * dongle for a moment after its read failed (the rig's guest showed it); the attester must not try that dead
 * dongle again, but wait for the replugged one and ask it from one new challenge.
 */
import { describe, expect, it } from 'vitest'
import { type AttesterOptions, DeviceAttester } from '../../../src/main/account/device-attestation'
import { FirmwareError, type FirmwareAccess } from '../../../src/main/device/drivers/firmware-access'
import { silentLogger } from '../../../src/main/log/logger'

const SERIAL = 'DT-RIG-0004'
const MODEL = '06e6:c200'

function dongle(attest: FirmwareAccess['attest']): FirmwareAccess {
  return {
    version: () => Promise.resolve('1.0.0'),
    write: () => Promise.resolve(),
    attest
  }
}

/** One plugged-in dongle at a time, as the device manager lists it; `plugged` changes what is listed. */
function devices(initial: FirmwareAccess): {
  port: AttesterOptions['devices']
  plug(f: FirmwareAccess): void
} {
  let plugged = { id: 'dev-1', firmware: initial }
  const port = {
    list: () => ({
      devices: [{ id: plugged.id, serial: SERIAL, vendorId: 0x06e6, productId: 0xc200, state: 'ready' }]
    }),
    driverFor: (id: string) => (id === plugged.id ? { firmware: plugged.firmware } : null)
  }
  return {
    port: port as unknown as AttesterOptions['devices'],
    plug: (firmware) => {
      plugged = { id: 'dev-2', firmware }
    }
  }
}

describe('the device attester', () => {
  it('waits for the replugged dongle while the list still shows the unplugged one, then asks it once', async () => {
    const challenges: string[] = []
    const gone = dongle(() => Promise.reject(new FirmwareError('device-gone', 'unplugged')))
    const back = dongle(() => Promise.resolve(new Uint8Array(64).fill(7)))
    const list = devices(gone)
    let polls = 0
    const attester = new DeviceAttester({
      devices: {
        list: () => {
          // The list shows the unplugged dongle for five looks, the replugged one from the sixth.
          if (++polls === 6) list.plug(back)
          return list.port.list()
        },
        driverFor: (id) => list.port.driverFor(id)
      },
      challenge: () => {
        challenges.push(Buffer.alloc(32, challenges.length).toString('base64'))
        return Promise.resolve({ challenge: challenges.at(-1) ?? '', expiresAt: '2099-01-01T00:00:00Z' })
      },
      log: silentLogger(),
      replugWaitMs: 5000,
      pollMs: 1
    })
    const req = await attester.attach({ serial: SERIAL, model: MODEL })
    expect(challenges).toHaveLength(2)
    expect(req.attestation).toEqual({
      challenge: challenges[1],
      signature: Buffer.alloc(64, 7).toString('base64')
    })
  })

  it('says the dongle was unplugged when it does not come back in time', async () => {
    const gone = dongle(() => Promise.reject(new FirmwareError('device-gone', 'unplugged')))
    const attester = new DeviceAttester({
      devices: devices(gone).port,
      challenge: () => Promise.resolve({ challenge: 'AA==', expiresAt: '2099-01-01T00:00:00Z' }),
      log: silentLogger(),
      replugWaitMs: 30,
      pollMs: 1
    })
    await expect(attester.attach({ serial: SERIAL, model: MODEL })).rejects.toMatchObject({
      reason: 'dongle-unplugged'
    })
  })
})
