/**
 * A hotplug is announced in steps (device-manager.ts): device.changed 'attached' from the attach event's own
 * device descriptor, before anything is read; 'updated' with the configuration descriptor's facts; then the
 * state the HID identification ends in. These tests hold the order, and that an unplug (or a replug) between
 * the announcement and the read ends cleanly: nothing announced after the detach, nothing left behind.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DeviceManager } from '../../../src/main/device/device-manager'
import { describeDevice } from '../../../src/main/device/usb-libusb'
import type { UsbPort } from '../../../src/main/device/usb-port'
import { EventBus } from '../../../src/main/ipc/event-bus'
import { silentLogger } from '../../../src/main/log/logger'
import type { DeviceChanged, UsbDevice } from '../../../src/shared/ipc/device'
import { fakeHid, fakeHidSystem, tigerjetHidInfo } from '../../support/fake-hid'
import { fakeUsb } from '../../support/fake-usb'
import { recordedTigerJet } from '../../support/tigerjet'

const descriptor = Uint8Array.from(
  readFileSync(join(import.meta.dirname, '../../fixtures/usb/tigerjet-06e6-c200/hid-report-descriptor.bin'))
)
const dongle = (): UsbDevice => describeDevice(recordedTigerJet(1, [1]))

/** What each device.changed said about port 1-1: the change, the device's state, power and the USB entry's. */
interface Seen {
  kind: string
  state: string | null
  declaredMa: number | null
  usbMaxPowerMa: number | null | undefined
}

function rig(configFails = false) {
  const usb = fakeUsb()
  const port: UsbPort = configFails
    ? {
        ...usb,
        watch: (listener) =>
          usb.watch((change, device) =>
            listener(change, device, () => {
              throw new Error('LIBUSB_ERROR_IO')
            })
          )
      }
    : usb
  const hid = fakeHid([tigerjetHidInfo('/dev/hidraw0')])
  const system = fakeHidSystem({
    owners: { '/dev/hidraw0': '1-1' },
    descriptors: { '/dev/hidraw0': descriptor }
  })
  const bus = new EventBus(silentLogger())
  const seen: Seen[] = []
  bus.subscribe((name, payload) => {
    if (name !== 'device.changed') return
    const p = payload as DeviceChanged
    if (p.change.id !== '1-1') return
    const d = p.devices.find((x) => x.id === '1-1')
    seen.push({
      kind: p.change.kind,
      state: d?.state ?? null,
      declaredMa: d?.power.declaredMa ?? null,
      usbMaxPowerMa: p.usb.find((u) => u.id === '1-1')?.maxPowerMa
    })
  })
  const manager = new DeviceManager(port, hid, system, bus, silentLogger(), {
    identifyTimeoutMs: 400,
    pollMs: 10
  })
  const until = async (pred: () => boolean, what: string): Promise<void> => {
    const deadline = Date.now() + 2000
    while (!pred()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
      await new Promise((r) => setTimeout(r, 5))
    }
  }
  manager.start()
  return { usb, hid, manager, seen, until }
}

const settle = (ms = 60): Promise<void> => new Promise((r) => setTimeout(r, ms))

