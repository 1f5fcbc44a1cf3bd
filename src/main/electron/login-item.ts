/**
 * Start at login, on every desktop: macOS and Windows through Electron's login item API; Linux (where
 * Electron has none) through an XDG autostart entry, the freedesktop.org standard that GNOME, KDE and
 * the others read. The app starts hidden in the tray when launched this way.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { app } from 'electron'

export const HIDDEN_ARG = '--hidden'

export function autostartEntry(execPath: string): string {
  const quoted = /[\s"]/.test(execPath) ? `"${execPath.replace(/"/g, '\\"')}"` : execPath
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Dialtone',
    'Comment=Your USB phone line',
    `Exec=${quoted} ${HIDDEN_ARG}`,
    'Icon=dialtone',
    'X-GNOME-Autostart-enabled=true',
    'Terminal=false',
    ''
  ].join('\n')
}

export function autostartPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'autostart', 'dialtone.desktop')
}

export function applyStartAtLogin(enabled: boolean): void {
  if (process.platform === 'linux') {
    const path = autostartPath()
    if (enabled) {
      mkdirSync(join(path, '..'), { recursive: true })
      writeFileSync(path, autostartEntry(process.execPath))
    } else {
      rmSync(path, { force: true })
    }
    return
  }
  app.setLoginItemSettings({ openAtLogin: enabled, args: [HIDDEN_ARG] })
}
