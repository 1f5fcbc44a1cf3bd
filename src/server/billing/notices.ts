/** The words of billing's messages: receipts, renewal reminders, card warnings, dunning, balance notices. */
import type { Message } from '../mail/templates'

const sign = '\n\n— Dialtone'
/** One formatter per currency: building an Intl.NumberFormat costs more than the rest of a receipt's words. */
const formatters = new Map<string, Intl.NumberFormat>()
const money = (minor: number, currency: string): string => {
  let f = formatters.get(currency)
  if (!f) formatters.set(currency, (f = new Intl.NumberFormat('en-US', { style: 'currency', currency })))
  return f.format(minor / 100)
}
const day = (iso: string): string => iso.slice(0, 10)
/** Where in the app a card is fixed: the emails name the place, the app's reminders open it. */
const CARDS_PLACE = 'Dialtone → Account → Billing → Cards'

export const billingNotices = {
  receipt: (orderId: string, totalMinor: number, currency: string, lines: string[]): Message => ({
    subject: `Dialtone receipt ${orderId}`,
    body: `Thank you. We charged ${money(totalMinor, currency)} for:\n\n${lines.map((l) => `  - ${l}`).join('\n')}${sign}`
  }),
  renewalReminder: (number: string, renewsAt: string, amountMinor: number, currency: string): Message => ({
    subject: `Your line ${number} renews on ${day(renewsAt)}`,
    body:
      `Your line ${number} renews automatically on ${day(renewsAt)} for ${money(amountMinor, currency)}.\n\n` +
      `To stop it, switch auto-renew off in Dialtone before ${day(renewsAt)}.${sign}`
  }),
  cardExpiresFirst: (number: string, last4: string, renewsAt: string): Message => ({
    subject: 'The card for your auto-renewal expires before it',
    body:
      `The card ending ${last4} expires before your line ${number} renews on ${day(renewsAt)}. ` +
      `Keep your payment method up to date: in ${CARDS_PLACE}, choose "Replace" next to that card, or the ` +
      `renewal will fail.${sign}`
  }),
  renewed: (number: string, paidThrough: string): Message => ({
    subject: `Your line ${number} was renewed`,
    body: `Your line ${number} was renewed. It is now paid through ${day(paidThrough)}.${sign}`
  }),
  renewalFailed: (number: string, reason: string, nextAttempt: string | null): Message => ({
    subject: `We could not renew your line ${number}`,
    body:
      `The payment for your line ${number} failed: ${reason}.\n\n` +
      (nextAttempt
        ? `We will try again on ${day(nextAttempt)}. Keep your payment method up to date: replace the card ` +
          `in ${CARDS_PLACE} to avoid an interruption; the next try then uses the new card.`
        : `We will not try again. Renew in Dialtone to keep the line.`) +
      sign
  }),
  canceledForNonPayment: (number: string): Message => ({
    subject: `Auto-renew for ${number} was canceled`,
    body:
      `After several failed payments, auto-renew for your line ${number} was canceled, and any discount on it ` +
      `has ended for good. Keep your payment method up to date in ${CARDS_PLACE}; you can still renew the ` +
      `line in Dialtone → Account → Overview.${sign}`
  }),
  trialEnding: (number: string, endsAt: string): Message => ({
    subject: `Your Dialtone trial for ${number} ends on ${day(endsAt)}`,
    body:
      `The free trial of your line ${number} ends on ${day(endsAt)}. To keep the line and its number, choose ` +
      `a plan before then in Dialtone → Account → Overview ("Choose a plan"). The number stays the same.${sign}`
  }),
  promisedPaymentOverdue: (amountMinor: number, currency: string): Message => ({
    subject: 'Your promised payment is overdue',
    body:
      `The promised payment of ${money(amountMinor, currency)} was due today and has been taken from your ` +
      `balance. Outgoing calls other than 911 are held until you top up.${sign}`
  }),
  deviceOrdered: (name: string, amountMinor: number, currency: string, orderId: string): Message => ({
    subject: `Your ${name} is on its way (order ${orderId})`,
    body:
      `Thank you. We charged ${money(amountMinor, currency)} for the ${name} and will ship it to your billing ` +
      `address.${sign}`
  }),
  refunded: (
    amountMinor: number,
    currency: string,
    to: 'card' | 'balance',
    last4: string | null
  ): Message => ({
    subject: `Dialtone refunded ${money(amountMinor, currency)}`,
    body:
      (to === 'card'
        ? `We refunded ${money(amountMinor, currency)} to your card${last4 ? ` ending ${last4}` : ''}. ` +
          `Your bank may take a few days to show it.`
        : `We refunded ${money(amountMinor, currency)} to your Dialtone balance; it is there to use now.`) +
      `\n\nThe refund is listed in Dialtone → Account → Billing.${sign}`
  }),
  callDetails: (from: string, to: string): Message => ({
    subject: `Your itemised calls, ${from} to ${to}`,
    body: `Attached are the itemised calls of your Dialtone account from ${from} to ${to}.${sign}`
  })
}
