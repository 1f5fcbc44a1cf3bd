/**
 * The virtual dongle's firmware survives a restart as a real dongle's flash does (the newcomer's README run: the
 * setup said "updated from 1.0.0 to 1.0.1", and after restarting `npm start` the Device page showed "0.08"). Two
 * real starts of the app on one data folder (its conf store on disk, as the web host opens it): the first updates
 * the firmware through the firmware protocol as the setup's update step does, the second shows and answers 1.0.1.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createConfStore } from '../../../src/main/store/conf-store'
import { memoryStore } from '../../../src/main/store/key-value-store'
import { storedFirmware } from '../../../src/main/device/virtual-firmware-store'
import { VIRTUAL_DEVICE_ID } from '../../../src/shared/ipc/device'
import { testApp } from '../../support/test-app'

const dataDir = mkdtempSync(join(tmpdir(), 'dialtone-virtual-flash-'))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

/** One run of the app on the data folder, with the virtual dongle on; returns after it is disposed. */
async function run<T>(body: (app: ReturnType<typeof testApp>['app']) => Promise<T>): Promise<T> {
  const { app } = testApp({
    info: { host: 'web', version: '0.0.0-test', dataDir, electronVersion: null },
    store: createConfStore(dataDir),
    forceVirtualDongle: true
  })
  app.start()
  try {
    await expect.poll(() => app.devices.list().devices.some((d) => d.id === VIRTUAL_DEVICE_ID)).toBe(true)
    return await body(app)
  } finally {
    await app.dispose()
  }
}

const shown = (app: ReturnType<typeof testApp>['app']): string | undefined => {
  const d = app.devices.list().devices.find((x) => x.id === VIRTUAL_DEVICE_ID)
  return d ? (d.firmwareVersion ?? d.firmware) : undefined
}

const firmwareOf = (app: ReturnType<typeof testApp>['app']) => {
  const fw = app.devices.driverFor(VIRTUAL_DEVICE_ID)?.firmware
  if (!fw) throw new Error('the virtual dongle has no firmware access')
  return fw
}

describe('the virtual dongle’s flash', () => {
  it('keeps the firmware version the update installed across a restart of the app', async () => {
    await run(async (app) => {
      expect(shown(app)).toBe('1.0.0')
      await firmwareOf(app).write(new Uint8Array(300).fill(9), '1.0.1')
      expect(shown(app)).toBe('1.0.1')
    })
    // It lives in the app's state under the data folder, as the web host keeps it.
    expect(readFileSync(join(dataDir, 'settings.json'), 'utf8')).toContain('1.0.1')
    await run(async (app) => {
      expect(shown(app)).toBe('1.0.1')
      expect(await firmwareOf(app).version()).toBe('1.0.1')
    })
  })

  it('reads a missing or corrupt value as the factory firmware, and a failed write changes nothing', async () => {
    for (const bad of [undefined, 42, '', 'x'.repeat(17), '1.0\n1', { v: '1.0.1' }]) {
      const store = memoryStore({ 'virtualDongle.firmwareVersion': bad })
      expect(storedFirmware(store).load()).toBeNull()
    }
    const store = memoryStore()
    const { app } = testApp({ store, forceVirtualDongle: true })
    app.start()
    try {
      await expect.poll(() => shown(app)).toBe('1.0.0')
      const fw = firmwareOf(app)
      // An image whose hash does not match what BEGIN announced fails verification: flash keeps 1.0.0.
      await expect(
        fw.write(new Uint8Array(64).fill(1), '9.9.9', () => {
          throw new Error('unplugged mid-write')
        })
      ).rejects.toThrow()
      expect(store.get('virtualDongle.firmwareVersion')).toBeUndefined()
      expect(await fw.version()).toBe('1.0.0')
    } finally {
      await app.dispose()
    }
  })
})
