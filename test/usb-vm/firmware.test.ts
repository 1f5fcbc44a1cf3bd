/**
 * Firmware to the dongle on the real USB stack: the rig's TigerJet with Dialtone's firmware interface (a second HID
 * interface, firmware-protocol.ts), found by the app's DeviceManager through libusb, node-hid and sysfs. The driver
 * reads the version, writes an image through the kernel and reads the new version back; an unplug in the middle of
 * a write leaves the dongle on its old version, the setup engine waits at its update step, and after the replug the
 * same setup downloads the signed release again from an update server on the guest's loopback and finishes it.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { EventBus } from '../../src/main/ipc/event-bus'
import { silentLogger } from '../../src/main/log/logger'
import { updateFirmware } from '../../src/main/setup/firmware-update'
import { SETUP_STEPS, SetupEngine, type SetupStep, type StepHandler } from '../../src/main/setup/setup-engine'
import { describeArtifact, generateSigningKey, signManifest } from '../../src/main/setup/sign-manifest'
import { loadTrustedKeys } from '../../src/main/setup/trusted-keys'
import { type UpdateServer, startUpdateServer } from '../../src/main/setup/update-server'
import { memoryStore } from '../../src/main/store/key-value-store'
import type { PayloadOf } from '../../src/shared/ipc/contract'
import type { Device } from '../../src/shared/ipc/device'
import { Gadget } from './rig/gadget'
import { tigerjetProfile } from './rig/profiles'
import { waitFor } from './rig/wait'
import { realDeviceManager } from './rig/manager'

const bus = new EventBus(silentLogger())
const manager = realDeviceManager(bus, { identifyTimeoutMs: 10_000 })
const dongle = new Gadget(
  tigerjetProfile({ name: 'tigerjet-fw', serial: 'DT-RIG-0003', firmware: { version: '1.0.0' } }),
  'dummy_udc.0'
)
const tigerjet = (): Device | undefined =>
  manager.list().devices.find((d) => d.vendorId === 0x06e6 && d.state === 'ready')
const ready = (): Promise<Device> => waitFor('the dongle ready', tigerjet, 20_000)

let server: UpdateServer
let keyDir: string

/** A signed release on disk: firmware `version` for the TigerJet, `bytes` long. */
function release(version: string, bytes: number): string {
  const key = generateSigningKey()
  keyDir = mkdtempSync(join(tmpdir(), 'keys-'))
  writeFileSync(join(keyDir, 'rig.pub'), key.publicKeyPem)
  const dir = mkdtempSync(join(tmpdir(), 'release-'))
  writeFileSync(join(dir, `fw-${version}.bin`), randomBytes(bytes))
  const now = Date.now()
  const envelope = signManifest(
    {
      schema: 1,
      product: 'dialtone',
      version,
      released: new Date(now).toISOString(),
      expires: new Date(now + 86_400_000).toISOString(),
      minAppVersion: '0.0.0-0',
      notes: 'Rig release.',
      artifacts: [describeArtifact(join(dir, `fw-${version}.bin`), { kind: 'firmware', model: '06e6:c200' })]
    },
    key.privateKeyPem,
    'rig'
  )
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(envelope))
  return dir
}

before(async () => {
  dongle.create().bind()
  manager.start()
  server = await startUpdateServer(release('1.2.0', 4000))
})
after(async () => {
  await server?.close()
  await manager.dispose()
  dongle.destroy()
})

describe('firmware to the dongle through the real kernel', () => {
  it('finds the firmware interface beside the phone, writes an image and reads the new version back', async () => {
    const d = await ready()
    assert.equal(d.driver, 'tigerjet', 'the phone interface stays the phone')
    const fw = await waitFor('the firmware capability', () => manager.driverFor(d.id)?.firmware, 5000)
    assert.equal(await fw.version(), '1.0.0')
    const image = randomBytes(2000)
    const progress: number[] = []
    await fw.write(image, '1.1.0', (bytes) => progress.push(bytes))
    assert.equal(progress.at(-1), image.length)
    assert.equal(progress.length, Math.ceil(image.length / 56))
    assert.equal(await fw.version(), '1.1.0', 'the host reads the new version back')
    assert.equal(dongle.firmware?.version, '1.1.0', 'the device runs it')
  })

  it('keeps the old version when unplugged mid-write; the setup waits, then finishes the update after the replug', async () => {
    const id = (await ready()).id
    const store = memoryStore()
    const skipped: StepHandler = async () => ({ kind: 'skipped', message: 'not exercised on the rig' })
    let pulled = false
    const handlers = {
      ...(Object.fromEntries(SETUP_STEPS.map((s) => [s, skipped])) as Record<SetupStep, StepHandler>),
      detect: async () =>
        tigerjet()
          ? { kind: 'done' as const, message: 'found' }
          : { kind: 'waiting' as const, message: 'plug the dongle in' },
      update: ({ progress }) =>
        updateFirmware(
          {
            updateUrl: server.url,
            trustedKeys: () => loadTrustedKeys([keyDir]),
            appVersion: '1.0.0',
            downloadDir: mkdtempSync(join(tmpdir(), 'downloads-'))
          },
          { model: '06e6:c200', firmware: manager.driverFor(id)?.firmware ?? null },
          (p) => {
            progress(p)
            // Pull the dongle out a third of the way through the write (the download is the first half).
            if (!pulled && (p.percent ?? 0) >= 66) {
              pulled = true
              dongle.unbind()
            }
          }
        )
    } satisfies Record<SetupStep, StepHandler>
    const engine = new SetupEngine(store, handlers, () => undefined)
    bus.subscribe((name, payload) => {
      const { change } = payload as PayloadOf<'device.changed'>
      if (name === 'device.changed' && change.kind === 'detached') engine.unplug(change.id)
    })

    await engine.run(id)
    assert.ok(pulled, 'the write was under way when the dongle was pulled')
    const waiting = await waitFor(
      'the setup to wait for the dongle',
      () => (engine.get(id)?.status === 'waiting' ? engine.get(id) : undefined),
      15_000
    )
    assert.equal(waiting.step, 'update')
    assert.match(waiting.message ?? '', /unplugged/)
    assert.equal(dongle.firmware?.version, '1.1.0', 'the dongle kept its old firmware')
    assert.equal(store.get('setup.devices') !== undefined, true, 'the setup state is in the store')

    dongle.bind()
    await ready()
    const done = await engine.run(id)
    assert.equal(done.status, 'done')
    assert.deepEqual(
      done.results.find((r) => r.step === 'update'),
      { step: 'update', outcome: 'done', message: 'firmware updated from 1.1.0 to 1.2.0' }
    )
    assert.equal(dongle.firmware?.version, '1.2.0')
    const fw = manager.driverFor(id)?.firmware
    assert.ok(fw)
    assert.equal(await fw.version(), '1.2.0', 'the host reads the new version back after the replug')
  })
})
