import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'

vi.mock('electron', () => import('../../support/electron-mock'))
const electron = await import('../../support/electron-mock')
const { restoreBounds, DEFAULT_SIZE } = await import('../../../src/main/electron/window-bounds')
const { autostartEntry, autostartPath } = await import('../../../src/main/electron/login-item')
const { createElectronStore } = await import('../../../src/main/electron/store')

const primary = { x: 0, y: 0, width: 1920, height: 1040 }
const second = { x: 1920, y: 0, width: 1280, height: 1000 }

describe('window state', () => {
  it('reopens where it was when that place is still on a display', () => {
    const saved = { x: 2000, y: 100, width: 900, height: 700, maximized: false }
    expect(restoreBounds(saved, [primary, second], primary)).toEqual(saved)
  })

  it('comes back centred on the primary display when its monitor is gone', () => {
    const saved = { x: 2000, y: 100, width: 900, height: 700, maximized: true }
    expect(restoreBounds(saved, [primary], primary)).toEqual({
      x: (1920 - DEFAULT_SIZE.width) / 2,
      y: (1040 - DEFAULT_SIZE.height) / 2,
      ...DEFAULT_SIZE,
      maximized: false
    })
  })

  it('ignores a corrupt saved state and never opens smaller than usable', () => {
    expect(restoreBounds({ x: 'a' }, [primary], primary).width).toBe(DEFAULT_SIZE.width)
    expect(
      restoreBounds({ x: 10, y: 10, width: 50, height: 40, maximized: false }, [primary], primary)
    ).toMatchObject({
      width: 720,
      height: 520
    })
  })

  it('keeps its state in electron-store under the userData folder', () => {
    const store = createElectronStore('window-state')
    store.set('window', { x: 1, y: 2, width: 800, height: 600, maximized: false })
    const file = JSON.parse(readFileSync(join(electron.userData, 'window-state.json'), 'utf8'))
    expect(file.window).toEqual({ x: 1, y: 2, width: 800, height: 600, maximized: false })
    expect(createElectronStore('window-state').get('window')).toEqual(file.window)
  })
})

describe('start at login on Linux (XDG autostart)', () => {
  it('writes a desktop entry that starts Dialtone hidden in the tray', () => {
    const entry = autostartEntry('/opt/Dialtone/dialtone')
    expect(entry).toContain('[Desktop Entry]')
    expect(entry).toContain('Exec=/opt/Dialtone/dialtone --hidden')
    expect(autostartEntry('/opt/My Apps/dialtone')).toContain('Exec="/opt/My Apps/dialtone" --hidden')
  })

  it('puts it in the XDG config folder', () => {
    expect(autostartPath({ XDG_CONFIG_HOME: '/home/ana/.cfg' })).toBe(
      '/home/ana/.cfg/autostart/dialtone.desktop'
    )
  })
})
