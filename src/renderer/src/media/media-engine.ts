/**
 * The renderer's MediaEngine: the far end of main's media bridge. It attaches to main, carries out the
 * `media.request`s addressed to it (one PeerSession per sip.js handler id), plays the line's tones and caller
 * ID on the phone's earpiece and the ring on the computer, picks the dongle's audio input and output by USB ids
 * (or the person's choice, or the computer's), follows device changes (an unplugged dongle hands a call in
 * progress to the computer's audio), and reports its state to main every second.
 */
import type { DialtoneClient } from '../../../shared/ipc/client'
import type { DeviceList } from '../../../shared/ipc/device'
import type { EngineReport, MediaReply, MediaRequest } from '../../../shared/ipc/media'
import type { CallState } from '../../../shared/ipc/phone'
import type { Settings } from '../../../shared/settings'
import {
  type AudioChoice,
  type AudioDevice,
  pickAudioDevice,
  type UsbIds
} from '../../../shared/telephony/audio-devices'
import type { ToneSpec } from '../../../shared/telephony/tones'
import { ConferenceMixer } from './conference-mixer'
import { PeerSession } from './peer-session'
import { RecordingPlayer } from './recording-player'
import { TonePlayer } from './tone-player'
import { logFailure } from '../log'

const REPORT_EVERY_MS = 1000
/** The computer's ring when no phone rings itself: the North American ring cadence, a soft two-tone. */
const COMPUTER_RING: ToneSpec = { frequencies: [440, 480], levelDbm0: -16, cadence: [[2000, 4000]] }

/** The settings page's test tone: 440 Hz, steady, at a comfortable level. */
const TEST_TONE: ToneSpec = { frequencies: [440], levelDbm0: -16, cadence: [] }

type AudioSettings = Pick<Settings, 'audioInput' | 'audioOutput' | 'ringerOutput'>

const randomId = (): string =>
  Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('')

export class MediaEngine {
  readonly engineId = `eng_${randomId()}`
  private readonly sessions = new Map<string, PeerSession>()
  private readonly off: (() => void)[] = []
  private dongles: UsbIds[] = []
  private phoneRings = false
  private audio: AudioSettings = { audioInput: null, audioOutput: null, ringerOutput: null }
  private devices: AudioDevice[] = []
  private input: AudioChoice = { device: null, dongle: false, fallback: null }
  private output: AudioChoice = { device: null, dongle: false, fallback: null }
  private ringer: AudioChoice = { device: null, dongle: false, fallback: null }
  private readonly earpiece = new TonePlayer(() => this.output.device?.deviceId ?? '')
  private readonly bell = new TonePlayer(() => this.ringer.device?.deviceId ?? '')
  /** Voicemail messages and greetings, played where the call audio goes. */
  private readonly recordings = new RecordingPlayer(() => this.output.device?.deviceId ?? '')
  private timer: ReturnType<typeof setInterval> | undefined
  private readonly changeListeners = new Set<() => void>()
  private readonly mixer = new ConferenceMixer()

  constructor(private readonly client: DialtoneClient) {}

  async start(): Promise<void> {
    const c = this.client
    this.off.push(
      c.on('media.request', (r) => void this.handle(r).catch(logFailure('media-engine: handle'))),
      c.on(
        'phone.tone',
        ({ tone, spec }) =>
          void this.earpiece.play(tone, spec).catch(logFailure('media-engine: earpiece.play'))
      ),
      c.on(
        'phone.callerId',
        ({ message, waiting }) =>
          void this.earpiece
            .callerId(hexBytes(message), waiting === true)
            .catch(logFailure('media-engine: earpiece.callerId'))
      ),
      c.on('phone.callStateChanged', (s) => this.onCallState(s)),
      c.on(
        'device.changed',
        (list) => void this.onDevices(list).catch(logFailure('media-engine: onDevices'))
      ),
      c.on(
        'app.settingsChanged',
        (s) => void this.onSettings(s).catch(logFailure('media-engine: onSettings'))
      )
    )
    const onDeviceChange = (): void =>
      void this.refreshDevices().catch(logFailure('media-engine: refreshDevices'))
    navigator.mediaDevices?.addEventListener('devicechange', onDeviceChange)
    this.off.push(() => navigator.mediaDevices?.removeEventListener('devicechange', onDeviceChange))
    const detach = (): void =>
      void c.invoke('media.detach', { engineId: this.engineId }).catch(() => undefined)
    window.addEventListener('pagehide', detach)
    this.off.push(() => window.removeEventListener('pagehide', detach))
    const [settings, list] = await Promise.all([c.invoke('app.settings.get'), c.invoke('device.list')])
    this.audio = settings
    this.trackDongles(list)
    await this.refreshDevices()
    await this.attach()
    this.timer = setInterval(
      () => void this.report().catch(logFailure('media-engine: report')),
      REPORT_EVERY_MS
    )
  }