describe('a hotplugged dongle is announced before its descriptors are read', () => {
  it('announces it in the attach event itself, then its configuration, then ready, in that order', async () => {
    const r = rig()
    r.usb.plug(dongle())
    // Synchronously, within the attach: known by vendor and product, nothing read yet.
    expect(r.seen).toEqual([
      { kind: 'attached', state: 'identifying', declaredMa: null, usbMaxPowerMa: null }
    ])
    const early = r.manager.list().devices[0]
    expect(early?.model.id).toBe('tigerjet-c200')
    // Until the configuration is read, the catalog says what the model's interfaces are.
    expect(early?.interfaces).toEqual({ audio: true, hidTelephony: true, storage: true })
    await r.until(() => r.seen.some((s) => s.state === 'ready'), 'ready')
    expect(r.seen).toEqual([
      { kind: 'attached', state: 'identifying', declaredMa: null, usbMaxPowerMa: null },
      { kind: 'updated', state: 'identifying', declaredMa: 500, usbMaxPowerMa: 500 },
      { kind: 'updated', state: 'ready', declaredMa: 500, usbMaxPowerMa: 500 }
    ])
    expect(r.manager.list().devices[0]).toMatchObject({
      power: { declaredMa: 500, selfPowered: false, needMa: 500 },
      interfaces: { audio: true, hidTelephony: true, storage: true },
      driver: 'tigerjet',
      descriptorSource: 'sysfs',
      serial: 'DT-RIG-0001'
    })
    await r.manager.dispose()
  })

  it('lets what reads the power wait for the configuration (detailed), and not longer', async () => {
    const r = rig()
    r.usb.plug(dongle())
    let declared: number | null | undefined
    const waited = r.manager
      .detailed('1-1')
      .then(() => (declared = r.manager.list().devices[0]?.power.declaredMa))
    expect(declared).toBeUndefined()
    await waited
    expect(declared).toBe(500)
    // Nothing pending: settles at once, also for a device that is not there.
    await r.manager.detailed('1-1')
    await r.manager.detailed('9-9')
    await r.manager.dispose()
  })

  it('ends cleanly when the dongle is unplugged between the announcement and the read', async () => {
    const r = rig()
    r.usb.plug(dongle())
    r.usb.unplug('1-1') // before the next turn of the event loop, where the configuration would be read
    await r.manager.detailed('1-1') // settled by the unplug, not left hanging
    await settle()
    expect(r.seen).toEqual([
      { kind: 'attached', state: 'identifying', declaredMa: null, usbMaxPowerMa: null },
      { kind: 'detached', state: null, declaredMa: null, usbMaxPowerMa: undefined }
    ])
    expect(r.manager.list()).toMatchObject({ devices: [], usb: [] })
    expect(r.hid.handles.size).toBe(0) // the HID node was never opened
    // Plugged back in: a whole new identification, nothing stale from the first.
    r.usb.plug(dongle())
    await r.until(() => r.manager.list().devices[0]?.state === 'ready', 'ready after replug')
    expect(r.seen.slice(2).map((s) => [s.kind, s.state, s.declaredMa])).toEqual([
      ['attached', 'identifying', null],
      ['updated', 'identifying', 500],
      ['updated', 'ready', 500]
    ])
    expect(r.hid.handles.size).toBe(1)
    await r.manager.dispose()
  })

  it('drops the first read when the dongle was replugged before it: one identification, of the new one', async () => {
    const r = rig()
    r.usb.plug(dongle())
    r.usb.unplug('1-1')
    r.usb.plug(dongle())
    await r.until(() => r.manager.list().devices[0]?.state === 'ready', 'ready')
    await settle()
    expect(r.seen.map((s) => [s.kind, s.state, s.declaredMa])).toEqual([
      ['attached', 'identifying', null],
      ['detached', null, null],
      ['attached', 'identifying', null],
      ['updated', 'identifying', 500],
      ['updated', 'ready', 500]
    ])
    expect(r.hid.handles.size).toBe(1)
    await r.manager.dispose()
  })

  it('announces an unknown device at once too, and makes it a phone only once its interfaces say HID', async () => {
    const r = rig()
    const keyboard: UsbDevice = { ...dongle(), vendorId: 0x046d, productId: 0xc31c, interfaceClasses: [3] }
    r.usb.plug(keyboard)
    expect(r.seen).toEqual([{ kind: 'attached', state: null, declaredMa: null, usbMaxPowerMa: null }])
    await settle()
    // Its configuration came in; with no HID Telephony interface it stays a USB device, not a phone.
    expect(r.seen.map((s) => [s.kind, s.usbMaxPowerMa])).toEqual([
      ['attached', null],
      ['updated', 500]
    ])
    expect(r.manager.list().devices).toEqual([])
    expect(r.manager.list().usb.map((u) => u.interfaceClasses)).toEqual([[3]])
    await r.manager.dispose()
  })

  it('goes on identifying when the configuration descriptor cannot be read: power unknown, ready', async () => {
    const r = rig(true)
    r.usb.plug(dongle())
    await r.until(() => r.manager.list().devices[0]?.state === 'ready', 'ready')
    expect(r.seen.map((s) => [s.kind, s.state, s.declaredMa])).toEqual([
      ['attached', 'identifying', null],
      ['updated', 'identifying', null],
      ['updated', 'ready', null]
    ])
    await r.manager.detailed('1-1')
    await r.manager.dispose()
  })
})
