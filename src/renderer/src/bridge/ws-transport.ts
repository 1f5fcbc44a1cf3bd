/**
 * The renderer's transport in a browser: the contract over the web host's WebSocket. Calls are matched to
 * answers by id; a dropped connection fails the calls in flight with UNAVAILABLE and reconnects with
 * back-off, so a restarted web host is picked up without a reload.
 */
import type { Transport } from '../../../shared/ipc/client'
import type { Envelope } from '../../../shared/ipc/errors'
import { WS_PATH } from '../../../shared/ipc/wire'
import { readServerFrame } from '../../../shared/ipc/wire-read'

export type ConnectionState = 'connecting' | 'open' | 'closed' | 'refused'

export interface WsTransport extends Transport {
  onState(listener: (state: ConnectionState) => void): () => void
  close(): void
}

const unavailable = (message: string): Envelope<never> => ({
  ok: false,
  error: { code: 'UNAVAILABLE', message }
})

export function createWsTransport(baseUrl: string, token: string): WsTransport {
  const url = new URL(WS_PATH, baseUrl)
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
  url.searchParams.set('token', token)

  let socket: WebSocket | null = null
  let nextId = 1
  let retryMs = 250
  let stopped = false
  let everOpened = false
  const pending = new Map<number, (e: Envelope<unknown>) => void>()
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const stateListeners = new Set<(s: ConnectionState) => void>()
  const queue: string[] = []
  const setState = (s: ConnectionState): void => stateListeners.forEach((l) => l(s))

  const connect = (): void => {
    setState('connecting')
    const ws = new WebSocket(url)
    socket = ws
    ws.onopen = () => {
      everOpened = true
      retryMs = 250
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
      // Never opened: most likely the token was refused. Say so rather than retrying forever in silence.
      setState(everOpened ? 'closed' : 'refused')
      setTimeout(connect, retryMs)
      retryMs = Math.min(retryMs * 2, 5000)
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
      socket?.close()
    }
  }
}
