/**
 * Call-progress tones synthesised as 16-bit PCM from a tone plan (data: resources/tones/*.json). A tone is a sum
 * of sines at a level in dBm0 (0 dBm0 is 3.14 dB below a full-scale sine, as in G.711), switched by a cadence of
 * on/off pairs that repeats, or continuous. Phase runs on across cadence steps and buffers, so a tone streamed in
 * chunks has no clicks. Written by hand: it is 60 lines of arithmetic and every audio library would bring a
 * platform dependency into code that must stay pure (the renderer's MediaEngine and Node tests both use it).
 */
import { z } from 'zod'

export const TONE_NAMES = [
  'dial',
  'stutter',
  'ringback',
  'busy',
  'reorder',
  'callWaiting',
  'offHookWarning'
] as const
export type ToneName = (typeof TONE_NAMES)[number]

const cadence = z.array(z.tuple([z.number().int().min(10).max(20_000), z.number().int().min(0).max(20_000)]))

export const toneSpecSchema = z.object({
  frequencies: z.array(z.number().min(20).max(4000)).min(1).max(4),
  levelDbm0: z.number().min(-40).max(0),
  /** [onMs, offMs] steps repeated; empty = continuous. */
  cadence,
  /** Play the cadence once, then continuous (stutter dial tone). */
  thenContinuous: z.boolean().optional()
})
export type ToneSpec = z.infer<typeof toneSpecSchema>

export const tonePlanSchema = z.object({
  id: z.string(),
  name: z.string(),
  tones: z.object(
    Object.fromEntries(TONE_NAMES.map((n) => [n, toneSpecSchema])) as Record<ToneName, typeof toneSpecSchema>
  ),
  /** The ring cadence the dongle's ringer follows. */
  ring: z.object({ cadence })
})
export type TonePlan = z.infer<typeof tonePlanSchema>

/** Peak amplitude of one sine at a level in dBm0, in 16-bit units. */
export const amplitudeFor = (levelDbm0: number): number => 32767 * 10 ** ((levelDbm0 - 3.14) / 20)

/** Whether the tone sounds at `ms` from its start. */
export function isOn(spec: Pick<ToneSpec, 'cadence' | 'thenContinuous'>, ms: number): boolean {
  if (spec.cadence.length === 0) return true
  const period = spec.cadence.reduce((s, [on, off]) => s + on + off, 0)
  if (spec.thenContinuous && ms >= period) return true
  let t = ms % period
  for (const [on, off] of spec.cadence) {
    if (t < on) return true
    t -= on
    if (t < off) return false
    t -= off
  }
  return false
}

/** A tone generator that keeps its place: call next() for each chunk of audio. */
export class ToneGenerator {
  private sample = 0

  constructor(
    private readonly spec: ToneSpec,
    private readonly sampleRate = 8000
  ) {}

  next(samples: number): Int16Array {
    const out = new Int16Array(samples)
    const amp = amplitudeFor(this.spec.levelDbm0)
    // Several frequencies at once: keep the sum inside 16 bits.
    const scale = Math.min(1, 32767 / (amp * this.spec.frequencies.length))
    for (let i = 0; i < samples; i++, this.sample++) {
      const t = this.sample / this.sampleRate
      if (!isOn(this.spec, (this.sample * 1000) / this.sampleRate)) continue
      let v = 0
      for (const f of this.spec.frequencies) v += Math.sin(2 * Math.PI * f * t)
      out[i] = Math.round(v * amp * scale)
    }
    return out
  }
}

/** A whole tone of `ms` milliseconds. */
export const synthesize = (spec: ToneSpec, ms: number, sampleRate = 8000): Int16Array =>
  new ToneGenerator(spec, sampleRate).next(Math.round((ms * sampleRate) / 1000))

/** A mono 16-bit PCM WAV file of samples (for tests, exports and the test tone). */
export function toWav(samples: Int16Array, sampleRate = 8000): Uint8Array {
  const data = samples.length * 2
  const buf = new ArrayBuffer(44 + data)
  const v = new DataView(buf)
  const ascii = (o: number, s: string) => [...s].forEach((c, i) => v.setUint8(o + i, c.charCodeAt(0)))
  ascii(0, 'RIFF')
  v.setUint32(4, 36 + data, true)
  ascii(8, 'WAVE')
  ascii(12, 'fmt ')
  v.setUint32(16, 16, true)
  v.setUint16(20, 1, true)
  v.setUint16(22, 1, true)
  v.setUint32(24, sampleRate, true)
  v.setUint32(28, sampleRate * 2, true)
  v.setUint16(32, 2, true)
  v.setUint16(34, 16, true)
  ascii(36, 'data')
  v.setUint32(40, data, true)
  samples.forEach((s, i) => v.setInt16(44 + i * 2, s, true))
  return new Uint8Array(buf)
}
