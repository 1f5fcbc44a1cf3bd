/**
 * Device attestation through the real kernel stack: the rig's TigerJet with Dialtone's firmware interface and the
 * development key of DT-RIG-0004, found by the app's DeviceManager through libusb, node-hid and sysfs. The app's
 * DeviceAttester gets a challenge from a development service running in the guest (the built out/main/server.js,
 * SQLite, loopback; `npm run build` first: the service's sources import texts only Vite can load), the gadget
 * signs it with ATTEST and hands the signature back in parts through the kernel, and the service starts the trial.
 * Pulled out between the signing and the reading, the dongle loses the signature; once it is plugged back the app
 * asks again from a new challenge, and the trial starts.
 */
import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { DeviceAttester } from '../../src/main/account/device-attestation'
import { EventBus } from '../../src/main/ipc/event-bus'
import { silentLogger } from '../../src/main/log/logger'
import type { Device } from '../../src/shared/ipc/device'
import { Gadget } from './rig/gadget'
import { realDeviceManager } from './rig/manager'
import { tigerjetProfile } from './rig/profiles'
import { waitFor } from './rig/wait'

const SERIAL = 'DT-RIG-0004'
const MODEL = '06e6:c200'
const bus = new EventBus(silentLogger())
const manager = realDeviceManager(bus, { identifyTimeoutMs: 10_000 })
const dongle = new Gadget(
  tigerjetProfile({ name: 'tigerjet-att', serial: SERIAL, firmware: { version: '1.0.0' } }),
  'dummy_udc.0'
)
const ready = (): Promise<Device> =>
  waitFor(
    'the dongle ready with its firmware interface',
    () =>
      manager
        .list()
        .devices.find((d) => d.serial === SERIAL && d.state === 'ready' && manager.driverFor(d.id)?.firmware),
    20_000
  )

let service: ChildProcess
const base = 'http://127.0.0.1:4790'
let challenges = 0

async function api(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body)
  })
  return { status: r.status, body: (await r.json()) as Record<string, unknown> }
}

const attester = new DeviceAttester({
  devices: manager,
  challenge: async (claim) => {
    challenges++
    const r = await api('/v1/devices/challenge', claim)
    assert.equal(r.status, 201)
    return r.body as { challenge: string; expiresAt: string }
  },
  log: silentLogger(),
  replugWaitMs: 30_000
})

const trialRequest = (email: string) => ({
  serial: SERIAL,
  model: MODEL,
  name: 'Rig Tester',
  billingAddress: { street: '1 Main St', city: 'Hoboken', region: 'NJ', postalCode: '07030', country: 'US' },
  email,
  password: 'correct horse battery',
  areaCode: '201',
  acceptances: { termsVersion: '2026-11', e911DisclosureVersion: '2026-11' }
})

before(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rig-service-'))
  service = spawn(process.execPath, ['out/main/server.js'], {
    env: {
      ...process.env,
      DIALTONE_PASSWORD_COST: 'test',
      DIALTONE_SERVICE_PORT: '4790',
      DIALTONE_SERVICE_DATA_DIR: dataDir,
      DIALTONE_DATA_DIR: dataDir
    },
    stdio: 'ignore'
  })
  const deadline = Date.now() + 60_000
  while (!(await fetch(`${base}/v1/health`).catch(() => null))?.ok) {
    if (Date.now() > deadline) throw new Error('the development service did not start')
    await new Promise((r) => setTimeout(r, 250))
  }
  dongle.create().bind()
  manager.start()
})
after(async () => {
  await manager.dispose()
  dongle.destroy()
  service?.kill()
})

describe('attestation through the real kernel', () => {
  it('signs the service challenge with the dongle key, and the development service starts the trial', async () => {
    await ready()
    const req = await attester.attach(trialRequest('rig-1@example.test'))
    assert.ok(req.attestation, 'the dongle attested')
    const r = await api('/v1/trials', req)
    assert.equal(r.status, 202, JSON.stringify(r.body))
    // The same proof again is refused: the challenge was used.
    const again = await api('/v1/trials', { ...req, email: 'rig-2@example.test' })
    assert.equal(again.status, 403)
    assert.equal((again.body.error as { reason: string }).reason, 'device-not-recognised')
  })

  it('retries from a new challenge when the dongle is pulled out mid-attestation and plugged back', async () => {
    await ready()
    let pulled = false
    dongle.onFirmwareCommand = (op) => {
      if (op !== 0x46 || pulled) return
      pulled = true
      dongle.unbind()
      setTimeout(() => dongle.bind(), 1500)
    }
    const before = challenges
    const req = await attester.attach(trialRequest('rig-3@example.test'))
    dongle.onFirmwareCommand = null
    assert.ok(pulled, 'the dongle was pulled out while the signature was being read')
    assert.equal(challenges - before, 2, 'a new challenge for the second attempt')
    const r = await api('/v1/trials', req)
    assert.equal(r.status, 202, JSON.stringify(r.body))
  })
})
