/**
 * The dial plan of a North American line, as digits arrive from the handset's keypad: 911 goes at once; 1 + ten
 * digits and ten digits (NANP, area code and exchange 2-9) go when complete; 011 + a country code and number waits
 * for '#' or the inter-digit timeout (international numbers have no fixed length); 933, the 911 address test, also
 * goes at once (933 is not an area code in service, so no number is lost). Star codes (star-codes.ts: *67, *82,
 * *72, *73, *69, *60, *98) are decided at their last digit too. Anything that cannot become a number or a known
 * code gets reorder at once, not after a timeout.
 * '*70' (before or after '*67') turns call waiting off for the call that follows: a second caller gets busy (486)
 * instead of the beep; the line plays the confirmation (stutter) tone once the code is complete, then the number
 * follows. It is read here, ahead of the table, because it combines with the other prefixes.
 */
import type { DialRefusal } from './call-why'
import { STAR_CODES, type StarFeature, mayBecomeStarCode } from './star-codes'

export type DialDecision =
  | { readonly kind: 'collect' }
  | {
      readonly kind: 'dial'
      readonly target: string
      readonly emergency: boolean
      readonly hideCallerId: boolean
      /** '*70': no call waiting while this call lasts. */
      readonly noCallWaiting?: boolean
    }
  | { readonly kind: 'invalid'; readonly reason: string; readonly code: DialRefusal }
  /** A star code main carries out (no call): `number` is E.164 for *72, null for the others. */
  | { readonly kind: 'feature'; readonly feature: StarFeature; readonly number: string | null }

export const INTER_DIGIT_TIMEOUT_MS = 4000
/** The 911 address test: it reads back the address on record (docs/emergency.md). */
export const ADDRESS_TEST_NUMBER = '933'
/** What a line out of service may still call (the SIP server enforces the same: resources/kamailio/policy.cfg). */
export const ALWAYS_DIALLABLE: readonly string[] = ['911', ADDRESS_TEST_NUMBER]
/** How long a lifted handset may sit with no digit before the line gives reorder, then the off-hook warning. */
export const FIRST_DIGIT_TIMEOUT_MS = 16_000

const NANP = /^[2-9]\d{2}[2-9]\d{6}$/

/** Cancel call waiting for the next call (a vertical service code dialled before the number). */
export const NO_CALL_WAITING_CODE = '*70'

/** '*70' (in any order with '*67'), whole: what the line confirms with the stutter tone before the number. */
export const isNoCallWaitingPrefix = (dialled: string): boolean => /^(\*67)?\*70(\*67)?$/.test(dialled)

/** Takes '*70' off the front (before or after '*67'): what is left, and whether it was there. */
function takeNoCallWaiting(dialled: string): { rest: string; on: boolean } {
  const m = /^(\*67)?\*70/.exec(dialled)
  return m ? { rest: (m[1] ?? '') + dialled.slice(m[0].length), on: true } : { rest: dialled, on: false }
}

/**
 * What to do with the digits so far. `ended` is true when '#' was pressed or the inter-digit timer ran out.
 * Targets are E.164 ('+12125550101', '+442071234567'), '911' or '933'.
 */
