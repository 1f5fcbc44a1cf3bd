/**
 * The 911 address test's words (933, issue 22): the civic address a PIDF-LO carries, as one English sentence, and
 * that sentence rendered to telephone audio by espeak-ng (installed by scripts/setup.sh) and sox: 8 kHz mono, as
 * G.711 mu-law or A-law bytes for RTP and as 16-bit PCM for a test to compare what arrived with what was said.
 * The address is the subscriber's own text: it reaches espeak-ng on stdin as plain text (never as arguments or
 * SSML), with control characters removed and its length bounded.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Spoken forms of the abbreviations the app's address form suggests; the rest is read as written. */
const SPOKEN: Record<string, string> = {
  St: 'Street',
  Ave: 'Avenue',
  Rd: 'Road',
  Blvd: 'Boulevard',
  Dr: 'Drive',
  Ln: 'Lane',
  Apt: 'Apartment',
  Ste: 'Suite',
  US: 'United States',
  CA: 'Canada'
}

const spoken = (s: string): string =>
  s
    .replace(/[\p{Cc}\p{Cf}]/gu, ' ')
    .split(/\s+/)
    .map((w) => SPOKEN[w.replace(/[.,]$/, '')] ?? w)
    .join(' ')
    .trim()

/** Digits read one by one (a postal code is not a number: 07030 is "0 7 0 3 0"). */
const digitByDigit = (s: string): string => s.replace(/\d/g, (d) => ` ${d}`).trim()

/** The sentence the caller hears, from the civic fields of RFC 5139 (null: the line has no address on record). */
export function addressSentence(civic: Readonly<Record<string, string>> | null): string {
  if (!civic)
    return 'Dialtone 911 address test. This line has no 911 address on record. Add one in the Dialtone app.'
  const street = [civic.HNO, civic.HNS, civic.RD].filter(Boolean).join(' ')
  const parts = [
    street,
    civic.UNIT,
    civic.A3,
    civic.A1,
    civic.PC ? digitByDigit(civic.PC) : undefined,
    civic.country
  ]
    .filter((p): p is string => Boolean(p && p.trim()))
    .map(spoken)
  return `Dialtone 911 address test. Your 911 address on record is: ${parts.join(', ')}.`.slice(0, 600)
}

export interface Speech {
  readonly text: string
  /** 8 kHz G.711 bytes, one per sample, in the codec asked for. */
  readonly g711: Buffer
  /** The same audio as 16-bit PCM at 8 kHz (what a test compares the received audio with). */
  readonly pcm: Int16Array
}

function run(cmd: string, args: readonly string[], input?: string): void {
  const r = spawnSync(cmd, args, { input, timeout: 20_000 })
  if (r.status !== 0)
    throw new Error(`${cmd} failed: ${r.error?.message ?? r.stderr?.toString().slice(-300) ?? r.status}`)
}

/** Renders the sentence with espeak-ng (US English) to 8 kHz G.711 (PCMU: mu-law, PCMA: A-law) and PCM. */
export function renderSpeech(text: string, codec: 'PCMU' | 'PCMA' = 'PCMU'): Speech {
  const dir = mkdtempSync(join(tmpdir(), 'dialtone-speech-'))
  try {
    const wav = join(dir, 'speech.wav')
    run('espeak-ng', ['-v', 'en-us', '-s', '185', '-w', wav, '--stdin'], text)
    const g711 = join(dir, 'speech.g711')
    const pcm = join(dir, 'speech.s16')
    run('sox', [wav, '-r', '8000', '-c', '1', '-t', codec === 'PCMU' ? 'ul' : 'al', g711])
    run('sox', [wav, '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer', '-t', 'raw', pcm])
    const raw = readFileSync(pcm)
    const samples = new Int16Array(Math.floor(raw.length / 2))
    for (let i = 0; i < samples.length; i++) samples[i] = raw.readInt16LE(i * 2)
    return { text, g711: readFileSync(g711), pcm: samples }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
