/**
 * What the service tells a person beside the numbers — ledger memos, quote and plan-change notices — as codes
 * with values, worded by the app (locale sections "memo" and "notice"). The English text travels too, for API
 * users and receipts; the app never shows it. One list each, so the app's locale test derives from it.
 */
import { z } from 'zod'

/** Why a balance entry exists. Params: last4 (top-up), plan (a plan code), month (YYYY-MM), number, minutes. */
export const MEMO_CODES = [
  'top-up', // last4
  'minutes-pack', // plan
  'recurring-fee', // plan, month
  'call', // number, minutes
  'unused-days', // plan, month
  'remaining-days', // plan, month
  'promised-credit',
  'promised-fee',
  'promised-due',
  'promised-repaid',
  'refund-to-balance', // an operator's refund of a payment to the balance
  'top-up-refunded', // last4: a top-up given back to the card
  // service (a feature), month: a connected service's monthly fee or this month's share; the monthly job's charge
  // also carries price, the month's whole fee in minor units (what a switch off gives back a share of)
  'service-fee',
  'service-unused-days', // service, month: the unused days of a service switched off
  'other'
] as const
export type MemoCode = (typeof MEMO_CODES)[number]

/** What to know before paying or changing plans. Params: date (YYYY-MM-DD). */
export const NOTICE_CODES = [
  'discount-ends-at-switch',
  'discount-ends-on',
  'applies-whatever-balance',
  'promo-half-price-for-life'
] as const
export type NoticeCode = (typeof NOTICE_CODES)[number]

const noteParams = z.record(z.string(), z.union([z.string(), z.number()]))

export const memoSchema = z.object({ code: z.enum(MEMO_CODES), params: noteParams })
export type Memo = z.infer<typeof memoSchema> & { readonly text: string }

export const noticeSchema = z.object({
  code: z.enum(NOTICE_CODES),
  params: noteParams,
  /** English, for API users. */
  text: z.string()
})
export type Notice = z.infer<typeof noticeSchema>
