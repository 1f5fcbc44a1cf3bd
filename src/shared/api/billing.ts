/**
 * Billing API: the catalog, payment methods, a line's subscription and coverage, checkout, Re-Up vouchers,
 * auto-renew, plan changes with their proration preview, the balance and usage, blocked numbers. Money is an
 * integer in minor units with its currency; every money-moving request carries the app's idempotency key.
 */
import { z } from 'zod'
import { LANGUAGE_CODES } from '../i18n/languages'
import { matches } from './formats'
import { custom } from './issues'
import { localDateSchema, seriesWithinBounds } from './local-date'
import { memoSchema, noticeSchema } from './notes'
import { id, instant, text } from './common'

export const money = z.object({ amountMinor: z.number().int(), currency: z.string().length(3) })
/** One key per user intent (a UUID the app keeps until it has a final answer, and reuses on retry). */
export const idempotencyKey = z
  .string()
  .regex(/^[A-Za-z0-9_-]{16,64}$/, 'an idempotency key is 16-64 letters, digits, - or _')
export { localDateSchema } from './local-date'
export const planIdSchema = z.string().regex(/^[a-z0-9-]{2,40}@\d{1,4}$/, 'a plan id is code@version')

export const planSchema = z.object({
  id: z.string(),
  code: z.string(),
  version: z.number().int(),
  name: z.string(),
  kind: z.enum(['line_service', 'monthly_tariff', 'intl_minutes']),
  interval: z.enum(['month', 'year']),
  intervalCount: z.number().int(),
  price: money,
  autoRenewEligible: z.boolean(),
  proration: z.enum(['seconds', 'actual_days', 'fixed_30']),
  changePolicy: z.enum(['immediate', 'end_of_term']),
  minEffectiveDelayDays: z.number().int(),
  minutes: z.number().int().nullable()
})
export type PlanView = z.infer<typeof planSchema>
export const planList = z.object({ plans: z.array(planSchema) })

export const cardInput = z
  .object({
    number: matches('card-number'),
    expMonth: z.number().int().min(1).max(12),
    expYear: z.number().int().min(2000).max(2100),
    cvc: matches('security-code')
  })
  .strict()
export const paymentMethodSchema = z.object({
  id,
  brand: z.string(),
  last4: z.string(),
  expMonth: z.number().int(),
  expYear: z.number().int(),
  isDefault: z.boolean(),
  /** The lines whose auto-renewal (and its retries) charge this card: removing it switches those off. */
  autoRenewFor: z.array(z.object({ lineId: id, number: z.string().nullable() }))
})
export const paymentMethodList = z.object({ paymentMethods: z.array(paymentMethodSchema) })
export const addPaymentMethodRequest = z
  .object({
    card: cardInput,
    makeDefault: z.boolean().default(true),
    /** Replace this saved card: what charged it moves to the new one, then it is removed (one step). */
    replaces: id.optional()
  })
  .strict()

/** Pay with a saved method, or a card given now (saved only if asked). */
export const paymentChoice = z.union([
  z.object({ paymentMethodId: id }).strict(),
  z.object({ card: cardInput, save: z.boolean().default(false) }).strict()
])

export const COVERAGE_STATES = ['none', 'active', 'expiring_soon', 'expired', 'deactivated'] as const
export const AUTO_RENEW_BLOCKERS = ['plan-not-eligible', 'no-card', 'card-expires-first', 'canceled'] as const

export const discountSchema = z.object({
  kind: z.literal('half_price_for_life'),
  percentOff: z.number().int(),
  status: z.enum(['active', 'ending', 'ended']),
  endsAt: instant.nullable(),
  endedReason: z.enum(['downgrade', 'interval_switch', 'dunning', 'voluntary']).nullable(),
  /** For a voluntary cancel: resubscribe before this to keep the discount. */
  reinstatableUntil: instant.nullable()
})

export const scheduledChangeSchema = z.object({
  id,
  fromPlanId: z.string(),
  toPlanId: z.string(),
  effectiveDate: localDateSchema,
  status: z.enum(['scheduled', 'applied', 'canceled', 'superseded']),
  requestedAt: instant
})

export const subscriptionSchema = z.object({
  lineId: id,
  plan: planSchema.nullable(),
  status: z.enum(['none', 'active', 'past_due', 'canceled']),
  coverage: z.object({
    state: z.enum(COVERAGE_STATES),
    paidThrough: instant.nullable(),
    /** When the line runs on its free trial alone (no paid coverage yet): the trial's end. */
    trialEndsAt: instant.nullable(),
    /** Renewing now continues the same number and line ("reactivate"). */
    reactivatable: z.boolean()
  }),
  autoRenew: z.object({
    enabled: z.boolean(),
    paymentMethodId: id.nullable(),
    /** Why it cannot be switched on (or will not work), in the order to fix them. */
    blockedBy: z.array(z.enum(AUTO_RENEW_BLOCKERS)),
    nextRenewalAt: instant.nullable()
  }),
  cancelAtPeriodEnd: z.boolean(),
  cancelReason: z.enum(['voluntary', 'dunning', 'admin']).nullable(),
  dunning: z.object({ attempts: z.number().int(), nextAttemptAt: instant.nullable() }),
  discount: discountSchema.nullable(),
  pendingChange: scheduledChangeSchema.nullable()
})
export type SubscriptionView = z.infer<typeof subscriptionSchema>