  /** Offers this engine to main (again after a reconnection: main may have restarted). */
  async attach(): Promise<void> {
    await this.client.invoke('media.attach', { engineId: this.engineId })
  }

  /** Plays a recording (WAV bytes) on the phone's output; resolves when it ended or stopRecording() cut it. */
  playRecording(wav: Uint8Array): Promise<void> {
    return this.recordings.play(wav)
  }

  stopRecording(): void {
    this.recordings.stop()
  }

  async stop(): Promise<void> {
    clearInterval(this.timer)
    for (const off of this.off.splice(0)) off()
    await this.mixer.stop()
    for (const s of this.sessions.values()) s.close()
    this.sessions.clear()
    await Promise.all([this.earpiece.close(), this.bell.close(), this.recordings.close()])
    await this.client.invoke('media.detach', { engineId: this.engineId }).catch(() => undefined)
  }

  /** Called after the devices or the choices changed (the settings page re-reads `choices`). */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener)
    return () => this.changeListeners.delete(listener)
  }

  /**
   * Devices are listed without names until the microphone may be used; asking once (the browser or the OS may
   * show its prompt) names them, so the person can choose and the dongle can be matched.
   */
  async askForDeviceNames(): Promise<void> {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: false })
    for (const t of stream.getTracks()) t.stop()
    await this.refreshDevices()
  }

  /** A one-second test tone on the call speaker or on the ringer's device. */
  async testTone(target: 'output' | 'ringer'): Promise<void> {
    const player = target === 'output' ? this.earpiece : this.bell
    await player.play('test', TEST_TONE)
    setTimeout(() => void player.play(null, null).catch(logFailure('media-engine: player.play')), 1000)
  }

  /** What the engine uses now, for the settings page. */
  get choices(): { input: AudioChoice; output: AudioChoice; ringer: AudioChoice; devices: AudioDevice[] } {
    return { input: this.input, output: this.output, ringer: this.ringer, devices: this.devices }
  }

  private trackDongles(list: DeviceList): void {
    const audio = list.devices.filter((d) => d.interfaces.audio && d.state !== 'gone')
    this.dongles = audio.map((d) => ({ vendorId: d.vendorId, productId: d.productId }))
    this.phoneRings = list.devices.some((d) => d.capabilities?.ring === true && d.state !== 'gone')
  }

  private async onDevices(list: DeviceList): Promise<void> {
    this.trackDongles(list)
    await this.refreshDevices()
  }

  private async onSettings(s: Settings): Promise<void> {
    this.audio = s
    await this.refreshDevices()
  }

  /** Re-reads the OS's devices and re-picks; a call in progress follows a changed input or output. */
  async refreshDevices(): Promise<void> {
    const all = (await navigator.mediaDevices?.enumerateDevices().catch(() => [])) ?? []
    this.devices = all
      .filter((d) => d.kind === 'audioinput' || d.kind === 'audiooutput')
      .map((d) => ({ deviceId: d.deviceId, kind: d.kind as AudioDevice['kind'], label: d.label }))
    const before = { input: this.input.device?.deviceId, output: this.output.device?.deviceId }
    this.input = pickAudioDevice(this.devices, 'audioinput', this.dongles, this.audio.audioInput)
    this.output = pickAudioDevice(this.devices, 'audiooutput', this.dongles, this.audio.audioOutput)
    this.ringer = pickAudioDevice(this.devices, 'audiooutput', [], this.audio.ringerOutput)
    for (const l of this.changeListeners) l()
    for (const s of this.sessions.values()) {
      if (before.output !== this.output.device?.deviceId) await s.applyOutput().catch(() => undefined)
      if (before.input !== this.input.device?.deviceId) await s.replaceMicrophone().catch(() => undefined)
    }
  }

  private async microphone(): Promise<MediaStream> {
    const id = this.input.device?.deviceId
    const wanted: MediaTrackConstraints = {
      echoCancellation: true,
      noiseSuppression: true,
      ...(id && id !== 'default' ? { deviceId: { exact: id } } : {})
    }
    try {
      return await navigator.mediaDevices.getUserMedia({ audio: wanted, video: false })
    } catch (err) {
      // The chosen device vanished between the pick and the call: the computer's default keeps the call.
      if (err instanceof DOMException && err.name === 'OverconstrainedError')
        return navigator.mediaDevices.getUserMedia({ audio: true, video: false })
      throw err
    }
  }

  private muted = false

  private onCallState(s: CallState): void {
    this.muted = s.muted
    for (const session of this.sessions.values()) session.setMuted(s.muted)
    // A phone with a ringer rings itself; otherwise, or when the person chose a ringer device, the computer does.
    const ring = s.phase === 'ringing' && (!this.phoneRings || this.audio.ringerOutput !== null)
    if (ring && this.bell.playing === null)
      void this.bell.play('ring', COMPUTER_RING).catch(logFailure('media-engine: bell.play'))
    if (!ring) void this.bell.play(null, null).catch(logFailure('media-engine: bell.play'))
  }

  private session(id: string): PeerSession {
    let s = this.sessions.get(id)
    if (!s) {
      s = new PeerSession(id, {
        microphone: () => this.microphone(),
        outputId: () => this.output.device?.deviceId ?? ''
      })
      s.setMuted(this.muted)
      this.sessions.set(id, s)
    }
    return s
  }

  private async handle(r: MediaRequest): Promise<void> {
    if (r.engineId !== this.engineId) return
    const reply: MediaReply = { engineId: this.engineId, requestId: r.requestId, ok: true }
    try {
      if (r.op === 'close') {
        await this.mixer.left(r.sdhId)
        this.sessions.get(r.sdhId)?.close()
        this.sessions.delete(r.sdhId)
      } else if (r.op === 'conference') {
        // Only sessions this engine carries; an unknown id is never created here.
        const parties = (r.peers ?? []).map((id) => this.sessions.get(id))
        if (parties.some((p) => p === undefined)) throw new Error('a conference party has no call here')
        await this.mixer.mix(parties as PeerSession[])
      } else {
        const s = this.session(r.sdhId)
        if (r.op === 'getDescription')
          reply.sdp = await s.describe(r.hold === true, r.iceGatheringTimeoutMs ?? 2000)
        else if (r.op === 'setDescription') await s.setRemote(r.sdp ?? '')
        else if (r.op === 'rollback') await s.rollback()
        else if (r.op === 'sendDtmf') reply.canInsertDtmf = s.sendDtmf(r.tones ?? '')
        reply.signalingState = s.signalingState
        reply.canInsertDtmf ??= s.canInsertDtmf
        if (r.op === 'getDescription' || r.op === 'setDescription')
          void this.refreshLabels().catch(logFailure('media-engine: refreshLabels'))
      }
    } catch (err) {
      reply.ok = false
      reply.error = (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).slice(0, 500)
      delete reply.sdp
    }
    await this.client.invoke('media.reply', reply).catch(() => undefined)
  }

  /** Labels appear once the microphone permission is granted: re-pick with them. */
  private async refreshLabels(): Promise<void> {
    if (this.devices.some((d) => d.label === '')) await this.refreshDevices()
  }

  async snapshot(): Promise<EngineReport> {
    return {
      engineId: this.engineId,
      input: this.input.device?.label || null,
      output: this.output.device?.label || null,
      ringer: this.ringer.device?.label || null,
      dongleAudio: this.input.dongle && this.output.dongle,
      tone: this.earpiece.playing,
      sessions: await Promise.all([...this.sessions.values()].slice(0, 8).map((s) => s.report()))
    }
  }

  private async report(): Promise<void> {
    const report = await this.snapshot().catch(() => null)
    if (report) await this.client.invoke('media.report', report).catch(() => undefined)
  }
}

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16)
  return out
}
