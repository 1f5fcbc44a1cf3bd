/**
 * How much current a port can give, as the OS's hub driver reckons it (Linux hub_configure(); USB 2.0 §7.2.1,
 * USB 3.2 §9.2.5.1): a root port or a self-powered hub's port gives a full load (500 mA USB 2, 900 mA USB 3);
 * a bus-powered hub's port gives one unit load (100 mA USB 2, 150 mA USB 3).
 */
import type { HubObservation } from './observations'

const isUsb3 = (version: string | null): boolean => Number.parseFloat(version ?? '2') >= 3

export function portBudgetMa(parent: HubObservation | undefined): number | null {
  if (!parent) return null
  const usb3 = isUsb3(parent.version)
  if (parent.root || parent.selfPowered === true) return usb3 ? 900 : 500
  if (parent.selfPowered === false) return usb3 ? 150 : 100
  return null
}

/** The first bus-powered external hub between the root and the dongle, if any. */
export function busPoweredHub(chain: readonly HubObservation[]): HubObservation | null {
  return chain.find((h) => !h.root && h.selfPowered === false) ?? null
}
