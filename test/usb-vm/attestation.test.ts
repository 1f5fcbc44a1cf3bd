/**
 * Device attestation through the real kernel stack: the rig's TigerJet with Dialtone's firmware interface and the
 * development key of DT-RIG-0004, found by the app's DeviceManager through libusb, node-hid and sysfs. The app's
 * DeviceAttester gets a challenge from a development service running in the guest (rig/service.ts: the built
 * out/main/server.js, SQLite, loopback), the gadget signs it with ATTEST and hands the signature back in parts
 * through the kernel, and the service starts the trial. Pulled out between the signing and the reading, the dongle
 * loses the signature; once it is plugged back the app asks again from a new challenge, and the trial starts.
 * Two counterfeits plugged in beside it sign just as well and are refused alike: one with a serial nobody made,
 * one with a registered serial but a key of its own.
 */
import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { DeviceAttester } from '../../src/main/account/device-attestation'
import { FW_OP } from '../../src/main/device/drivers/firmware-protocol'
import { EventBus } from '../../src/main/ipc/event-bus'
import { silentLogger } from '../../src/main/log/logger'
import { DEVICE_NOT_RECOGNISED } from '../../src/shared/api/attestation'
import type { Device } from '../../src/shared/ipc/device'
import { Gadget } from './rig/gadget'
import { realDeviceManager } from './rig/manager'
import { tigerjetProfile } from './rig/profiles'
import { type RigService, startRigService } from './rig/service'
import { waitFor } from './rig/wait'

const MODEL = '06e6:c200'
const GENUINE = 'DT-RIG-0004'
/** A registered serial (it has a development key) that the counterfeit signs for with a key of its own. */
const CLONED = 'DT-RIG-0001'
const INVENTED = 'NOT-A-REAL-DONGLE'

const bus = new EventBus(silentLogger())
const manager = realDeviceManager(bus, { identifyTimeoutMs: 10_000 })
const ownKey = (): ReturnType<typeof generateKeyPairSync>['privateKey'] =>
  generateKeyPairSync('ed25519').privateKey
const dongle = new Gadget(
  tigerjetProfile({ name: 'tigerjet-att', serial: GENUINE, firmware: { version: '1.0.0' } }),
  'dummy_udc.0'
)
const invented = new Gadget(
  tigerjetProfile({
    name: 'tigerjet-invented',
    serial: INVENTED,
    firmware: { version: '1.0.0', attestationKey: ownKey() }
  }),
  'dummy_udc.0'
)
const cloned = new Gadget(
  tigerjetProfile({
    name: 'tigerjet-cloned',
    serial: CLONED,
    firmware: { version: '1.0.0', attestationKey: ownKey() }
  }),
  'dummy_udc.1'
)
const ready = (serial: string): Promise<Device> =>
  waitFor(
    `${serial} ready with its firmware interface`,
    () =>
      manager
        .list()
        .devices.find((d) => d.serial === serial && d.state === 'ready' && manager.driverFor(d.id)?.firmware),
    20_000
  )

let service: RigService
let challenges = 0

async function api(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await fetch(service.base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body)
  })
  const answer = { status: r.status, body: (await r.json()) as Record<string, unknown> }
  // A fault inside the service shows with what the service logged about it.
  if (r.status >= 500) assert.fail(`${path} answered ${r.status}; the service printed:\n${service.output()}`)
  return answer
}

const attester = new DeviceAttester({
  devices: manager,
  challenge: async (claim) => {
    challenges++
    const r = await api('/v1/devices/challenge', claim)
    assert.equal(r.status, 201, JSON.stringify(r.body))
    return r.body as { challenge: string; expiresAt: string }
  },
  log: silentLogger(),
  replugWaitMs: 30_000
})

const trialRequest = (serial: string, email: string) => ({
  serial,
  model: MODEL,
  name: 'Rig Tester',
  billingAddress: { street: '1 Main St', city: 'Hoboken', region: 'NJ', postalCode: '07030', country: 'US' },
  email,
  password: 'correct horse battery',
  areaCode: '201',
  acceptances: { termsVersion: '2026-11', e911DisclosureVersion: '2026-11' }
})

const refusal = (r: { body: Record<string, unknown> }): unknown =>
  (r.body.error as { reason?: string })?.reason

before(async () => {
  // Under TCG the service's start (bundle load, migrations) took 10-35 s in the guest, 0.8 s on the host.
  service = await startRigService(4790, 90_000)
  dongle.create().bind()
  manager.start()
})
after(async () => {
  await manager.dispose()
  for (const g of [dongle, invented, cloned]) g.destroy()
  await service?.stop()
})

describe('attestation through the real kernel', () => {
  it('signs the service challenge with the dongle key, and the development service starts the trial', async () => {
    await ready(GENUINE)
    const req = await attester.attach(trialRequest(GENUINE, 'rig-1@example.test'))
    assert.ok(req.attestation, 'the dongle attested')
    const r = await api('/v1/trials', req)
    assert.equal(r.status, 202, JSON.stringify(r.body))
    // The same proof again is refused: the challenge was used.
    const again = await api('/v1/trials', { ...req, email: 'rig-2@example.test' })
    assert.equal(again.status, 403)
    assert.equal(refusal(again), DEVICE_NOT_RECOGNISED)
  })

  it('retries from a new challenge when the dongle is pulled out mid-attestation and plugged back', async () => {
    await ready(GENUINE)
    let pulled = false
    let signatureReads = 0
    dongle.onFirmwareCommand = (op) => {
      if (op === FW_OP.signature) signatureReads++
      if (op !== FW_OP.signature || pulled) return
      pulled = true
      dongle.unbind()
      setTimeout(() => dongle.bind(), 1500)
    }
    const before = challenges
    const req = await attester.attach(trialRequest(GENUINE, 'rig-3@example.test'))
    dongle.onFirmwareCommand = null
    assert.ok(pulled, 'the dongle was pulled out while the signature was being read')
    assert.equal(challenges - before, 2, 'a new challenge for the second attempt')
    // The first read was lost with the power; the second attempt read the whole signature (two parts).
    assert.equal(signatureReads, 3)
    const r = await api('/v1/trials', req)
    assert.equal(r.status, 202, JSON.stringify(r.body))
  })

  it('refuses dongles that sign with keys the registry does not have: an invented serial, a cloned one', async () => {
    // The genuine dongle out and taken apart (f_hid has four device nodes, each dongle uses two); the two
    // counterfeits in, on both buses at once.
    dongle.destroy()
    invented.create().bind()
    cloned.create().bind()
    await Promise.all([ready(INVENTED), ready(CLONED)])
    for (const [serial, email] of [
      [INVENTED, 'rig-4@example.test'],
      [CLONED, 'rig-5@example.test']
    ] as const) {
      const req = await attester.attach(trialRequest(serial, email))
      // Each counterfeit answered ATTEST through the kernel: the refusal is the service's, not a missing proof.
      assert.ok(req.attestation, `${serial} signed the challenge`)
      const r = await api('/v1/trials', req)
      assert.equal(r.status, 403, `${serial}: ${JSON.stringify(r.body)}`)
      assert.equal(refusal(r), DEVICE_NOT_RECOGNISED, serial)
    }
  })
})
