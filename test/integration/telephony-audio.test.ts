/**
 * The phone's synthesised audio checked by independent decoders: sox measures each tone's frequencies and its
 * on/off cadence; minimodem (Bell 202, --rx 1200) decodes the caller-ID FSK, and the MDMF checksum of what it
 * decoded must verify. Plans come from resources/tones.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { callerIdAudio, checksumOk, mdmf } from '../../src/shared/telephony/caller-id'
import {
  type ToneName,
  type TonePlan,
  synthesize,
  tonePlanSchema,
  toWav
} from '../../src/shared/telephony/tones'

const dir = mkdtempSync(join(tmpdir(), 'dialtone-audio-'))
const plan = (id: string): TonePlan =>
  tonePlanSchema.parse(
    JSON.parse(readFileSync(join(import.meta.dirname, `../../resources/tones/${id}.json`), 'utf8'))
  )

function wav(name: string, samples: Int16Array, rate = 8000): string {
  const file = join(dir, `${name}.wav`)
  writeFileSync(file, toWav(samples, rate))
  return file
}

/** sox's spectrum of a file: the strongest frequency bins (Hz), merged when neighbours. */
function peaks(file: string, count: number): number[] {
  // `stat -freq` writes "frequency amplitude" pairs to stderr.
  const text = execFileSync('sh', ['-c', `sox "${file}" -n stat -freq 2>&1`]).toString()
  const bins = text
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number))
    .filter((p) => p.length === 2 && Number.isFinite(p[0]) && Number.isFinite(p[1])) as [number, number][]
  const sorted = [...bins].sort((a, b) => b[1] - a[1])
  const found: number[] = []
  for (const [f] of sorted) {
    if (found.every((g) => Math.abs(g - f) > 40)) found.push(f)
    if (found.length === count) break
  }
  return found.sort((a, b) => a - b)
}

/** RMS level sox measures over [start, start + length) seconds. */
function rms(file: string, start: number, length: number): number {
  const text = execFileSync('sh', ['-c', `sox "${file}" -n trim ${start} ${length} stat 2>&1`]).toString()
  return Number(/RMS\s+amplitude:\s+([\d.]+)/.exec(text)?.[1])
}

describe.each(['us', 'cept'])('the %s tone plan, measured by sox', (id) => {
  const p = plan(id)
  it.each(Object.keys(p.tones) as ToneName[])('%s has its frequencies', (name) => {
    const spec = p.tones[name]
    const continuous = { ...spec, cadence: [] }
    const file = wav(`${id}-${name}-freq`, synthesize(continuous, 1000))
    const found = peaks(file, spec.frequencies.length)
    spec.frequencies.forEach((f, i) =>
      expect(Math.abs((found[i] ?? 0) - f), `${f} Hz in ${found.join(', ')}`).toBeLessThan(20)
    )
  })

  it.each(Object.keys(p.tones) as ToneName[])('%s follows its cadence', (name) => {
    const spec = p.tones[name]
    const first = spec.cadence[0]
    if (!first) {
      const file = wav(`${id}-${name}-cont`, synthesize(spec, 2000))
      for (const t of [0, 0.5, 1, 1.5]) expect(rms(file, t, 0.4)).toBeGreaterThan(0.01)
      return
    }
    const [on, off] = first
    const file = wav(`${id}-${name}-cad`, synthesize(spec, on + off + on))
    // Inside the first burst, inside the silence, inside the second burst (20 ms margins for edges).
    expect(rms(file, 0.01, (on - 20) / 1000)).toBeGreaterThan(0.01)
    if (off > 40) expect(rms(file, (on + 10) / 1000, (off - 20) / 1000)).toBeLessThan(0.0005)
  })
})

describe('caller ID', () => {
  it.each([
    [{ at: { month: 11, day: 22, hour: 9, minute: 30 }, number: '2125550101', name: 'ADA LOVELACE' }],
    [{ at: { month: 1, day: 2, hour: 23, minute: 59 }, number: 'private', name: 'private' }],
    [{ at: { month: 12, day: 31, hour: 0, minute: 0 }, number: 'unavailable', name: null }],
    [{ at: { month: 3, day: 4, hour: 5, minute: 6 }, number: '2015550102', name: 'Łukasz Øster\u202e' }]
  ] as const)('minimodem decodes the MDMF message %#, and its checksum verifies', (info) => {
    const file = wav(`cid-${info.number}`, callerIdAudio(info, 48000), 48000)
    const decoded = execFileSync('minimodem', ['--rx', '1200', '--quiet', '-f', file])
    const start = decoded.indexOf(0x80)
    expect(start).toBeGreaterThanOrEqual(0)
    const length = decoded[start + 1] ?? 0
    const message = Uint8Array.from(decoded.subarray(start, start + 2 + length + 1))
    expect(checksumOk(message)).toBe(true)
    expect([...message]).toEqual([...mdmf(info)])
    const text = Buffer.from(message).toString('latin1')
    expect(text).toContain(`${String(info.at.month).padStart(2, '0')}${String(info.at.day).padStart(2, '0')}`)
    if (info.number === '2125550101') expect(text).toContain('2125550101')
    // Letters without an ASCII base arrive transliterated, and the bidi override never reaches the phone.
    if (info.number === '2015550102') expect(text).toContain('Lukasz Oster')
  })
})
