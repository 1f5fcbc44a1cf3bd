/**
 * Device attestation through the real kernel stack: the rig's TigerJet with Dialtone's firmware interface and the
 * development key of DT-RIG-0004, found by the app's DeviceManager through libusb, node-hid and sysfs. The app's
 * DeviceAttester gets a challenge from a development service running in the guest (SQLite, loopback), the gadget
 * signs it with ATTEST and hands the signature back in parts through the kernel, and the service starts the trial.
 * Pulled out between the signing and the reading, the dongle loses the signature; once it is plugged back the app
 * asks again from a new challenge, and the trial starts.
 */
import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { DeviceAttester } from '../../src/main/account/device-attestation'
import { EventBus } from '../../src/main/ipc/event-bus'
import { silentLogger } from '../../src/main/log/logger'
import { loadConfig } from '../../src/server/config'
import { type RunningService, startService } from '../../src/server/service'
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

let service: RunningService
let base: string

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
  service = await startService({
    ...loadConfig({ DIALTONE_PASSWORD_COST: 'test' }, dataDir),
    jobs: false
  })
  await service.app.listen({ host: '127.0.0.1', port: 0 })
  const address = service.app.server.address()
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
  dongle.create().bind()
  manager.start()
})
after(async () => {
  await manager.dispose()
  dongle.destroy()
  await service?.close()
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
    const issued = async (): Promise<number> =>
      (await service.ctx.db.selectFrom('device_challenges').select('challenge_hash').execute()).length
    const before = await issued()
    const req = await attester.attach(trialRequest('rig-3@example.test'))
    dongle.onFirmwareCommand = null
    assert.ok(pulled, 'the dongle was pulled out while the signature was being read')
    assert.equal((await issued()) - before, 2, 'a new challenge for the second attempt')
    const r = await api('/v1/trials', req)
    assert.equal(r.status, 202, JSON.stringify(r.body))
  })
})
