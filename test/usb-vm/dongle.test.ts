/**
 * The real Linux USB stack, in the QEMU guest: the rig's dongles enumerate through dummy_hcd, and the app's
 * libusb adapter and node-hid see them as they would see the hardware. Run by `npm run test:usb`.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import HID from 'node-hid'
import { getDeviceList, type Device } from 'usb'
import { createLibusbPort } from '../../src/main/device/usb-libusb'
import type { UsbDevice } from '../../src/shared/ipc/device'
import { Gadget } from './rig/gadget'
import { standardPhoneProfile, tigerjetProfile } from './rig/profiles'
import { sleep, waitFor } from './rig/wait'

const port = createLibusbPort()
const find = (vid: number, pid: number): UsbDevice | undefined =>
  port.list().find((d) => d.vendorId === vid && d.productId === pid)
const hidOf = (vid: number, pid: number): HID.Device | undefined =>
  HID.devices().find((h) => h.vendorId === vid && h.productId === pid && h.usagePage === 0x0b)

function strings(device: Device): Promise<string[]> {
  device.open()
  const read = (index: number): Promise<string> =>
    new Promise((resolve, reject) =>
      device.getStringDescriptor(index, (err, value) => (err ? reject(err) : resolve(value ?? '')))
    )
  const d = device.deviceDescriptor
  return Promise.all([read(d.iManufacturer), read(d.iProduct), read(d.iSerialNumber)]).finally(() =>
    device.close()
  )
}

const tigerjet = new Gadget(tigerjetProfile(), 'dummy_udc.0')
const phone = new Gadget(standardPhoneProfile(), 'dummy_udc.1')

before(async () => {
  tigerjet.create().bind()
  phone.create().bind()
  await waitFor('both dongles enumerated', () => hidOf(0x06e6, 0xc200) && hidOf(0x1209, 0x0001), 20_000)
})
after(() => {
  tigerjet.destroy()
  phone.destroy()
})

describe('the TigerJet profile on the real kernel', () => {
  it('appears in getDeviceList with its ids, port path and 500 mA need', async () => {
    const d = find(0x06e6, 0xc200)
    assert.ok(d, 'the dongle is listed')
    assert.deepEqual(d.portPath, [1])
    assert.equal(d.maxPowerMa, 500)
    assert.equal(d.selfPowered, false)
    assert.equal(d.release, '0.08')
    assert.equal(d.id, `${d.busNumber}-1`)
    const raw = getDeviceList().find((x) => x.deviceDescriptor.idVendor === 0x06e6)
    assert.ok(raw)
    assert.deepEqual(await strings(raw), [
      'TigerJet Network, Inc.',
      'USB Internet Phone by TigerJet',
      tigerjet.profile.serial
    ])
    const classes = raw.configDescriptor?.interfaces.map((alts) => alts[0]?.bInterfaceClass)
    assert.deepEqual(classes, [8, 3], 'mass storage (the installer disk) and HID')
  })

  it('is listed by node-hid on the Telephony page, with its recorded report descriptor', () => {
    const h = hidOf(0x06e6, 0xc200)
    assert.ok(h?.path)
    assert.equal(h.usage, 0x01, 'Phone')
    assert.equal(h.serialNumber, tigerjet.profile.serial)
    const node = h.path.split('/').pop()
    const live = readFileSync(`/sys/class/hidraw/${node}/device/report_descriptor`)
    const recorded = readFileSync(
      new URL('../fixtures/usb/tigerjet-06e6-c200/hid-report-descriptor.bin', import.meta.url)
    )
    assert.equal(live.length, 111)
    assert.deepEqual(live, recorded)
  })

  it('delivers hook and keypad input reports to node-hid', async () => {
    const h = hidOf(0x06e6, 0xc200)
    assert.ok(h?.path)
    const dev = await HID.HIDAsync.open(h.path)
    const seen: Buffer[] = []
    dev.on('data', (data: Buffer) => seen.push(Buffer.from(data)))
    try {
      await tigerjet.handset({ offHook: true })
      await tigerjet.handset({ offHook: true, key: '5' })
      await tigerjet.handset({ offHook: true, key: '#' })
      await tigerjet.handset({ offHook: false })
      await waitFor('four input reports', () => seen.length >= 4)
      assert.deepEqual(
        seen.slice(0, 4).map((b) => [...b]),
        [
          [0x00, 0x80],
          [0x06, 0x80],
          [0x0c, 0x80],
          [0x00, 0x00]
        ]
      )
    } finally {
      await dev.close()
    }
  })

  it("carries the host's 64-byte vendor feature report to the gadget", async () => {
    const h = hidOf(0x06e6, 0xc200)
    assert.ok(h?.path)
    const dev = await HID.HIDAsync.open(h.path)
    try {
      const payload = Array.from({ length: 64 }, (_, i) => (i * 7 + 1) & 0xff)
      // Report id 0 (the descriptor declares none) goes first and is not sent on the wire.
      await dev.sendFeatureReport([0x00, ...payload])
      const [got] = await tigerjet.readHostReports(1)
      assert.ok(got, 'the gadget received a report')
      assert.deepEqual([...got], payload)
    } finally {
      await dev.close()
    }
  })
})

describe('the standard USB phone profile', () => {
  it('is a second dongle on its own bus', () => {
    const a = find(0x06e6, 0xc200)
    const b = find(0x1209, 0x0001)
    assert.ok(a && b)
    assert.notEqual(a.busNumber, b.busNumber)
    assert.equal(b.maxPowerMa, 100)
    const telephony = HID.devices().filter((h) => h.usagePage === 0x0b)
    assert.deepEqual(telephony.map((h) => h.serialNumber).sort(), ['DT-RIG-0001', 'DT-RIG-0002'])
  })

  it('receives LED output reports (ring, off-hook, message waiting) from the host', async () => {
    const h = hidOf(0x1209, 0x0001)
    assert.ok(h?.path)
    const dev = await HID.HIDAsync.open(h.path)
    try {
      await dev.write([0x02, 0b01001]) // Ring + Message Waiting
      await dev.write([0x02, 0b00010]) // Off-Hook
      const got = await phone.readHostReports(2)
      assert.deepEqual(
        got.map((b) => [...b]),
        [
          [0x02, 0x09],
          [0x02, 0x02]
        ]
      )
    } finally {
      await dev.close()
    }
  })

  it('sends its report-1 input with hook and key', async () => {
    const h = hidOf(0x1209, 0x0001)
    assert.ok(h?.path)
    const dev = await HID.HIDAsync.open(h.path)
    const seen: number[][] = []
    dev.on('data', (d: Buffer) => seen.push([...d]))
    try {
      await phone.handset({ offHook: true, key: '9' })
      await waitFor('an input report', () => seen.length >= 1)
      assert.deepEqual(seen[0], [0x01, 0x01, 10])
    } finally {
      await dev.close()
    }
  })
})

describe('plug and unplug', () => {
  it('fires detach on unbind and attach on bind, through the app adapter', async () => {
    const events: string[] = []
    const stop = port.watch((change, d) => d.vendorId === 0x06e6 && events.push(change))
    try {
      tigerjet.unbind()
      await waitFor('detach', () => events.includes('detached'))
      assert.equal(find(0x06e6, 0xc200), undefined)
      tigerjet.bind()
      await waitFor('attach', () => events.includes('attached'))
      await waitFor('listed again', () => find(0x06e6, 0xc200))
      assert.deepEqual(events, ['detached', 'attached'])
    } finally {
      stop()
    }
  })

  it('sees a storm of 10 reconnects as 10 detach/attach pairs, in order', async () => {
    const events: string[] = []
    const stop = port.watch((change, d) => d.vendorId === 0x06e6 && events.push(change))
    try {
      for (let i = 0; i < 10; i++) {
        tigerjet.unbind()
        await waitFor(`detach ${i + 1}`, () => events.filter((e) => e === 'detached').length > i)
        tigerjet.bind()
        await waitFor(`attach ${i + 1}`, () => events.filter((e) => e === 'attached').length > i)
      }
      await sleep(500) // nothing more may arrive
      assert.deepEqual(events, Array.from({ length: 10 }, () => ['detached', 'attached']).flat())
    } finally {
      stop()
    }
  })
})
