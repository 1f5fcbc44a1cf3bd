/**
 * Plays a recording (a voicemail message, the person's greeting) on the phone's audio output, like the call
 * audio: decoded by Web Audio, one at a time, through an analyser the media tests read to check what was played
 * (window.__dialtonePlayback).
 */
type SinkContext = AudioContext & { setSinkId?: (id: string) => Promise<void>; sinkId?: string }

declare global {
  interface Window {
    __dialtonePlayback?: AnalyserNode | null
  }
}

export class RecordingPlayer {
  private ctx: SinkContext | null = null
  private source: AudioBufferSourceNode | null = null

  constructor(private readonly outputId: () => string) {}

  /** Plays the file; resolves when it ended or was stopped. */
  async play(wav: Uint8Array): Promise<void> {
    this.stop()
    this.ctx ??= new AudioContext() as SinkContext
    const ctx = this.ctx
    const sink = this.outputId()
    if (ctx.setSinkId && ctx.sinkId !== sink) await ctx.setSinkId(sink).catch(() => ctx.setSinkId?.(''))
    if (ctx.state === 'suspended') await ctx.resume().catch(() => undefined)
    const buffer = await ctx.decodeAudioData(wav.slice().buffer)
    const source = ctx.createBufferSource()
    source.buffer = buffer
    const analyser = ctx.createAnalyser()
    analyser.fftSize = 32768
    analyser.smoothingTimeConstant = 0
    source.connect(analyser)
    analyser.connect(ctx.destination)
    window.__dialtonePlayback = analyser
    this.source = source
    await new Promise<void>((resolve) => {
      source.onended = () => resolve()
      source.start()
    })
    if (this.source === source) this.source = null
  }

  stop(): void {
    try {
      this.source?.stop()
    } catch {
      // Never started: nothing to stop.
    }
    this.source = null
  }

  async close(): Promise<void> {
    this.stop()
    await this.ctx?.close().catch(() => undefined)
    this.ctx = null
  }
}
