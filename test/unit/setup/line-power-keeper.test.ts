/**
 * A dongle set up before is powered again at every start and every re-plug (the setup's initialise step powers it
 * once and a finished setup never runs again; a newcomer saw "Line not powered" after restarting `npm start`).
 */
import { describe, expect, it } from 'vitest'
import { LinePowerKeeper } from '../../../src/main/setup/line-power-keeper'
import type { Device } from '../../../src/shared/ipc/device'
import { VIRTUAL_DEVICE_ID } from '../../../src/shared/ipc/device'
import { memoryStore } from '../../../src/main/store/key-value-store'
import { testApp } from '../../support/test-app'

const dongle = (over: Partial<Device> = {}): Device =>
  ({
    id: '1-1',
    state: 'ready',
    virtual: false,
    capabilities: { linePower: true },
    line: { offHook: false, ringing: false, linePower: false, muted: false },
    ...over
  }) as Device

function keeper(device: Device | null, done = true) {
  const calls: string[] = []
  let fail = false
  const k = new LinePowerKeeper({
    device: () => device,
    setupDone: () => done,
    linePower: async (id, on) => {
      calls.push(`${id}:${on}`)
      if (fail) throw new Error('usb gone')
    },
    warn: () => undefined
  })
  return { k, calls, failNext: () => (fail = true), succeed: () => (fail = false) }
}

const settle = () => new Promise((r) => setTimeout(r, 0))

describe('LinePowerKeeper', () => {
  it('powers a set-up dongle once per attach, and again after a re-plug', async () => {
    const { k, calls } = keeper(dongle())
    k.changed({ kind: 'attached', id: '1-1' })
    k.changed({ kind: 'updated', id: '1-1' })
    expect(calls).toEqual(['1-1:true'])
    k.changed({ kind: 'detached', id: '1-1' })
    k.changed({ kind: 'attached', id: '1-1' })
    expect(calls).toEqual(['1-1:true', '1-1:true'])
  })

  it('leaves alone a dongle not set up, not ready yet, without line power, or already powered', () => {
    for (const [device, done] of [
      [dongle(), false],
      [dongle({ state: 'identifying' }), true],
      [dongle({ capabilities: { linePower: false } as Device['capabilities'] }), true],
      [dongle({ line: { offHook: false, ringing: false, linePower: true, muted: false } }), true],
      [null, true]
    ] as const) {
      const { k, calls } = keeper(device, done)
      k.changed({ kind: 'attached', id: '1-1' })
      expect(calls).toEqual([])
    }
  })

  it('tries again at the next change when switching failed', async () => {
    const { k, calls, failNext, succeed } = keeper(dongle())
    failNext()
    k.changed({ kind: 'attached', id: '1-1' })
    await settle()
    succeed()
    k.changed({ kind: 'updated', id: '1-1' })
    expect(calls).toEqual(['1-1:true', '1-1:true'])
  })
})

describe('the app at start', () => {
  it('powers the line of the virtual dongle whose setup finished in an earlier run', async () => {
    const store = memoryStore()
    store.set('setup.devices', {
      [VIRTUAL_DEVICE_ID]: {
        deviceKey: VIRTUAL_DEVICE_ID,
        step: 'registered',
        status: 'done',
        message: null,
        error: null,
        percent: null,
        bytes: null
      }
    })
    const { app } = testApp({ store, forceVirtualDongle: true })
    app.start()
    try {
      await expect
        .poll(() => app.devices.list().devices.find((d) => d.id === VIRTUAL_DEVICE_ID)?.line.linePower)
        .toBe(true)
    } finally {
      await app.dispose()
    }
  })
})
