/** HidPort over node-hid (hidraw backend on Linux): the real HID access of both hosts. */
import { createRequire } from 'node:module'
import type * as NodeHid from 'node-hid'
import type { HidHandle, HidInterfaceInfo, HidPort } from './hid-port'

type NodeHidModule = typeof NodeHid

const load = (): NodeHidModule => createRequire(import.meta.url)('node-hid') as NodeHidModule

export function createNodeHidPort(loader: () => NodeHidModule = load): HidPort {
  let mod: NodeHidModule | undefined
  const hid = (): NodeHidModule => (mod ??= loader())
  return {
    list: () =>
      hid()
        .devices()
        .filter((d): d is NodeHid.Device & { path: string } => typeof d.path === 'string')
        .map((d): HidInterfaceInfo => ({
          vendorId: d.vendorId,
          productId: d.productId,
          path: d.path,
          serialNumber: d.serialNumber || null,
          usagePage: d.usagePage ?? 0,
          usage: d.usage ?? 0,
          interfaceNumber: d.interface,
          release: d.release,
          product: d.product || null,
          manufacturer: d.manufacturer || null
        })),
    async open(path) {
      const device = await hid().HIDAsync.open(path)
      const handle: HidHandle = {
        write: async (report) => void (await device.write([...report])),
        sendFeatureReport: async (report) => void (await device.sendFeatureReport([...report])),
        getFeatureReport: async (id, length) => Uint8Array.from(await device.getFeatureReport(id, length)),
        onData(listener) {
          const forward = (data: Buffer): void => listener(Uint8Array.from(data))
          device.on('data', forward)
          return () => void device.off('data', forward)
        },
        onError(listener) {
          device.on('error', listener)
          return () => void device.off('error', listener)
        },
        close: () => device.close()
      }
      return handle
    }
  }
}
