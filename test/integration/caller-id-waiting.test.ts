/**
 * Caller ID on call waiting (type II) checked by independent tools: sox finds the CAS alert's two tones (2130 Hz
 * and 2750 Hz) in its first 80 ms, and minimodem (Bell 202, --rx 1200) decodes the MDMF message that follows
 * with only 80 mark bits and no channel seizure; the checksum of what it decoded must verify.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CAS_MS, callWaitingAudio, checksumOk, mdmf } from '../../src/shared/telephony/caller-id'
import { toWav } from '../../src/shared/telephony/tones'

const dir = mkdtempSync(join(tmpdir(), 'dialtone-cidcw-'))
const INFO = {
  at: { month: 6, day: 7, hour: 8, minute: 9 },
  number: '3125550100',
  name: 'GRACE HOPPER'
} as const

/** sox's strongest frequency bins (Hz) of a file, neighbours merged. */
function peaks(file: string): number[] {
  const text = execFileSync('sh', ['-c', `sox "${file}" -n stat -freq 2>&1`]).toString()
  const bins = text
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number))
    .filter((p) => p.length === 2 && Number.isFinite(p[0]) && Number.isFinite(p[1])) as [number, number][]
  const found: number[] = []
  for (const [hz] of [...bins].sort((a, b) => b[1] - a[1]))
    if (found.length < 2 && found.every((f) => Math.abs(f - hz) > 100)) found.push(hz)
  return found.sort((a, b) => a - b)
}

describe('caller ID on call waiting (type II)', () => {
  const rate = 48000
  const audio = callWaitingAudio(mdmf(INFO), rate)

  it('starts with the CAS alert: 2130 Hz and 2750 Hz together for 80 ms', () => {
    const file = join(dir, 'cas.wav')
    writeFileSync(file, toWav(audio.subarray(0, (rate * CAS_MS) / 1000), rate))
    const [low, high] = peaks(file)
    expect(Math.abs((low ?? 0) - 2130)).toBeLessThan(30)
    expect(Math.abs((high ?? 0) - 2750)).toBeLessThan(30)
  })

  it('carries the MDMF message that minimodem decodes, its checksum verifying', () => {
    const file = join(dir, 'cidcw.wav')
    writeFileSync(file, toWav(audio, rate))
    const decoded = execFileSync('minimodem', ['--rx', '1200', '--quiet', '-f', file])
    const start = decoded.indexOf(0x80)
    expect(start).toBeGreaterThanOrEqual(0)
    const message = Uint8Array.from(decoded.subarray(start, start + 3 + (decoded[start + 1] ?? 0)))
    expect(checksumOk(message)).toBe(true)
    expect([...message]).toEqual([...mdmf(INFO)])
    expect(Buffer.from(message).toString('latin1')).toContain('3125550100')
  })
})
