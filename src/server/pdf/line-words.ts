/**
 * A PDF line's description in the PDF's language, from its code and values: a ledger entry's memo code
 * (src/shared/api/notes.ts MEMO_CODES, worded as the app words it: the catalogs' memo.*, plan.* and service.* are
 * the app's own words, test/unit/server/pdf-words.test.ts checks they are equal) or a card line's code
 * (CARD_LINE_CODES: what an invoice shows was paid or refunded by card, ../business/invoice-card-lines.ts).
 * A line without a code (an invoice issued before codes, a ledger entry from before memo codes) keeps its stored
 * English text: what was issued is not reworded by guess. A phone line without a number (pending: none assigned
 * yet) is named as the app names it (LineCard.tsx): by its owner's label, else by its dongle's serial, so that an
 * account's several such lines can be told apart.
 */
import { MEMO_CODES } from '../../shared/api/notes'
import type { PdfWordKey, PdfWords } from './words'

/**
 * What a card line is. Params: plan (a plan code) and number (the line's phone number, if any), or for a line
 * without a number its label (if it has one) and serial (its dongle's; absent on a line issued before either was
 * kept), for an item of a checkout order and an automatic renewal; order (its id) for an order without priced items; offer (its id) and
 * device (the stored name, when the offer has no words) for a device order; refundOf ('auto-renewal' | 'order')
 * and order for a card refund. Every payment line may have last4 (the card's) and ordered (the local date it was
 * ordered, when that was in an earlier month).
 */
export const CARD_LINE_CODES = [
  'card-item',
  'card-order',
  'card-device',
  'card-auto-renewal',
  'card-refund'
] as const
export type CardLineCode = (typeof CARD_LINE_CODES)[number]

export type LineParams = Readonly<Record<string, string | number>>

/** What names a line without a number: the label its owner gave it (null: none) and its dongle's serial. */
export interface LineName {
  readonly label: string | null
  readonly serial: string
}

/** A line without a number as the PDFs name it ("the line “Front desk”", "the line on dongle MJ-1234"). */
function unnumbered(w: PdfWords, name: Partial<LineName>): string | undefined {
  if (name.label) return w.t('line.labeled', { label: name.label })
  return name.serial ? w.t('line.onDongle', { serial: name.serial }) : undefined
}

/** The line's name from a card line's raw params (a label or serial as stored, never read as a date or a count). */
const nameOf = (raw: LineParams): Partial<LineName> => ({
  label: typeof raw.label === 'string' ? raw.label : null,
  ...(typeof raw.serial === 'string' ? { serial: raw.serial } : {})
})

export interface LineSource {
  readonly code?: string | undefined
  readonly params?: LineParams | undefined
  /** The stored English text: shown when there is no code (or one this service does not know). */
  readonly memo: string
}

const has = <T extends string>(list: readonly T[], v: string | undefined): v is T =>
  v !== undefined && (list as readonly string[]).includes(v)

/** The catalog's key if it has it: plan, service and offer names come from data the catalogs may not know. */
const known = (w: PdfWords, key: string): PdfWordKey | undefined =>
  w.has(key) ? (key as PdfWordKey) : undefined

/** Each value worded as the app words memo values (src/renderer/src/words.ts wordParams). */
function wordParams(w: PdfWords, params: LineParams): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(params)) {
    const s = String(v)
    if (k === 'plan') out[k] = w.t(known(w, `plan.${s}`) ?? 'planUnknown')
    else if (k === 'service') out[k] = w.t(known(w, `service.${s}`) ?? 'serviceUnknown')
    else if (/^\d{4}-\d{2}-\d{2}$/.test(s)) out[k] = w.date(s)
    else if (/^\d{4}-\d{2}$/.test(s)) out[k] = w.month(s)
    else if (typeof v === 'number') out[k] = w.count(v)
    else out[k] = s
  }
  return out
}

function cardLine(w: PdfWords, code: CardLineCode, raw: LineParams): string {
  const p = wordParams(w, raw)
  // A line with a number by its number; one without, by its label or serial; one issued before those were kept,
  // as it always read.
  const named = raw.number ? p.number : unnumbered(w, nameOf(raw))
  const number = named ?? w.t('line.yourLine')
  if (code === 'card-refund') {
    const of =
      raw.refundOf === 'auto-renewal'
        ? w.t('line.refundOfAutoRenewal')
        : w.t('line.refundOfOrder', { order: p.order ?? '' })
    return p.last4 ? w.t('line.refundToCardEnding', { last4: p.last4, of }) : w.t('line.refundToCard', { of })
  }
  const what =
    code === 'card-item'
      ? named
        ? w.t('line.for', { plan: p.plan ?? '', number })
        : (p.plan ?? w.t('planUnknown'))
      : code === 'card-order'
        ? w.t('line.order', { order: p.order ?? '' })
        : code === 'card-device'
          ? w.t('line.device', {
              device: w.t(known(w, `offer.${String(raw.offer)}`) ?? 'offerUnknown', {
                name: p.device ?? ''
              })
            })
          : w.t('line.autoRenewal', { plan: p.plan ?? '', number })
  const paid = p.last4
    ? w.t('line.paidByCardEnding', { what, last4: p.last4 })
    : w.t('line.paidByCard', { what })
  return p.ordered ? w.t('line.ordered', { what: paid, date: p.ordered }) : paid
}

/** The line's description in the words' language. */
export function lineDescription(w: PdfWords, line: LineSource): string {
  const params = line.params ?? {}
  if (has(CARD_LINE_CODES, line.code)) return cardLine(w, line.code, params)
  // 'other' is a ledger entry from before memo codes: its stored text is all there is.
  if (has(MEMO_CODES, line.code) && line.code !== 'other')
    return w.t(`memo.${line.code}` as PdfWordKey, wordParams(w, params))
  return line.memo
}

/**
 * What an order item is, worded as an invoice words it: a receipt's line. A plan, for the line's number when it has
 * one, else for its label or serial (`line`: absent on an order stored before they were kept, and for minutes).
 */
export function itemDescription(
  w: PdfWords,
  plan: string,
  number: string | null,
  line?: LineName | undefined
): string {
  const name = w.t(known(w, `plan.${plan}`) ?? 'planUnknown')
  const of = number ? number : line && unnumbered(w, line)
  return of ? w.t('line.for', { plan: name, number: of }) : name
}
