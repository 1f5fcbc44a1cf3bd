/**
 * SIP written by hand over a WebSocket (RFC 7118, subprotocol `sip`), as the app's sip.js speaks to Kamailio but
 * saying what sip.js never would (a Contact with an alias of its own): for the tests of what Kamailio lets a
 * WebSocket client write. Received messages wait as ./raw-sip.ts's do.
 */
import WebSocket from 'ws'
import type { SipCreds } from './kamailio-service'
import { type Received, digestAnswer, header, received } from './raw-sip'
import { branch } from './raw-sip-line'

export interface RawSipWs extends Omit<Received, 'arrived'> {
  /** The client's made-up host, as a browser's sip.js writes one (`xxx.invalid`). */
  readonly host: string
  send(message: string): void
  close(): void
}

export async function rawSipWs(
  url: string,
  onMessage?: (m: string, ws: RawSipWs) => void
): Promise<RawSipWs> {
  const socket = new WebSocket(url, 'sip')
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
export async function registerOverWs(ws: RawSipWs, c: SipCreds): Promise<void> {
  const request = (cseq: number, auth?: string) =>
    [
      'REGISTER sip:dialtone.test SIP/2.0',
      `Via: SIP/2.0/WS ${ws.host};branch=${branch()}`,
      `From: <sip:${c.username}@dialtone.test>;tag=wsreg1`,
      `To: <sip:${c.username}@dialtone.test>`,
      `Call-ID: wsreg-${c.username}`,
      `CSeq: ${cseq} REGISTER`,
      `Contact: <sip:${c.username}@${ws.host};transport=ws>`,
      'Expires: 600',
      'Max-Forwards: 70',
      ...(auth ? [`Authorization: ${auth}`] : []),
      'Content-Length: 0',
      '',
      ''
    ].join('\n')
  ws.send(request(1))
  const challenge = await ws.next((m) => m.startsWith('SIP/2.0 401'))
  const www = header(challenge, 'WWW-Authenticate')
  ws.send(request(2, digestAnswer(www, 'REGISTER', 'sip:dialtone.test', c.username, c.password)))
  await ws.next((m) => m.startsWith('SIP/2.0 200'))
}
