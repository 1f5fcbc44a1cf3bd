/**
 * Picks the renderer's transport: Electron's preload when present, else the web host's WebSocket with the
 * token from the address. The token is moved out of the address bar into this tab's session storage, so
 * it does not end up in screenshots or bookmarks, and a reload still works.
 */
import type { Transport } from '../../../shared/ipc/client'
import { createWsTransport, type WsTransport } from './ws-transport'

const TOKEN_KEY = 'dialtone.token'

export type Connection =
  | { kind: 'electron'; transport: Transport }
  | { kind: 'web'; transport: WsTransport }
  | { kind: 'missing-token' }

export function connect(): Connection {
  if (window.dialtone) return { kind: 'electron', transport: window.dialtone }
  const url = new URL(window.location.href)
  const fromUrl = url.searchParams.get('token')
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl)
    url.searchParams.delete('token')
    window.history.replaceState(null, '', url.toString())
  }
  const token = fromUrl ?? sessionStorage.getItem(TOKEN_KEY)
  if (!token) return { kind: 'missing-token' }
  return { kind: 'web', transport: createWsTransport(window.location.origin, token) }
}
