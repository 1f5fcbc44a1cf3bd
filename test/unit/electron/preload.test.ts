import { describe, expect, it, vi } from 'vitest'
import type { Transport } from '../../../src/shared/ipc/client'

vi.mock('electron', () => import('../../support/electron-mock'))
const electron = await import('../../support/electron-mock')
await import('../../../src/preload/index')
const { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } = await import('../../../src/shared/ipc/channels')

const api = electron.exposed.dialtone as Transport

describe('the preload', () => {
  it('exposes window.dialtone with invoke and on, and nothing else', () => {
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1)
    expect(Object.keys(electron.exposed)).toEqual(['dialtone'])
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on'])
  })

  it('sends contract commands over the one call channel', async () => {
    await api.invoke('device.list')
    expect(electron.ipcRenderer.invoke).toHaveBeenLastCalledWith(IPC_CALL_CHANNEL, 'device.list', undefined)
  })

  it('refuses names outside the contract without touching IPC', async () => {
    electron.ipcRenderer.invoke.mockClear()
    expect(await api.invoke('electron-store-get-data')).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_COMMAND' }
    })
    expect(electron.ipcRenderer.invoke).not.toHaveBeenCalled()
    expect(() => api.on('not.an.event', () => undefined)).toThrow("no event named 'not.an.event'")
  })

  it('delivers only the event a listener asked for, until it unsubscribes', () => {
    const got: unknown[] = []
    const off = api.on('device.changed', (p) => got.push(p))
    electron.ipcRenderer.emit(IPC_EVENT_CHANNEL, {}, 'app.settingsChanged', { theme: 'dark' })
    electron.ipcRenderer.emit(IPC_EVENT_CHANNEL, {}, 'device.changed', { change: 'attached' })
    off()
    electron.ipcRenderer.emit(IPC_EVENT_CHANNEL, {}, 'device.changed', { change: 'detached' })
    expect(got).toEqual([{ change: 'attached' }])
  })
})
