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
import { type SipStack, startSipStack } from '../support/sip-stack'
import type { TestService } from '../support/service'
import { trialLine } from '../support/service-flows'
import { type TestApp, testApp } from '../support/test-app'
import type { AppPorts } from '../../src/main/app'
import { generateSigningKey, describeArtifact, signManifest } from '../../src/main/setup/sign-manifest'
import { startUpdateServer } from '../../src/main/setup/update-server'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

let svc: TestService
let stack: SipStack
const apps: TestApp[] = []

beforeAll(async () => {
  stack = await startSipStack()
  svc = stack.svc
}, 60_000)
afterAll(async () => {
  for (const a of apps) await a.app.dispose()
  await stack?.close()
})

function brain(store = memoryStore(), vault = memoryVault(), extra: Partial<AppPorts> = {}): TestApp {
  const t = testApp({
    ...extra,
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
      ['permissions', 'skipped'],
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

  it('updates the dongle’s firmware from a signed release, and refuses a forged one leaving the firmware alone', async () => {
    const key = generateSigningKey()
    const forger = generateSigningKey()
    const keyDir = mkdtempSync(join(tmpdir(), 'keys-'))
    writeFileSync(join(keyDir, 'release-test.pub'), key.publicKeyPem)
    const release = (signer: string) => {
      const dir = mkdtempSync(join(tmpdir(), 'release-'))
      writeFileSync(join(dir, 'fw-1.2.0.bin'), randomBytes(4000))
      const now = Date.now()
      const envelope = signManifest(
        {
          schema: 1,
          product: 'dialtone',
          version: '1.2.0',
          released: new Date(now).toISOString(),
          expires: new Date(now + 86_400_000).toISOString(),
          minAppVersion: '0.0.0-0',
          notes: 'Cleaner ring.',
          artifacts: [describeArtifact(join(dir, 'fw-1.2.0.bin'), { kind: 'firmware', model: '06e6:c200' })]
        },
        signer,
        'release-test'
      )
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify(envelope))
      return dir
    }
    const good = await startUpdateServer(release(key.privateKeyPem))
    const forged = await startUpdateServer(release(forger.privateKeyPem))
    try {
      const refused = brain(memoryStore(), memoryVault(), { updateUrl: forged.url, updateKeyDirs: [keyDir] })
      await deviceReady(refused)
      const failed = await call(refused.app.dispatch, 'setup.run', { deviceId: VIRTUAL_DEVICE_ID })
      expect(failed).toMatchObject({ status: 'failed', step: 'update', error: { code: 'bad-signature' } })
      expect(await refused.app.devices.driverFor(VIRTUAL_DEVICE_ID)?.firmware?.version()).toBe('1.0.0')

      const t = brain(memoryStore(), memoryVault(), { updateUrl: good.url, updateKeyDirs: [keyDir] })
      await deviceReady(t)
      const progress: number[] = []
      t.app.events.subscribe((name, payload) => {
        const p = payload as { step?: string; percent?: number | null }
        if (name === 'setup.progress' && p.step === 'update' && typeof p.percent === 'number')
          progress.push(p.percent)
      })
      const s = await call(t.app.dispatch, 'setup.run', { deviceId: VIRTUAL_DEVICE_ID })
      expect(s.results.find((r) => r.step === 'update')).toEqual({
        step: 'update',
        outcome: 'done',
        message: 'firmware updated from 1.0.0 to 1.2.0'
      })
      expect(await t.app.devices.driverFor(VIRTUAL_DEVICE_ID)?.firmware?.version()).toBe('1.2.0')
      expect(progress.some((x) => x > 0 && x <= 50)).toBe(true)
      expect(progress.some((x) => x > 50 && x < 100)).toBe(true)
    } finally {
      await good.close()
      await forged.close()
    }
  })
})
