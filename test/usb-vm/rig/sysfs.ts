/**
 * Copies what Linux shows in sysfs for a dongle, its interfaces, the hubs above it and their ports, into a
 * plain folder tree (same relative paths as under /sys/bus/usb/devices), so diagnostics can be tested on
 * machines without the rig. Regular files only; unreadable attributes are skipped.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export const USB_DEVICES = '/sys/bus/usb/devices'

/** Attributes that change from boot to boot or second to second; left out of comparisons. */
export const VOLATILE = new Set([
  'devnum',
  'dev',
  'urbnum',
  'connected_duration',
  'active_duration',
  'runtime_active_time',
  'runtime_suspended_time',
  'uevent',
  'descriptors'
])

function copyAttributes(from: string, to: string): number {
  let n = 0
  mkdirSync(to, { recursive: true })
  for (const name of readdirSync(from)) {
    const path = join(from, name)
    let st
    try {
      st = statSync(path)
    } catch {
      continue
    }
    if (!st.isFile() || !(st.mode & 0o444)) continue
    try {
      writeFileSync(join(to, name), readFileSync(path))
      n++
    } catch {
      // write-only or refused attribute
    }
  }
  return n
}

/** 'usb1', '1-1', '1-1.4' -> the chain from the root hub down: ['usb1', '1-1', '1-1.4']. */
export function ancestry(id: string): string[] {
  const m = /^(\d+)-(.*)$/.exec(id)
  if (!m) return [id]
  const [, bus, path] = m as unknown as [string, string, string]
  const parts = path.split('.')
  return [`usb${bus}`, ...parts.map((_, i) => `${bus}-${parts.slice(0, i + 1).join('.')}`)]
}

/** Records the dongle `id` and everything above it into `dest`. Returns the number of files written. */
export function recordSysfs(id: string, dest: string, root = USB_DEVICES): number {
  let files = 0
  for (const dev of ancestry(id)) {
    const src = join(root, dev)
    files += copyAttributes(src, join(dest, dev))
    files += copyAttributes(join(src, 'power'), join(dest, dev, 'power'))
    // Interfaces ('1-1:1.0') and, on hubs, their ports ('usb1-port1', '1-1-port2').
    for (const child of readdirSync(src)) {
      if (!child.startsWith(`${dev.replace(/^usb/, '')}-`) && !child.startsWith(`${dev}:`)) continue
      if (!child.includes(':')) continue
      const iface = join(src, child)
      files += copyAttributes(iface, join(dest, dev, child))
      for (const port of readdirSync(iface).filter((p) => /-port\d+$/.test(p))) {
        files += copyAttributes(join(iface, port), join(dest, dev, child, port))
        if (existsSync(join(iface, port, 'power')))
          files += copyAttributes(join(iface, port, 'power'), join(dest, dev, child, port, 'power'))
      }
    }
  }
  return files
}

/** Every non-volatile attribute file under `dir`, as relative path -> trimmed text. */
export function readTree(dir: string, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) {
      for (const [k, v] of readTree(path, `${prefix}${name}/`)) out.set(k, v)
    } else if (!VOLATILE.has(name)) {
      out.set(`${prefix}${name}`, readFileSync(path, 'latin1').trim())
    }
  }
  return out
}

/** Whether every interface of device `id` has a driver bound (usbhid, usb-storage): enumeration is over. */
export function interfacesBound(id: string, root = USB_DEVICES): boolean {
  const dir = join(root, id)
  const ifaces = readdirSync(dir).filter((n) => n.startsWith(`${id}:`))
  return ifaces.length > 0 && ifaces.every((n) => existsSync(join(dir, n, 'driver')))
}
