/**
 * Entry of the Electron host (out/main/index.js): the brain from createApp with the real ports, the main
 * window, the tray, start-at-login and app updates. Everything that is not Electron-specific lives outside this
 * folder.
 */
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { app, Notification, powerMonitor, session, type BrowserWindow } from 'electron'
import { type LanguageCode, matchLanguage } from '../../shared/i18n/languages'
import { NOTIFICATION_TEXT } from '../../shared/i18n/notification-text'
import { logUnhandledRejections } from '../../shared/rejections'
import { createApp } from '../app'
import { followDesktopNotifications } from '../desktop-notifications'
import { createLogger, logFailure } from '../log/logger'
import { createNodePorts, devMailboxUrl } from '../node-ports'
import { registerAppScheme, serveRenderer } from './app-protocol'
import { bindIpc } from './ipc-binding'
import { applyStartAtLogin, HIDDEN_ARG } from './login-item'
import { createMainWindow } from './main-window'
import { hardenSession, hardenWebContents } from './security'
import { safeStorageVault } from './safe-storage-vault'
import { createElectronStore } from './store'
import { followDesktopLinks } from './desktop-links'
import { createTray } from './tray'
import { prepareAppUpdates } from './app-updater'
import { LaunchHealth } from '../setup/launch-health'

const here = dirname(fileURLToPath(import.meta.url))
const log = createLogger()
logUnhandledRejections(process, (line) => log.error(line))
/** The catalog, tones, pictures and udev rule: beside the asar when packaged (extraResources), in the tree otherwise. */
const resourcesDir = (): string =>
  app.isPackaged ? join(process.resourcesPath, 'resources') : join(app.getAppPath(), 'resources')

registerAppScheme()
app.enableSandbox()

if (!app.requestSingleInstanceLock()) {
  // Another Dialtone owns the dongle; it shows its window (second-instance) and this one leaves.
  app.quit()
} else {
  let quitting = false
  let window: BrowserWindow | null = null
  const show = (): void => {
    if (!window || window.isDestroyed()) return
    if (window.isMinimized()) window.restore()
    window.show()
    window.focus()
  }

  app.on('second-instance', show)
  app.on('before-quit', () => {
    quitting = true
  })
  // The line stays up with every window closed; only Quit in the tray (or the OS) ends the app.
  app.on('window-all-closed', () => undefined)
  // The dev stack's mailbox (an http page on this machine) may open in the browser, from a checkout only.
  const devMailbox = app.isPackaged ? undefined : devMailboxUrl(process.env)
  app.on('web-contents-created', (_event, contents) =>
    hardenWebContents(contents, devMailbox ? [devMailbox] : [])
  )

  const started = (): void => {
    serveRenderer(join(here, '../renderer'))
    hardenSession(session.defaultSession)
    const updates = prepareAppUpdates({
      packaged: app.isPackaged,
      health: new LaunchHealth(createElectronStore('launch-health'), app.getVersion()),
      log,
      quitting: () => (quitting = true)
    })
    const dialtone = createApp({
      forceVirtualDongle: process.argv.includes('--virtual-dongle'),
      ...createNodePorts(
        {
          host: 'electron',
          version: app.getVersion(),
          dataDir: app.getPath('userData'),
          electronVersion: process.versions.electron ?? null
        },
        createElectronStore('settings'),
        log,
        resourcesDir(),
        safeStorageVault()
      ),
      // The dev mailbox is the dev stack's: a packaged app never points to one, whatever its environment says.
      ...(app.isPackaged ? { devMailboxUrl: undefined } : {}),
      ...(updates.port ? { appUpdater: updates.port } : {})
    })
    const unbind = bindIpc(dialtone, log)
    dialtone.start()
    // Back from sleep the SIP connection is usually dead: re-register now, not after back-off. After a locked screen
    // too, unless calls are going on over it (SipLine.kick).
    powerMonitor.on('resume', () => dialtone.phone.kick('resume'))
    powerMonitor.on('unlock-screen', () => dialtone.phone.kick('unlock'))
    applyStartAtLogin(dialtone.settings.get().startAtLogin)

    window = createMainWindow(createElectronStore('window-state'), {
      preloadDir: join(here, '../preload'),
      show: !process.argv.includes(HIDDEN_ARG),
      keepInTray: () => !quitting
    })
    /** The person's language for what main says by itself: their choice, or the system's. */
    const language = (): LanguageCode => dialtone.settings.get().language ?? matchLanguage([app.getLocale()])
    const tray = createTray(
      join(resourcesDir(), 'icons/tray.png'),
      {
        show,
        quit: () => app.quit()
      },
      language
    )
    tray.setStatus(dialtone.phone.status)
    dialtone.events.subscribe((name, payload) => {
      if (name === 'app.settingsChanged') {
        applyStartAtLogin(dialtone.settings.get().startAtLogin)
        tray.refresh()
      }
      if (name === 'phone.statusChanged') tray.setStatus(payload as Parameters<typeof tray.setStatus>[0])
    })
    // Incoming and missed calls reach the person even with the window hidden; a click brings the window up.
    const stopNotifications = followDesktopNotifications(dialtone.events, language, (n) => {
      if (!Notification.isSupported()) return
      const note = new Notification({
        title: n.title,
        body: n.body,
        urgency: n.kind === 'incoming' ? 'critical' : 'normal'
      })
      note.on('click', () => {
        show()
        dialtone.events.emit('app.navigate', {
          page: n.kind === 'reminder' ? 'account' : n.kind === 'dongle' ? 'diagnostics' : 'phone',
          ...(n.section ? { section: n.section } : {}),
          dial: null
        })
      })
      note.show()
    })
    const stopLinks = followDesktopLinks(dialtone, show, log)
    const stopUpdates = updates.start({
      text: (version) => {
        const text = NOTIFICATION_TEXT[language()]
        return { title: text.updateTitle, body: text.updateBody.replace('{version}', version) }
      },
      // The notice opens Settings, where "Restart to update" is.
      clicked: () => {
        show()
        dialtone.events.emit('app.navigate', { page: 'settings', dial: null })
      }
    })
    app.on('will-quit', () => {
      stopLinks()
      stopUpdates()
      stopNotifications()
      unbind()
      void dialtone.dispose().catch(logFailure(log, 'closing the app'))
      tray.destroy()
    })
  }
  void app.whenReady().then(started).catch(logFailure(log, 'starting the app'))
}
