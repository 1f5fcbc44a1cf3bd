/**
 * WAV for voicemail in the renderer: base64 from the service to bytes, and a microphone recording (Float32 at the
 * context's rate) to the 8 kHz mono 16-bit WAV the service keeps (a telephone greeting needs no more; 30 s stay
 * under 500 KB), with a plain average-then-pick decimation that keeps the telephone band.
 */

export function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64)
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

export function bytesToBase64(bytes: Uint8Array): string {
  let bin = ''
  for (let i = 0; i < bytes.length; i += 0x8000)
    bin += String.fromCharCode(...bytes.subarray(i, Math.min(bytes.length, i + 0x8000)))
  return btoa(bin)
}

/** Float samples at `rate` -> 8 kHz, each output sample the mean of the input samples it stands for. */
export function downsample(input: Float32Array, rate: number, to = 8000): Float32Array {
  const ratio = rate / to
  const out = new Float32Array(Math.floor(input.length / ratio))
  for (let i = 0; i < out.length; i++) {
    const from = Math.floor(i * ratio)
    const until = Math.min(input.length, Math.floor((i + 1) * ratio))
    let sum = 0
    for (let j = from; j < until; j++) sum += input[j] ?? 0
    out[i] = until > from ? sum / (until - from) : 0
  }
  return out
}

export function encodeWav(samples: Float32Array, rate = 8000): Uint8Array {
  const data = samples.length * 2
  const buf = new ArrayBuffer(44 + data)
  const v = new DataView(buf)
  const ascii = (at: number, s: string): void => {
    for (let i = 0; i < s.length; i++) v.setUint8(at + i, s.charCodeAt(i))
  }
  ascii(0, 'RIFF')
  v.setUint32(4, 36 + data, true)
  ascii(8, 'WAVE')
  ascii(12, 'fmt ')
  v.setUint32(16, 16, true)
  v.setUint16(20, 1, true) // PCM
  v.setUint16(22, 1, true) // mono
  v.setUint32(24, rate, true)
  v.setUint32(28, rate * 2, true)
  v.setUint16(32, 2, true)
  v.setUint16(34, 16, true)
  ascii(36, 'data')
  v.setUint32(40, data, true)
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i] ?? 0))
    v.setInt16(44 + i * 2, Math.round(s * 32767), true)
  }
  return new Uint8Array(buf)
}
