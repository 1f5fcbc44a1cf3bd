/**
 * Audio files for the voicemail server, made and measured by sox (and spoken by espeak-ng for prompts): what
 * baresip plays is 8 kHz mono 16-bit WAV; what is stored is the same (16 KB per second, played in any browser).
 * baresip's sndfile writes the WAV header's sizes only when a call ends, so a recording read during a call is
 * taken from its `data` chunk to the end of the file, whatever the header says.
 */
import { execFile } from 'node:child_process'
import { closeSync, constants, fstatSync, openSync, readSync, writeFileSync } from 'node:fs'
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

/** Where a WAV file's samples are, from its chunk headers alone; null when it is not a 16-bit PCM WAV we can cut. */
interface WavLayout {
  readonly rate: number
  readonly channels: number
  /** Offset of the `data` chunk's first sample. */
  readonly dataAt: number
  /** The file's length: a recording baresip is still writing (or was killed writing) has no sizes filled in. */
  readonly size: number
}

/** A chunk list this long is not a recording. */
const MAX_CHUNKS = 64

/**
 * Reads only the chunk headers (positioned reads), never the samples: a bad, truncated or foreign file gives null,
 * whatever its length.
 */
function wavLayout(fd: number): WavLayout | null {
  const size = fstatSync(fd).size
  const head = Buffer.alloc(16)
  const at = (pos: number, n: number): Buffer | null =>
    pos + n <= size && readSync(fd, head, 0, n, pos) === n ? head : null
  const riff = at(0, 12)
  if (
    size < 44 ||
    !riff ||
    riff.toString('ascii', 0, 4) !== 'RIFF' ||
    riff.toString('ascii', 8, 12) !== 'WAVE'
  )
    return null
  let rate = 0
  let channels = 0
  let bits = 0
  let off = 12
  for (let n = 0; n < MAX_CHUNKS; n++) {
    const chunk = at(off, 8)
    if (!chunk) return null
    const id = chunk.toString('ascii', 0, 4)
    const chunkSize = chunk.readUInt32LE(4)
    if (id === 'fmt ') {
      const fmt = at(off + 8, 16)
      if (!fmt) return null
      channels = fmt.readUInt16LE(2)
      rate = fmt.readUInt32LE(4)
      bits = fmt.readUInt16LE(14)
    }
    if (id === 'data') {
      if (bits !== 16 || channels < 1 || channels > 8 || rate < 1000 || rate > 192_000) return null
      return { rate, channels, dataAt: off + 8, size }
    }
    off += 8 + chunkSize + (chunkSize % 2)
  }
  return null
}

/**
 * Opens a regular file for reading, or gives null: anything else named like a recording is not one, and a FIFO
 * would block the open (or the read) until someone wrote to it, stopping the server's start. Opened without
 * blocking and without following a link, then checked by its own descriptor (nothing can swap it in between).
 */
function openRegular(file: string): number | null {
  let fd: number
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW)
  } catch {
    return null
  }
  try {
    if (fstatSync(fd).isFile()) return fd
  } catch {
    /* not readable: not a recording */
  }
  closeSync(fd)
  return null
}

function layoutOf(file: string): WavLayout | null {
  const fd = openRegular(file)
  if (fd === null) return null
  try {
    return wavLayout(fd)
  } finally {
    closeSync(fd)
  }
}

/** The samples of the open WAV file from `fromMs` to `toMs`, or null when it is not a recording. */
function samplesOf(fd: number, fromMs: number, toMs: number): { w: WavLayout; pcm: Buffer } | null {
  const w = wavLayout(fd)
  if (!w) return null
  const frame = w.channels * 2
  const perMs = (w.rate * frame) / 1000
  const offset = (ms: number): number =>
    Number.isFinite(ms) ? w.dataAt + Math.floor((Math.max(0, ms) * perMs) / frame) * frame : w.size
  const end = Math.min(w.size, offset(toMs))
  const start = Math.min(offset(fromMs), end)
  const pcm = Buffer.alloc(end - start - ((end - start) % frame))
  if (pcm.length > 0 && readSync(fd, pcm, 0, pcm.length, start) !== pcm.length) return null
  return { w, pcm }
}

/**
 * The samples of a WAV file from `fromMs` to `toMs`, rewritten as a proper stored-format WAV, reading past a header
 * whose sizes were never filled in. Reads only those samples (a message is at most VOICEMAIL_LIMITS.maxMessageS
 * long, whatever the file's length). Returns the new file's duration; 0 when the input is not a recording.
 */
export async function cut(input: string, out: string, fromMs: number, toMs: number): Promise<number> {
  const fd = openRegular(input)
  if (fd === null) return 0
  let taken: { w: WavLayout; pcm: Buffer } | null
  try {
    taken = samplesOf(fd, fromMs, toMs)
  } finally {
    closeSync(fd)
  }
  if (!taken) return 0
  const { w, pcm } = taken
  const raw = `${out}.raw`
  writeFileSync(raw, pcm)
  await run('sox', [
    ...['-t', 'raw', '-r', String(w.rate), '-c', String(w.channels), '-b', '16', '-e', 'signed-integer', raw],
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
  const w = file ? layoutOf(file) : null
  if (!w) return 0
  return Math.floor((w.size - w.dataAt) / ((w.rate * w.channels * 2) / 1000))
}
