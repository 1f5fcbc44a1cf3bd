/**
 * The preload: exposes the contract to the page as window.dialtone = { invoke, on } and nothing else.
 * Names are checked against the contract here, so the page cannot reach any other IPC channel; arguments
 * are validated in main, because this side runs next to untrusted page code.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../shared/ipc/channels'
import type { Transport } from '../shared/ipc/client'
import { isCommandName, isEventName } from '../shared/ipc/contract'
import type { Envelope } from '../shared/ipc/errors'

const transport: Transport = {
  invoke(channel, payload) {
    if (!isCommandName(channel)) {
      const refused: Envelope<never> = {
        ok: false,
        error: { code: 'UNKNOWN_COMMAND', message: `no command named '${String(channel).slice(0, 100)}'` }
      }
      return Promise.resolve(refused)
    }
    return ipcRenderer.invoke(IPC_CALL_CHANNEL, channel, payload) as Promise<Envelope<unknown>>
  },
  on(event, listener) {
    if (!isEventName(event)) throw new Error(`no event named '${String(event).slice(0, 100)}'`)
    const forward = (_e: IpcRendererEvent, name: unknown, payload: unknown): void => {
      if (name === event) listener(payload)
    }
    ipcRenderer.on(IPC_EVENT_CHANNEL, forward)
    return () => void ipcRenderer.removeListener(IPC_EVENT_CHANNEL, forward)
  }
}

contextBridge.exposeInMainWorld('dialtone', transport)
