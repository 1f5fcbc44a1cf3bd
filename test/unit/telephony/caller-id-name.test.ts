/**
 * Caller-ID names as the phone's display shows them: printable ASCII, letters transliterated by the library rather
 * than dropped (before, "Łukasz Øster" reached the phone as "ukasz ster"), format and bidi controls removed.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { callerIdName, mdmf } from '../../../src/shared/telephony/caller-id'

describe('caller-ID names', () => {
  it.each([
    ['Łukasz Øster', 'Lukasz Oster'],
    ['Straße', 'Strasse'],
    ['Æsir', 'AEsir'],
    ['Đorđe Nuñez', 'Dorde Nunez'],
    ['ADA\u202eLOVELACE', 'ADALOVELACE'],
    ['Zoë\u200b  Smith', 'Zoe Smith']
  ])('%s -> %s', (name, shown) => {
    expect(callerIdName(name)).toBe(shown)
  })

  it('always gives printable ASCII, whatever the name', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (name) => {
        expect(callerIdName(name)).toMatch(/^[\x20-\x7e]*$/)
      })
    )
  })

  it('puts at most 15 transliterated characters into the MDMF name', () => {
    const bytes = mdmf({
      at: { month: 1, day: 1, hour: 0, minute: 0 },
      number: '2015550100',
      name: 'Świętosław Ørsted'
    })
    const text = Buffer.from(bytes).toString('latin1')
    expect(text).toContain('Swietoslaw Orst')
    expect(text).not.toContain('Swietoslaw Orste')
  })
})
