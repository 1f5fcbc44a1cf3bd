/**
 * What a person is told about a phone number the app or the service cannot take (the newcomer's walk through the
 * Phone page): letters typed into a phone field are kept and named, never dropped so that "hello" saves as "off";
 * "12" to block is too short, not "a value in the expected form"; "555" to forward to is incomplete, not abroad;
 * and the rings list counts in each language's plural forms ("1 ring", not "1 rings").
 */
import type { TFunction } from 'i18next'
import { translators } from '../../support/translators'
import { beforeAll, describe, expect, it } from 'vitest'
import { blockRequest } from '../../../src/shared/api/billing'
import { forwardingRules } from '../../../src/shared/api/forwarding'
import { FORMATS, formatOfPattern } from '../../../src/shared/api/formats'
import { issuesFromZod } from '../../../src/shared/api/issues'
import { LANGUAGES } from '../../../src/shared/i18n/languages'
import { normalizeNanp, whyNotNanp } from '../../../src/shared/numbers/nanp'
import { formatAsTyped } from '../../../src/shared/numbers/phone-format'
import { foreignCharacters, typed, type TypingRules } from '../../../src/shared/numbers/typed-number'
import { wordsFor } from '../../../src/renderer/src/words'

const phone: TypingRules = { codes: false, max: 25 }
const strip = (s: string): string => s.replace(/[\u2066-\u2069]/g, '')

describe('letters in a phone field', () => {
  it('are kept as typed and go to the form as they are, named', () => {
    const r = typed(
      { text: 'hell', caret: 4 },
      { text: 'hello', caret: 5 },
      'insertText',
      formatAsTyped,
      phone
    )
    expect(r).toEqual({ number: 'hello', shown: { text: 'hello', caret: 5 }, foreign: 'hello' })
    const vanity = typed(
      { text: '', caret: 0 },
      { text: '555-CALL', caret: 8 },
      'insertFromPaste',
      formatAsTyped,
      phone
    )
    expect(vanity.number).toBe('555-CALL')
    expect(vanity.foreign).toBe('CALL')
  })

  it('are not found in grouping or in a pasted tel: link', () => {
    expect(foreignCharacters('+1 (212) 555-0100', phone)).toBe('')
    expect(foreignCharacters('212.555.0100', phone)).toBe('')
    expect(foreignCharacters('tel:+1-212-555-0100;phone-context=example.com', phone)).toBe('')
    expect(foreignCharacters('*72 212', phone)).toBe('*')
    expect(foreignCharacters('*72 212', { codes: true, max: 25 })).toBe('')
    // A pasted page is not quoted whole in the note: the first 20 and an ellipsis.
    expect(foreignCharacters('x'.repeat(500), phone)).toBe(`${'x'.repeat(20)}…`)
    expect(foreignCharacters('x'.repeat(20), phone)).toBe('x'.repeat(20))
    // Digits only: the number is grouped and sent as digits, as before.
    const r = typed({ text: '212', caret: 3 }, { text: '2125', caret: 4 }, 'insertText', formatAsTyped, phone)
    expect(r).toMatchObject({ number: '2125', foreign: '' })
  })

  it('are refused by the forwarding form with the format named, so nothing is saved as off', () => {
    const input = { always: 'hello', busy: null, noAnswer: null, noAnswerRings: 4, unavailable: null }
    const r = forwardingRules.safeParse(input)
    expect(r.success).toBe(false)
    expect(issuesFromZod(r.error!, input)[0]).toMatchObject({
      path: 'always',
      code: 'bad-format',
      params: { format: 'phone' }
    })
  })
})

describe('a number to block', () => {
  it('of too few digits is said to be too short', () => {
    const r = blockRequest.safeParse({ number: '12' })
    expect(issuesFromZod(r.error!, { number: '12' })[0]).toMatchObject({
      path: 'number',
      code: 'phone-too-short'
    })
  })

  it('of letters names the phone format (the regex literal zod 4 reports is recognised)', () => {
    expect(formatOfPattern(String(FORMATS.phone.pattern))).toBe('phone')
    expect(formatOfPattern(FORMATS.phone.pattern.source)).toBe('phone')
    const r = blockRequest.safeParse({ number: 'call me' })
    expect(issuesFromZod(r.error!, { number: 'call me' })[0]).toMatchObject({ params: { format: 'phone' } })
  })
})

describe('a number to forward to', () => {
  it('of too few digits is incomplete; one abroad or too long is not North American', () => {
    for (const n of ['555', '911', '212555', '+1 212 555', '1 212 555 010']) {
      expect(normalizeNanp(n), n).toBeNull()
      expect(whyNotNanp(n), n).toBe('incomplete')
    }
    for (const n of ['+44 20 7946 0958', '+1 212 555 0100 99', '0212 555 0100'])
      expect(whyNotNanp(n), n).toBe('not-nanp')
  })
})

describe('in every language', () => {
  let ts: Record<string, TFunction> = {}
  beforeAll(async () => {
    ts = await translators({ asTheApp: false })
  })

  it('the refusals are worded, in the language, not as the generic sentence', () => {
    const english = wordsFor(ts.en!, 'en')
    for (const { code } of LANGUAGES) {
      const w = wordsFor(ts[code]!, code)
      const said = [
        w.issue({ code: 'phone-characters', params: { characters: 'hello' } }),
        w.issue({ code: 'phone-too-short' }),
        w.issue({ code: 'forward-incomplete' }),
        w.issue({ code: 'phone-too-long' })
      ]
      expect(said[0], code).toContain('hello')
      for (const s of said) {
        expect(s, code).not.toBe(w.issue({ code: 'invalid' }))
        expect(s, code).not.toContain('{{')
      }
      if (code !== 'en')
        expect(said, code).not.toEqual([
          english.issue({ code: 'phone-characters', params: { characters: 'hello' } }),
          english.issue({ code: 'phone-too-short' }),
          english.issue({ code: 'forward-incomplete' }),
          english.issue({ code: 'phone-too-long' })
        ])
    }
    expect(english.issue({ code: 'forward-incomplete' })).toMatch(/incomplete/)
    expect(english.issue({ code: 'phone-too-short' })).toMatch(/too short/)
  })

  it('the rings list counts in plural forms: "1 ring", "2 rings"', () => {
    const rings = (code: string, n: number): string =>
      strip(ts[code]!('forwarding.ringsOption', { count: n, seconds: String(n * 6) }))
    expect(rings('en', 1)).toBe('1 ring (about 6 seconds)')
    expect(rings('en', 2)).toBe('2 rings (about 12 seconds)')
    expect(rings('fr', 1)).toBe('1 sonnerie (environ 6 secondes)')
    expect(rings('fr', 4)).toBe('4 sonneries (environ 24 secondes)')
    expect(rings('sl', 2)).toMatch(/^2 zvonjenji/)
    expect(rings('sl', 5)).toMatch(/^5 zvonjenj /)
    expect(rings('hr', 1)).toMatch(/^1 zvonjenje /)
    expect(rings('ro', 1)).toMatch(/^1 sonerie /)
    for (const { code } of LANGUAGES)
      for (let n = 1; n <= 10; n++) expect(rings(code, n), `${code} ${n}`).toContain(String(n))
  })
})
