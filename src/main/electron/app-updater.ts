/**
 * App updates through electron-updater (the generic provider in electron-builder.yml: latest*.yml with each
 * file's SHA-512, checked before install). Only a packaged app updates. The update downloads in the background
 * and installs when the person quits (never mid-call) or when they choose "Restart to update" in Settings
 * (../setup/app-updates.ts, which this hands the updater to as its UpdaterPort); the person is told once it is
 * ready, and the notice opens Settings. A version that has not had a healthy launch twice in a row is rolled back
 * to the last good one (launch-health.ts decides).
 */
import { Notification } from 'electron'
import electronUpdater from 'electron-updater'
import type { Logger } from '../log/logger'
import { HEALTHY_AFTER_MS, type LaunchHealth } from '../setup/launch-health'
import type { UpdaterPort } from '../setup/app-updates'

const CHECK_EVERY_MS = 6 * 60 * 60 * 1000

export interface AppUpdatesHost {
  /** The updater for the app's brain (createApp's appUpdater); none in a development build. */
  readonly port: UpdaterPort | undefined
  /** Starts the checks (now and every 6 hours) and the "ready" notice; returns the stop. */
  start(notice: {
    readonly text: (version: string) => { title: string; body: string }
    readonly clicked: () => void
  }): () => void
}

export function prepareAppUpdates(opts: {
  packaged: boolean
  health: LaunchHealth
  log: Logger
  /** Called before the updater quits the app: the window must close instead of hiding in the tray. */
  quitting: () => void
}): AppUpdatesHost {
  const { health, log } = opts
  health.launched()
  const healthyTimer = setTimeout(() => health.healthy(), HEALTHY_AFTER_MS)
  if (!opts.packaged) {
    log.info('app updates are off in a development build')
    return { port: undefined, start: () => () => clearTimeout(healthyTimer) }
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
  const port: UpdaterPort = {
    on: (event, listener) => autoUpdater.on(event as 'error', listener),
    checkForUpdates: () => autoUpdater.checkForUpdates(),
    quitAndInstall: () => {
      // electron-updater closes the windows before app's before-quit: a window kept in the tray would stop it.
      opts.quitting()
      autoUpdater.quitAndInstall()
    }
  }
  return {
    port,
    start(notice) {
      autoUpdater.on('update-downloaded', (info: { version: string }) => {
        if (!Notification.isSupported()) return
        const note = new Notification(notice.text(info.version))
        note.on('click', notice.clicked)
        note.show()
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
  }
}
