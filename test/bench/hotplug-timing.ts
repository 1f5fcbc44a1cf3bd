/**
 * Where a hotplug's milliseconds go, for the hotplug bench: the device layer's real ports (libusb, node-hid,
 * sysfs) and its event bus, each wrapped to stamp the first moment a step is done for the dongle being timed.
 * Nothing here changes what the ports do; the wrappers only read the clock (performance.now, microseconds).
 */
import { performance } from 'node:perf_hooks'
import type { HidPort } from '../../src/main/device/hid-port'
import type { HidSystem } from '../../src/main/device/hid-system'
import type { UsbPort } from '../../src/main/device/usb-port'
import { EventBus } from '../../src/main/ipc/event-bus'
import type { Logger } from '../../src/main/log/logger'
import { eventDef, type EventName, type PayloadOf } from '../../src/shared/ipc/contract'

/** The steps, in the order a plug-in passes them. */
export const STEPS = [
  'raw', // the `usb` package's attach event (the bench's own listener, registered first: the peer)
  'port', // the device layer's UsbPort listener called (the attach described)
  'emitAttached', // the device layer hands device.changed 'attached' to the event bus
  'attached', // device.changed 'attached' delivered to a subscriber (after the contract check)
  'details', // the first device.changed with the configuration descriptor's facts (declared power known)
  'hidFound', // node-hid's enumeration lists the dongle's HID interface
  'descriptor', // its report descriptor read from sysfs
  'opened', // its hidraw node opened
  'ready' // device.changed with the dongle ready
] as const
export type Step = (typeof STEPS)[number]

export class Stamps {
  private at = new Map<Step, number>()
  /** Counts HID enumerations until the interface showed (each one walks /sys and reads every hidraw's strings). */
  hidLists = 0
  hidListMs = 0

  constructor(private readonly vendorId: number) {}

  reset(): void {
    this.at.clear()
    this.hidLists = 0
    this.hidListMs = 0
  }

  mark(step: Step): void {
    if (!this.at.has(step)) this.at.set(step, performance.now())
  }

  get(step: Step): number | undefined {
    return this.at.get(step)
  }

  usb(port: UsbPort): UsbPort {
    return {
      ...port,
      watch: (listener) =>
        port.watch((change, device, ...rest) => {
          if (change === 'attached' && device.vendorId === this.vendorId) this.mark('port')
          listener(change, device, ...rest)
        })
    }
  }

  hid(port: HidPort): HidPort {
    return {
      list: () => {
        const t = performance.now()
        const found = port.list()
        if (!this.at.has('hidFound')) {
          this.hidLists++
          this.hidListMs += performance.now() - t
        }
        if (found.some((h) => h.vendorId === this.vendorId)) this.mark('hidFound')
        return found
      },
      open: async (path) => {
        const handle = await port.open(path)
        this.mark('opened')
        return handle
      }
    }
  }

  system(system: HidSystem): HidSystem {
    return {
      ...system,
      usbIdOf: (p) => system.usbIdOf(p),
      canOpen: (p) => system.canOpen(p),
      reportDescriptor: (p) => {
        const bytes = system.reportDescriptor(p)
        this.mark('descriptor')
        return bytes
      }
    }
  }

  /**
   * The app's event bus, stamping the hand-over of the dongle's 'attached'. With `zodOnly` set, the bus as it was
   * before the compiled check (every payload through zod's safeParse), to compare the two in one boot.
   */
  bus(log: Logger): EventBus & { zodOnly: boolean } {
    const isAttach = (p: PayloadOf<'device.changed'>): boolean =>
      p.change.kind === 'attached' && p.devices.some((d) => d.vendorId === this.vendorId)
    const mark = (): void => this.mark('emitAttached')
    return new (class extends EventBus {
      zodOnly = false
      private readonly all = new Set<(name: EventName, payload: unknown) => void>()
      constructor() {
        super(log)
        super.subscribe((name, payload) => {
          if (!this.zodOnly) for (const l of this.all) l(name, payload)
        })
      }
      override emit<E extends EventName>(name: E, payload: PayloadOf<E>): void {
        if (name === 'device.changed' && isAttach(payload as PayloadOf<'device.changed'>)) mark()
        if (!this.zodOnly) return super.emit(name, payload)
        const checked = eventDef(name).payload.safeParse(payload)
        if (checked.success) for (const l of this.all) l(name, checked.data)
      }
      override subscribe(listener: (name: EventName, payload: unknown) => void): () => void {
        this.all.add(listener)
        return () => this.all.delete(listener)
      }
    })()
  }
}
