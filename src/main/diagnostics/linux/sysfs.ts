/**
 * Reads a dongle's power facts from Linux sysfs without root: the device (bMaxPower, bmAttributes, speed,
 * configuration, runtime power management), its port on the parent hub (over_current_count, connect_type,
 * state, disable), and every hub up to the root. `root` is /sys/bus/usb/devices, or a recorded fixture tree
 * with the same layout (test/fixtures/sysfs).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type {
  DongleObservation,
  HubObservation,
  PortObservation
} from '../../../shared/diagnostics/observations'

export const SYS_USB_DEVICES = '/sys/bus/usb/devices'

export interface DongleTarget {
  id: string
  vendorId: number
  productId: number
  name: string
  serial: string | null
  needMa: number | null
  permission: DongleObservation['permission']
}

const read = (root: string, ...path: string[]): string | null => {
  try {
    return readFileSync(join(root, ...path), 'utf8').trim()
  } catch {
    return null
  }
}
const num = (s: string | null): number | null => {
  if (s === null || s === '') return null
  const n = Number.parseFloat(s)
  return Number.isNaN(n) ? null : n
}

/** bmAttributes as a number (sysfs writes it in hex, '80'). */
const attributes = (root: string, id: string): number | null => {
  const s = read(root, id, 'bmAttributes')
  const n = s === null ? Number.NaN : Number.parseInt(s, 16)
  return Number.isNaN(n) ? null : n
}

/** The hubs above a device: 'usb1' for '1-1', then '1-1' for '1-1.4', and so on. */
export function hubChainIds(id: string): string[] {
  const m = /^(\d+)-([\d.]+)$/.exec(id)
  if (!m) return []
  const [, bus, path] = m as unknown as [string, string, string]
  const parts = path.split('.')
  return [`usb${bus}`, ...parts.slice(0, -1).map((_, i) => `${bus}-${parts.slice(0, i + 1).join('.')}`)]
}

/** The sysfs folder of a device's port on its parent hub, relative to root. */
export function portPath(id: string): { dir: string; name: string } | null {
  const m = /^(\d+)-([\d.]+)$/.exec(id)
  if (!m) return null
  const [, bus, path] = m as unknown as [string, string, string]
  const parts = path.split('.')
  const port = parts.at(-1) as string
  if (parts.length === 1)
    return { dir: join(`usb${bus}`, `${bus}-0:1.0`, `usb${bus}-port${port}`), name: `usb${bus}-port${port}` }
  const parent = `${bus}-${parts.slice(0, -1).join('.')}`
  return { dir: join(parent, `${parent}:1.0`, `${parent}-port${port}`), name: `${parent}-port${port}` }
}

export function readHub(root: string, id: string): HubObservation {
  const attrs = attributes(root, id)
  return {
    id,
    root: id.startsWith('usb'),
    selfPowered: attrs === null ? null : (attrs & 0x40) !== 0,
    version: read(root, id, 'version'),
    ports: num(read(root, id, 'maxchild'))
  }
}

export function readPort(root: string, id: string): PortObservation | null {
  const p = portPath(id)
  if (!p || read(root, p.dir, 'connect_type') === null) return null
  const disable = read(root, p.dir, 'disable')
  return {
    name: p.name,
    overCurrentCount: num(read(root, p.dir, 'over_current_count')),
    connectType: read(root, p.dir, 'connect_type'),
    state: read(root, p.dir, 'state'),
    disabled: disable === null ? null : disable === '1',
    hubStatus: null
  }
}

export function readDongle(root: string, t: DongleTarget): DongleObservation | null {
  if (read(root, t.id, 'idVendor') === null) return null
  const bits = attributes(root, t.id)
  const config = read(root, t.id, 'bConfigurationValue')
  return {
    id: t.id,
    vendorId: t.vendorId,
    productId: t.productId,
    name: t.name,
    serial: t.serial ?? read(root, t.id, 'serial'),
    declaredMa: num((read(root, t.id, 'bMaxPower') ?? '').replace(/mA$/, '')),
    selfPowered: bits === null ? null : (bits & 0x40) !== 0,
    needMa: t.needMa,
    speedMbps: num(read(root, t.id, 'speed')),
    configured: config === null ? null : config !== '',
    power: {
      control: read(root, t.id, 'power', 'control'),
      runtimeStatus: read(root, t.id, 'power', 'runtime_status'),
      autosuspendDelayMs: num(read(root, t.id, 'power', 'autosuspend_delay_ms'))
    },
    port: readPort(root, t.id),
    chain: hubChainIds(t.id).map((h) => readHub(root, h)),
    permission: t.permission,
    problemCode: null,
    problemText: null
  }
}
