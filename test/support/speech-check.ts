/**
 * Checks that spoken audio arrived as it was said (the 911 address test, 933): an RTP sink that rebuilds the
 * G.711 mu-law stream it receives by RTP timestamp, and comparisons with the PCM the speaker rendered: sample by
 * sample (normalized cross-correlation at the best lag, for a plain-RTP caller) and by loudness envelope (energy
 * per 100 ms, for audio measured at the app's MediaEngine, which only reports energy). A silent, late, cut or
 * different recording fails both.
 */
import { createSocket } from 'node:dgram'

function ulawToLinear(u: number): number {
  const v = ~u & 0xff
  const t = (((v & 0x0f) << 3) + 0x84) << ((v & 0x70) >> 4)
  return v & 0x80 ? 0x84 - t : t - 0x84
}

export interface RtpSink {
  readonly port: number
  readonly packets: () => number
  /** The received PCMU stream as 8 kHz PCM, placed by RTP timestamp from the first packet's. */
  pcm(): Int16Array
  close(): Promise<void>
}

export async function startRtpSink(): Promise<RtpSink> {
  const socket = createSocket('udp4')
  const chunks: { ts: number; payload: Buffer }[] = []
  socket.on('message', (m) => {
    if (m.length <= 12 || (m[0] ?? 0) >> 6 !== 2 || ((m[1] ?? 0) & 0x7f) !== 0) return
    const cc = (m[0] ?? 0) & 0x0f
    chunks.push({ ts: m.readUInt32BE(4), payload: m.subarray(12 + cc * 4) })
  })
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r))
  return {
    port: socket.address().port,
    packets: () => chunks.length,
    pcm() {
      const first = chunks[0]
      if (!first) return new Int16Array(0)
      const at = (ts: number) => (ts - first.ts) >>> 0
      const end = Math.max(...chunks.map((c) => at(c.ts) + c.payload.length))
      if (end > 8000 * 120) throw new Error(`the recording would be ${end / 8000} s long`)
      const out = new Int16Array(end)
      for (const c of chunks)
        for (let i = 0; i < c.payload.length; i++) out[at(c.ts) + i] = ulawToLinear(c.payload[i] ?? 0xff)
      return out
    },
    close: () => new Promise<void>((r) => socket.close(() => r()))
  }
}

/** Normalized cross-correlation of `said` inside `heard`, at the best lag within [minLag, maxLag]. */
export function bestCorrelation(
  heard: Int16Array,
  said: Int16Array,
  minLag: number,
  maxLag: number
): { lag: number; r: number } {
  let best = { lag: minLag, r: -1 }
  let saidEnergy = 0
  for (const s of said) saidEnergy += s * s
  for (let lag = Math.max(0, minLag); lag <= maxLag; lag++) {
    let dot = 0
    let heardEnergy = 0
    const n = Math.min(said.length, heard.length - lag)
    for (let i = 0; i < n; i++) {
      const h = heard[lag + i] ?? 0
      dot += h * (said[i] ?? 0)
      heardEnergy += h * h
    }
    const r = dot / Math.sqrt(Math.max(saidEnergy * heardEnergy, 1))
    if (r > best.r) best = { lag, r }
  }
  return best
}

/** Energy per frame of `frameSamples` samples, normalized to the loudest frame. */
export function envelope(pcm: Int16Array | readonly number[], frameSamples: number): number[] {
  const out: number[] = []
  for (let at = 0; at + frameSamples <= pcm.length; at += frameSamples) {
    let e = 0
    for (let i = at; i < at + frameSamples; i++) e += (pcm[i] ?? 0) ** 2
    out.push(e)
  }
  const max = Math.max(...out, 1e-12)
  return out.map((e) => e / max)
}

/**
 * The square of the peak of each frame, normalized: how WebRTC's audio level (and so totalAudioEnergy) sees
 * audio, the peak of each 100 ms.
 */
export function peakEnvelope(pcm: Int16Array | readonly number[], frameSamples: number): number[] {
  const out: number[] = []
  for (let at = 0; at + frameSamples <= pcm.length; at += frameSamples) {
    let peak = 0
    for (let i = at; i < at + frameSamples; i++) peak = Math.max(peak, Math.abs(pcm[i] ?? 0))
    out.push(peak * peak)
  }
  const max = Math.max(...out, 1e-12)
  return out.map((e) => e / max)
}

/** Pearson correlation of two envelopes at the best shift of `b` into `a` (whole frames, up to maxShift). */
export function envelopeCorrelation(
  a: readonly number[],
  b: readonly number[],
  maxShift: number
): { shift: number; r: number } {
  let best = { shift: 0, r: -1 }
  for (let shift = 0; shift <= maxShift; shift++) {
    const n = Math.min(b.length, a.length - shift)
    if (n < 10) break
    const xs = a.slice(shift, shift + n)
    const ys = b.slice(0, n)
    const mx = xs.reduce((s, v) => s + v, 0) / n
    const my = ys.reduce((s, v) => s + v, 0) / n
    let sxy = 0
    let sxx = 0
    let syy = 0
    for (let i = 0; i < n; i++) {
      const dx = (xs[i] ?? 0) - mx
      const dy = (ys[i] ?? 0) - my
      sxy += dx * dy
      sxx += dx * dx
      syy += dy * dy
    }
    const r = sxy / Math.sqrt(Math.max(sxx * syy, 1e-24))
    if (r > best.r) best = { shift, r }
  }
  return best
}
