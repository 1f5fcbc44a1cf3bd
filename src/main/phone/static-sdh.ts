/**
 * A signalling-only SessionDescriptionHandler for sip.js: it offers and answers a fixed audio description
 * (PCMU and PCMA at 8 kHz, RFC 4733 telephone-event) on a loopback port and never sends media. It lets the
 * phone's signalling run in plain Node (tests, and main before a renderer's MediaEngine is attached) with every
 * peer that speaks SIP: Kamailio, sipp, baresip. Hold is honoured as a=sendonly / a=inactive per RFC 3264.
 * DTMF cannot travel as RTP without media, so sendDtmf() answers false and the caller falls back to SIP INFO.
 */
import type {
  BodyAndContentType,
  Session,
  SessionDescriptionHandler,
  SessionDescriptionHandlerFactory,
  SessionDescriptionHandlerOptions
} from 'sip.js'

export interface StaticSdhOptions {
  readonly address?: string
  readonly port?: number
}

let nextPort = 40_000

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

/** The direction a peer's description asks of us (its sendonly is our recvonly, and so on). */
function answerDirection(remote: string): string {
  const d = /a=(sendrecv|sendonly|recvonly|inactive)/.exec(remote)?.[1] ?? 'sendrecv'
  return d === 'sendonly' ? 'recvonly' : d === 'recvonly' ? 'sendonly' : d
}

export class StaticSessionDescriptionHandler implements SessionDescriptionHandler {
  private remote: string | null = null
  private version = 0
  private readonly sessionId = Math.floor(Math.random() * 1e9)
  private readonly port: number
  private closed = false
  /** The last description this side sent, for tests. */
  local: string | null = null

  constructor(private readonly o: StaticSdhOptions = {}) {
    this.port = o.port ?? (nextPort = nextPort >= 59_998 ? 40_000 : nextPort + 2)
  }

  async getDescription(raw?: SessionDescriptionHandlerOptions): Promise<BodyAndContentType> {
    const options = raw as { hold?: boolean } | undefined
    if (this.closed) throw new Error('the session description handler is closed')
    const direction = options?.hold ? 'sendonly' : this.remote ? answerDirection(this.remote) : 'sendrecv'
    this.local = staticDescription({
      address: this.o.address ?? '127.0.0.1',
      port: this.port,
      sessionId: this.sessionId,
      version: this.version++,
      direction: options?.hold && direction === 'recvonly' ? 'inactive' : direction
    })
    return { body: this.local, contentType: 'application/sdp' }
  }

  hasDescription(contentType: string): boolean {
    return contentType === 'application/sdp'
  }

  async setDescription(sdp: string): Promise<void> {
    if (!/^v=0/m.test(sdp) || !/^m=audio /m.test(sdp)) throw new Error('the remote description has no audio')
    this.remote = sdp
  }

  async rollbackDescription(): Promise<void> {
    // Nothing negotiated is kept beyond the last description; a rejected re-INVITE leaves the call as it was.
  }

  sendDtmf(): boolean {
    return false
  }

  close(): void {
    this.closed = true
  }
}

export const staticSdhFactory =
  (options: StaticSdhOptions = {}): SessionDescriptionHandlerFactory =>
  (_session: Session) =>
    new StaticSessionDescriptionHandler(options)
