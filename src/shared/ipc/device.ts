/**
 * The device domain: the phone dongles the app found (identified against the catalog or by their HID
 * Telephony page), the raw USB view under them, their phone events, and the commands the phone layer and the
 * on-screen virtual dongle use. Nothing here carries report bytes: drivers turn bytes into these events.
 */
import { z } from 'zod'
import { INDICATORS, PHONE_KEYS } from '../telephony/hid-usages'
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
  selfPowered: z.boolean().nullable(),
  /** bInterfaceClass of each interface of the active configuration (1 audio, 3 HID, 8 storage …). */
  interfaceClasses: z.array(z.number().int().min(0).max(0xff))
})
export type UsbDevice = z.infer<typeof usbDeviceSchema>

/** The id of the virtual dongle (demos, browser tests); every physical dongle's id is its USB port. */
export const VIRTUAL_DEVICE_ID = 'virtual'

export const DEVICE_STATES = ['present', 'identifying', 'ready', 'in-use', 'error', 'gone'] as const
export const PROBLEM_CODES = [
  'PERMISSION_NEEDED',
  'OPEN_FAILED',
  'DESCRIPTOR_UNREADABLE',
  'NO_HID_INTERFACE'
] as const

export const phoneKeySchema = z.enum(PHONE_KEYS)
export const indicatorSchema = z.enum(INDICATORS)

export const capabilitiesSchema = z.object({
  hook: z.boolean(),
  keypad: z.boolean(),
  flash: z.boolean(),
  mute: z.boolean(),
  ring: z.boolean(),
  linePower: z.boolean(),
  indicators: z.array(indicatorSchema)
})

export const deviceSchema = z.object({
  /** The USB port id ('1-1'), or 'virtual' for the virtual dongle. */
  id: z.string(),
  state: z.enum(DEVICE_STATES),
  virtual: z.boolean(),
  model: z.object({
    id: z.string(),
    name: z.string(),
    maker: z.string().nullable(),
    /** File name of the picture in resources/devices. */
    picture: z.string(),
    /** In the catalog, rather than accepted as a generic USB phone. */
    known: z.boolean()
  }),
  vendorId: z.number().int().min(0).max(0xffff),
  productId: z.number().int().min(0).max(0xffff),
  serial: z.string().nullable(),
  /** The USB release (bcdDevice, 'major.minor'): what the dongle's USB descriptor says, not its firmware. */
  firmware: z.string(),
  /**
   * The firmware version the dongle itself reported over Dialtone's firmware protocol: read at plug-in, then
   * whatever the setup's update step reads or writes (null while it is read, when it could not be, or for devices
   * without the protocol). The card says the same as the update step.
   */
  firmwareVersion: z.string().nullable(),
  /**
   * The version is being read (a real dongle, from plug-in until its first read over the protocol answered or
   * not): the app says "checking", never `firmware` (the USB release) in its place.
   */
  firmwareChecking: z.boolean(),
  interfaces: z.object({ audio: z.boolean(), hidTelephony: z.boolean(), storage: z.boolean() }),
  power: z.object({
    /** What the dongle declares it needs (bMaxPower). */
    declaredMa: z.number().int().nonnegative().nullable(),
    selfPowered: z.boolean().nullable(),
    /** What the catalog says the model really needs to work. */
    needMa: z.number().int().nonnegative().nullable()
  }),
  driver: z.enum(['tigerjet', 'hid-telephony']).nullable(),
  capabilities: capabilitiesSchema.nullable(),
  /** Where the HID report descriptor came from: the OS (sysfs on Linux), the catalog, or the virtual dongle. */
  descriptorSource: z.enum(['sysfs', 'catalog', 'virtual']).nullable(),
  line: z.object({ offHook: z.boolean(), ringing: z.boolean(), linePower: z.boolean(), muted: z.boolean() }),
  problem: z
    .object({ code: z.enum(PROBLEM_CODES), message: z.string(), fix: z.string().nullable() })
    .nullable()
})
export type Device = z.infer<typeof deviceSchema>

export const deviceListSchema = z.object({
  devices: z.array(deviceSchema),
  usb: z.array(usbDeviceSchema),
  /** Whether the OS tells the app about plug and unplug (libusb hotplug). */
  hotplug: z.boolean()
})
export type DeviceList = z.infer<typeof deviceListSchema>

export const deviceChangedSchema = deviceListSchema.extend({
  change: z.object({ kind: z.enum(['attached', 'detached', 'updated']), id: z.string() })
})
export type DeviceChanged = z.infer<typeof deviceChangedSchema>

export const phoneEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hook'), offHook: z.boolean() }),
  z.object({ type: z.literal('digit'), digit: phoneKeySchema }),
  z.object({ type: z.literal('flash') }),
  z.object({ type: z.literal('mute'), on: z.boolean() }),
  z.object({ type: z.literal('redial') })
])
export type PhoneEvent = z.infer<typeof phoneEventSchema>

const deviceId = z.string().min(1).max(64)
const ok = z.null()

export const deviceDomain = domain({
  name: 'device',
  commands: {
    'device.list': command({
      request: noArgs,
      response: deviceListSchema,
      summary:
        'The phone dongles and the USB devices present now. An empty list is valid; a USB stack error is an error.'
    }),
    'device.ring': command({
      request: z.object({ id: deviceId, on: z.boolean() }).strict(),
      response: ok,
      summary: 'Start or stop ringing the phone on a dongle (the caller makes the cadence).'
    }),
    'device.indicator': command({
      request: z.object({ id: deviceId, name: indicatorSchema, on: z.boolean() }).strict(),
      response: ok,
      summary: 'Switch an indicator (Ring, Off-Hook, Mute, Message Waiting, Hold) on a dongle that has it.'
    }),
    'device.linePower': command({
      request: z.object({ id: deviceId, on: z.boolean() }).strict(),
      response: ok,
      summary: 'Power the analog line of an FXS dongle on or off.'
    }),
    'device.virtual.handset': command({
      request: z.object({ offHook: z.boolean() }).strict(),
      response: ok,
      summary: 'Lift or hang up the virtual dongle’s on-screen handset.'
    }),
    'device.virtual.press': command({
      request: z.object({ key: phoneKeySchema }).strict(),
      response: ok,
      summary: 'Press a key on the virtual dongle’s on-screen keypad.'
    }),
    'device.virtual.flash': command({
      request: noArgs,
      response: ok,
      summary: 'Press the virtual handset’s hook flash.'
    })
  },
  events: {
    'device.changed': event({
      payload: deviceChangedSchema,
      summary: 'A device was plugged in, unplugged, or changed state; carries the new lists.'
    }),
    'device.phoneEvent': event({
      payload: z.object({ deviceId: z.string(), event: phoneEventSchema }),
      summary: 'Hook, digit, flash, mute or redial from a dongle’s phone.'
    }),
    'device.trouble': event({
      payload: z.object({
        /** missing: a dongle that was set up has not appeared since start; dropouts: it keeps disconnecting. */
        kind: z.enum(['missing', 'dropouts']),
        /** How many disconnects (dropouts), or 0. */
        count: z.number().int().min(0)
      }),
      summary:
        'A set-up dongle did not appear within a minute of start, or drops out repeatedly: see Diagnostics.'
    })
  }
})
