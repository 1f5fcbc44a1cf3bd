/**
 * The app's half of attestation against the real service (SQLite): main has the plugged-in dongle sign the
 * service's challenge through its firmware interface before a trial; with no dongle plugged in it says so
 * ('dongle-not-plugged') and sends nothing; a dongle pulled out mid-attestation and plugged back is asked again
 * from a new challenge and the trial starts; one that stays out gives 'dongle-unplugged'; a dongle whose key the
 * registry does not know gets the service's 'device-not-recognised'.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServiceClient } from '../../../src/main/account/service-client'
import { FirmwareTarget } from '../../../src/main/device/drivers/firmware-target'
import { call } from '../../../src/main/ipc/dispatcher'
import { DialtoneError } from '../../../src/shared/ipc/errors'
import { newKeyPair } from '../../support/dongles'
import type { FakeHid } from '../../support/fake-hid'
import { startTestService, type TestService } from '../../support/service'
import { ACCEPT, BILLING, MODEL, newSerial } from '../../support/service-flows'
import { testApp, type TestApp } from '../../support/test-app'
import { firmwareInterfaceHandle, plugTestDongle } from '../../support/test-dongle'

let svc: TestService
beforeAll(async () => {
  svc = await startTestService('sqlite')
})
afterAll(() => svc.close())

const app = (): TestApp =>
  // The replug wait shortened from 15 s: the "stays unplugged" case waits it out whole.
  testApp({ service: createServiceClient(), settingsDefaults: { serviceUrl: svc.base }, replugWaitMs: 2000 })

const trial = (t: TestApp, serial: string) =>
  call(t.app.dispatch, 'account.startTrial', {
    serial,
    model: MODEL,
    name: 'Grace Hopper',
    billingAddress: BILLING,
    email: `${serial.toLowerCase()}@example.test`,
    password: 'correct horse battery',
    areaCode: '212',
    acceptances: ACCEPT
  })

async function failure(p: Promise<unknown>): Promise<DialtoneError> {
  try {
    await p
  } catch (err) {
    if (err instanceof DialtoneError) return err
    throw err
  }
  throw new Error('expected the command to fail')
}

const challenges = async (serial: string): Promise<number> =>
  (
    await svc.service.ctx.db
      .selectFrom('device_challenges')
      .select('challenge_hash')
      .where('serial', '=', serial)
      .execute()
  ).length

describe('the app attests the plugged-in dongle', () => {
  it('starts a trial after the dongle signed the challenge', async () => {
    const t = app()
    const serial = newSerial()
    await plugTestDongle(t, await svc.dongles.make(serial))
    expect((await trial(t, serial)).trialId).toMatch(/^tri_/)
    expect(await challenges(serial)).toBe(1)
  })

  it('says the dongle must be plugged in, and asks the service nothing', async () => {
    const serial = newSerial()
    await svc.dongles.make(serial)
    const err = await failure(trial(app(), serial))
    expect(err.reason).toBe('dongle-not-plugged')
    expect(await challenges(serial)).toBe(0)
  })

  it('asks again from a new challenge when the dongle is pulled out mid-attestation and plugged back', async () => {
    const t = app()
    const serial = newSerial()
    const dongle = await svc.dongles.make(serial)
    const id = await plugTestDongle(t, dongle)
    // Pulled out while the signature is being read: the firmware interface loses it, the USB device goes.
    const hid = t.ports.hid as FakeHid
    const [path] = [...hid.devices.keys()].slice(-1)
    if (!path) throw new Error('no firmware interface')
    const target = new FirmwareTarget('1.0.0', { serial, model: MODEL, privateKey: dongle.privateKey })
    let pulled = false
    hid.devices.set(
      path,
      firmwareInterfaceHandle(target, (op) => {
        if (op !== 0x46 || pulled) return
        pulled = true
        target.powerLost()
        const usb = t.usb.list().find((d) => d.id === id)
        t.usb.unplug(id)
        setTimeout(() => usb && t.usb.plug(usb), 300)
      })
    )
    // The driver opened the old handle at plug-in: plug it again so it uses the one above.
    const usb = t.usb.list().find((d) => d.id === id)
    if (!usb) throw new Error('not plugged')
    t.usb.unplug(id)
    await new Promise((r) => setTimeout(r, 50))
    t.usb.plug(usb)
    await new Promise((r) => setTimeout(r, 300))
    expect((await trial(t, serial)).trialId).toMatch(/^tri_/)
    expect(pulled).toBe(true)
    expect(await challenges(serial)).toBe(2)
  })

  it('says so when the dongle stays unplugged', async () => {
    const t = app()
    const serial = newSerial()
    const dongle = await svc.dongles.make(serial)
    const id = await plugTestDongle(t, dongle)
    const hid = t.ports.hid as FakeHid
    const [path] = [...hid.devices.keys()].slice(-1)
    if (!path) throw new Error('no firmware interface')
    const target = new FirmwareTarget('1.0.0', { serial, model: MODEL, privateKey: dongle.privateKey })
    hid.devices.set(
      path,
      firmwareInterfaceHandle(target, (op) => {
        if (op !== 0x46) return
        target.powerLost()
        if (t.usb.list().some((d) => d.id === id)) t.usb.unplug(id)
      })
    )
    const usb = t.usb.list().find((d) => d.id === id)
    if (!usb) throw new Error('not plugged')
    t.usb.unplug(id)
    await new Promise((r) => setTimeout(r, 50))
    t.usb.plug(usb)
    await new Promise((r) => setTimeout(r, 300))
    const err = await failure(trial(t, serial))
    expect(err.reason).toBe('dongle-unplugged')
  }, 30_000)

  it('passes the service’s one refusal through for a dongle the registry does not know', async () => {
    const t = app()
    const serial = newSerial()
    const { privateKey, publicKey } = newKeyPair()
    await plugTestDongle(t, { serial, model: MODEL, privateKey, publicKey })
    const err = await failure(trial(t, serial))
    expect(err.reason).toBe('device-not-recognised')
  })
})
