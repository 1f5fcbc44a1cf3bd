/**
 * A phone number as a person types it into a field: what of the text counts (digits, a leading '+', and '*' / '#'
 * where the field dials), where the caret belongs once the text is shown formatted, and what a deleted formatting
 * character means. Pure and small (no libphonenumber): the field (src/renderer/src/components/PhoneField.tsx)
 * gives it the formatter once that lazy chunk has arrived (phone-format.ts's formatAsTyped) and identity before.
 *
 * The caret is kept by counting: the caret sits after the n-th significant character of what was typed, so it
 * goes after the n-th significant character of the formatted text, whatever punctuation the formatter added or
 * took away. Deleting only punctuation (Backspace right after ')' in "(212) 555") would otherwise be undone by the
 * next format, so it deletes the digit on that side instead, as people expect.
 *
 * Letters and other characters a number cannot hold ("hello", "555-CALL") are never dropped in silence: the field
 * keeps the text as typed, unformatted, and gives it to the form as it is, so the field says only digits go there
 * and the form's check refuses it (a save never claims success for a number the person did not see kept).
 *
 * Persian and Arabic-Indic digits (a Persian keyboard's ۲۱۲) are digits like 0-9: they count, and the number
 * and what is shown have them as 0-9 (./latin-digits.ts), one character for one, so the caret stays put.
 */
import { latinDigits } from './latin-digits'

export interface Typed {
  text: string
  caret: number
}

export interface TypingRules {
  /** '*' and '#' count (the dialpad, a transfer target): star codes are dialled, not numbers to format. */
  codes: boolean
  /** The most significant characters the command accepts (its schema's limit); more are dropped. */
  max: number
}

/**
 * The link forms a number arrives in when pasted ("tel:+44-20-7946-0958;phone-context=…", "sip:+1212…@host"):
 * the scheme, percent-escapes, and whatever follows ';', '?' or '@' are not part of the number. Digits come out
 * as 0-9.
 */
function withoutLink(typedText: string): string {
  const text = latinDigits(typedText)
  const m = /(?:tel|sips?):(?:\/\/)?/i.exec(text)
  if (!m) return text
  let rest = text.slice(m.index + m[0].length)
  try {
    rest = decodeURIComponent(rest)
  } catch {
    /* a stray '%': kept as typed, it is not significant anyway */
  }
  return text.slice(0, m.index) + (rest.split(/[;?@]/)[0] ?? '')
}

const counts = (ch: string, rules: TypingRules): boolean =>
  (ch >= '0' && ch <= '9') || (rules.codes && (ch === '*' || ch === '#'))

/** What may stand in a typed number besides what counts: grouping (spaces, brackets, dots, dashes, slashes). */
const GROUPING = /[\s().\-\u2010-\u2015/]/

/** How many of them the field's note quotes: enough to find them, never a pasted page (then an ellipsis). */
const FOREIGN_SHOWN = 20

/**
 * The characters of a typed text that no phone number holds (letters, punctuation), in the order typed, at most
 * FOREIGN_SHOWN of them and then '…': '' when there are none.
 */
export function foreignCharacters(text: string, rules: TypingRules): string {
  const out: string[] = []
  for (const ch of withoutLink(text))
    if (ch !== '+' && !counts(ch, rules) && !GROUPING.test(ch)) {
      if (out.length === FOREIGN_SHOWN) return `${out.join('')}…`
      out.push(ch)
    }
  return out.join('')
}

/** What of a typed or pasted text is the number: digits (with '*' and '#' when dialling) and a leading '+'. */
export function significant(text: string, rules: TypingRules): string {
  let out = ''
  for (const ch of withoutLink(text)) {
    if (ch === '+' ? out === '' : counts(ch, rules)) out += ch
    if (out.length >= rules.max) break
  }
  return out
}

/** Where the caret goes in `text`: right after its n-th significant character (0: before the first). */
function caretAfter(text: string, n: number, rules: TypingRules): number {
  if (n <= 0) return 0
  let seen = 0
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i)
    if (ch === '+' ? seen === 0 : counts(ch, rules)) seen++
    if (seen === n) return i + 1
  }
  return text.length
}

/**
 * The field after an edit: `before` is what it showed, `after` what the browser made of the person's key or paste
 * (text and caret), `inputType` the InputEvent's kind. Returns the number (the significant characters, what goes
 * over the wire) and what to show, with its caret. A text with characters no number holds is kept as typed, and
 * is what goes to the form (`foreign` names those characters), so the form's own check refuses it in words.
 */
export function typed(
  before: Typed,
  after: Typed,
  inputType: string,
  format: (number: string) => string,
  rules: TypingRules
): { number: string; shown: Typed; foreign: string } {
  const foreign = foreignCharacters(after.text, rules)
  if (foreign !== '') return { number: after.text, shown: after, foreign }
  let number = significant(after.text, rules)
  let n = significant(after.text.slice(0, after.caret), rules).length
  const was = significant(before.text, rules)
  if (number === was && after.text.length < before.text.length && inputType.startsWith('delete')) {
    // Only punctuation went: take the digit on the side the person deleted towards.
    const at = inputType === 'deleteContentForward' ? n : n - 1
    if (at >= 0 && at < number.length) {
      number = number.slice(0, at) + number.slice(at + 1)
      n = at
    }
  }
  const text = format(number)
  return { number, shown: { text, caret: caretAfter(text, n, rules) }, foreign: '' }
}
