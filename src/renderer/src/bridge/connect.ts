/**
 * Picks the renderer's transport: Electron's preload when present, else the web host's WebSocket with the
 * token from the address. The token is moved out of the address bar into this tab's session storage, so
 * it does not end up in screenshots or bookmarks, and a reload still works. The tab also remembers that it had
 * a connection, so a key refused after a reload reads as an old one (Dialtone was restarted).
 */
import type { Transport } from '../../../shared/ipc/client'
import { createWsTransport, type WsTransport } from './ws-transport'

const TOKEN_KEY = 'dialtone.token'
/** Set once this tab has had a connection: a key refused later is an old one (Dialtone was restarted). */
const CONNECTED_KEY = 'dialtone.connected'

export type Connection =
  | { kind: 'electron'; transport: Transport }
  | { kind: 'web'; transport: WsTransport }
  | { kind: 'missing-token' }

export function connect(): Connection {
  if (window.dialtone) return { kind: 'electron', transport: window.dialtone }
  const url = new URL(window.location.href)
  const fromUrl = url.searchParams.get('token')
  if (fromUrl) {
    // Another address (a new start's key): whether it works is yet to be seen.
    if (sessionStorage.getItem(TOKEN_KEY) !== fromUrl) sessionStorage.removeItem(CONNECTED_KEY)
    sessionStorage.setItem(TOKEN_KEY, fromUrl)
    url.searchParams.delete('token')
    window.history.replaceState(null, '', url.toString())
  }
  const token = fromUrl ?? sessionStorage.getItem(TOKEN_KEY)
  if (!token) return { kind: 'missing-token' }
  return {
    kind: 'web',
    transport: createWsTransport(window.location.origin, token, {
      connectedBefore: () => sessionStorage.getItem(CONNECTED_KEY) !== null,
      onOpen: () => sessionStorage.setItem(CONNECTED_KEY, '1')
    })
  }
}
