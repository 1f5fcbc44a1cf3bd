/**
 * App updates through electron-updater (the generic provider in electron-builder.yml: latest*.yml with each
 * file's SHA-512, checked before install). Only a packaged app updates. The update downloads in the background
 * and installs when the person quits (never mid-call); the person is told once it is ready. A version that has
 * not had a healthy launch twice in a row is rolled back to the last good one (launch-health.ts decides).
 */
import { Notification } from 'electron'
import electronUpdater from 'electron-updater'
import type { Logger } from '../log/logger'
import { HEALTHY_AFTER_MS, type LaunchHealth } from '../setup/launch-health'

const CHECK_EVERY_MS = 6 * 60 * 60 * 1000

export function startAppUpdates(opts: {
  packaged: boolean
  health: LaunchHealth
  log: Logger
  readyText: (version: string) => { title: string; body: string }
}): () => void {
  const { health, log } = opts
  health.launched()
  const healthyTimer = setTimeout(() => health.healthy(), HEALTHY_AFTER_MS)
  if (!opts.packaged) {
    log.info('app updates are off in a development build')
    return () => clearTimeout(healthyTimer)
  }
  const { autoUpdater } = electronUpdater
  autoUpdater.logger = {
    info: (m: unknown) => log.info({ updater: String(m) }, 'app update'),
    warn: (m: unknown) => log.warn({ updater: String(m) }, 'app update'),
    error: (m: unknown) => log.warn({ updater: String(m) }, 'app update failed'),
    debug: () => undefined
  }
  autoUpdater.autoDownload = true
  autoUpdater.autoInstallOnAppQuit = true
  const rollback = health.rollbackTarget()
  if (rollback) {
    // Each release keeps its own channel file (v<version>*.yml) on the update server for exactly this.
    log.warn({ to: rollback }, 'this version never started properly twice; going back to the last good one')
    autoUpdater.allowDowngrade = true
    autoUpdater.channel = `v${rollback}`
  }
  autoUpdater.on('update-downloaded', (info: { version: string }) => {
    if (!Notification.isSupported()) return
    new Notification(opts.readyText(info.version)).show()
  })
  const check = (): void => {
    autoUpdater.checkForUpdates().catch((err: unknown) => log.warn({ err }, 'update check failed'))
  }
  check()
  const timer = setInterval(check, CHECK_EVERY_MS)
  return () => {
    clearTimeout(healthyTimer)
    clearInterval(timer)
  }
}
