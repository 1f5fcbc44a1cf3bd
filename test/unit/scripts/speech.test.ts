/**
 * The 911 address test's sentence (scripts/lib/speech.ts): the civic address read in the app's order with its
 * abbreviations spoken and the postal code digit by digit; a line without an address hears that it has none; a
 * typed address cannot smuggle control or format characters (bidi overrides) to the speech engine, and the
 * sentence is bounded. espeak-ng renders it to telephone audio: several seconds of 8 kHz G.711 and matching PCM.
 */
import { describe, expect, it } from 'vitest'
import { addressSentence, renderSpeech } from '../../../scripts/lib/speech'

const HOBOKEN = {
  country: 'US',
  A1: 'NJ',
  A3: 'Hoboken',
  RD: 'Washington St',
  HNO: '12',
  UNIT: 'Apt 4',
  PC: '07030'
}

describe('the 911 address test’s words', () => {
  it('reads the address on record in order, abbreviations spoken, the postal code digit by digit', () => {
    expect(addressSentence(HOBOKEN)).toBe(
      'Dialtone 911 address test. Your 911 address on record is: 12 Washington Street, Apartment 4, Hoboken, NJ, 0 7 0 3 0, United States.'
    )
  })

  it('says when there is no address on record', () => {
    expect(addressSentence(null)).toContain('This line has no 911 address on record')
  })

  it('keeps a typed address from carrying control or format characters, and bounds its length', () => {
    const s = addressSentence({ ...HOBOKEN, RD: 'Main\u0000St\u202e\u0007 -v xx', UNIT: 'x'.repeat(2000) })
    expect(s).not.toMatch(/[\p{Cc}\p{Cf}]/u)
    expect(s).toContain('Main Street -v xx')
    expect(s.length).toBeLessThanOrEqual(600)
  })

  it('renders several seconds of 8 kHz telephone audio, G.711 and PCM of the same length', () => {
    const speech = renderSpeech(addressSentence(HOBOKEN))
    expect(speech.g711.length / 8000).toBeGreaterThan(5)
    expect(speech.pcm.length).toBe(speech.g711.length)
    expect(Math.max(...speech.pcm.slice(0, 40_000).map(Math.abs))).toBeGreaterThan(3000)
  })
})
