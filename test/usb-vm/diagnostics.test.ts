/**
 * Diagnostics on the real kernel: the Linux collector reads the guest's live sysfs for the rig's dongles, a
 * reconnect storm seen by the app's device layer becomes the flapping verdict, and profiles declaring
 * self-powered or 100 mA get different verdicts from the bus-powered 500 mA one.
 *
 * The gadget is full speed on a dual-speed UDC and answers the device-qualifier request, so the kernel logs
 * "not running at top speed" for it: every inspection here also proves the WRONG_SPEED rule on a real log line.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DeviceManager } from '../../src/main/device/device-manager'
import { createNodeHidPort } from '../../src/main/device/hid-nodehid'
import { linuxHidSystem } from '../../src/main/device/hid-system'
import { HotplugLog } from '../../src/main/diagnostics/hotplug-log'
import { inspect } from '../../src/main/diagnostics/inspect'
import { EventBus } from '../../src/main/ipc/event-bus'
import { silentLogger } from '../../src/main/log/logger'
import { memoryStore } from '../../src/main/store/key-value-store'
import { diagnose } from '../../src/shared/diagnostics/rules'
import { Gadget } from './rig/gadget'
import { tigerjetProfile, type GadgetProfile } from './rig/profiles'
import { realInspectPorts } from './rig/real-ports'
import { waitFor } from './rig/wait'

const ports = realInspectPorts()
const usb = ports.usb

const powerVerdicts = (codes: string[]): string[] => codes.filter((c) => c !== 'WRONG_SPEED')

async function verdictsFor(profile: GadgetProfile): Promise<string[]> {
  const gadget = new Gadget(profile, 'dummy_udc.0').create().bind()
  try {
    await waitFor('enumerated', () => usb.list().some((d) => d.vendorId === 0x06e6))
    const obs = await inspect({ ...ports, events: () => [] })
    return diagnose(obs).map((v) => v.code)
  } finally {
    gadget.destroy()
    await waitFor('gone', () => !usb.list().some((d) => d.vendorId === 0x06e6))
  }
}

describe('diagnostics on the real kernel', () => {
  it('reads the live sysfs: 500 mA, bus powered, port usb<N>-port1 on a root hub, from the kernel log too', async () => {
    const gadget = new Gadget(tigerjetProfile(), 'dummy_udc.0').create().bind()
    try {
      await waitFor('enumerated', () => usb.list().some((d) => d.vendorId === 0x06e6))
      const obs = await inspect({ ...ports, events: () => [] })
      assert.equal(obs.collector, 'linux-sysfs')
      const d = obs.dongles[0]
      assert.ok(d, 'the dongle is inspected')
      assert.equal(d.declaredMa, 500)
      assert.equal(d.selfPowered, false)
      assert.equal(d.configured, true)
      assert.equal(d.speedMbps, 12)
      assert.match(d.port?.name ?? '', /^usb\d+-port1$/)
      assert.equal(d.port?.overCurrentCount, 0)
      // As root in the guest the root hub may be opened: its GET_STATUS says the port is powered and enabled.
      assert.deepEqual(d.port?.hubStatus, {
        connected: true,
        powered: true,
        enabled: true,
        suspended: false,
        overCurrent: false,
        overCurrentChanged: false
      })
      assert.equal(d.chain.length, 1)
      assert.equal(d.chain[0]?.root, true)
      assert.ok(
        obs.logs.some((l) => l.kind === 'new-device' && l.target === d.id),
        'dmesg shows the new device'
      )
      const verdicts = diagnose(obs)
      assert.deepEqual(powerVerdicts(verdicts.map((v) => v.code)), ['POWER_AT_LIMIT'])
      const slow = verdicts.find((v) => v.code === 'WRONG_SPEED')
      assert.ok(
        slow?.evidence.some((e) => e.includes('not running at top speed')),
        'the kernel’s own line is the evidence'
      )
    } finally {
      gadget.destroy()
      await waitFor('gone', () => !usb.list().some((d) => d.vendorId === 0x06e6))
    }
  })

  it('a self-powered profile and a 100 mA profile get different verdicts', async () => {
    assert.deepEqual(powerVerdicts(await verdictsFor(tigerjetProfile({ selfPowered: true }))), [
      'SELF_POWERED'
    ])
    assert.deepEqual(powerVerdicts(await verdictsFor(tigerjetProfile({ maxPowerMa: 100 }))), [
      'DECLARED_BELOW_NEED'
    ])
  })

  it('a reconnect storm, seen by the device layer, gives the flapping verdict', async () => {
    const bus = new EventBus(silentLogger())
    const log = new HotplugLog(memoryStore(), bus)
    log.follow()
    const manager = new DeviceManager(usb, createNodeHidPort(), linuxHidSystem(), bus, silentLogger())
    manager.start()
    const gadget = new Gadget(tigerjetProfile(), 'dummy_udc.0').create().bind()
    try {
      await waitFor('ready', () => manager.list().devices.some((d) => d.state === 'ready'), 20_000)
      for (let i = 0; i < 4; i++) {
        gadget.unbind()
        await waitFor(`detach ${i}`, () => log.list().filter((e) => e.kind === 'detach').length > i, 10_000)
        gadget.bind()
        await waitFor(
          `attach ${i}`,
          () => log.list().filter((e) => e.kind === 'attach').length > i + 1,
          10_000
        )
      }
      await waitFor('back', () => usb.list().some((d) => d.vendorId === 0x06e6))
      const verdicts = diagnose(await inspect({ ...ports, events: () => log.list() }))
      assert.equal(verdicts[0]?.code, 'FLAPPING')
      assert.match(verdicts[0]?.evidence[0] ?? '', /^4 disconnects within 60 s$/)
    } finally {
      await manager.dispose()
      gadget.destroy()
    }
  })
})
