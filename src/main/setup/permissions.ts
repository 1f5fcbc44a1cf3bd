/**
 * Does this OS need something before the app may open the dongle? Linux: a udev rule granting the logged-in
 * user access to the catalog's hidraw and usb nodes. Windows and macOS: nothing, the devices are
 * class-compliant and Dialtone never replaces a driver. Installing the rule is the setup engine's step.
 */
import { accessRow } from '../../shared/diagnostics/access'
import type { Permissions } from '../../shared/ipc/setup'

export const UDEV_RULE_NAME = '70-dialtone.rules'
export const UDEV_RULE_DIRS = ['/etc/udev/rules.d', '/usr/lib/udev/rules.d', '/lib/udev/rules.d']

export type Platform = Permissions['platform']

export const toPlatform = (p: string): Platform =>
  p === 'linux' || p === 'win32' || p === 'darwin' ? p : 'other'

export function checkPermissions(platform: Platform, exists: (path: string) => boolean): Permissions {
  if (platform !== 'linux') return { platform, status: 'not-needed', rulePath: null }
  const found = UDEV_RULE_DIRS.map((dir) => `${dir}/${UDEV_RULE_NAME}`).find((p) => exists(p))
  return found
    ? { platform, status: 'installed', rulePath: found }
    : { platform, status: 'missing', rulePath: `${UDEV_RULE_DIRS[0]}/${UDEV_RULE_NAME}` }
}

/**
 * The answer to `setup.permissions` (the Diagnostics page's "Device access"): the rule's state, told against the
 * dongles present by the one function the setup's permissions step uses (accessRow / accessNeed).
 */
export function permissionsFor(
  platform: Platform,
  exists: (path: string) => boolean,
  dongles: readonly { readonly virtual: boolean }[]
): Permissions {
  const rule = checkPermissions(platform, exists)
  const status = accessRow(platform, rule.status === 'installed', dongles)
  return { ...rule, status }
}
