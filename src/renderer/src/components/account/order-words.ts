/**
 * How a past order reads (Orders.tsx, Receipt.tsx, Refunds.tsx): what each item bought, for which line, and the card
 * it was paid with, worded from codes. A line without a number is named as the Lines tab names it (LineCard.tsx),
 * by its label when the person gave it one, else by its dongle's serial: orders otherwise read "Line service, 1
 * month" alone, and an account with several pending lines could not tell which line an order paid for (the
 * service's mails and invoices name it the same way: docs/service.md). Pure, so it is tested without a page.
 */
import type { TFunction } from 'i18next'
import type { ResponseOf } from '../../../../shared/ipc/contract'
import { isolate } from '../../../../shared/i18n/bidi'
import { formatCardDigits } from '../../format'
import { type Words, cardBrandName } from '../../words'

type LineInfo = ResponseOf<'account.lines'>['lines'][number]

/** A line's name for an item without a number (null: the line is not among the account's). */
export type LineName = (lineId: string | null) => string | null

export function lineNames(lines: readonly LineInfo[], t: TFunction): LineName {
  const byId = new Map(lines.map((l) => [l.id, l]))
  return (lineId) => {
    const line = lineId === null ? undefined : byId.get(lineId)
    if (!line) return null
    // Placed in a sentence by i18next, which isolates every value (i18n/interpolation.ts).
    return line.label ?? t('lines.dongle', { serial: line.deviceSerial })
  }
}

export type CardOrder = ResponseOf<'billing.orders'>['orders'][number]
type Item = CardOrder['items'][number]
type T = TFunction

/**
 * What one line of an order bought, in words ("Line service, 1 year for +1 201 555 0101"); a line without a number
 * by its label or its dongle (lineNames below).
 */
export function itemWords(
  i: Item,
  t: T,
  words: Words,
  phone: (n: string) => string,
  lineName: LineName
): string {
  const what =
    i.kind === 'top_up'
      ? t('orders.item.top_up')
      : i.kind === 'device'
        ? words.offerName(i.offerId ?? '')
        : words.plan(i.planCode ?? '')
  if (i.phoneNumber) return t('orders.forLine', { what, number: isolate(phone(i.phoneNumber)) })
  const name = lineName(i.lineId)
  return name ? t('orders.forLine', { what, number: name }) : what
}

export function cardWords(card: CardOrder['card'], t: T, lang: string): string {
  if (!card) return t('orders.cardUnknown')
  const brand = cardBrandName(t, card.brand)
  return t('orders.cardEnding', { brand, last4: isolate(formatCardDigits(card.last4, lang)) })
}