export const lineParamShape = { lineId: id }
export const autoRenewRequest = z.object({ enabled: z.boolean(), paymentMethodId: id.optional() }).strict()

export const cartItem = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('renewal'), lineId: id, planId: planIdSchema }).strict(),
  z.object({ kind: z.literal('minutes'), planId: planIdSchema }).strict()
])
/**
 * A promotion code (issue 20), any case. Its shape is checked by the service, which answers a malformed code as it
 * answers an unknown one ('promo-invalid'), so the answer says nothing about which codes exist.
 */
export const promoCodeSchema = z.string().trim().max(40)
export const quoteRequest = z
  .object({ items: z.array(cartItem).min(1).max(10), promoCode: promoCodeSchema.optional() })
  .strict()
export const pricedItem = z.object({
  kind: z.enum(['renewal', 'minutes']),
  lineId: id.nullable(),
  planId: z.string(),
  /** English, for API users; a person reads the item worded from planCode and phoneNumber in their language. */
  description: z.string(),
  listPrice: money,
  discountMinor: z.number().int(),
  price: money,
  /** What the person should know before paying (e.g. the discount ends with this switch). */
  notices: z.array(noticeSchema),
  /** What is bought, for the app to word: the plan's code and the line's number (null for minutes). */
  planCode: z.string(),
  phoneNumber: z.string().nullable()
})
export const quote = z.object({ items: z.array(pricedItem), total: money })
export const checkoutRequest = z
  .object({
    idempotencyKey,
    items: z.array(cartItem).min(1).max(10),
    payment: paymentChoice,
    /** Turn auto-renew on for the renewed lines with this payment method. */
    autoRenew: z.boolean().default(false),
    /** A promotion code for the cart's one line renewal (half price for life, granted with the payment). */
    promoCode: promoCodeSchema.optional()
  })
  .strict()
export const receipt = z.object({
  orderId: id,
  status: z.literal('paid'),
  total: money,
  items: z.array(pricedItem.extend({ paidThrough: instant.nullable() }))
})

export const redeemVoucherRequest = z
  .object({
    idempotencyKey,
    code: z.string().trim().max(40),
    lineId: id
  })
  .strict()
export const redeemResult = z.object({ lineId: id, planId: z.string(), paidThrough: instant })

export const planChangeRequest = z
  .object({ toPlanId: planIdSchema, effectiveDate: localDateSchema.optional() })
  .strict()
export const planChangePreview = z.object({
  fromPlan: planSchema,
  toPlan: planSchema,
  effectiveDate: localDateSchema,
  direction: z.enum(['upgrade', 'downgrade', 'same']),
  /** Null when the change applies at the end of the paid period (nothing to recalculate). */
  proration: z
    .object({
      convention: z.enum(['seconds', 'actual_days', 'fixed_30']),
      fraction: z.object({ num: z.number().int(), den: z.number().int() }),
      credit: money,
      charge: money,
      net: money
    })
    .nullable(),
  discountEffect: z.enum(['none', 'kept', 'lost-at-period-end', 'lost-at-switch']),
  notices: z.array(noticeSchema)
})

export const BALANCE_KINDS = [
  'top_up',
  'recurring_fee',
  'usage',
  'minutes_pack',
  'refund',
  'proration_credit',
  'proration_charge',
  'promised_credit',
  'promised_fee',
  'promised_repayment',
  'adjustment',
  'service_fee',
  'service_credit'
] as const
export const balanceEntry = z.object({
  id,
  kind: z.enum(BALANCE_KINDS),
  amount: money,
  /** English, for API users; the app words memoCode with memoParams. */
  memo: z.string(),
  memoCode: memoSchema.shape.code,
  memoParams: memoSchema.shape.params,
  at: instant
})
export const promisedPaymentSchema = z.object({
  id,
  amount: money,
  fee: money,
  status: z.enum(['active', 'overdue', 'repaid']),
  grantedAt: instant,
  dueAt: instant
})
export const balanceView = z.object({
  balance: money,
  /** Outgoing calls other than 911 are held while a promised payment is overdue. */
  restricted: z.boolean(),
  lastTopUp: balanceEntry.nullable(),
  lastCharge: balanceEntry.nullable(),
  promisedPayment: promisedPaymentSchema.nullable(),
  promisedPaymentOffer: z.object({
    eligible: z.boolean(),
    /** Why not now, as a code the app words itself; `reason` is the service's sentence. */
    why: z.enum(['positive-balance', 'too-deep', 'already-open', 'too-new']).nullable(),
    reason: z.string().nullable(),
    minTenureDays: z.number().int(),
    amount: money,
    fee: money,
    termDays: z.number().int()
  }),
  minutePacks: z.array(z.object({ minutes: z.number().int(), used: z.number().int(), expiresAt: instant }))
})
/** The longest statement period one query or export covers (days, both ends included). */
export const STATEMENT_MAX_DAYS = 366
export const statementEntry = balanceEntry.extend({
  /** With a period: the balance right after this entry. */
  balanceAfter: money.optional()
})
export const balanceEntries = z.object({
  entries: z.array(statementEntry),
  /** With a period (local dates in the account's time zone): the balance before and after it. */
  period: z
    .object({
      from: localDateSchema,
      to: localDateSchema,
      zone: z.string(),
      opening: money,
      closing: money,
      count: z.number().int()
    })
    .optional(),
  /** With a period: the offset of the next page, or null on the last. */
  nextOffset: z.number().int().nullable().optional()
})
/**
 * Without a period: the newest entries (the original form). With from and to (both or neither): that period's
 * entries, oldest first, a page of `limit` from `offset`, with the opening and closing balances.
 */
