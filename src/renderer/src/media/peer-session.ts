/**
 * One call's media in the renderer: an RTCPeerConnection fed by the chosen microphone, its far-end audio played
 * on the chosen output. It answers the media bridge's operations as sip.js's own web handler would (offer or
 * answer by signalling state, RFC 3264 direction with hold, non-trickle ICE, rollback, RFC 4733 DTMF), and
 * reads its RTP statistics for the report. Non-trickle ICE with no STUN/TURN: host candidates are all there
 * is, so the description goes out 20 ms after the first UDP host candidate instead of waiting ~120 ms for
 * Chromium's useless TCP-active one (research sdh-split.md §4), bounded by the gathering timeout.
 */
import type { SessionReport } from '../../../shared/ipc/media'
import {
  answerDirection,
  type Direction,
  directionOf,
  offerDirection
} from '../../../shared/telephony/sdp-direction'
import { logFailure } from '../log'

export interface PeerSessionOptions {
  /** The microphone stream for this call (the chosen input). */
  readonly microphone: () => Promise<MediaStream>
  /** The output device id for the far end's audio, or '' for the default. */
  readonly outputId: () => string
}

const EARLY_UDP_HOST_MS = 20
/** What an operation on a call's media answers once the call's media has closed. */
const CLOSED = 'the call’s media was closed meanwhile'

export class PeerSession {
  private readonly pc = new RTCPeerConnection({ iceServers: [] })
  private readonly audio = new Audio()
  private mic: MediaStream | null = null
  private closed = false
  private muted = false
  /**
   * Rejects when the call's media closes. A peer connection closed while createOffer, setLocalDescription,
   * setRemoteDescription or replaceTrack is pending abandons that promise (the WebRTC spec's "if
   * [[IsClosed]], abort these steps"): it never settles. Each of those awaits races this, so a close that lands
   * mid-operation (a held call answered and hung up at once) answers main at once instead of never, which had
   * main drop the whole MediaEngine after its 8 s timeout and every later call go without sound.
   */
  private readonly closing: Promise<never>
  private onClose: () => void = () => undefined

  constructor(
    readonly id: string,
    private readonly o: PeerSessionOptions
  ) {
    this.closing = new Promise<never>((_, reject) => {
      this.onClose = () => reject(new Error(CLOSED))
    })
    // Nobody may be racing it when it rejects.
    this.closing.catch(() => undefined)
    this.audio.autoplay = true
    this.pc.ontrack = (e) => {
      this.audio.srcObject = e.streams[0] ?? new MediaStream([e.track])
      void this.applyOutput().catch(logFailure('peer-session: applyOutput'))
      void this.audio.play().catch(() => undefined)
    }
  }

  get signalingState(): RTCSignalingState {
    return this.pc.signalingState
  }

  get canInsertDtmf(): boolean {
    return this.audioSender()?.dtmf?.canInsertDTMF ?? false
  }

  private audioSender(): RTCRtpSender | undefined {
    return this.pc.getSenders().find((s) => s.track?.kind === 'audio')
  }

  /** Awaits a peer connection operation, or fails as soon as the call's media closes. */
  private unlessClosed<T>(operation: Promise<T>): Promise<T> {
    this.check()
    return Promise.race([operation, this.closing])
  }

  private check(): void {
    if (this.closed) throw new Error(CLOSED)
  }

  private async ensureMicrophone(): Promise<void> {
    if (this.mic) return
    const stream = await this.o.microphone()
    if (this.closed) {
      for (const t of stream.getTracks()) t.stop()
      this.check()
    }
    this.mic = stream
    for (const track of stream.getAudioTracks()) {
      track.enabled = !this.muted
      this.pc.addTrack(track, stream)
    }
  }

  /** Mute keeps the track and sends silence (the far end sees no renegotiation). */
  setMuted(on: boolean): void {
    this.muted = on
    for (const t of this.mic?.getAudioTracks() ?? []) t.enabled = !on
  }

  /** The far end's audio track as it arrives (null before it does), for the three-way conference's mix. */
  get remoteTrack(): MediaStreamTrack | null {
    if (this.closed) return null
    return this.pc.getReceivers().find((r) => r.track.kind === 'audio')?.track ?? null
  }

  /** This call's microphone stream (null until the call has described itself once). */
  get microphoneStream(): MediaStream | null {
    return this.mic
  }

  /**
   * Sends another track in place of the microphone (the conference's mix of the microphone and the other party),
   * or the microphone again with null. No renegotiation: the far end sees the same stream.
   */
  async sendTrack(track: MediaStreamTrack | null): Promise<void> {
    if (this.closed) return
    const sender = this.audioSender() ?? this.pc.getSenders()[0]
    const next = track ?? this.mic?.getAudioTracks()[0] ?? null
    if (sender && next) await this.unlessClosed(sender.replaceTrack(next))
  }

  /** Switches the far end's audio to another output (the dongle unplugged, or the person chose another). */
  async applyOutput(): Promise<void> {
    const sink = this.o.outputId()
    const el = this.audio as HTMLAudioElement & { setSinkId?: (id: string) => Promise<void>; sinkId?: string }
    if (el.setSinkId && el.sinkId !== sink) await el.setSinkId(sink).catch(() => el.setSinkId?.(''))
  }

  /** Replaces the microphone in a call in progress (the dongle unplugged: the computer's takes over). */
  async replaceMicrophone(): Promise<void> {
    if (!this.mic || this.closed) return
    const stream = await this.o.microphone()
    const track = stream.getAudioTracks()[0]
    const sender = this.audioSender()
    if (!track || !sender) return
    track.enabled = !this.muted
    await this.unlessClosed(sender.replaceTrack(track))
    for (const t of this.mic.getTracks()) t.stop()
    this.mic = stream
  }

