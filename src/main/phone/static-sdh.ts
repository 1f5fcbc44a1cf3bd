/**
 * A signalling-only SessionDescriptionHandler for sip.js: it offers and answers a fixed audio description
 * (PCMU and PCMA at 8 kHz, RFC 4733 telephone-event) on a loopback UDP port it holds open and never sends
 * media. Holding the port matters: a peer's RTP to a closed port draws ICMP port-unreachable, which baresip
 * (rightly) takes as the call's end; the socket also counts what arrives. It lets the
 * phone's signalling run in plain Node (tests, and main before a renderer's MediaEngine is attached) with every
 * peer that speaks SIP: Kamailio, sipp, baresip. Hold is honoured as a=sendonly / a=inactive per RFC 3264.
 * DTMF cannot travel as RTP without media, so sendDtmf() answers false and the caller falls back to SIP INFO.
 */
import { createSocket, type Socket } from 'node:dgram'
import type {
  BodyAndContentType,
  Session,
  SessionDescriptionHandler,
  SessionDescriptionHandlerFactory,
  SessionDescriptionHandlerOptions
} from 'sip.js'
import {
  type Direction,
  answerDirection,
  directionOf,
  offerDirection
} from '../../shared/telephony/sdp-direction'

export interface StaticSdhOptions {
  readonly address?: string
  /** Where the (silent) RTP socket listens; 0 or absent: a port the OS picks. */
  readonly port?: number
}

export function staticDescription(o: {
  address: string
  port: number
  sessionId: number
  version: number
  direction: string
}): string {
  return [
    'v=0',
    `o=dialtone ${o.sessionId} ${o.version} IN IP4 ${o.address}`,
    's=Dialtone',
    `c=IN IP4 ${o.address}`,
    't=0 0',
    `m=audio ${o.port} RTP/AVP 0 8 101`,
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:101 telephone-event/8000',
    'a=fmtp:101 0-16',
    'a=ptime:20',
    `a=${o.direction}`,
    ''
  ].join('\r\n')
}

export class StaticSessionDescriptionHandler implements SessionDescriptionHandler {
  private remote: string | null = null
  /** RFC 3264's offer/answer state, so a description is known to be an offer or an answer. */
  private negotiation: 'stable' | 'have-local-offer' | 'have-remote-offer' = 'stable'
  private direction: Direction = 'sendrecv'
  private beforeOffer: Direction = 'sendrecv'
  private version = 0
  private readonly sessionId = Math.floor(Math.random() * 1e9)
  private socket: Promise<{ socket: Socket; port: number }> | null = null
  private closed = false
  /** The last description this side sent, for tests. */
  local: string | null = null
  /** RTP packets that arrived from the peer. */
  packetsReceived = 0

  constructor(private readonly o: StaticSdhOptions = {}) {}

  /** The RTP socket, bound on first use (a call that never describes itself opens nothing). */
  private rtpPort(): Promise<number> {
    this.socket ??= new Promise((resolve, reject) => {
      const socket = createSocket('udp4')
      socket.on('message', () => void this.packetsReceived++)
      socket.once('error', (err) => {
        socket.close() // a socket whose bind failed stays open until closed
        reject(err)
      })
      socket.bind(this.o.port ?? 0, this.o.address ?? '127.0.0.1', () =>
        resolve({ socket, port: socket.address().port })
      )
    })
    return this.socket.then((s) => s.port)
  }

  async getDescription(raw?: SessionDescriptionHandlerOptions): Promise<BodyAndContentType> {
    const hold = (raw as { hold?: boolean } | undefined)?.hold === true
    if (this.closed) throw new Error('the session description handler is closed')
    if (this.negotiation === 'have-remote-offer' && this.remote) {
      this.direction = answerDirection(directionOf(this.remote), hold)
      this.negotiation = 'stable'
    } else {
      this.beforeOffer = this.direction
      this.direction = offerDirection(this.direction, hold)
      this.negotiation = 'have-local-offer'
    }
    this.local = staticDescription({
      address: this.o.address ?? '127.0.0.1',
      port: await this.rtpPort(),
      sessionId: this.sessionId,
      version: this.version++,
      direction: this.direction
    })
    return { body: this.local, contentType: 'application/sdp' }
  }

  hasDescription(contentType: string): boolean {
    return contentType === 'application/sdp'
  }

  async setDescription(sdp: string): Promise<void> {
    if (!/^v=0/m.test(sdp) || !/^m=audio /m.test(sdp)) throw new Error('the remote description has no audio')
    this.remote = sdp
    this.negotiation = this.negotiation === 'have-local-offer' ? 'stable' : 'have-remote-offer'
  }

  async rollbackDescription(): Promise<void> {
    // A rejected re-INVITE leaves the call as it was: back to stable, the direction before the offer.
    if (this.negotiation === 'have-local-offer') this.direction = this.beforeOffer
    this.negotiation = 'stable'
  }

  sendDtmf(): boolean {
    return false
  }

  close(): void {
    this.closed = true
    // A socket that never opened has nothing to close: that rejection was reported where it was opened.
    const pending = this.socket
    if (pending) void pending.then(({ socket }) => socket.close()).catch(() => undefined)
  }
}

export const staticSdhFactory =
  (options: StaticSdhOptions = {}): SessionDescriptionHandlerFactory =>
  (_session: Session) =>
    new StaticSessionDescriptionHandler(options)
