/**
 * A heartbeat on the line's WebSocket: a ping frame (RFC 6455 §5.5.2) every `intervalMs`, and a connection whose
 * pong has not come `timeoutMs` later is closed at once, so the line's own recovery runs (it reconnects, and the
 * calls the connection carried end, said lost with it). Without it nothing is sent on the connection between
 * re-REGISTERs (the audio goes apart), and a connection that dies quietly (a router restarted, Wi-Fi gone, a NAT
 * binding forgotten, a server frozen) was noticed only at the next re-REGISTER, minutes later, while the Phone page
 * showed a call that could no longer be hung up.
 *
 * Why our own and not sip.js's `keepAliveInterval`: that one sends RFC 5626's CRLF and never checks for an answer.
 * A WebSocket ping is answered by the peer's WebSocket layer itself (Kamailio's websocket module does, and so does
 * any RFC 6455 server), so it says whether the far end is there without a SIP message.
 */
import WebSocket from 'ws'

export interface HeartbeatOptions {
  /** How often to ask. */
  readonly intervalMs: number
  /** How long a pong may take before the connection is taken for dead. */
  readonly timeoutMs: number
}

/** Dead noticed within 25 s; a pong over a slow uplink has 10 s, and a ping is a few bytes. */
export const DEFAULT_HEARTBEAT: HeartbeatOptions = { intervalMs: 15_000, timeoutMs: 10_000 }

export interface Heartbeat {
  /** Asks now, not at the next beat (the network changed: network-watch.ts); nothing when a ping is out. */
  check(): void
  stop(): void
}

/**
 * Starts the heartbeat on an open WebSocket. `onDead` is told before the connection is terminated (its close then
 * reaches whoever listens for it, as any drop does). One ping is out at a time, and any frame from the peer (a
 * pong, a SIP message) counts as its answer.
 */
export function startHeartbeat(ws: WebSocket, o: HeartbeatOptions, onDead: () => void): Heartbeat {
  let waiting: NodeJS.Timeout | null = null
  const alive = (): void => {
    if (waiting) clearTimeout(waiting)
    waiting = null
  }
  const stop = (): void => {
    clearInterval(every)
    alive()
    ws.off('pong', alive)
    ws.off('message', alive)
    ws.off('close', stop)
  }
  // Node runs timers that are due before it reads the network: after the main process stalled longer than the
  // timeout, a pong already waiting in the socket would be read only after the timer. So the verdict waits for
  // the next check phase, after what the socket holds has been read.
  const dead = (): void =>
    void setImmediate(() => {
      if (!waiting) return
      stop()
      onDead()
      ws.terminate()
    })
  const check = (): void => {
    if (waiting || ws.readyState !== ws.OPEN) return
    waiting = setTimeout(dead, o.timeoutMs)
    waiting.unref()
    // A failed write is a connection already going: its close comes, and the timer above stands in case not.
    ws.ping(undefined, undefined, () => undefined)
  }
  const every = setInterval(check, o.intervalMs)
  every.unref()
  ws.on('pong', alive)
  ws.on('message', alive)
  ws.on('close', stop)
  return { check, stop }
}

/**
 * sip.js connects with the global WebSocket. Electron's main (Node 22 and later) has its own, without ping frames
 * for the heartbeat: the line always uses `ws` (or a class made from it: the benchmark's watcher).
 */
export function useWsForSipJs(): void {
  const global = globalThis as { WebSocket?: unknown }
  const given = global.WebSocket
  if (!(typeof given === 'function' && (given === WebSocket || given.prototype instanceof WebSocket)))
    global.WebSocket = WebSocket
}
