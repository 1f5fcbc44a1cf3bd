import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PERMISSION_FIX } from '../../../src/main/device/device-identifier'
import { DeviceManager } from '../../../src/main/device/device-manager'
import { describeDevice } from '../../../src/main/device/usb-libusb'
import { EventBus } from '../../../src/main/ipc/event-bus'
import { silentLogger } from '../../../src/main/log/logger'
import type { EventName } from '../../../src/shared/ipc/contract'
import type { Device, DeviceChanged, UsbDevice } from '../../../src/shared/ipc/device'
import { fakeHid, fakeHidSystem, tigerjetHidInfo, type FakeHid } from '../../support/fake-hid'
import { fakeUsb, type FakeUsb } from '../../support/fake-usb'
import { recordedTigerJet } from '../../support/tigerjet'
import { STANDARD_PHONE_DESCRIPTOR } from '../../usb-vm/rig/profiles'

const descriptor = Uint8Array.from(
  readFileSync(join(import.meta.dirname, '../../fixtures/usb/tigerjet-06e6-c200/hid-report-descriptor.bin'))
)
const dongle = (bus = 1, port = 1): UsbDevice => describeDevice(recordedTigerJet(bus, [port]))

interface Rig {
  manager: DeviceManager
  usb: FakeUsb
  hid: FakeHid
  events: [EventName, unknown][]
  device(id: string): Device | undefined
  until(pred: () => boolean, what?: string): Promise<void>
}

function rig(
  options: { usb?: UsbDevice[]; denied?: string[]; sysfs?: boolean; hidLater?: boolean } = {}
): Rig {
  const usb = fakeUsb(options.usb ?? [])
  const hid = fakeHid(
    options.hidLater ? [] : (options.usb ?? []).map((d, i) => tigerjetHidInfo(`/dev/hidraw${i}`))
  )
  const owners: Record<string, string> = {}
  const descriptors: Record<string, Uint8Array> = {}
  for (let i = 0; i < 8; i++) {
    owners[`/dev/hidraw${i}`] = `${i < 4 ? 1 : 2}-${(i % 4) + 1}`
    if (options.sysfs !== false) descriptors[`/dev/hidraw${i}`] = descriptor
  }
  // hidraw0 -> 1-1, hidraw1 -> 1-2 ...
  const system =
    options.sysfs === false
      ? { ...fakeHidSystem(), descriptorSource: null, reportDescriptor: () => null, usbIdOf: () => null }
      : fakeHidSystem({ owners, descriptors, denied: options.denied })
  const bus = new EventBus(silentLogger())
  const events: [EventName, unknown][] = []
  bus.subscribe((n, p) => events.push([n, p]))
  const manager = new DeviceManager(usb, hid, system, bus, silentLogger(), {
    identifyTimeoutMs: 400,
    pollMs: 10
  })
  const device = (id: string) => manager.list().devices.find((d) => d.id === id)
  const until = async (pred: () => boolean, what = 'condition'): Promise<void> => {
    const deadline = Date.now() + 2000
    while (!pred()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
      await new Promise((r) => setTimeout(r, 5))
    }
  }
  return { manager, usb, hid, events, device, until }
}

