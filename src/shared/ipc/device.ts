/**
 * The device domain: the USB devices the app sees, and changes to them. The device layer (catalog, HID,
 * drivers) grows this domain; what is here is the raw USB view every later step is built on.
 */
import { z } from 'zod'
import { command, domain, event, noArgs } from './define'

export const usbDeviceSchema = z.object({
  /** Stable for a port: bus number and the port path, as Linux writes it ('1-1.4'). */
  id: z.string(),
  busNumber: z.number().int().nonnegative(),
  deviceAddress: z.number().int().nonnegative(),
  portPath: z.array(z.number().int().nonnegative()),
  vendorId: z.number().int().min(0).max(0xffff),
  productId: z.number().int().min(0).max(0xffff),
  deviceClass: z.number().int().min(0).max(0xff),
  /** bcdDevice as 'major.minor', the device's release (often its firmware version). */
  release: z.string(),
  /** What the active configuration asks of the port, in mA (bMaxPower x 2 for USB 2); null when unreadable. */
  maxPowerMa: z.number().int().nonnegative().nullable(),
  /** From bmAttributes bit 6; null when the configuration descriptor could not be read. */
  selfPowered: z.boolean().nullable()
})
export type UsbDevice = z.infer<typeof usbDeviceSchema>

export const deviceListSchema = z.object({
  devices: z.array(usbDeviceSchema),
  /** Whether the OS tells the app about plug and unplug (libusb hotplug). */
  hotplug: z.boolean()
})
export type DeviceList = z.infer<typeof deviceListSchema>

export const deviceChangedSchema = z.object({
  change: z.enum(['attached', 'detached']),
  device: usbDeviceSchema,
  devices: z.array(usbDeviceSchema)
})
export type DeviceChanged = z.infer<typeof deviceChangedSchema>

export const deviceDomain = domain({
  name: 'device',
  commands: {
    'device.list': command({
      request: noArgs,
      response: deviceListSchema,
      summary: 'The USB devices present now. An empty list is a valid answer; a USB stack error is an error.'
    })
  },
  events: {
    'device.changed': event({
      payload: deviceChangedSchema,
      summary: 'A device was plugged in or unplugged; carries the new list.'
    })
  }
})
