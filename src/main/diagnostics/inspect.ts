/**
 * One full inspection: which dongles are on the bus (catalog models, or any device with a HID Telephony
 * interface), what the OS says about their ports and power, what its logs say, and the plug/unplug history.
 * The same function serves the app's Diagnostics page and the dialtone-diag command line.
 */
import { existsSync } from 'node:fs'
import { accessNeed, permissionFact } from '../../shared/diagnostics/access'
import type { DongleObservation, HotplugEvent, Observations } from '../../shared/diagnostics/observations'
import { findModel } from '../device/catalog'
import type { HidInterfaceInfo, HidPort } from '../device/hid-port'
import { phoneInterfaceOf, type HidSystem } from '../device/hid-system'
import type { UsbDevice } from '../../shared/ipc/device'
import type { UsbPort } from '../device/usb-port'
import type { CommandRunner } from './command-runner'
import { parseKernelLog } from './linux/kernel-log'
import { readDongle, SYS_USB_DEVICES, type DongleTarget } from './linux/sysfs'
import { inspectMacos } from './macos/ioreg'
import { checkPermissions, toPlatform } from '../setup/permissions'
import { fromUsb } from './usb-facts'
import { inspectWindows } from './windows/pnp'

export interface InspectPorts {
  platform: string
  usb: UsbPort
  hid: HidPort | null
  hidSystem: HidSystem
  run: CommandRunner
  /** /sys/bus/usb/devices, or a recorded tree in tests. */
  sysRoot?: string
  events: () => HotplugEvent[]
  now?: () => Date
  /** Whether Dialtone's udev rule is installed (default: looks in the rule folders, as setup does). */
  ruleInstalled?: () => boolean
}

const platformOf = (p: string): Observations['platform'] =>
  p === 'linux' || p === 'win32' || p === 'darwin' ? p : 'other'

export function dongleTargets(
  usb: readonly UsbDevice[],
  hid: readonly HidInterfaceInfo[],
  system: HidSystem,
  access: { platform: string; ruleInstalled: boolean } = { platform: 'other', ruleInstalled: false }
): DongleTarget[] {
  const out: DongleTarget[] = []
  for (const d of usb) {
    const model = findModel(d.vendorId, d.productId)
    const h = phoneInterfaceOf(d, hid, system, model !== null)
    if (!model && !h) continue
    const open = h ? system.canOpen(h.path) : null
    out.push({
      id: d.id,
      vendorId: d.vendorId,
      productId: d.productId,
      name: model?.name ?? h?.product ?? 'USB phone',
      serial: h?.serialNumber ?? null,
      needMa: model?.powerNeedMa ?? null,
      // The same answer as the setup's permissions step (one function decides for both).
      permission: permissionFact(accessNeed(access.platform, open, access.ruleInstalled), open)
    })
  }
  return out
}

async function kernelLog(run: CommandRunner): Promise<string> {
  const journal = await run('journalctl', ['-k', '-b', '-o', 'short-iso', '--no-pager', '-n', '5000'])
  if (journal.code === 0 && journal.stdout.trim()) return journal.stdout
  const dmesg = await run('dmesg', [])
  return dmesg.code === 0 ? dmesg.stdout : ''
}

export async function inspect(ports: InspectPorts): Promise<Observations> {
  const platform = platformOf(ports.platform)
  const collector: Observations['collector'] =
    platform === 'win32' ? 'windows-pnp' : platform === 'darwin' ? 'macos-ioreg' : 'linux-sysfs'
  const base: Observations = {
    platform,
    collector,
    collectedAt: (ports.now?.() ?? new Date()).toISOString(),
    inspected: true,
    error: null,
    dongles: [],
    logs: [],
    events: ports.events(),
    selectiveSuspend: null
  }
  let usb: UsbDevice[]
  try {
    usb = ports.usb.list()
  } catch (err) {
    return {
      ...base,
      inspected: false,
      error: `the USB stack did not answer: ${err instanceof Error ? err.message : String(err)}`
    }
  }
  let hid: HidInterfaceInfo[]
  try {
    hid = ports.hid?.list() ?? []
  } catch {
    hid = [] // HID listing is a help for naming and permissions, not a requirement
  }
  const ruleInstalled =
    ports.ruleInstalled?.() ?? checkPermissions(toPlatform(ports.platform), existsSync).status === 'installed'
  const targets = dongleTargets(usb, hid, ports.hidSystem, { platform: ports.platform, ruleInstalled })
  const byId = new Map(usb.map((d) => [d.id, d]))

  if (platform === 'win32') return inspectWindows(base, targets, byId, ports.run)
  if (platform === 'darwin') return inspectMacos(base, targets, byId, ports.run)
  const root = ports.sysRoot ?? SYS_USB_DEVICES
  const dongles = await Promise.all(
    targets.map(async (t) => {
      const d = readDongle(root, t) ?? fromUsb(t, byId.get(t.id))
      return d.port ? { ...d, port: { ...d.port, hubStatus: await hubStatusOf(ports.usb, d.id) } } : d
    })
  )
  return { ...base, dongles, logs: parseKernelLog(await kernelLog(ports.run)) }
}

/** Asks the parent hub about the dongle's port ('1-1.4' -> hub 1-1, port 4; '1-1' -> root hub of bus 1, port 1). */
async function hubStatusOf(
  usb: UsbPort,
  id: string
): Promise<NonNullable<DongleObservation['port']>['hubStatus']> {
  const m = /^(\d+)-([\d.]+)$/.exec(id)
  if (!m) return null
  const path = (m[2] as string).split('.').map(Number)
  try {
    return await usb.hubPortStatus(Number(m[1]), path.slice(0, -1), path.at(-1) as number)
  } catch {
    return null
  }
}
