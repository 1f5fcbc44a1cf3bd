import { describe, expect, it } from 'vitest'
import {
  createLibusbPort,
  describeDevice,
  formatBcd,
  maxPowerMa,
  portId
} from '../../../src/main/device/usb-libusb'
import { usbDeviceSchema } from '../../../src/shared/ipc/device'
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
