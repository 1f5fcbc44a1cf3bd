/** The tray icon: the app lives here while the window is closed, with the line status in its tooltip. */
import { Menu, Tray, nativeImage } from 'electron'
import type { LineStatus } from '../../shared/ipc/phone'

export interface TrayActions {
  show(): void
  quit(): void
}

const STATUS_TEXT: Record<LineStatus['state'], string> = {
  unconfigured: 'No line set up',
  registering: 'Connecting…',
  registered: 'Line ready',
  unregistered: 'Line offline',
  failed: 'Line failed'
}

export function createTray(
  iconPath: string,
  actions: TrayActions
): { setStatus(s: LineStatus): void; destroy(): void } {
  const tray = new Tray(nativeImage.createFromPath(iconPath))
  const render = (status: LineStatus): void => {
    tray.setToolTip(`Dialtone — ${STATUS_TEXT[status.state]}`)
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: STATUS_TEXT[status.state], enabled: false },
        { type: 'separator' },
        { label: 'Open Dialtone', click: actions.show },
        { label: 'Quit', click: actions.quit }
      ])
    )
  }
  tray.on('click', actions.show)
  render({ state: 'unconfigured', number: null, problem: null, retryAt: null, reason: null })
  return { setStatus: render, destroy: () => tray.destroy() }
}
