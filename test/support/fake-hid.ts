/**
 * HID for machines without the rig: a handle that replays input reports (the TigerJet's recorded ones) and
 * records the reports the driver sends; a port listing interfaces as node-hid does on Linux; and a HidSystem
 * answering as sysfs would. Shapes follow node-hid 3.4 and the rig's recorded sysfs.
 */
import type { HidHandle, HidInterfaceInfo, HidPort } from '../../src/main/device/hid-port'
import type { HidSystem } from '../../src/main/device/hid-system'

export class RecordingHandle implements HidHandle {
  readonly written: number[][] = []
  readonly features: number[][] = []
  closed = false
  /** What GET_FEATURE answers (report id first); zeros like Linux 6.1's f_hid in the rig. */
  featureAnswer: Uint8Array = new Uint8Array(65)
  private readonly data = new Set<(r: Uint8Array) => void>()
  private readonly errors = new Set<(e: Error) => void>()

  async write(report: Uint8Array): Promise<void> {
    this.written.push([...report])
  }
  async sendFeatureReport(report: Uint8Array): Promise<void> {
    this.features.push([...report])
  }
  async getFeatureReport(_id: number, length: number): Promise<Uint8Array> {
    return this.featureAnswer.subarray(0, length)
  }
  onData(l: (r: Uint8Array) => void): () => void {
    this.data.add(l)
    return () => void this.data.delete(l)
  }
  onError(l: (e: Error) => void): () => void {
    this.errors.add(l)
    return () => void this.errors.delete(l)
  }
  async close(): Promise<void> {
    this.closed = true
  }
  /** The device sends an input report. */
  input(...bytes: number[]): void {
    for (const l of this.data) l(Uint8Array.from(bytes))
  }
  fail(message: string): void {
    // As node-hid's EventEmitter: an 'error' nobody listens to is thrown.
    if (this.errors.size === 0) throw new Error(`Unhandled error. ('${message}')`)
    for (const l of this.errors) l(new Error(message))
  }
}

export function tigerjetHidInfo(path = '/dev/hidraw0', serial = 'DT-RIG-0001'): HidInterfaceInfo {
  return {
    vendorId: 0x06e6,
    productId: 0xc200,
    path,
    serialNumber: serial,
    usagePage: 0x0b,
    usage: 0x01,
    interfaceNumber: 1,
    release: 0x0008,
    product: 'USB Internet Phone by TigerJet',
    manufacturer: 'TigerJet Network, Inc.'
  }
}

export interface FakeHid extends HidPort {
  interfaces: HidInterfaceInfo[]
  handles: Map<string, RecordingHandle>
  /** Paths answered by a device of the test's own (a firmware interface) instead of a RecordingHandle. */
  devices: Map<string, HidHandle>
  openError: Error | null
}

export function fakeHid(interfaces: HidInterfaceInfo[] = []): FakeHid {
  const port: FakeHid = {
    interfaces,
    handles: new Map(),
    devices: new Map(),
    openError: null,
    list: () => [...port.interfaces],
    async open(path) {
      if (port.openError) throw port.openError
      const own = port.devices.get(path)
      if (own) return own
      const handle = new RecordingHandle()
      port.handles.set(path, handle)
      return handle
    }
  }
  return port
}

export function fakeHidSystem(
  options: {
    owners?: Record<string, string>
    descriptors?: Record<string, Uint8Array>
    denied?: string[]
  } = {}
): HidSystem {
  return {
    descriptorSource: 'sysfs',
    usbIdOf: (path) => options.owners?.[path] ?? null,
    reportDescriptor: (path) => options.descriptors?.[path] ?? null,
    canOpen: (path) => !(options.denied ?? []).includes(path)
  }
}
