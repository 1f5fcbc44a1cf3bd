/// <reference types="vite/client" />
import type { Transport } from '../../shared/ipc/client'

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser, where the WebSocket transport is used. */
    readonly dialtone?: Transport
  }
}
