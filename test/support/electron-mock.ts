/**
 * A stand-in for the `electron` module in plain Node, where the real one cannot load (no binary here).
 * It records what the code under test asks of Electron; it does not pretend to render anything.
 * Shapes follow electron.d.ts (Electron 41).
 */
import { EventEmitter } from 'node:events'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { vi } from 'vitest'

export const userData = mkdtempSync(join(tmpdir(), 'dialtone-electron-'))

type Handler = (event: unknown, ...args: unknown[]) => unknown
export const handlers = new Map<string, Handler>()
export const ipcMain = Object.assign(new EventEmitter(), {
  handle: vi.fn((channel: string, fn: Handler) => void handlers.set(channel, fn)),
  removeHandler: vi.fn((channel: string) => void handlers.delete(channel))
})

export class FakeWebContents extends EventEmitter {
  sent: unknown[][] = []
  windowOpenHandler: ((d: { url: string }) => { action: string }) | null = null
  send(...args: unknown[]): void {
    this.sent.push(args)
  }
  setWindowOpenHandler(fn: (d: { url: string }) => { action: string }): void {
    this.windowOpenHandler = fn
  }
}

export const windows: { webContents: FakeWebContents; isDestroyed(): boolean }[] = []
export const BrowserWindow = { getAllWindows: vi.fn(() => windows) }
export const shell = { openExternal: vi.fn(async () => undefined), openPath: vi.fn(async () => '') }
export const app = {
  getPath: vi.fn(() => userData),
  getVersion: vi.fn(() => '0.1.0'),
  setLoginItemSettings: vi.fn()
}
export const exposed: Record<string, unknown> = {}
export const contextBridge = {
  exposeInMainWorld: vi.fn((key: string, api: unknown) => void (exposed[key] = api))
}
export const ipcRenderer = Object.assign(new EventEmitter(), {
  invoke: vi.fn(async () => ({ ok: true, value: null }))
})
export const protocol = { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() }

const electron = { app, ipcMain, BrowserWindow, shell, contextBridge, ipcRenderer, protocol }
export default electron
