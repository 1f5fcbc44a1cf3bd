/**
 * A phone number typed into a field (src/shared/numbers/typed-number.ts with phone-format.ts's as-you-type
 * formatter): grouped as it grows, the caret kept after the same digits, a deleted ')' or space taking the digit
 * beside it, pastes of "+44 20 7946 0958" and tel: links, and the number that goes over the wire never formatted.
 */
import { describe, expect, it } from 'vitest'
import { formatAsTyped, formatInField } from '../../../src/shared/numbers/phone-format'
import {
  foreignCharacters,
  significant,
  typed,
  type Typed,
  type TypingRules
} from '../../../src/shared/numbers/typed-number'

const phone: TypingRules = { codes: false, max: 25 }
const dial: TypingRules = { codes: true, max: 25 }

/** Types `key` at the caret (| in `field`), as the browser would, then lets the field format it. */
function type(field: string, key: string, rules = phone): { number: string; shown: string } {
  const at = field.indexOf('|')
  const text = field.replace('|', '')
  const after = { text: text.slice(0, at) + key + text.slice(at), caret: at + key.length }
  const r = typed({ text, caret: at }, after, 'insertText', formatAsTyped, rules)
  return { number: r.number, shown: show(r.shown) }
}
/** Backspace (or Delete) at the caret. */
function erase(field: string, forward = false): { number: string; shown: string } {
  const at = field.indexOf('|')
  const text = field.replace('|', '')
  const after = forward
    ? { text: text.slice(0, at) + text.slice(at + 1), caret: at }
    : { text: text.slice(0, at - 1) + text.slice(at), caret: at - 1 }
  const kind = forward ? 'deleteContentForward' : 'deleteContentBackward'
  const r = typed({ text, caret: at }, after, kind, formatAsTyped, phone)
  return { number: r.number, shown: show(r.shown) }
}
const show = (t: Typed): string => `${t.text.slice(0, t.caret)}|${t.text.slice(t.caret)}`

describe('a phone number as it is typed', () => {
  it('groups a US number as it grows, the caret at the end, and sends the digits', () => {
    let field = '|'
    const seen: string[] = []
    for (const d of '2125550100') {
      const r = type(field, d)
      field = r.shown
      seen.push(r.shown)
    }
    expect(seen).toEqual([
      '2|',
      '21|',
      '212|',
      '(212) 5|',
      '(212) 55|',
      '(212) 555|',
      '(212) 555-0|',
      '(212) 555-01|',
      '(212) 555-010|',
      '(212) 555-0100|'
    ])
    expect(type('(212) 555-010|', '0').number).toBe('2125550100')
  })

  it('keeps the caret after the same digit when typing in the middle', () => {
    // An eleventh digit in the middle: no longer a US number, so ungrouped, the caret still after the 9.
    expect(type('(212) 55|5-0100', '9')).toEqual({ number: '21255950100', shown: '212559|50100' })
    expect(type('(212) 5|55-010', '7')).toEqual({ number: '2125755010', shown: '(212) 57|5-5010' })
  })

  it('a deleted formatting character takes the digit beside it, not undone by the next format', () => {
    expect(erase('(212)| 555-0100')).toEqual({ number: '215550100', shown: '(21|5) 550-100' })
    expect(erase('(212) 555-|0100')).toEqual({ number: '212550100', shown: '(212) 55|0-100' })
    expect(erase('(212) 555|-0100', true)).toEqual({ number: '212555100', shown: '(212) 555|-100' })
    // A digit deleted is just that digit.
    expect(erase('(212) 555-01|00')).toEqual({ number: '212555000', shown: '(212) 555-0|00' })
  })

  it('a pasted international number or tel: link comes out grouped, its + kept', () => {
    expect(type('|', '+44 20 7946 0958')).toEqual({ number: '+442079460958', shown: '+44 20 7946 0958|' })
    expect(type('|', 'tel:+44-20-7946-0958;phone-context=example.com')).toEqual({
      number: '+442079460958',
      shown: '+44 20 7946 0958|'
    })
    expect(type('|', 'tel:%2B1-212-555-0100').number).toBe('+12125550100')
    expect(type('|', 'sip:+12125550100@sip.example.com;user=phone').number).toBe('+12125550100')
    expect(significant('(212) 555-0100 ext', phone)).toBe('2125550100')
  })

  it('a + only counts first; letters are dropped; the command’s limit holds', () => {
    expect(significant('1+2', phone)).toBe('12')
    expect(significant('call 212', phone)).toBe('212')
    expect(significant('1'.repeat(40), { codes: false, max: 25 })).toHaveLength(25)
  })

  it('the dialpad keeps star codes and short numbers as typed', () => {
    expect(type('*6|', '7', dial)).toEqual({ number: '*67', shown: '*67|' })
    expect(type('*67212555010|', '0', dial).shown).toBe('*672125550100|')
    expect(type('91|', '1', dial).shown).toBe('911|')
    expect(significant('*67#', phone)).toBe('67')
  })

  it('Persian and Arabic-Indic digits count as digits, go over the wire as 0-9, and keep the caret', () => {
    let field = '|'
    for (const d of '۲۱۲۵۵۵۰۱۰۰') field = type(field, d).shown
    expect(field).toBe('(212) 555-0100|')
    expect(type('|', '۲۱۲۵۵۵۰۱۰۰')).toEqual({ number: '2125550100', shown: '(212) 555-0100|' })
    expect(type('(212) 5|55-010', '٧')).toEqual({ number: '2125755010', shown: '(212) 57|5-5010' })
    expect(type('|', '+۴۴ ۲۰ ۷۹۴۶ ۰۹۵۸').number).toBe('+442079460958')
    expect(type('*|', '۷۲', dial)).toEqual({ number: '*72', shown: '*72|' })
    expect(significant('tel:+۱۲۱۲۵۵۵۰۱۰۰', phone)).toBe('+12125550100')
    expect(foreignCharacters('۲۱۲ ۵۵۵ ۰۱۰۰', phone)).toBe('')
  })

  it('a number a field starts from reads as on every screen', () => {
    expect(formatInField('+12128675309')).toBe('(212) 867-5309')
    expect(formatInField('+442079460958')).toBe('+44 20 7946 0958')
    expect(formatInField('')).toBe('')
  })
})
