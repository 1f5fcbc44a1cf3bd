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
export const protocolClients = new Set<string>()
export const app = Object.assign(new EventEmitter(), {
  getPath: vi.fn(() => userData),
  getVersion: vi.fn(() => '0.1.0'),
  setLoginItemSettings: vi.fn(),
  isDefaultProtocolClient: vi.fn((scheme: string) => protocolClients.has(scheme)),
  setAsDefaultProtocolClient: vi.fn((scheme: string) => protocolClients.add(scheme).has(scheme))
})
/** globalShortcut as it behaves: an accelerator another app holds cannot be registered. */
export const shortcuts = new Map<string, () => void>()
export const takenShortcuts = new Set<string>()
export const globalShortcut = {
  register: vi.fn((accelerator: string, cb: () => void) => {
    if (takenShortcuts.has(accelerator)) return false
    shortcuts.set(accelerator, cb)
    return true
  }),
  unregister: vi.fn((accelerator: string) => void shortcuts.delete(accelerator))
}
export const exposed: Record<string, unknown> = {}
export const contextBridge = {
  exposeInMainWorld: vi.fn((key: string, api: unknown) => void (exposed[key] = api))
}
export const ipcRenderer = Object.assign(new EventEmitter(), {
  invoke: vi.fn(async () => ({ ok: true, value: null }))
})
export const protocol = { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() }
/**
 * safeStorage as it behaves: sealed bytes start with 'v10' and are not the plain text; bytes sealed under
 * another key (a profile copied to another machine) make decryptString throw.
 */
export const safeStorageState = { available: true, backend: 'gnome_libsecret', key: 0x5a }
const xor = (b: Buffer, key: number): Buffer => Buffer.from(b.map((x) => x ^ key))
export const safeStorage = {
  isEncryptionAvailable: vi.fn(() => safeStorageState.available),
  getSelectedStorageBackend: vi.fn(() => safeStorageState.backend),
  encryptString: vi.fn((s: string) =>
    Buffer.concat([
      Buffer.from('v10'),
      Buffer.from([safeStorageState.key]),
      xor(Buffer.from(s), safeStorageState.key)
    ])
  ),
  decryptString: vi.fn((b: Buffer) => {
    if (b.subarray(0, 3).toString() !== 'v10' || b[3] !== safeStorageState.key)
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.')
    return xor(b.subarray(4), safeStorageState.key).toString('utf8')
  })
}

const electron = {
  app,
  ipcMain,
  BrowserWindow,
  shell,
  contextBridge,
  ipcRenderer,
  protocol,
  safeStorage,
  globalShortcut
}
export default electron
