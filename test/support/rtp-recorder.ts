/**
 * What a carrier's media gateway hears: a UDP socket that takes the RTP a simulated carrier receives (its SDP
 * points here) and turns it into the carrier side's audio as a PSTN gateway does: G.711 mu-law payloads decoded
 * in place by their timestamps, and RFC 4733 telephone-events rendered as the DTMF dual tones they stand for
 * (ITU-T Q.23 frequencies, for the event's signalled duration). The result goes to multimon-ng, which knows
 * nothing of RTP: a digit it decodes went all the way from the app through the relay as an RFC 4733 event.
 */
import { spawnSync } from 'node:child_process'
import { createSocket } from 'node:dgram'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

const ROWS = [697, 770, 852, 941]
const COLS = [1209, 1336, 1477, 1633]
/** RFC 4733 event codes 0-15 and their keys. */
const EVENT_KEYS = '0123456789*#ABCD'
const KEY_GRID = ['123A', '456B', '789C', '*0#D']

function ulawToLinear(u: number): number {
  const v = ~u & 0xff
  const t = (((v & 0x0f) << 3) + 0x84) << ((v & 0x70) >> 4)
  return v & 0x80 ? 0x84 - t : t - 0x84
}

interface EventSeen {
  readonly key: string
  readonly ssrc: number
  readonly ts: number
  duration: number
}

export interface RtpRecorder {
  readonly port: number
  /** Packets by payload type. */
  readonly packets: () => Record<number, number>
  /** The events as sent (key, RTP timestamp, final duration in samples). */
  readonly events: () => readonly EventSeen[]
  /** Renders what arrived and runs multimon-ng's DTMF decoder on it; answers the keys it found, in order. */
  decodeDtmf(dir: string): string
  close(): Promise<void>
}

export async function startRtpRecorder(): Promise<RtpRecorder> {
  const socket = createSocket('udp4')
  const counts: Record<number, number> = {}
  const audio: { ssrc: number; ts: number; payload: Buffer }[] = []
  const events = new Map<number, EventSeen>()
  socket.on('message', (msg) => {
    if (msg.length < 12 || msg[0] === undefined || msg[0] >> 6 !== 2) return
    const pt = (msg[1] ?? 0) & 0x7f
    counts[pt] = (counts[pt] ?? 0) + 1
    let offset = 12 + (msg[0] & 0x0f) * 4
    if (msg[0] & 0x10) offset += 4 + msg.readUInt16BE(offset + 2) * 4
    const ts = msg.readUInt32BE(4)
    const ssrc = msg.readUInt32BE(8)
    const payload = msg.subarray(offset)
    if (pt === 0) audio.push({ ssrc, ts, payload })
    else if (pt >= 96 && payload.length === 4 && (payload[0] ?? 99) < 16) {
      const seen = events.get(ts) ?? { key: EVENT_KEYS[payload[0] ?? 0] ?? '?', ssrc, ts, duration: 0 }
      seen.duration = Math.max(seen.duration, payload.readUInt16BE(2))
      events.set(ts, seen)
    }
  })
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r))
  const port = socket.address().port
  return {
    port,
    packets: () => ({ ...counts }),
    events: () => [...events.values()].sort((a, b) => a.ts - b.ts),
    decodeDtmf(dir) {
      // One stream: the events' (timestamps of another source would stretch the timeline).
      const first = [...events.values()][0]
      if (!first) return ''
      const stream = audio.filter((a) => a.ssrc === first.ssrc)
      const evs = [...events.values()].filter((e) => e.ssrc === first.ssrc)
      const start = Math.min(...stream.map((a) => a.ts), ...evs.map((e) => e.ts))
      const end = Math.max(
        ...stream.map((a) => a.ts + a.payload.length),
        ...evs.map((e) => e.ts + e.duration)
      )
      if (end - start > 8000 * 120) throw new Error(`the recording would be ${(end - start) / 8000} s long`)
      const pcm = new Int16Array(end - start + 8000)
      for (const a of stream)
        for (let i = 0; i < a.payload.length; i++) pcm[a.ts - start + i] = ulawToLinear(a.payload[i] ?? 0xff)
      for (const e of evs) {
        const row = KEY_GRID.findIndex((r) => r.includes(e.key))
        const col = KEY_GRID[row]?.indexOf(e.key) ?? -1
        const [f1, f2] = [ROWS[row] ?? 0, COLS[col] ?? 0]
        // The gateway plays the digit in place of the audio for the event's duration (-10 dBm0 per tone).
        for (let i = 0; i < e.duration; i++)
          pcm[e.ts - start + i] = Math.round(
            7000 * (Math.sin((2 * Math.PI * f1 * i) / 8000) + Math.sin((2 * Math.PI * f2 * i) / 8000))
          )
      }
      const raw = join(dir, 'carrier-heard.s16')
      const resampled = join(dir, 'carrier-heard-22050.raw')
      writeFileSync(raw, Buffer.from(pcm.buffer))
      const sox = spawnSync(
        'sox',
        [
          '-t',
          'raw',
          '-r',
          '8000',
          '-e',
          'signed',
          '-b',
          '16',
          '-c',
          '1',
          raw,
          '-t',
          'raw',
          '-r',
          '22050',
          '-e',
          'signed',
          '-b',
          '16',
          '-c',
          '1',
          resampled
        ],
        { timeout: 20_000 }
      )
      if (sox.status !== 0) throw new Error(`sox: ${sox.stderr.toString()}`)
      const mm = spawnSync('multimon-ng', ['-q', '-c', '-a', 'DTMF', '-t', 'raw', resampled], {
        timeout: 20_000
      })
      return [...mm.stdout.toString().matchAll(/DTMF: (\S)/g)].map((m) => m[1]).join('')
    },
    close: () => new Promise((r) => socket.close(() => r()))
  }
}
