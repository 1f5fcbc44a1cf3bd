/**
 * The media bridge's SessionDescriptionHandler for sip.js: every media operation of a call is forwarded to the
 * renderer's MediaEngine (which owns the RTCPeerConnection) and its answer handed back to sip.js. sip.js asks
 * two things synchronously, which cannot wait for the renderer: hasDescription() (answered here: SDP only) and
 * sendDtmf() (answered from the engine's last word on whether the call can carry RFC 4733 DTMF; when it cannot,
 * the caller falls back to SIP INFO). Only the options that survive a structured clone cross the bridge (hold,
 * the ICE gathering bound); description modifiers are functions and are refused (nothing in Dialtone uses them).
 * Research: reference/research/sdh-split.md.
 */
import type {
  BodyAndContentType,
  Session,
  SessionDescriptionHandler,
  SessionDescriptionHandlerFactory,
  SessionDescriptionHandlerModifier,
  SessionDescriptionHandlerOptions
} from 'sip.js'
import type { MediaReply } from '../../shared/ipc/media'
import type { MediaArgs, MediaBridge } from './media-bridge'

/**
 * After an offer/answer completes, how often and how long main asks the engine whether RFC 4733 is ready (its DTLS
 * transport comes up a moment after the answer): so the first key of a call goes as RTP, not as SIP INFO, which
 * a carrier's gateway through the media relay does not take.
 */
const DTMF_WATCH_MS = 250
const DTMF_WATCH_TRIES = 20

/** Without STUN or TURN, host candidates arrive in milliseconds; this only bounds a slow gatherer. */
const ICE_GATHERING_TIMEOUT_MS = 2000

let counter = 0

export class ProxySessionDescriptionHandler implements SessionDescriptionHandler {
  readonly id = `sdh-${++counter}-${Date.now().toString(36)}`
  private closed = false
  private canDtmf = false
  private dtmfWatch: NodeJS.Timeout | null = null
  signalingState: NonNullable<MediaReply['signalingState']> = 'stable'

  constructor(private readonly bridge: MediaBridge) {}

  private async ask(op: 'getDescription' | 'setDescription', args: MediaArgs): Promise<MediaReply> {
    if (this.closed) throw new Error('the call’s media is closed')
    const reply = await this.bridge.request(this.id, op, args)
    if (this.closed) throw new Error('the call’s media closed while the engine worked')
    if (reply.signalingState) this.signalingState = reply.signalingState
    if (reply.canInsertDtmf !== undefined) this.canDtmf = reply.canInsertDtmf
    if (reply.canInsertDtmf === false && this.signalingState === 'stable') this.watchDtmf(DTMF_WATCH_TRIES)
    return reply
  }

  /** Asks again, a few times, until the engine can send RFC 4733 (or the call's media closes). */
  private watchDtmf(tries: number): void {
    if (this.dtmfWatch) clearTimeout(this.dtmfWatch)
    this.dtmfWatch = setTimeout(() => {
      this.dtmfWatch = null
      if (this.closed || this.canDtmf) return
      this.recheckDtmf()
      if (tries > 1) this.watchDtmf(tries - 1)
    }, DTMF_WATCH_MS)
    this.dtmfWatch.unref?.()
  }

  async getDescription(
    options?: SessionDescriptionHandlerOptions,
    modifiers?: SessionDescriptionHandlerModifier[]
  ): Promise<BodyAndContentType> {
    refuseModifiers(modifiers)
    const reply = await this.ask('getDescription', {
      hold: (options as { hold?: boolean } | undefined)?.hold === true,
      iceGatheringTimeoutMs: ICE_GATHERING_TIMEOUT_MS
    })
    if (!reply.sdp) throw new Error('the media engine gave no description')
    return { body: reply.sdp, contentType: 'application/sdp' }
  }

  hasDescription(contentType: string): boolean {
    return contentType === 'application/sdp'
  }

  async setDescription(
    sdp: string,
    options?: SessionDescriptionHandlerOptions,
    modifiers?: SessionDescriptionHandlerModifier[]
  ): Promise<void> {
    refuseModifiers(modifiers)
    await this.ask('setDescription', {
      sdp,
      hold: (options as { hold?: boolean } | undefined)?.hold === true
    })
  }

  async rollbackDescription(): Promise<void> {
    if (this.closed) return
    const reply = await this.bridge.request(this.id, 'rollback')
    if (reply.signalingState) this.signalingState = reply.signalingState
  }

  sendDtmf(tones: string): boolean {
    if (this.closed || !/^[0-9A-D*#,]{1,32}$/.test(tones)) return false
    if (!this.canDtmf) {
      this.recheckDtmf()
      return false // this key goes as SIP INFO
    }
    void this.bridge.request(this.id, 'sendDtmf', { tones }).catch(() => undefined)
    return true
  }

  /**
   * The engine's last word on RFC 4733 may predate its DTLS transport coming up (Chromium allows DTMF only then), and
   * nothing else asks it again during a call: ask now (a lone ',' is the question: the engine answers without
   * inserting it), so the next key can go as RTP.
   */
  private recheckDtmf(): void {
    void this.bridge
      .request(this.id, 'sendDtmf', { tones: ',' })
      .then((reply) => {
        if (!this.closed && reply.canInsertDtmf !== undefined) this.canDtmf = reply.canInsertDtmf
      })
      .catch(() => undefined)
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    if (this.dtmfWatch) clearTimeout(this.dtmfWatch)
    this.signalingState = 'closed'
    if (this.bridge.attached) void this.bridge.request(this.id, 'close').catch(() => undefined)
  }
}

function refuseModifiers(modifiers?: SessionDescriptionHandlerModifier[]): void {
  if (modifiers && modifiers.length > 0)
    throw new Error('description modifiers cannot cross the media bridge (they are functions)')
}

/**
 * Calls get the renderer's engine when one is attached, else the signalling-only handler (a call without sound,
 * which the log says; Node tests and a web host with no tab open take this path).
 */
export const bridgedSdhFactory =
  (bridge: MediaBridge, fallback: SessionDescriptionHandlerFactory, onFallback?: () => void) =>
  (session: Session, options?: object): SessionDescriptionHandler => {
    if (bridge.attached) return new ProxySessionDescriptionHandler(bridge)
    onFallback?.()
    return fallback(session, options)
  }
