/**
 * The setup engine in the app, on the virtual dongle with the real service and Kamailio: detect, power,
 * permissions, update, initialise, then it waits for activation; after sign-in it finishes at "registered". A new
 * brain on the same store (a restart) sees where it stopped; a dongle that is not there waits at detection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServiceClient } from '../../src/main/account/service-client'
import { call } from '../../src/main/ipc/dispatcher'
import { memoryStore } from '../../src/main/store/key-value-store'
import { memoryVault } from '../../src/main/store/secret-vault'
import { VIRTUAL_DEVICE_ID } from '../../src/shared/ipc/device'
import { type KamailioInstance, planKamailio, startKamailio } from '../support/kamailio'
import { type TestService, startTestService } from '../support/service'
import { trialLine } from '../support/service-flows'
import { type TestApp, testApp } from '../support/test-app'

let svc: TestService
let kam: KamailioInstance
const apps: TestApp[] = []

beforeAll(async () => {
  const plan = await planKamailio()
  svc = await startTestService('sqlite', {
    sip: {
      domain: 'dialtone.test',
      websocketUrl: plan.wsUrl,
      rpcUrl: plan.rpcUrl,
      accountingDir: plan.accountingDir
    }
  })
  kam = await startKamailio({ dbUrl: `sqlite:///${svc.service.database.sqliteFile}`, plan })
}, 60_000)
afterAll(async () => {
  for (const a of apps) await a.app.dispose()
  await kam?.stop()
  await svc?.close()
})

function brain(store = memoryStore(), vault = memoryVault()): TestApp {
  const t = testApp({
    service: createServiceClient(),
    vault,
    store,
    settingsDefaults: { serviceUrl: svc.base },
    sipBackoff: { initialMs: 200, maxMs: 1000, jitter: 0.2 },
    forceVirtualDongle: true,
    // The udev rule is in place on this "machine".
    fileExists: (p) => p === '/etc/udev/rules.d/70-dialtone.rules'
  })
  apps.push(t)
  t.app.start()
  return t
}

async function deviceReady(t: TestApp): Promise<void> {
  const deadline = Date.now() + 5000
  while (
    !(await call(t.app.dispatch, 'device.list', undefined)).devices.some((d) => d.id === VIRTUAL_DEVICE_ID)
  ) {
    if (Date.now() > deadline) throw new Error('the virtual dongle did not appear')
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('setting up a dongle', () => {
  it('runs to activation, waits for it, and finishes registered after sign-in; a restart resumes', async () => {
    const store = memoryStore()
    const vault = memoryVault()
    const t = brain(store, vault)
    await deviceReady(t)
    const waiting = await call(t.app.dispatch, 'setup.run', { deviceId: VIRTUAL_DEVICE_ID })
    expect(waiting).toMatchObject({
      status: 'waiting',
      step: 'activate',
      message: 'start a trial or sign in to activate this dongle'
    })
    expect(waiting.results.map((r) => [r.step, r.outcome])).toEqual([
      ['detect', 'done'],
      ['power', 'done'],
      ['permissions', 'done'],
      ['update', 'skipped'],
      ['initialise', expect.stringMatching(/done|skipped/)]
    ])

    // A restart: a new brain on the same store knows where this dongle's setup stopped.
    await t.app.dispose()
    const again = brain(store, vault)
    await deviceReady(again)
    expect(await call(again.app.dispatch, 'setup.state', { deviceId: VIRTUAL_DEVICE_ID })).toMatchObject({
      step: 'activate'
    })

    const owner = await trialLine(svc)
    await call(again.app.dispatch, 'account.signIn', { identifier: owner.email, password: owner.password })
    const deadline = Date.now() + 8000
    let s = await call(again.app.dispatch, 'setup.run', { deviceId: VIRTUAL_DEVICE_ID })
    while (s.status !== 'done' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50))
      s = await call(again.app.dispatch, 'setup.run', { deviceId: VIRTUAL_DEVICE_ID })
    }
    expect(s).toMatchObject({
      status: 'done',
      step: 'registered',
      message: 'lift the handset: you should hear a dial tone'
    })
  })

  it('waits at detection, with what to do, for a dongle that is not plugged in', async () => {
    const t = brain()
    const s = await call(t.app.dispatch, 'setup.run', { deviceId: 'usb-1-9' })
    expect(s).toMatchObject({ status: 'waiting', step: 'detect', message: 'plug the dongle in', results: [] })
  })
})