export function decide(dialled: string, ended = false): DialDecision {
  if (!/^[\d*#]*$/.test(dialled))
    return { kind: 'invalid', reason: 'not a dialled digit', code: 'notANumber' }
  const cw = takeNoCallWaiting(dialled)
  if (cw.on) {
    const d = decide(cw.rest, ended)
    return d.kind === 'dial' && !d.emergency ? { ...d, noCallWaiting: true } : d
  }
  // '*67' then '*' or '*7' may still become '*67*70'.
  if (!ended && /^\*67\*7?$/.test(dialled)) return { kind: 'collect' }
  return dialled.startsWith('*') ? decideStar(dialled, ended) : decideNumber(dialled, ended, false)
}

const notOffered = (what: string): DialDecision => ({
  kind: 'invalid',
  reason: `${what} is not offered`,
  code: 'notOffered'
})

/** A star code and what follows it (star-codes.ts is the table). */
function decideStar(dialled: string, ended: boolean): DialDecision {
  const done = ended || dialled.endsWith('#')
  const code = dialled.slice(0, 3)
  const rest = dialled.slice(3)
  if (dialled.length < 3 || (dialled.length === 3 && dialled.endsWith('#')))
    return mayBecomeStarCode(dialled.replace(/#$/, '')) && !done
      ? { kind: 'collect' }
      : notOffered(`the code ${dialled}`)
  const star = STAR_CODES[code]
  if (!star) return notOffered(`the code ${code}`)
  if (star.kind === 'prefix') return decideNumber(rest, ended, star.hideCallerId)
  if (star.kind === 'dial' || !star.takesNumber) {
    if (rest !== '' && rest !== '#') return notOffered(`${code} followed by digits`)
    return star.kind === 'dial'
      ? { kind: 'dial', target: star.target, emergency: false, hideCallerId: false }
      : { kind: 'feature', feature: star.feature, number: null }
  }
  // *72 + the number to forward to: a North American number, decided like a call to it.
  const d = decideNumber(rest, ended, false)
  if (d.kind !== 'dial') return d
  return /^\+1\d{10}$/.test(d.target)
    ? { kind: 'feature', feature: star.feature, number: d.target }
    : notOffered(`forwarding to ${d.target}`)
}

/** A number (after a *67 or *82 prefix, if any). */
function decideNumber(dialled: string, ended: boolean, hideCallerId: boolean): DialDecision {
  const digits = dialled.replace(/#$/, '')
  const done = ended || dialled.endsWith('#')
  if (/[*#]/.test(digits)) return notOffered('a star code after a prefix')
  if (digits === '911') return { kind: 'dial', target: '911', emergency: true, hideCallerId: false }
  if (digits === ADDRESS_TEST_NUMBER)
    return { kind: 'dial', target: ADDRESS_TEST_NUMBER, emergency: false, hideCallerId: false }
  if (digits === '')
    return done ? { kind: 'invalid', reason: 'nothing dialled', code: 'nothingDialled' } : { kind: 'collect' }
  if (digits.startsWith('011')) {
    const rest = digits.slice(3)
    if (rest.length > 15)
      return { kind: 'invalid', reason: 'an international number has at most 15 digits', code: 'tooLong' }
    if (!done) return { kind: 'collect' }
    return rest.length >= 7
      ? { kind: 'dial', target: `+${rest}`, emergency: false, hideCallerId }
      : { kind: 'invalid', reason: 'an international number has at least 7 digits', code: 'incomplete' }
  }
  if (digits.startsWith('1')) {
    const rest = digits.slice(1)
    if (rest.length === 10)
      return NANP.test(rest)
        ? { kind: 'dial', target: `+1${rest}`, emergency: false, hideCallerId }
        : { kind: 'invalid', reason: 'not a North American number', code: 'notANumber' }
    if (!/^([2-9]\d{0,2}|[2-9]\d{2}[2-9]\d{0,6})?$/.test(rest) || rest.startsWith('0'))
      return { kind: 'invalid', reason: 'not a North American number', code: 'notANumber' }
    return done
      ? { kind: 'invalid', reason: 'the number is incomplete', code: 'incomplete' }
      : { kind: 'collect' }
  }
  if (digits.startsWith('0')) {
    // '0', '01' may still become 011.
    return '011'.startsWith(digits) && !done
      ? { kind: 'collect' }
      : { kind: 'invalid', reason: 'operator calls are not offered', code: 'notOffered' }
  }
  if (digits.length === 10)
    return NANP.test(digits)
      ? { kind: 'dial', target: `+1${digits}`, emergency: false, hideCallerId }
      : { kind: 'invalid', reason: 'not a North American number', code: 'notANumber' }
  if (digits.length > 10) return { kind: 'invalid', reason: 'too many digits', code: 'tooLong' }
  // 9, 91 may still become 911; N11 otherwise is not offered.
  if (/^[2-9]11$/.test(digits) && digits !== '911')
    return { kind: 'invalid', reason: `${digits} is not offered`, code: 'notOffered' }
  if (digits.length >= 4 && !/^[2-9]\d{2}[2-9]/.test(digits))
    return { kind: 'invalid', reason: 'not a North American number', code: 'notANumber' }
  return done
    ? { kind: 'invalid', reason: 'the number is incomplete', code: 'incomplete' }
    : { kind: 'collect' }
}

/** What a typed or pasted "+1 (201) 555-0101" leaves to dial: digits, *, # and a leading +, at most 24. */
export const dialable = (text: string): string => text.replace(/(?!^\+)[^\d*#]/g, '').slice(0, 24)
