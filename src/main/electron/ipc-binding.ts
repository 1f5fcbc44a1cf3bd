/**
 * Binds the contract to Electron's IPC: one handler for calls, one channel for events, both derived from the
 * contract through the dispatcher. A call from anything but our own window's top frame is refused.
 */
import { BrowserWindow, ipcMain } from 'electron'
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../../shared/ipc/channels'
import { DialtoneError } from '../../shared/ipc/errors'
import type { DialtoneApp } from '../app'
import type { Logger } from '../log/logger'
import { isTrustedSender } from './security'

export function bindIpc(app: DialtoneApp, log: Logger): () => void {
  ipcMain.handle(IPC_CALL_CHANNEL, async (event, channel: unknown, payload: unknown) => {
    const own = BrowserWindow.getAllWindows().map((w) => w.webContents)
    if (!isTrustedSender(event.senderFrame, event.sender, own)) {
      log.warn({ url: event.senderFrame?.url }, 'IPC call from an untrusted sender refused')
      return {
        ok: false,
        error: new DialtoneError(
          'FORBIDDEN',
          'this page may not call Dialtone',
          [],
          'page-not-allowed'
        ).toBody()
      }
    }
    return app.dispatch(channel, payload, { host: 'electron', origin: event.senderFrame?.url ?? '' })
  })
  const unsubscribe = app.events.subscribe((name, payload) => {
    for (const window of BrowserWindow.getAllWindows()) {
      if (!window.isDestroyed()) window.webContents.send(IPC_EVENT_CHANNEL, name, payload)
    }
  })
  return () => {
    unsubscribe()
    ipcMain.removeHandler(IPC_CALL_CHANNEL)
  }
}
