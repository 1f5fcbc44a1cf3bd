/**
 * latinDigits and latinDecimal (src/shared/numbers/latin-digits.ts): every Persian and Arabic-Indic digit becomes
 * its Latin one, and nothing else in the text moves or changes.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { latinDecimal, latinDigits } from '../../../src/shared/numbers/latin-digits'

const PERSIAN = '۰۱۲۳۴۵۶۷۸۹'
const ARABIC_INDIC = '٠١٢٣٤٥٦٧٨٩'

/** Any text, with the two sets' digits mixed in often enough to matter. */
const typedText = fc
  .array(
    fc.oneof(fc.string({ unit: 'grapheme', maxLength: 3 }), fc.constantFrom(...PERSIAN, ...ARABIC_INDIC))
  )
  .map((parts) => parts.join(''))

describe('latinDigits', () => {
  it('writes each of the ten Persian digits as its Latin digit', () => {
    for (let d = 0; d <= 9; d++) {
      const persian = String.fromCharCode(0x06f0 + d)
      expect(PERSIAN.charAt(d)).toBe(persian)
      expect(latinDigits(persian)).toBe(String(d))
    }
  })

  it('writes each of the ten Arabic-Indic digits as its Latin digit', () => {
    for (let d = 0; d <= 9; d++) {
      const arabic = String.fromCharCode(0x0660 + d)
      expect(ARABIC_INDIC.charAt(d)).toBe(arabic)
      expect(latinDigits(arabic)).toBe(String(d))
    }
  })

  it('makes mixed input Latin and keeps everything around the digits', () => {
    expect(latinDigits(`${PERSIAN}${ARABIC_INDIC}0123456789`)).toBe('012345678901234567890123456789')
    expect(latinDigits('+۱ (۲۱۲) ٥٥٥-0100')).toBe('+1 (212) 555-0100')
    expect(latinDigits('۱۲/۳۰')).toBe('12/30')
    expect(latinDigits('۴۲۴۲ ۴۲۴۲ 4242 ٤٢٤٢')).toBe('4242 4242 4242 4242')
    expect(latinDigits('*۷۲#')).toBe('*72#')
  })

  it('changes nothing else: letters, Persian words, other scripts’ digits, separators', () => {
    for (const s of ['', 'hello', 'سلام دنیا', 'A1B 2C3', '١٫٥', '٬', 'ab\u0669x']) {
      const out = latinDigits(s)
      expect(out.length).toBe(s.length)
    }
    // Devanagari, Bengali and fullwidth digits are not the two sets: a check names them.
    expect(latinDigits('१२३ ১২৩ １２３')).toBe('१२३ ১২৩ １２３')
    // The characters on either side of each block.
    expect(latinDigits('\u065f\u066a\u06ef\u06fa')).toBe('\u065f\u066a\u06ef\u06fa')
    expect(latinDigits('سلام ۱')).toBe('سلام 1')
  })

  it('changes only those digits, each to its value, in any text, and is idempotent', () => {
    fc.assert(
      fc.property(typedText, (s) => {
        const out = latinDigits(s)
        expect(out.length).toBe(s.length)
        expect(latinDigits(out)).toBe(out)
        if (!/[\u0660-\u0669\u06f0-\u06f9]/.test(s)) expect(out).toBe(s)
        // Only those digits change, each to the Latin digit of the same value.
        for (let i = 0; i < s.length; i++)
          if (out[i] !== s[i]) expect(Number(out[i])).toBe((s.charCodeAt(i) - 0x0660) % 0x90)
      })
    )
  })
})

describe('latinDecimal', () => {
  it('makes an amount typed with the Arabic decimal separator one that Number reads', () => {
    expect(latinDecimal('۱۲٫۵۰')).toBe('12.50')
    expect(Number(latinDecimal('١٠٫٢٥'))).toBe(10.25)
    expect(latinDecimal('10.5')).toBe('10.5')
    expect(latinDecimal('10,5')).toBe('10,5')
  })
})
