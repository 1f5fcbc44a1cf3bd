/**
 * Audio files for the voicemail server, made and measured by sox (and spoken by espeak-ng for prompts): what
 * baresip plays is 8 kHz mono 16-bit WAV; what is stored is the same (16 KB per second, played in any browser).
 * baresip's sndfile writes the WAV header's sizes only when a call ends, so a recording read during a call is
 * taken from its `data` chunk to the end of the file, whatever the header says.
 */
import { execFile } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** 8 kHz mono 16-bit PCM WAV, the one format played and stored. */
const OUT = ['-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer']

export async function speak(text: string, out: string): Promise<void> {
  const tmp = `${out}.espeak.wav`
  await run('espeak-ng', ['-v', 'en-us', '-s', '160', '-w', tmp, text])
  await run('sox', [tmp, ...OUT, out])
}

export async function tone(out: string, seconds: number, hz: number): Promise<void> {
  await run('sox', ['-n', ...OUT, out, 'synth', String(seconds), 'sine', String(hz), 'vol', '0.5'])
}

export async function silence(out: string, seconds: number): Promise<void> {
  await run('sox', ['-n', ...OUT, out, 'trim', '0', String(seconds)])
}

export async function concat(parts: readonly string[], out: string): Promise<void> {
  await run('sox', [...parts, ...OUT, out])
}

/**
 * Any audio file sox reads (WAV of any rate or width, from the browser or a phone) -> the stored format; with
 * `maxSeconds`, no more of it than that (sox stops reading there).
 */
export async function normalise(input: string, out: string, maxSeconds?: number): Promise<void> {
  await run('sox', [
    input,
    ...OUT,
    out,
    'remix',
    '-',
    ...(maxSeconds ? ['trim', '0', String(maxSeconds)] : [])
  ])
}

export async function durationMs(file: string): Promise<number> {
  const { stdout } = await run('soxi', ['-D', file])
  return Math.round(Number(stdout.trim()) * 1000)
}

/** Peak and RMS amplitude (0..1): a greeting whose peak stays under ~-40 dBFS is silence. */
export async function levels(file: string): Promise<{ peak: number; rms: number }> {
  const { stderr } = await run('sox', [file, '-n', 'stat'])
  const num = (label: string): number =>
    Number(new RegExp(`${label}:\\s+([-\\d.e]+)`).exec(stderr)?.[1] ?? '0')
  return { peak: num('Maximum amplitude'), rms: num('RMS\\s+amplitude') }
}

export const SILENCE_PEAK = 0.01

/**
 * The samples of a WAV file from `fromMs` on (to `toMs` when given), rewritten as a proper stored-format WAV,
 * reading past a header whose sizes were never filled in. Returns the new file's duration.
 */
export async function cut(input: string, out: string, fromMs: number, toMs?: number): Promise<number> {
  const bytes = readFileSync(input)
  if (bytes.length < 44 || bytes.toString('ascii', 0, 4) !== 'RIFF') return 0
  let rate = 8000
  let channels = 1
  let bits = 16
  let off = 12
  let dataAt = -1
  while (off + 8 <= bytes.length) {
    const id = bytes.toString('ascii', off, off + 4)
    const size = bytes.readUInt32LE(off + 4)
    if (id === 'fmt ') {
      channels = bytes.readUInt16LE(off + 10)
      rate = bytes.readUInt32LE(off + 12)
      bits = bytes.readUInt16LE(off + 22)
    }
    if (id === 'data') {
      dataAt = off + 8
      break
    }
    off += 8 + size + (size % 2)
  }
  if (dataAt < 0 || bits !== 16) return 0
  const frame = channels * 2
  const perMs = (rate * frame) / 1000
  const start = dataAt + Math.floor((fromMs * perMs) / frame) * frame
  const end =
    toMs === undefined
      ? bytes.length
      : Math.min(bytes.length, dataAt + Math.floor((toMs * perMs) / frame) * frame)
  const pcm = bytes.subarray(Math.min(start, end), end - ((end - Math.min(start, end)) % frame))
  const raw = `${out}.raw`
  writeFileSync(raw, pcm)
  await run('sox', [
    ...['-t', 'raw', '-r', String(rate), '-c', String(channels), '-b', '16', '-e', 'signed-integer', raw],
    ...OUT,
    out,
    'remix',
    '-'
  ])
  return durationMs(out)
}

/**
 * How far a recording baresip is still writing has got, in ms of its own audio (not wall-clock time: a caller's
 * lost or late packets make the two drift apart, and a message must start right after the beep whatever the
 * network did). 0 when nothing was written yet.
 */
export function positionMs(file: string | null): number {
  if (!file) return 0
  let bytes: Buffer
  try {
    bytes = readFileSync(file)
  } catch {
    return 0
  }
  if (bytes.length < 44 || bytes.toString('ascii', 0, 4) !== 'RIFF') return 0
  let off = 12
  let perMs = 16
  while (off + 8 <= bytes.length) {
    const id = bytes.toString('ascii', off, off + 4)
    const size = bytes.readUInt32LE(off + 4)
    if (id === 'fmt ') perMs = (bytes.readUInt32LE(off + 12) * bytes.readUInt16LE(off + 10) * 2) / 1000
    if (id === 'data') return Math.floor((bytes.length - off - 8) / perMs)
    off += 8 + size + (size % 2)
  }
  return 0
}