export const balanceEntriesQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    from: localDateSchema.optional(),
    to: localDateSchema.optional(),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0)
  })
  .strict()
  .refine((q) => q.from !== undefined || q.to === undefined, {
    ...custom('required', 'a period needs its first day'),
    path: ['from']
  })
  .refine((q) => q.to !== undefined || q.from === undefined, {
    ...custom('required', 'a period needs its last day'),
    path: ['to']
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, {
    ...custom('range-reversed', 'from must not be after to'),
    path: ['to']
  })
/** The app's language: the words of a PDF or CSV (issue 25); English when absent. */
export const fileLanguage = z.enum(LANGUAGE_CODES).optional()
export const statementExportQuery = z
  .object({
    from: localDateSchema,
    to: localDateSchema,
    format: z.enum(['csv', 'pdf']),
    language: fileLanguage
  })
  .strict()
  .refine((q) => q.from <= q.to, { ...custom('range-reversed', 'from must not be after to'), path: ['to'] })
export const topUpRequest = z
  .object({
    idempotencyKey,
    amountMinor: z.number().int().min(100, 'top up at least 1.00').max(50_000, 'top up at most 500.00'),
    payment: paymentChoice
  })
  .strict()
export const promisedPaymentRequest = z.object({ idempotencyKey }).strict()
export const buyMinutesRequest = z.object({ idempotencyKey, planId: planIdSchema }).strict()

export const periodQuery = z
  .object({ from: localDateSchema, to: localDateSchema })
  .strict()
  .refine((q) => q.from <= q.to, custom('range-reversed', 'from must not be after to'))
export const seriesQuery = z
  .object({ granularity: z.enum(['day', 'month']), from: localDateSchema, to: localDateSchema })
  .strict()
  .refine((q) => q.from <= q.to, custom('range-reversed', 'from must not be after to'))
  .superRefine(seriesWithinBounds)
export const usageSeries = z.object({
  granularity: z.enum(['day', 'month']),
  currency: z.string(),
  points: z.array(
    z.object({
      period: z.string(),
      usageMinor: z.number().int(),
      feesMinor: z.number().int(),
      minutes: z.number().int()
    })
  )
})
export const callDetail = z.object({
  startedAt: instant,
  lineId: id,
  destination: z.string(),
  zone: z.enum(['domestic', 'international']),
  seconds: z.number().int(),
  billedMinutes: z.number().int(),
  packMinutes: z.number().int(),
  amount: money,
  /** Only on a call the line forwarded out (it pays that leg, to `destination`): the original caller, '' if withheld. */
  forwardedFrom: z.string().optional()
})
export const callDetails = z.object({
  from: localDateSchema,
  to: localDateSchema,
  calls: z.array(callDetail)
})
/** Itemised calls as a file, its words in the app's language (fileLanguage; English when absent). */
export const exportQuery = z
  .object({
    from: localDateSchema,
    to: localDateSchema,
    format: z.enum(['csv', 'pdf']),
    language: fileLanguage
  })
  .strict()
  .refine((q) => q.from <= q.to, custom('range-reversed', 'from must not be after to'))
export const exportFile = z.object({
  filename: z.string(),
  contentType: z.string(),
  contentBase64: z.string()
})
/** The same file emailed: in the app's language, or, when absent, the account's (the email's own). */
export const emailExportRequest = z
  .object({
    from: localDateSchema,
    to: localDateSchema,
    format: z.enum(['csv', 'pdf']),
    language: fileLanguage
  })
  .strict()
  .refine((q) => q.from <= q.to, custom('range-reversed', 'from must not be after to'))

export const blockedNumber = z.object({
  number: z.string(),
  label: z.string().nullable(),
  createdAt: instant
})
export const blockedList = z.object({ numbers: z.array(blockedNumber), max: z.number().int() })
export const blockRequest = z
  .object({
    number: matches('phone'),
    label: text(0, 60).optional()
  })
  .strict()
export const subscribeTariffRequest = z.object({ planId: planIdSchema }).strict()
