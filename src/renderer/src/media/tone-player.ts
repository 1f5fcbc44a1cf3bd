/**
 * Plays the line's tones and caller ID with Web Audio on a chosen output: a call-progress tone is synthesised
 * once per change from its spec (src/shared/telephony/tones.ts, the tone plan main sent) at the context's rate
 * and looped; one cadence period is a whole number of cycles for the plans' integral frequencies and
 * millisecond steps, so the loop has no click. Stutter plays its cadence once and then loops the continuous part.
 */
import { callWaitingAudio, fskAudio } from '../../../shared/telephony/caller-id'
import { synthesize, type ToneSpec } from '../../../shared/telephony/tones'

type SinkContext = AudioContext & { setSinkId?: (id: string) => Promise<void>; sinkId?: string }

export class TonePlayer {
  private ctx: SinkContext | null = null
  private source: AudioBufferSourceNode | null = null
  private name: string | null = null

  constructor(private readonly outputId: () => string) {}

  /** The tone sounding now (null when silent, or when the browser keeps audio suspended). */
  get playing(): string | null {
    return this.ctx?.state === 'running' ? this.name : null
  }

  private async context(): Promise<SinkContext> {
    this.ctx ??= new AudioContext() as SinkContext
    const sink = this.outputId()
    if (this.ctx.setSinkId && this.ctx.sinkId !== sink)
      await this.ctx.setSinkId(sink).catch(() => this.ctx?.setSinkId?.(''))
    if (this.ctx.state === 'suspended') await this.ctx.resume().catch(() => undefined)
    return this.ctx
  }

  private buffer(ctx: AudioContext, samples: Int16Array): AudioBuffer {
    const buf = ctx.createBuffer(1, samples.length, ctx.sampleRate)
    const data = buf.getChannelData(0)
    for (let i = 0; i < samples.length; i++) data[i] = (samples[i] ?? 0) / 32768
    return buf
  }

  async play(name: string | null, spec: ToneSpec | null): Promise<void> {
    this.stopSource()
    this.name = name
    if (!name || !spec) return
    const ctx = await this.context()
    if (this.name !== name) return
    const period = spec.cadence.reduce((s, [on, off]) => s + on + off, 0)
    const loopMs = spec.cadence.length === 0 ? 1000 : period
    const totalMs = spec.thenContinuous ? period + 1000 : loopMs
    const source = ctx.createBufferSource()
    source.buffer = this.buffer(ctx, synthesize(spec, totalMs, ctx.sampleRate))
    source.loop = true
    if (spec.thenContinuous) {
      source.loopStart = period / 1000
      source.loopEnd = totalMs / 1000
    }
    source.connect(ctx.destination)
    source.start()
    this.source = source
  }

  /** Sends caller-ID bytes as Bell 202 FSK, once (after the CAS alert, without channel seizure, on call waiting). */
  async callerId(message: Uint8Array, waiting = false): Promise<void> {
    const ctx = await this.context()
    const source = ctx.createBufferSource()
    const audio = waiting ? callWaitingAudio(message, ctx.sampleRate) : fskAudio(message, ctx.sampleRate)
    source.buffer = this.buffer(ctx, audio)
    source.connect(ctx.destination)
    source.start()
  }

  private stopSource(): void {
    try {
      this.source?.stop()
    } catch {
      // Never started: nothing to stop.
    }
    this.source?.disconnect()
    this.source = null
  }

  async close(): Promise<void> {
    this.stopSource()
    this.name = null
    await this.ctx?.close().catch(() => undefined)
    this.ctx = null
  }
}
