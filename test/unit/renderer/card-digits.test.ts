/**
 * A card's last four and expiry as a reader sees them (src/renderer/src/format-intl.ts): in the language's own
 * digits by Intl (Persian reads ۰۸/۳۰), leading zeros kept, the card's Gregorian month and year never converted.
 */
import { describe, expect, it } from 'vitest'
import { formatCardDigits, formatCardExpiry } from '../../../src/renderer/src/format-intl'
import { latinDigits } from '../../../src/shared/numbers/latin-digits'

const LANGS = ['en', 'fa', 'fr', 'hr', 'ro', 'sl'] as const

describe('a card’s digits in the reader’s language', () => {
  it('writes the expiry MM/YY in Persian digits for fa, Latin for the others', () => {
    expect(formatCardExpiry(8, 2030, 'fa')).toBe('۰۸/۳۰')
    expect(formatCardExpiry(12, 2029, 'fa')).toBe('۱۲/۲۹')
    for (const lang of LANGS.filter((l) => l !== 'fa')) expect(formatCardExpiry(8, 2030, lang)).toBe('08/30')
  })

  it('writes the last four in Persian digits for fa, leading zeros kept', () => {
    expect(formatCardDigits('4242', 'fa')).toBe('۴۲۴۲')
    expect(formatCardDigits('0042', 'fa')).toBe('۰۰۴۲')
    expect(formatCardDigits('0042', 'en')).toBe('0042')
  })

  it('reads back as the same digits in every language', () => {
    for (const lang of LANGS) {
      expect(latinDigits(formatCardExpiry(1, 2031, lang))).toBe('01/31')
      expect(latinDigits(formatCardDigits('1234567890', lang))).toBe('1234567890')
    }
  })
})
