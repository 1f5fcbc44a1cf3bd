/**
 * macOS: the IOUSB registry plane as a plist (`ioreg -p IOUSB -l -w0 -a`), read with the plist package. It
 * gives each device's speed and power facts and each hub's power supply type, with the keys Apple defines in
 * IOUSBHostFamilyDefinitions.h (kUSBHubPowerSupplyType 1 = self, 2 = bus; kUSBFailedRequestedPower when a
 * configuration was refused for power). system_profiler is avoided: macOS 26 removed SPUSBDataType.
 */
import { parse } from 'plist'
import type {
  DongleObservation,
  HubObservation,
  Observations
} from '../../../shared/diagnostics/observations'
import type { UsbDevice } from '../../../shared/ipc/device'
import type { CommandRunner } from '../command-runner'
import type { DongleTarget } from '../linux/sysfs'
import { fromUsb } from '../usb-facts'

type Entry = Record<string, unknown>

/** USBSpeed (IOUSBHostFamily): 0 low, 1 full, 2 high, 3 super, 4 super+. */
const SPEED_MBPS: Record<number, number> = { 0: 1.5, 1: 12, 2: 480, 3: 5000, 4: 10000 }

const num = (v: unknown): number | null => (typeof v === 'number' ? v : null)
const children = (e: Entry): Entry[] =>
  Array.isArray(e.IORegistryEntryChildren) ? (e.IORegistryEntryChildren as Entry[]) : []
const isHub = (e: Entry): boolean => e.bDeviceClass === 9

function hubOf(e: Entry, depth: number): HubObservation {
  const supply = num(e.kUSBHubPowerSupplyType)
  return {
    id: `0x${(num(e.locationID) ?? 0).toString(16).padStart(8, '0')}`,
    root: depth === 0,
    selfPowered: depth === 0 ? true : supply === 1 ? true : supply === 2 ? false : null,
    version:
      typeof e.bcdUSB === 'number'
        ? `${(e.bcdUSB >> 8).toString(16)}.${(e.bcdUSB & 0xff).toString(16).padStart(2, '0')}`
        : null,
    ports: null
  }
}

/** Every device in the plane with the hubs above it. */
export function walkIoreg(tree: unknown): { entry: Entry; chain: HubObservation[] }[] {
  const out: { entry: Entry; chain: HubObservation[] }[] = []
  const visit = (e: Entry, chain: HubObservation[]): void => {
    if (typeof e.idVendor === 'number' && !isHub(e)) out.push({ entry: e, chain })
    const next = isHub(e) ? [...chain, hubOf(e, chain.length)] : chain
    for (const c of children(e)) visit(c, next)
  }
  const roots = Array.isArray(tree) ? (tree as Entry[]) : [tree as Entry]
  for (const r of roots) visit(r, [])
  return out
}

export function applyIoreg(
  base: Observations,
  targets: readonly DongleTarget[],
  usb: ReadonlyMap<string, UsbDevice>,
  xml: string
): Observations {
  const devices = walkIoreg(parse(xml))
  const dongles: DongleObservation[] = targets.map((t) => {
    const d = fromUsb(t, usb.get(t.id))
    const hit = devices.find(
      ({ entry }) =>
        entry.idVendor === t.vendorId &&
        entry.idProduct === t.productId &&
        (!t.serial || entry['USB Serial Number'] === t.serial)
    )
    if (!hit) return d
    const e = hit.entry
    const failed = e.kUSBFailedRequestedPower !== undefined
    return {
      ...d,
      speedMbps: SPEED_MBPS[num(e.USBSpeed) ?? -1] ?? null,
      configured: failed ? false : e.kUSBCurrentConfiguration !== undefined ? true : null,
      chain: hit.chain,
      port: {
        name: `locationID 0x${(num(e.locationID) ?? 0).toString(16)}`,
        overCurrentCount: null,
        connectType: null,
        state: null,
        disabled: null,
        hubStatus: null
      }
    }
  })
  return { ...base, dongles }
}

export async function inspectMacos(
  base: Observations,
  targets: readonly DongleTarget[],
  usb: ReadonlyMap<string, UsbDevice>,
  run: CommandRunner
): Promise<Observations> {
  const r = await run('ioreg', ['-p', 'IOUSB', '-l', '-w0', '-a'])
  if (r.code !== 0 || !r.stdout.trim()) {
    return {
      ...base,
      dongles: targets.map((t) => fromUsb(t, usb.get(t.id))),
      error: `ioreg gave no answer (exit ${r.code})`
    }
  }
  try {
    return applyIoreg(base, targets, usb, r.stdout)
  } catch (err) {
    return {
      ...base,
      dongles: targets.map((t) => fromUsb(t, usb.get(t.id))),
      error: `unreadable ioreg answer: ${String(err)}`
    }
  }
}
