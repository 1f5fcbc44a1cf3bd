/**
 * Records a greeting from the computer's microphone: raw samples through Web Audio (MediaRecorder would give
 * compressed audio the service does not read), stopped by the person or at the limit, handed back as the
 * service's WAV. The microphone is released as soon as recording stops.
 */
import { downsample, encodeWav } from './wav'

export interface MicRecording {
  /** Stops and answers the WAV (8 kHz mono 16-bit). */
  stop(): Promise<Uint8Array>
  cancel(): void
}

export async function recordMicrophone(maxS: number, onLimit: () => void): Promise<MicRecording> {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true })
  const ctx = new AudioContext()
  const source = ctx.createMediaStreamSource(stream)
  // ScriptProcessor is deprecated but needs no module file; an AudioWorklet would do the same here.
  const node = ctx.createScriptProcessor(4096, 1, 1)
  const chunks: Float32Array[] = []
  let samples = 0
  const limit = (maxS + 1) * ctx.sampleRate
  node.onaudioprocess = (e) => {
    if (samples > limit) return
    const data = new Float32Array(e.inputBuffer.getChannelData(0))
    chunks.push(data)
    samples += data.length
    if (samples > limit) onLimit()
  }
  source.connect(node)
  node.connect(ctx.destination)
  const release = (): void => {
    node.disconnect()
    source.disconnect()
    for (const t of stream.getTracks()) t.stop()
    ctx.close().catch(() => undefined)
  }
  return {
    async stop() {
      const rate = ctx.sampleRate
      release()
      const all = new Float32Array(samples)
      let at = 0
      for (const c of chunks) {
        all.set(c, at)
        at += c.length
      }
      return encodeWav(downsample(all, rate))
    },
    cancel: release
  }
}
