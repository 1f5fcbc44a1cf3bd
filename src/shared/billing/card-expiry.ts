/**
 * When a saved card stops working and when to warn about it, one rule for main's reminders and the app's card
 * list: a card is good through the last day of its expiry month, and is "expiring" in the 30 days before that.
 */

export const CARD_WARNING_DAYS = 30
const DAY = 86_400_000

/** The last millisecond a card with this expiry can be charged (UTC, as processors count it). */
export function cardExpiresAt(expMonth: number, expYear: number): Date {
  return new Date(Date.UTC(expYear, expMonth, 1) - 1)
}

export type CardExpiry = 'ok' | 'expiring' | 'expired'

export function cardExpiry(card: { expMonth: number; expYear: number }, now: Date): CardExpiry {
  const left = cardExpiresAt(card.expMonth, card.expYear).getTime() - now.getTime()
  if (left < 0) return 'expired'
  return left <= CARD_WARNING_DAYS * DAY ? 'expiring' : 'ok'
}
