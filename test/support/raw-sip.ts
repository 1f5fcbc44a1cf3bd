/**
 * SIP written by hand over UDP on 127.0.0.1, for the tests that play an attacker: requests no SIP stack would send
 * (a To tag for a call that never was, a Route header naming our server, headers a line should not write), and a
 * far end that answers 200 to whatever reaches it, so a test sees what Kamailio relays. sipp and baresip are the
 * peers for calls as they should be; they cannot be told to lie like this.
 */
import { createHash } from 'node:crypto'
import { type Socket, createSocket } from 'node:dgram'

export interface RawSip {
  readonly port: number
  /** The next message matching `pred` (kept from before, or waited for up to `ms`). */
  next(pred?: (m: string) => boolean, ms?: number): Promise<string>
  /** Whether a message matching `pred` arrives within `ms`. */
  receives(pred: (m: string) => boolean, ms: number): Promise<boolean>
  /** Sends `message` (lines joined by CRLF) to `address` (127.0.0.1 unless said):`port`. */
  send(message: string, port: number, address?: string): void
  /** Sends `message` byte for byte, its line ends as written (a bare LF where a test wants one). */
  sendExact(message: string, port: number): void
  close(): void
}

export type Handler = (message: string, ep: RawSip, fromPort: number, fromAddress: string) => void

/** What a raw endpoint received, kept until a test asks for it: the waiting half of every raw endpoint. */
export interface Received {
  next(pred?: (m: string) => boolean, ms?: number): Promise<string>
  receives(pred: (m: string) => boolean, ms: number): Promise<boolean>
  /** Hands a message that arrived to the first waiter it matches, else keeps it. */
  arrived(m: string): void
}

export function received(): Received {
  const kept: string[] = []
  const waiters: { pred: (m: string) => boolean; resolve: (m: string) => void }[] = []
  const take = (pred: (m: string) => boolean): string | undefined => {
    const i = kept.findIndex(pred)
    return i < 0 ? undefined : kept.splice(i, 1)[0]
  }
  const r: Received = {
    next(pred = () => true, ms = 4000) {
      const found = take(pred)
      if (found !== undefined) return Promise.resolve(found)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1)
          reject(new Error(`no such SIP message in ${ms} ms; received:\n${kept.join('\n----\n')}`))
        }, ms)
        const waiter = {
          pred,
          resolve: (m: string) => {
            clearTimeout(timer)
            resolve(m)
          }
        }
        waiters.push(waiter)
      })
    },
    receives(pred, ms) {
      return r.next(pred, ms).then(
        () => true,
        () => false
      )
    },
    arrived(m) {
      const waiter = waiters.find((w) => w.pred(m))
      if (waiter) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve(m)
      } else kept.push(m)
    }
  }
  return r
}

export async function rawSip(onMessage?: Handler): Promise<RawSip> {
  const sock: Socket = createSocket('udp4')
  await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', () => resolve()))
  const inbox = received()
  const ep: RawSip = {
    port: sock.address().port,
    next: inbox.next,
    receives: inbox.receives,
    send(message, port, address = '127.0.0.1') {
      sock.send(Buffer.from(message.replace(/\r?\n/g, '\r\n')), port, address)
    },
    sendExact(message, port) {
      sock.send(Buffer.from(message), port, '127.0.0.1')
    },
    close() {
      sock.close()
    }
  }
  sock.on('message', (buf, from) => {
    const m = buf.toString()
    onMessage?.(m, ep, from.port, from.address)
    inbox.arrived(m)
  })
  return ep
}

/** A header's value (the first of that name). */
export const header = (m: string, name: string): string =>
  (new RegExp(`^${name}:\\s*(.*)$`, 'mi').exec(m)?.[1] ?? '').trim()

/** Every header line of that name, as received. */
export const headerLines = (m: string, name: string): string[] =>
  m.split(/\r?\n/).filter((l) => new RegExp(`^${name}:`, 'i').test(l))

/** The request's method, or null for a response. */
export const methodOf = (m: string): string | null =>
  m.startsWith('SIP/2.0') ? null : (/^(\S+)/.exec(m)?.[1] ?? null)

/** An SDP offer or answer of plain RTP on 127.0.0.1, at `port`. */
export const plainSdp = (port: number): string =>
  `v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio ${port} RTP/AVP 0\r\n`

/**
 * A response to the request `m`, as a far end writes it: its Vias, its Record-Routes for a 1xx or 2xx (the dialog's
 * route set), its From, its To with `toTag` added unless it has a tag, its Call-ID and CSeq, then `headers`, and
 * `sdp` as the body when given.
 */
export function responseTo(
  m: string,
  status: string,
  o: { readonly toTag: string; readonly headers?: readonly string[]; readonly sdp?: string }
): string {
  const to = header(m, 'To')
  const sdp = o.sdp ?? ''
  return [
    `SIP/2.0 ${status}`,
    ...headerLines(m, 'Via'),
    ...(/^[12]/.test(status) ? headerLines(m, 'Record-Route') : []),
    `From: ${header(m, 'From')}`,
    `To: ${/tag=/.test(to) ? to : `${to};tag=${o.toTag}`}`,
    `Call-ID: ${header(m, 'Call-ID')}`,
    `CSeq: ${header(m, 'CSeq')}`,
    ...(o.headers ?? []),
    ...(sdp ? ['Content-Type: application/sdp'] : []),
    `Content-Length: ${sdp.length}`,
    '',
    sdp
  ].join('\n')
}

/** A far end answering 200 OK to every request but ACK (an INVITE with an SDP answer, a To tag added). */
export function answerOk(m: string, ep: RawSip, fromPort: number, fromAddress = '127.0.0.1'): void {
  const method = methodOf(m)
  if (method === null || method === 'ACK') return
  ep.send(
    responseTo(m, '200 OK', {
      toTag: 'far1',
      headers: [`Contact: <sip:far@127.0.0.1:${ep.port}>`],
      ...(method === 'INVITE' ? { sdp: plainSdp(40000) } : {})
    }),
    fromPort,
    fromAddress
  )
}

/** The raw endpoints a test file opens, closed together when it ends. */
export function rawEndpoints(): { open(onMessage?: Handler): Promise<RawSip>; closeAll(): void } {
  const opened: RawSip[] = []
  return {
    async open(onMessage) {
      const e = await rawSip(onMessage)
      opened.push(e)
      return e
    },
    closeAll() {
      for (const e of opened) e.close()
    }
  }
}

const md5 = (s: string): string => createHash('md5').update(s).digest('hex')

/** An Authorization value answering `challenge` (RFC 2617 digest, qop=auth when offered). */
export function digestAnswer(
  challenge: string,
  method: string,
  uri: string,
  user: string,
  password: string
): string {
  const realm = /realm="([^"]+)"/.exec(challenge)?.[1] ?? ''
  const nonce = /nonce="([^"]+)"/.exec(challenge)?.[1] ?? ''
  const ha1 = md5(`${user}:${realm}:${password}`)
  const ha2 = md5(`${method}:${uri}`)
  const base = `Digest username="${user}", realm="${realm}", nonce="${nonce}", uri="${uri}", algorithm=MD5`
  if (!/qop="?[a-z-,]*auth/.test(challenge)) return `${base}, response="${md5(`${ha1}:${nonce}:${ha2}`)}"`
  const nc = '00000001'
  const cnonce = 'dialtone1'
  return `${base}, response="${md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`)}", qop=auth, nc=${nc}, cnonce="${cnonce}"`
}
