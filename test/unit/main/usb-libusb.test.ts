import { EventEmitter } from 'node:events'
import type * as usbTypes from 'usb'
import { describe, expect, it } from 'vitest'
import {
  createLibusbPort,
  describeDevice,
  formatBcd,
  maxPowerMa,
  portId
} from '../../../src/main/device/usb-libusb'
import { UNKNOWN_CONFIG, type UsbConfigFacts, type UsbChange } from '../../../src/main/device/usb-port'
import { usbDeviceSchema, type UsbDevice } from '../../../src/shared/ipc/device'
import { recordedTigerJet } from '../../support/tigerjet'

describe('the libusb adapter', () => {
  it('describes the recorded TigerJet dongle as lsusb does', () => {
    const d = describeDevice(recordedTigerJet(1, [2]))
    expect(d).toEqual({
      id: '1-2',
      busNumber: 1,
      deviceAddress: 17,
      portPath: [2],
      vendorId: 0x06e6,
      productId: 0xc200,
      deviceClass: 0,
      release: '0.08',
      maxPowerMa: 500,
      selfPowered: false,
      interfaceClasses: [8, 1, 1, 1, 3]
    })
    expect(usbDeviceSchema.parse(d)).toEqual(d)
  })

  it('leaves power unknown when the configuration descriptor cannot be read', () => {
    const device = recordedTigerJet(2, [1, 4])
    Object.defineProperty(device, 'configDescriptor', {
      get: () => {
        throw new Error('LIBUSB_ERROR_NOT_FOUND')
      }
    })
    expect(describeDevice(device)).toMatchObject({ id: '2-1.4', maxPowerMa: null, selfPowered: null })
  })

  it('hands an attach over without reading the configuration descriptor, which config() reads when asked', () => {
    const bus = new EventEmitter()
    const port = createLibusbPort(() => ({ usb: bus }) as unknown as typeof usbTypes)
    const device = recordedTigerJet(1, [3])
    const config = Object.getOwnPropertyDescriptor(device, 'configDescriptor')?.value as unknown
    let reads = 0
    Object.defineProperty(device, 'configDescriptor', { get: () => (reads++, config) })
    const seen: [UsbChange, UsbDevice, () => UsbConfigFacts][] = []
    const stop = port.watch((change, d, facts) => seen.push([change, d, facts]))
    bus.emit('attach', device)
    expect(reads).toBe(0)
    expect(seen[0]?.[1]).toEqual({ ...describeDevice(device), ...UNKNOWN_CONFIG })
    reads = 0
    expect(seen[0]?.[2]()).toEqual({ maxPowerMa: 500, selfPowered: false, interfaceClasses: [8, 1, 1, 1, 3] })
    expect(reads).toBe(1)
    bus.emit('detach', device)
    expect(seen[1]?.[0]).toBe('detached')
    expect(seen[1]?.[2]()).toEqual(UNKNOWN_CONFIG) // a device that is gone is not read
    expect(reads).toBe(1)
    stop()
    expect(bus.listenerCount('attach') + bus.listenerCount('detach')).toBe(0)
  })

  it('formats BCD releases, port ids and power units', () => {
    expect(formatBcd(0x0008)).toBe('0.08')
    expect(formatBcd(0x0210)).toBe('2.10')
    expect(portId(3, [])).toBe('usb3')
    expect(portId(1, [1, 4, 2])).toBe('1-1.4.2')
    expect(maxPowerMa(250, 0x0110)).toBe(500)
    expect(maxPowerMa(112, 0x0320)).toBe(896)
  })

  it('loads the real native module: on a machine without a USB bus the list is empty, not an error', () => {
    const port = createLibusbPort()
    expect(port.initError()).toBeNull()
    const list = port.list()
    expect(Array.isArray(list)).toBe(true)
    for (const d of list) expect(usbDeviceSchema.safeParse(d).success).toBe(true)
    expect(typeof port.hotplugSupported()).toBe('boolean')
    const stop = port.watch(() => undefined)
    stop()
  })
})
