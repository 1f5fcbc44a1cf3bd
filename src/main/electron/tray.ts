/**
 * The tray icon: the app lives here while the window is closed, with the line status in its tooltip and menu, in
 * the person's language (shared/i18n/tray-text.ts), with why the line is down, so it agrees with the window.
 */
import { Menu, Tray, nativeImage } from 'electron'
import type { LanguageCode } from '../../shared/i18n/languages'
import { TRAY_TEXT, trayStatus } from '../../shared/i18n/tray-text'
import type { LineStatus } from '../../shared/ipc/phone'

export interface TrayActions {
  show(): void
  quit(): void
}

export function createTray(
  iconPath: string,
  actions: TrayActions,
  language: () => LanguageCode
): { setStatus(s: LineStatus): void; refresh(): void; destroy(): void } {
  const tray = new Tray(nativeImage.createFromPath(iconPath))
  let last: LineStatus = { state: 'unconfigured', number: null, problem: null, retryAt: null, reason: null }
  const render = (status: LineStatus): void => {
    last = status
    const lang = language()
    const text = trayStatus(status, lang)
    tray.setToolTip(`Dialtone — ${text}`)
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: text, enabled: false },
        { type: 'separator' },
        { label: TRAY_TEXT[lang].open, click: actions.show },
        { label: TRAY_TEXT[lang].quit, click: actions.quit }
      ])
    )
  }
  tray.on('click', actions.show)
  render(last)
  return { setStatus: render, refresh: () => render(last), destroy: () => tray.destroy() }
}
