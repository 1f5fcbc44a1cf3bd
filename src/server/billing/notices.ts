/**
 * The words of billing's messages (receipts, renewal reminders, card warnings, dunning, balance notices), in the
 * reader's language: the sentences are in the messages' catalogs (../mail/words.ts), amounts and dates formatted
 * for the language by the service's one formatter. Dates are the ISO instant's day, as they always were.
 */
import type { ServiceFeature } from '../../shared/api/services'
import type { LanguageCode } from '../../shared/i18n/languages'
import type { Message } from '../mail/templates'
import { type MailWords, paragraphs, perLanguage } from '../mail/words'
import { type LineName, itemDescription } from '../pdf/line-words'
import { PDF_CATALOGS, type PdfWords } from '../pdf/words'
import { wordsOf } from '../words/format'

/** Why a renewal's payment failed: the processor's decline codes the messages word, and the rest. */
export type DeclineWord = 'card_declined' | 'insufficient_funds' | 'expired_card' | 'no_card' | 'other'
const DECLINE_WORDS: readonly string[] = ['card_declined', 'insufficient_funds', 'expired_card', 'no_card']
export const declineWord = (decline: string): DeclineWord =>
  DECLINE_WORDS.includes(decline) ? (decline as DeclineWord) : 'other'

/**
 * What a receipt lists: each item worded from its codes (the plan's code and the line's number, as the app and the
 * invoices word it), in every language; a line without a number by its label or its dongle's serial (`line`, kept
 * in the order's items since those were: an order stored before names the plan alone). The stored description is
 * English written by the service (API users'), shown only for an item stored before items had codes.
 */
export interface ReceiptItem {
  readonly description: string
  readonly planCode: string
  readonly phoneNumber: string | null
  readonly line?: LineName | undefined
}
// The PDFs' plan, offer and line words (the app's own), formatted as a message is: English without isolates.
const itemWords = new Map<LanguageCode, PdfWords>()
const wordsFor = (language: LanguageCode): PdfWords => {
  let w = itemWords.get(language)
  if (!w) itemWords.set(language, (w = wordsOf(language, PDF_CATALOGS[language], { mode: 'messages' })))
  return w
}
export function receiptLines(language: LanguageCode, items: readonly ReceiptItem[]): string[] {
  const words = wordsFor(language)
  return items.map((i) =>
    i.planCode ? itemDescription(words, i.planCode, i.phoneNumber, i.line) : i.description
  )
}

/** A device offer's name as the app words it (the PDFs' offer words); English, or an offer without words, as stored. */
export function offerName(language: LanguageCode, offerId: string, stored: string): string {
  if (language === 'en') return stored
  const words = wordsFor(language)
  const key = `offer.${offerId}`
  return words.has(key) ? words.t(key as Parameters<PdfWords['t']>[0], { name: stored }) : stored
}

/** A connected service's name as the app words it (the PDFs' service words, which are the app's). */
export function serviceName(language: LanguageCode, feature: ServiceFeature): string {
  return wordsFor(language).t(`service.${feature}`)
}

/**
 * A line as the messages name it: its phone number, or for a line without one (pending: none assigned yet) its
 * label or its dongle's serial, as the app names it (LineCard.tsx), so an account's several such lines differ.
 */
export type LineRef = string | LineName

/** A paid service switched off for want of the balance, as its email lists it. */
export interface ServiceOffItem {
  readonly line: LineRef
  readonly feature: ServiceFeature
  /** What its month would have cost (the whole fee, or the rest of the month for a line back in service). */
  readonly amountMinor: number
  /** No longer offered: it cannot be switched on again. */
  readonly retired: boolean
}