describe('the device manager', () => {
  it('finds a dongle that was plugged in before the app started, and makes it ready', async () => {
    const r = rig({ usb: [dongle()] })
    r.manager.start()
    await r.until(() => r.device('1-1')?.state === 'ready', 'ready')
    expect(r.device('1-1')).toMatchObject({
      id: '1-1',
      virtual: false,
      model: { id: 'tigerjet-c200', known: true, picture: 'tigerjet-c200.svg' },
      serial: 'DT-RIG-0001',
      firmware: '0.08',
      interfaces: { audio: true, hidTelephony: true, storage: true },
      power: { declaredMa: 500, selfPowered: false, needMa: 500 },
      driver: 'tigerjet',
      descriptorSource: 'sysfs',
      problem: null
    })
    const states = r.events
      .filter(([n]) => n === 'device.changed')
      .map(([, p]) => (p as { devices: Device[] }).devices.find((d) => d.id === '1-1')?.state)
    expect(states).toEqual(['identifying', 'ready'])
    await r.manager.dispose()
  })

  it('forwards the phone’s hook and keys as events and keeps the line state', async () => {
    const r = rig({ usb: [dongle()] })
    r.manager.start()
    await r.until(() => r.device('1-1')?.state === 'ready')
    const handle = r.hid.handles.get('/dev/hidraw0')
    handle?.input(0x00, 0x80)
    handle?.input(0x0b, 0x80)
    const phone = r.events.filter(([n]) => n === 'device.phoneEvent').map(([, p]) => p)
    expect(phone).toEqual([
      { deviceId: '1-1', event: { type: 'hook', offHook: true } },
      { deviceId: '1-1', event: { type: 'digit', digit: '*' } }
    ])
    expect(r.device('1-1')?.line.offHook).toBe(true)
    await r.manager.dispose()
  })

  it('says "needs permission", with the fix, when the OS will not let this user open the dongle', async () => {
    const r = rig({ usb: [dongle()], denied: ['/dev/hidraw0'] })
    r.manager.start()
    await r.until(() => r.device('1-1')?.state === 'error')
    expect(r.device('1-1')?.problem).toEqual({
      code: 'PERMISSION_NEEDED',
      message: 'this user may not open /dev/hidraw0',
      fix: PERMISSION_FIX
    })
    expect(r.hid.handles.size).toBe(0)
    await r.manager.dispose()
  })

  it('opens a refused dongle again once this user may (the access rule installed, no replug)', async () => {
    const denied = ['/dev/hidraw0']
    const r = rig({ usb: [dongle()], denied })
    r.manager.start()
    await r.until(() => r.device('1-1')?.state === 'error')
    await r.manager.reopenRefused()
    expect(r.device('1-1')?.problem?.code).toBe('PERMISSION_NEEDED') // still refused: nothing changed
    denied.splice(0)
    await r.manager.reopenRefused()
    expect(r.device('1-1')).toMatchObject({ state: 'ready', problem: null })
    // Opened in place: no unplug or plug was announced for it.
    const changes = r.events.filter(([n]) => n === 'device.changed').map(([, p]) => p) as DeviceChanged[]
    expect(changes.filter((c) => c.change.kind !== 'updated').map((c) => c.change.kind)).toEqual(['attached'])
    await r.manager.dispose()
  })

  it('waits for a HID node that udev creates after the USB attach', async () => {
    const r = rig({ hidLater: true })
    r.manager.start()
    r.usb.plug(dongle())
    await r.until(() => r.device('1-1')?.state === 'identifying')
    r.hid.interfaces.push(tigerjetHidInfo('/dev/hidraw0'))
    await r.until(() => r.device('1-1')?.state === 'ready')
    await r.manager.dispose()
  })

  it('lets go of a dongle unplugged in the middle of identification, and of its handle', async () => {
    const r = rig({ hidLater: true })
    r.manager.start()
    r.usb.plug(dongle())
    await r.until(() => r.device('1-1')?.state === 'identifying')
    r.usb.unplug('1-1')
    await r.until(() => r.device('1-1') === undefined, 'gone')
    r.hid.interfaces.push(tigerjetHidInfo('/dev/hidraw0'))
    await new Promise((res) => setTimeout(res, 450))
    expect(r.manager.list().devices).toEqual([])
    await r.manager.dispose()
  })

  it('drives two dongles at once, and survives a replug storm with one handle open at the end', async () => {
    const r = rig({ usb: [dongle(1, 1), dongle(1, 2)] })
    r.manager.start()
    await r.until(() => r.manager.list().devices.filter((d) => d.state === 'ready').length === 2)
    for (let i = 0; i < 5; i++) {
      r.usb.unplug('1-2')
      await r.until(() => r.device('1-2') === undefined)
      r.usb.plug(dongle(1, 2))
      await r.until(() => r.device('1-2')?.state === 'ready')
    }
    expect(
      r.manager
        .list()
        .devices.map((d) => d.id)
        .sort()
    ).toEqual(['1-1', '1-2'])
    expect(r.hid.handles.get('/dev/hidraw1')?.closed).toBe(false)
    await r.manager.dispose()
    expect([...r.hid.handles.values()].every((h) => h.closed)).toBe(true)
  })

  it('accepts an unknown USB phone by its Telephony page and ignores a keyboard', async () => {
    const phone: UsbDevice = {
      ...dongle(2, 1),
      id: '2-1',
      vendorId: 0x1209,
      productId: 0x0001,
      interfaceClasses: [3]
    }
    const keyboard: UsbDevice = {
      ...dongle(2, 2),
      id: '2-2',
      vendorId: 0x046d,
      productId: 0xc31c,
      interfaceClasses: [3]
    }
    const r = rig()
    r.hid.interfaces.push(
      {
        ...tigerjetHidInfo('/dev/hidraw4', 'DT-RIG-0002'),
        vendorId: 0x1209,
        productId: 0x0001,
        product: 'Standard USB Phone'
      },
      {
        ...tigerjetHidInfo('/dev/hidraw5', ''),
        vendorId: 0x046d,
        productId: 0xc31c,
        usagePage: 0x01,
        usage: 0x06
      }
    )
    r.manager.start()
    r.usb.plug(phone)
    r.usb.plug(keyboard)
    await r.until(() => r.device('2-1')?.state === 'error' || r.device('2-1')?.state === 'ready')
    await new Promise((res) => setTimeout(res, 50))
    expect(r.device('2-1')?.model).toEqual({
      id: 'usb-phone',
      name: 'Standard USB Phone',
      maker: 'TigerJet Network, Inc.',
      picture: 'usb-phone.svg',
      known: false
    })
    expect(r.device('2-2')).toBeUndefined()
    await r.manager.dispose()
  })

  it('uses the catalog’s descriptor where the OS gives none, and says which source it used', async () => {
    const r = rig({ usb: [dongle()], sysfs: false })
    r.manager.start()
    await r.until(() => r.device('1-1')?.state === 'ready')
    expect(r.device('1-1')?.descriptorSource).toBe('catalog')
    await r.manager.dispose()
  })

  it('rings a ready dongle, and refuses commands for unknown or unready ones clearly', async () => {
    const r = rig({ usb: [dongle()] })
    r.manager.start()
    await r.until(() => r.device('1-1')?.state === 'ready')
    await r.manager.ring('1-1', true)
    expect(r.device('1-1')?.line.ringing).toBe(true)
    expect(r.hid.handles.get('/dev/hidraw0')?.features.at(-1)?.slice(0, 9)).toEqual([
      0, 0x20, 0, 0, 1, 0x00, 0x03, 0, 0
    ])
    await expect(r.manager.ring('9-9', true)).rejects.toThrow("no device '9-9'")
    await r.manager.dispose()
  })

  it('offers a virtual dongle only when asked, driven by the TigerJet driver', async () => {
    const r = rig()
    r.manager.start()
    expect(r.manager.list().devices).toEqual([])
    expect(() => r.manager.virtualHandset(true)).toThrow('no virtual dongle')
    await r.manager.setVirtual(true)
    expect(r.device('virtual')).toMatchObject({
      virtual: true,
      state: 'ready',
      driver: 'tigerjet',
      descriptorSource: 'virtual'
    })
    r.manager.virtualHandset(true)
    r.manager.virtualPress('7')
    expect(r.events.filter(([n]) => n === 'device.phoneEvent').map(([, p]) => p)).toEqual([
      { deviceId: 'virtual', event: { type: 'hook', offHook: true } },
      { deviceId: 'virtual', event: { type: 'digit', digit: '7' } }
    ])
    await r.manager.ring('virtual', true)
    expect(r.device('virtual')?.line).toMatchObject({ offHook: true, ringing: true })
    await r.manager.setVirtual(false)
    expect(r.manager.list().devices).toEqual([])
    await r.manager.dispose()
  })

  it('shows the firmware version the dongle reported to the update step, and the one it was updated to', async () => {
    const r = rig()
    r.manager.start()
    await r.manager.setVirtual(true)
    // The virtual dongle's flash is in hand at plug-in (no protocol read: the update step owns the protocol).
    expect(r.device('virtual')?.firmwareVersion).toBe('1.0.0')
    const fw = r.manager.driverFor('virtual')?.firmware
    if (!fw) throw new Error('the virtual dongle has no firmware access')
    const running = await fw.version()
    expect(r.device('virtual')?.firmwareVersion).toBe(running)
    await fw.write(new Uint8Array(100).fill(7), '1.0.1')
    expect(r.device('virtual')?.firmwareVersion).toBe('1.0.1')
    expect(await fw.version()).toBe('1.0.1')
    await r.manager.dispose()
  })

  it('reads the standards-based phone descriptor with the generic driver', async () => {
    const phone: UsbDevice = {
      ...dongle(1, 3),
      id: '1-3',
      vendorId: 0x1209,
      productId: 0x0001,
      interfaceClasses: [3]
    }
    const r = rig()
    const system = fakeHidSystem({
      owners: { '/dev/hidraw2': '1-3' },
      descriptors: { '/dev/hidraw2': STANDARD_PHONE_DESCRIPTOR }
    })
    const manager = new DeviceManager(r.usb, r.hid, system, new EventBus(silentLogger()), silentLogger(), {
      identifyTimeoutMs: 300,
      pollMs: 10
    })
    r.hid.interfaces.push({ ...tigerjetHidInfo('/dev/hidraw2'), vendorId: 0x1209, productId: 0x0001 })
    manager.start()
    r.usb.plug(phone)
    await r.until(() => manager.list().devices[0]?.state === 'ready')
    expect(manager.list().devices[0]).toMatchObject({
      driver: 'hid-telephony',
      capabilities: { ring: true, linePower: false }
    })
    await manager.indicator('1-3', 'messageWaiting', true)
    expect(r.hid.handles.get('/dev/hidraw2')?.written).toEqual([[0x02, 0b01000]])
    await manager.dispose()
  })
})

describe('each plug and unplug is announced once', () => {
  it('when a failing HID handle makes the manager rescan before the USB detach event arrives', async () => {
    const r = rig({ usb: [dongle()] })
    r.manager.start()
    await r.until(() => r.device('1-1')?.state === 'ready')
    const changes = () =>
      r.events
        .filter(([n]) => n === 'device.changed')
        .map(([, p]) => (p as { change: { kind: string } }).change.kind)
    const before = changes().length
    // The dongle is pulled out: its open handle fails first, then libusb reports the detach.
    const gone = dongle()
    r.usb.failWith(null)
    ;(r.usb as unknown as { list(): UsbDevice[] }).list = () => []
    r.hid.handles.get('/dev/hidraw0')?.fail('could not read from HID device')
    await r.until(() => r.device('1-1') === undefined)
    r.usb.unplug(gone.id)
    await new Promise((res) => setTimeout(res, 20))
    expect(changes().slice(before)).toEqual(['detached'])
    await r.manager.dispose()
  })
})
