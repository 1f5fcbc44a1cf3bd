/**
 * SIP written by hand over a WebSocket (RFC 7118, subprotocol `sip`), as the app's sip.js speaks to Kamailio but
 * saying what sip.js never would (a Contact with an alias of its own): for the tests of what Kamailio lets a
 * WebSocket client write. Received messages wait as ./raw-sip.ts's do.
 */
import WebSocket from 'ws'
import type { SipCreds } from './kamailio-service'
import { type Received, header, received } from './raw-sip'
import { branch, register } from './raw-sip-line'

export interface RawSipWs extends Omit<Received, 'arrived'> {
  /** The client's made-up host, as a browser's sip.js writes one (`xxx.invalid`). */
  readonly host: string
  send(message: string): void
  close(): void
  /** Ends the TCP connection with no WebSocket close frame (a client gone, a connection cut). */
  drop(): void
}

export async function rawSipWs(
  url: string,
  onMessage?: (m: string, ws: RawSipWs) => void,
  /** ws's client options: the local address to connect from, a test certificate to accept. */
  options?: WebSocket.ClientOptions
): Promise<RawSipWs> {
  const socket = new WebSocket(url, 'sip', options)
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('error', reject)
  })
  const inbox = received()
  const ws: RawSipWs = {
    host: `${Math.random().toString(36).slice(2, 10)}.invalid`,
    next: inbox.next,
    receives: inbox.receives,
    send(message) {
      socket.send(message.replace(/\r?\n/g, '\r\n'))
    },
    close() {
      socket.close()
    },
    drop() {
      socket.terminate()
    }
  }
  socket.on('message', (data) => {
    const m = String(data)
    onMessage?.(m, ws)
    inbox.arrived(m)
  })
  return ws
}

/** Registers `c` over the WebSocket `ws` with the Contact a browser's sip.js writes (digest answered). */
export function registerOverWs(ws: RawSipWs, c: SipCreds): Promise<void> {
  return register(
    ws,
    c,
    () => `SIP/2.0/WS ${ws.host};branch=${branch()}`,
    `<sip:${c.username}@${ws.host};transport=ws>`
  )
}

/**
 * Sends an OPTIONS for a user of the domain over `ws`: a new request (no To tag), which Kamailio's flood limit
 * counts (resources/kamailio/flood.cfg), and which it answers (a challenge, or 404) unless it drops it. Its Call-ID.
 */
export function sendOptions(ws: RawSipWs): string {
  const id = `options-${Math.random().toString(36).slice(2)}`
  ws.send(
    [
      'OPTIONS sip:nobody@dialtone.test SIP/2.0',
      `Via: SIP/2.0/WS ${ws.host};branch=${branch()}`,
      `From: <sip:probe@${ws.host}>;tag=${id}`,
      'To: <sip:nobody@dialtone.test>',
      `Call-ID: ${id}`,
      'CSeq: 1 OPTIONS',
      'Max-Forwards: 70',
      'Content-Length: 0',
      '',
      ''
    ].join('\n')
  )
  return id
}

/** Whether the request with Call-ID `id` (sendOptions) was answered within `ms`. */
export const answeredWithin = (ws: RawSipWs, id: string, ms = 1000): Promise<boolean> =>
  ws.receives((m) => m.startsWith('SIP/2.0') && header(m, 'Call-ID') === id, ms)

/** `n` new requests sent at once over `ws` (sendOptions), then whether each was answered within `ms`, in order. */
export async function optionsBurst(ws: RawSipWs, n: number, ms = 1000): Promise<boolean[]> {
  const ids = Array.from({ length: n }, () => sendOptions(ws))
  return Promise.all(ids.map((id) => answeredWithin(ws, id, ms)))
}
