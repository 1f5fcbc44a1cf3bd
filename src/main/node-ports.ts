/** The real ports for the brain when it runs in plain Node or in Electron's main process. */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { createServiceClient } from './account/service-client'
import type { AppPorts, HostInfo } from './app'
import { runCommand } from './diagnostics/command-runner'
import { createNodeHidPort } from './device/hid-nodehid'
import { hidSystemFor } from './device/hid-system'
import { createLibusbPort } from './device/usb-libusb'
import type { Logger } from './log/logger'
import type { KeyValueStore } from './store/key-value-store'
import type { SecretVault } from './store/secret-vault'

/** `resourcesDir` is the app's resources/ folder (catalog data, the virtual dongle's recorded USB facts). */
export function createNodePorts(
  info: HostInfo,
  store: KeyValueStore,
  log: Logger,
  resourcesDir: string,
  vault: SecretVault
): AppPorts {
  return {
    info,
    usb: createLibusbPort(),
    hid: createNodeHidPort(),
    hidSystem: hidSystemFor(process.platform),
    store,
    service: createServiceClient(),
    vault,
    fileExists: existsSync,
    platform: process.platform,
    log,
    run: runCommand,
    virtualSysfs: join(resourcesDir, 'virtual', 'sysfs'),
    udevRulePath: join(resourcesDir, 'udev', '70-dialtone.rules'),
    updateUrl: process.env.DIALTONE_UPDATE_URL,
    devMailboxUrl: devMailboxUrl(process.env),
    updateKeyDirs: [
      join(resourcesDir, 'update-keys'),
      ...(process.env.DIALTONE_UPDATE_KEYS_DIR ? [process.env.DIALTONE_UPDATE_KEYS_DIR] : [])
    ],
    // Lets a deployment (or a test) point a fresh install at its own service without touching the file.
    settingsDefaults: process.env.DIALTONE_SERVICE_URL ? { serviceUrl: process.env.DIALTONE_SERVICE_URL } : {}
  }
}

/**
 * DIALTONE_DEV_MAILBOX_URL, set by the dev stack (`npm start`) when its service keeps a dev mailbox: shown to the
 * person beside "we sent a code". Only a page on this machine (http on a loopback address): anything else is
 * ignored rather than linked from the app.
 */
export function devMailboxUrl(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env.DIALTONE_DEV_MAILBOX_URL
  if (!raw) return undefined
  try {
    const url = new URL(raw)
    const local = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)
    return url.protocol === 'http:' && local && !url.username && !url.password ? url.href : undefined
  } catch {
    return undefined
  }
}