  /** An offer when stable, the answer after a remote offer; with ICE candidates in it. */
  async describe(hold: boolean, gatheringTimeoutMs: number): Promise<string> {
    await this.ensureMicrophone()
    this.check()
    const state = this.pc.signalingState
    if (state === 'stable') {
      for (const t of this.pc.getTransceivers())
        if (t.direction !== 'stopped') t.direction = offerDirection(t.direction as Direction, hold)
      await this.unlessClosed(this.pc.setLocalDescription(await this.unlessClosed(this.pc.createOffer())))
    } else if (state === 'have-remote-offer') {
      const offered = directionOf(this.pc.remoteDescription?.sdp ?? '')
      for (const t of this.pc.getTransceivers())
        if (t.direction !== 'stopped') t.direction = answerDirection(offered, hold)
      await this.unlessClosed(this.pc.setLocalDescription(await this.unlessClosed(this.pc.createAnswer())))
    } else {
      throw new Error(`cannot describe the call in signalling state ${state}`)
    }
    await this.gathered(gatheringTimeoutMs)
    this.check()
    const sdp = this.pc.localDescription?.sdp
    if (!sdp) throw new Error('the peer connection has no local description')
    return sdp
  }

  private gathered(timeoutMs: number): Promise<void> {
    if (this.pc.iceGatheringState === 'complete') return Promise.resolve()
    return new Promise((resolve) => {
      let early: ReturnType<typeof setTimeout> | undefined
      const done = (): void => {
        clearTimeout(limit)
        clearTimeout(early)
        this.pc.removeEventListener('icegatheringstatechange', onState)
        this.pc.removeEventListener('icecandidate', onCandidate)
        resolve()
      }
      const limit = setTimeout(done, timeoutMs)
      const onState = (): void => {
        if (this.pc.iceGatheringState === 'complete' || this.closed) done()
      }
      const onCandidate = (e: RTCPeerConnectionIceEvent): void => {
        if (!e.candidate) return done()
        if (early === undefined && e.candidate.protocol === 'udp' && e.candidate.type === 'host')
          early = setTimeout(done, EARLY_UDP_HOST_MS)
      }
      this.pc.addEventListener('icegatheringstatechange', onState)
      this.pc.addEventListener('icecandidate', onCandidate)
    })
  }

  /** The far end's description: the answer to our offer, or an offer to answer next. */
  async setRemote(sdp: string): Promise<void> {
    this.check()
    const type = this.pc.signalingState === 'have-local-offer' ? 'answer' : 'offer'
    await this.unlessClosed(this.pc.setRemoteDescription({ type, sdp }))
  }

  async rollback(): Promise<void> {
    if (this.pc.signalingState === 'have-local-offer' || this.pc.signalingState === 'have-remote-offer')
      await this.unlessClosed(this.pc.setLocalDescription({ type: 'rollback' }))
  }

  /**
   * Keys go after those not yet played: insertDTMF replaces the sender's buffer, so a key pressed within 170 ms of
   * the last (100 ms tone, 70 ms gap) would otherwise drop it. A lone ',' is main's question whether RFC 4733 is
   * ready (proxy-sdh.ts): answered without inserting it, since a ',' is a two-second pause that held back the
   * call's first key until the next key replaced it (the first key lost under load, carrier-calls.test.ts).
   */
  sendDtmf(tones: string): boolean {
    const dtmf = this.audioSender()?.dtmf
    if (!dtmf?.canInsertDTMF) return false
    if (tones === ',') return true
    dtmf.insertDTMF(dtmf.toneBuffer + tones, 100, 70)
    return true
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    this.onClose()
    this.pc.close()
    for (const t of this.mic?.getTracks() ?? []) t.stop()
    this.audio.srcObject = null
  }

  /** Connection state and RTP counters, for the screen and main's report. */
  async report(): Promise<SessionReport> {
    const r: SessionReport = {
      sdhId: this.id,
      connectionState: this.pc.connectionState,
      iceConnectionState: this.pc.iceConnectionState,
      direction: this.pc.getTransceivers()[0]?.currentDirection ?? null,
      codec: null,
      packetsSent: 0,
      packetsReceived: 0,
      bytesSent: 0,
      bytesReceived: 0,
      packetsLost: 0,
      jitterMs: null,
      roundTripMs: null
    }
    if (this.closed) return r
    const stats = await this.pc.getStats()
    const codecs = new Map<string, string>()
    stats.forEach((s: Record<string, unknown>) => {
      if (s.type === 'codec') codecs.set(String(s.id), String(s.mimeType))
    })
    stats.forEach((s: Record<string, unknown>) => {
      const n = (k: string): number => (typeof s[k] === 'number' ? (s[k] as number) : 0)
      if (s.type === 'outbound-rtp' && s.kind === 'audio') {
        r.packetsSent += n('packetsSent')
        r.bytesSent += n('bytesSent')
        r.codec = codecs.get(String(s.codecId)) ?? r.codec
      } else if (s.type === 'inbound-rtp' && s.kind === 'audio') {
        r.packetsReceived += n('packetsReceived')
        r.bytesReceived += n('bytesReceived')
        r.packetsLost += n('packetsLost')
        if (typeof s.jitter === 'number') r.jitterMs = s.jitter * 1000
      } else if (s.type === 'candidate-pair' && s.nominated === true) {
        if (typeof s.currentRoundTripTime === 'number') r.roundTripMs = s.currentRoundTripTime * 1000
      }
    })
    return r
  }
}
