/**
 * The renderer's transport in a browser: the contract over the web host's WebSocket. Calls are matched to
 * answers by id; a dropped connection fails the calls in flight with UNAVAILABLE and reconnects with
 * back-off, so a restarted web host is picked up without a reload. A browser never learns why a socket was
 * refused, so after each failed connection the host is asked whether this key is still its own
 * (KEY_CHECK_PATH): no means the key was refused — 'stale' when this tab had worked with Dialtone before (it was
 * restarted, with a new key), 'refused' otherwise — and that state stays until a connection opens again.
 */
import type { Transport } from '../../../shared/ipc/client'
import type { Envelope } from '../../../shared/ipc/errors'
import { KEY_CHECK_PATH, WS_PATH } from '../../../shared/ipc/wire-paths'
import { readServerFrame } from '../../../shared/ipc/wire-read'

/**
 * 'closed': Dialtone cannot be reached (reconnecting); 'refused': the key was never this Dialtone's; 'stale':
 * the key worked in this tab before and Dialtone now refuses it (it was restarted and printed a new address).
 */
export type ConnectionState = 'connecting' | 'open' | 'closed' | 'refused' | 'stale'

export interface WsTransportOptions {
  /** Whether this tab had a connection before (a reload keeps it): a refused key is then an old one. */
  connectedBefore?: () => boolean
  /** Told when a connection opens. */
  onOpen?: () => void
}

export interface WsTransport extends Transport {
  onState(listener: (state: ConnectionState) => void): () => void
  close(): void
}

const unavailable = (message: string): Envelope<never> => ({
  ok: false,
  error: { code: 'UNAVAILABLE', message }
})

export function createWsTransport(
  baseUrl: string,
  token: string,
  options: WsTransportOptions = {}
): WsTransport {
  const url = new URL(WS_PATH, baseUrl)
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
  url.searchParams.set('token', token)
  const keyCheck = new URL(KEY_CHECK_PATH, baseUrl)
  keyCheck.searchParams.set('token', token)

  let socket: WebSocket | null = null
  let nextId = 1
  let retryMs = 250
  let retryTimer: ReturnType<typeof setTimeout> | undefined
  let stopped = false
  let everOpened = false
  /** The host said this key is not its own: say so until a connection opens, not "reconnecting". */
  let keyRefused = false
  const pending = new Map<number, (e: Envelope<unknown>) => void>()
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const stateListeners = new Set<(s: ConnectionState) => void>()
  const queue: string[] = []
  const setState = (s: ConnectionState): void => stateListeners.forEach((l) => l(s))

  /** false when the host answers that this key is not its own; true when it is, or the host is unreachable. */
  const keyAccepted = async (): Promise<boolean> => {
    try {
      const res = await fetch(keyCheck) // answered with Cache-Control: no-store
      return res.status !== 401
    } catch {
      return true
    }
  }

  const connect = (): void => {
    // A retry that was waiting when the page closed the transport does not open it again.
    if (stopped) return
    if (!keyRefused) setState('connecting')
    const ws = new WebSocket(url)
    socket = ws
    ws.onopen = () => {
      everOpened = true
      keyRefused = false
      retryMs = 250
      options.onOpen?.()
      setState('open')
      for (const frame of queue.splice(0)) ws.send(frame)
    }
    ws.onmessage = (msg) => {
      let data: unknown
      try {
        data = JSON.parse(String(msg.data))
      } catch {
        return
      }
      const f = readServerFrame(data)
      if (!f) return
      if (f.kind === 'result') {
        pending.get(f.id)?.(f.result as Envelope<unknown>)
        pending.delete(f.id)
      } else if (f.kind === 'event') {
        listeners.get(f.event)?.forEach((l) => l(f.payload))
      }
    }
    ws.onclose = () => {
      socket = null
      for (const resolve of pending.values()) resolve(unavailable('the connection to Dialtone was lost'))
      pending.clear()
      if (stopped) return setState('closed')
      const retry = (accepted: boolean): void => {
        if (stopped) return
        keyRefused = !accepted
        if (!accepted) setState(everOpened || options.connectedBefore?.() ? 'stale' : 'refused')
        else setState('closed')
        retryTimer = setTimeout(connect, keyRefused ? 5000 : retryMs)
        retryMs = Math.min(retryMs * 2, 5000)
      }
      // keyAccepted does not reject (an unreachable host counts as "not refused").
      keyAccepted().then(retry, () => retry(true))
    }
  }
  connect()

  return {
    invoke(channel, payload) {
      const id = nextId++
      const frame = JSON.stringify({ kind: 'call', id, channel, payload })
      return new Promise((resolve) => {
        pending.set(id, resolve)
        if (socket?.readyState === WebSocket.OPEN) socket.send(frame)
        else queue.push(frame)
      })
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set()
      set.add(listener)
      listeners.set(event, set)
      return () => void set.delete(listener)
    },
    onState(listener) {
      stateListeners.add(listener)
      return () => void stateListeners.delete(listener)
    },
    close() {
      stopped = true
      clearTimeout(retryTimer)
      socket?.close()
    }
  }
}
