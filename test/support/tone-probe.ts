/**
 * Measures the call audio that reaches a page's MediaEngine: the remote track of the page's live peer connection
 * through Web Audio's analyser (FFT), as the frequency of the strongest component and the ratio of its power to
 * everything else in the telephone band (300-3400 Hz). A script string: these files are type-checked for Node,
 * without the DOM's types. Needs window.__pcs (the peer-connection counter the media tests install).
 *
 * Up to three windows of 0.68 s each (32768 samples at 48 kHz), the first 1.5 s after the analyser starts, the
 * others 0.7 s apart; it stops at the first whose SNR reaches `enoughDb` (the caller's bound), else keeps the best:
 * one window caught by a moment the machine left Chromium's audio thread waiting (a clean-clone CI run with QEMU
 * beside it: 14.5 dB in one window where every other run measured over 30) is the machine, not the path. A wrong
 * path (another tone, transcoding noise, silence) fails all three. The windows measured come back with it; a clean
 * call costs one window, as before.
 */
export interface ToneMeasure {
  readonly hz: number
  readonly snrDb: number
  /** The SNR of each window measured, in order: the best is snrDb. */
  readonly windowsDb: readonly number[]
}

export const toneProbe = (enoughDb: number): string => `(async () => {
  const pc = window.__pcs.find((p) => p.connectionState === 'connected')
  if (!pc) throw new Error('no connected peer connection')
  const track = pc.getReceivers().map((r) => r.track).find((t) => t && t.kind === 'audio')
  const ctx = new AudioContext()
  await ctx.resume()
  const source = ctx.createMediaStreamSource(new MediaStream([track]))
  const analyser = ctx.createAnalyser()
  analyser.fftSize = 32768
  analyser.smoothingTimeConstant = 0
  source.connect(analyser)
  const measure = () => {
    const db = new Float32Array(analyser.frequencyBinCount)
    analyser.getFloatFrequencyData(db)
    const binHz = ctx.sampleRate / analyser.fftSize
    const power = Array.from(db, (v) => Math.pow(10, v / 10))
    const lo = Math.ceil(300 / binHz), hi = Math.floor(3400 / binHz)
    let peak = lo
    for (let i = lo; i <= hi; i++) if (power[i] > power[peak]) peak = i
    // The tone's energy spreads over a few bins (Blackman window): +-6 bins is the tone, the rest is noise.
    let signal = 0, noise = 0
    for (let i = lo; i <= hi; i++) (Math.abs(i - peak) <= 6 ? (signal += power[i]) : (noise += power[i]))
    // Parabolic interpolation of the peak on the dB spectrum: sub-bin frequency.
    const a = db[peak - 1], b = db[peak], c = db[peak + 1]
    const shift = (a - c) / (2 * (a - 2 * b + c)) || 0
    return { hz: (peak + shift) * binHz, snrDb: 10 * Math.log10(signal / Math.max(noise, 1e-20)) }
  }
  const windows = []
  for (const wait of [1500, 700, 700]) {
    await new Promise((r) => setTimeout(r, wait))
    windows.push(measure())
    if (windows.at(-1).snrDb >= ${enoughDb}) break
  }
  await ctx.close()
  const best = windows.reduce((x, y) => (y.snrDb > x.snrDb ? y : x))
  return { ...best, windowsDb: windows.map((w) => w.snrDb) }
})()`