function build(w: MailWords) {
  const day = (iso: string): string => w.date(iso.slice(0, 10))
  const line = (ref: LineRef): string =>
    typeof ref === 'string'
      ? ref
      : ref.label
        ? w.t('line.labeled', { label: ref.label })
        : w.t('line.onDongle', { serial: ref.serial })
  return {
    receipt: (orderId: string, totalMinor: number, currency: string, lines: string[]): Message => ({
      subject: w.t('receipt.subject', { order: orderId }),
      body: paragraphs(
        w,
        w.t('receipt.body', { amount: w.money(totalMinor, currency) }),
        lines.map((l) => `  - ${l}`).join('\n')
      )
    }),
    renewalReminder: (
      lineNumber: LineRef,
      renewsAt: string,
      amountMinor: number,
      currency: string
    ): Message => {
      const number = line(lineNumber)
      return {
        subject: w.t('reminder.subject', { number, date: day(renewsAt) }),
        body: paragraphs(
          w,
          w.t('reminder.body', { number, date: day(renewsAt), amount: w.money(amountMinor, currency) })
        )
      }
    },
    cardExpiresFirst: (lineNumber: LineRef, last4: string, renewsAt: string): Message => ({
      subject: w.t('cardExpires.subject'),
      body: paragraphs(w, w.t('cardExpires.body', { number: line(lineNumber), last4, date: day(renewsAt) }))
    }),
    renewed: (lineNumber: LineRef, paidThrough: string): Message => {
      const number = line(lineNumber)
      return {
        subject: w.t('renewed.subject', { number }),
        body: paragraphs(w, w.t('renewed.body', { number, date: day(paidThrough) }))
      }
    },
    renewalFailed: (lineNumber: LineRef, decline: DeclineWord, nextAttempt: string | null): Message => {
      const number = line(lineNumber)
      return {
        subject: w.t('failed.subject', { number }),
        body: paragraphs(
          w,
          w.t('failed.body', { number, reason: w.t(`decline.${decline}`) }),
          // With no card on file there is none to replace: the person adds one.
          nextAttempt
            ? w.t(decline === 'no_card' ? 'failed.retryNoCard' : 'failed.retry', { date: day(nextAttempt) })
            : w.t('failed.final')
        )
      }
    },
    canceledForNonPayment: (lineNumber: LineRef): Message => {
      const number = line(lineNumber)
      return {
        // "Auto-renew for +1… was canceled"; a name needs its noun: "… for your line on dongle MJ-1234 …".
        subject: w.t(typeof lineNumber === 'string' ? 'dunning.subject' : 'dunning.subjectUnnumbered', {
          number
        }),
        body: paragraphs(w, w.t('dunning.body', { number }))
      }
    },
    trialEnding: (number: string, endsAt: string): Message => ({
      subject: w.t('trialEnding.subject', { number, date: day(endsAt) }),
      body: paragraphs(w, w.t('trialEnding.body', { number, date: day(endsAt) }))
    }),
    promisedPaymentOverdue: (amountMinor: number, currency: string): Message => ({
      subject: w.t('promised.subject'),
      body: paragraphs(w, w.t('promised.body', { amount: w.money(amountMinor, currency) }))
    }),
    deviceOrdered: (name: string, amountMinor: number, currency: string, orderId: string): Message => ({
      subject: w.t('device.subject', { name, order: orderId }),
      body: paragraphs(w, w.t('device.body', { name, amount: w.money(amountMinor, currency) }))
    }),
    refunded: (
      amountMinor: number,
      currency: string,
      to: 'card' | 'balance',
      last4: string | null
    ): Message => {
      const amount = w.money(amountMinor, currency)
      return {
        subject: w.t('refund.subject', { amount }),
        body: paragraphs(
          w,
          to === 'balance'
            ? w.t('refund.balance', { amount })
            : last4
              ? w.t('refund.card', { amount, last4 })
              : w.t('refund.cardUnknown', { amount }),
          w.t('refund.listed')
        )
      }
    },
    /**
     * The paid services the monthly fees job switched off in one pass (services/service-fees.ts): the balance did
     * not cover their month. One service: named in the subject; several: listed, each with its line and its fee.
     * `date` is the account's day; the balance what it held when the last was switched off.
     */
    servicesOff: (
      items: readonly (ServiceOffItem & { readonly service: string })[],
      off: { readonly date: string; readonly balanceMinor: number; readonly currency: string }
    ): Message => {
      const balance = w.money(off.balanceMinor, off.currency)
      const [only] = items
      if (only && items.length === 1) {
        const number = line(only.line)
        return {
          subject: w.t('serviceOff.subject', { service: only.service, number }),
          body: paragraphs(
            w,
            w.t('serviceOff.body', {
              service: only.service,
              number,
              date: day(off.date),
              amount: w.money(only.amountMinor, off.currency),
              balance
            }),
            only.retired ? w.t('serviceOff.afterRetired') : w.t('serviceOff.after')
          )
        }
      }
      const retired = items.filter((i) => i.retired).length
      const listed = items.map((i) => {
        const values = {
          service: i.service,
          number: line(i.line),
          amount: w.money(i.amountMinor, off.currency)
        }
        return `  - ${i.retired ? w.t('servicesOff.itemRetired', values) : w.t('servicesOff.item', values)}`
      })
      return {
        subject: w.t('servicesOff.subject'),
        body: paragraphs(
          w,
          w.t('servicesOff.body', { date: day(off.date), balance }),
          listed.join('\n'),
          // Switched on again only where still offered: all, some or none of those listed.
          retired === 0
            ? w.t('servicesOff.after')
            : retired < items.length
              ? w.t('servicesOff.afterSome')
              : w.t('servicesOff.afterRetired')
        )
      }
    },
    /** The period's first and last day, YYYY-MM-DD. */
    callDetails: (from: string, to: string): Message => ({
      subject: w.t('calls.subject', { from: w.date(from), to: w.date(to) }),
      body: paragraphs(w, w.t('calls.body', { from: w.date(from), to: w.date(to) }))
    })
  }
}

export type BillingNotices = ReturnType<typeof build>

/** Billing's messages in a language (built once per language). */
export const billingNotices: (language: LanguageCode) => BillingNotices = perLanguage(build)
