/**
 * Every reason the service (and main, on the service's behalf) can give for a refusal, as stable codes. The app
 * words each one in the person's language (src/renderer/src/words); the English `message` next to a code is for
 * API users and logs only. One list: the server's ServiceError accepts only these, the renderer's unit test
 * checks each has a sentence in every locale, and a new refusal cannot ship without both.
 *
 * Parameters a sentence may use travel in `params` next to the code (noted after each group).
 */

/** The rules a new password must follow beyond its length, each the code of the field issue that breaks it. */
export const WEAK_PASSWORD_CODES = ['password-common', 'password-repeated', 'password-personal'] as const
export type WeakPasswordCode = (typeof WEAK_PASSWORD_CODES)[number]

/** Why the service refused a request, within its HTTP error code. */
export const REASON_CODES = [
  // request shape (error handler): no params
  'invalid-input',
  'payload-too-large',
  'unsupported-media-type',
  'empty-body',
  'bad-json',
  'bad-content-length',
  'no-route',
  'internal',
  'database-busy',
  'overloaded', // the service's admission control (src/server/http/admission.ts): 503 with Retry-After
  'storage-full',
  'cross-origin',
  // sessions and sign-in
  'session',
  'sign-in-required',
  'wrong-credentials',
  'wrong-password',
  'weak-password', // the field's issue says which rule: one of WEAK_PASSWORD_CODES
  ...WEAK_PASSWORD_CODES,
  'rate-limited', // params: retryAfterS
  'many-requests', // a budget everyone shares ran out (a flood, not this person): params: retryAfterS
  'sms-area-paused', // the day's sign-up codes by SMS to this area code ran out: params: retryAfterS
  'signin-delay', // params: retryAfterS
  'host-not-allowed',
  'dev-mailbox-local',
  // one-time codes and tokens
  'code-expired',
  'code-attempts',
  'code-wrong', // params: left
  'no-code',
  'code-used',
  'token-invalid', // the field's issue says which: token-unknown, token-used or token-expired
  'token-unknown',
  'token-used',
  'token-expired',
  'terms-not-found',
  'e911-not-found',
  // accounts and emails
  'email-taken',
  'phone-taken',
  'too-many-emails', // params: max
  'already-verified',
  'original-email',
  'preferred-email',
  'not-verified',
  'email-not-found',
  'account-not-found',
  'session-not-found',
  'no-confirmed-email',
  // devices, trials, transfers
  'model-mismatch',
  'device-owned',
  'trial-used',
  'trial-unknown',
  'order-claimed',
  'order-mismatch',
  'order-names-no-serial', // a web-shop order naming no dongle, for one that cannot prove itself
  'terms-outdated', // params: version
  'e911-outdated', // params: version
  'not-owned',
  'already-yours',
  'transfer-pending',
  'transfer-closed',
  'transfer-expired', // params: date (YYYY-MM-DD, the day it expired)
  'transfer-not-found',
  'transfer-code-wrong', // params: serial
  'owner-changed',
  'device-not-found',
  'device-not-recognised',
  'proof-of-purchase-required',
  'proof-code-invalid',
  'proof-withdrawn',
  'registry-batch-invalid',
  'duplicate-serial',
  'serial-registered',
  // numbers, lines, 911
  'area-code',
  'area-exhausted', // params: areaCode
  'busy',
  'number-unavailable',
  'not-nanp-number',
  'no-number',
  'country-mismatch', // params: country
  'line-not-found',
  'line-closed',
  'line-pending',
  'line-lapsed',
  'coverage-cap', // params: years, date
  // plans, subscriptions, plan changes
  'plan-not-found',
  'plan-replaced',
  'no-plan',
  'past-due',
  'same-plan',
  'incompatible-plan', // params: from, to (plan codes)
  'no-period',
  'end-of-term', // params: date
  'date-required',
  'too-soon', // params: date
  'too-late',
  'written-request',
  'first-of-month',
  'ten-day-rule', // params: days, date
  'change-not-found',
  'already-subscribed',
  'tariff-month-paid', // joining another tariff in a month already paid on the line's (cancelled) one
  'price-changed', // a switch whose amounts are no longer the ones the person was shown
  'plan-not-eligible',
  'no-card',
  'card-expires-first',
  'not-subscribed',
  'not-canceled',
  'already-canceled', // params: date
  'period-ended', // params: date
  'dunning',
  'wrong-plan-kind',
  // orders, payments, balance
  'renewal-in-progress',
  'duplicate-line',
  'mixed-currency',
  'card-not-saved',
  'card-number',
  'card-expired',
  'card_declined',
  'insufficient_funds',
  'expired_card',
  'payment-method-not-found',
  'idempotency-mismatch',
  'in-progress',
  'balance-too-low',
  'promised-not-eligible', // params: why
  'period-in-future', // params: date (the account's today)
  'period-too-long', // params: days
  // vouchers, offers, blocked numbers
  'voucher-invalid',
  'voucher-state',
  'voucher-not-found',
  'batch-size',
  'offer-not-found',
  'offer-not-eligible', // params: why
  'no-billing-address',
  'already-ordered',
  'not-a-number',
  'phone-too-short', // a number with fewer digits than any phone number (blocked numbers)
  'phone-too-long', // more digits than any phone number (15)
  'phone-not-included', // sign-up by phone: a NANP number outside the US, Canada and the US territories
  'blocked-list-full', // params: max
  'blocked-number-not-found',
  // call forwarding (issue 23)
  'forward-to-self',
  'forward-loop', // params: number (the Dialtone line that forwards back)
  'forward-not-nanp', // abroad, or another NANP country (Jamaica, ...): forwarding stays within the plan's countries
  'forward-premium', // a premium-rate number (NANP 900): never a target
  'forward-incomplete', // too few digits for a US or Canadian number ("555")
  // promotion codes at checkout (issue 20): unknown and ended by the operator answer alike ('promo-invalid')
  'promo-invalid',
  'promo-not-yet', // params: date (YYYY-MM-DD, UTC day it starts)
  'promo-expired',
  'promo-used-up',
  'promo-one-line',
  'promo-conversion-only',
  'promo-renewal-only',
  'promo-new-accounts',
  'promo-has-discount',
  'promo-already-used',
  // voicemail (issue 23): a message that is not (or no longer) in the line's box; a greeting refused
  'voicemail-message-not-found',
  'greeting-not-found',
  'greeting-silent',
  'greeting-too-long', // params: maxS
  'greeting-unreadable',
  // support (issue 25)
  'support-request-not-found',
  'support-request-closed',
  // connected services (issue 25)
  'service-not-found',
  'service-not-switchable',
  'service-retired',
  'service-exists',
  'service-feature-offered',
  // a paid service on by default would be on lines that never asked for it, and no month of it charged
  'service-paid-default-on',
  // business accounts (issue 25)
  'role-refused',
  'not-your-line',
  'not-business',
  'email-unavailable',
  'member-not-found',
  'invoice-not-found',
  'invoice-exists', // params: period (YYYY-MM)
  'document-not-found',
  'document-not-ready',
  // closing an account (src/server/identity/closure.ts)
  'closure-scheduled', // params: date (YYYY-MM-DD, the account's day it closes)
  'closure-not-scheduled',
  'business-has-people',
  'legal-entity-closure'
] as const
export type ReasonCode = (typeof REASON_CODES)[number]

/**
 * Reasons main gives when it speaks for the service (it could not be reached) or for itself (devices, storage,
 * its own contract). They travel in DialtoneError.reason like the service's.
 */
export const APP_REASON_CODES = [
  'unreachable',
  'timeout',
  'bad-response',
  'unknown-command',
  'contract-broken',
  'unexpected',
  'page-not-allowed',
  'storage-failed',
  'no-indicator',
  'no-line-power',
  'device-missing',
  'device-not-ready',
  'no-driver',
  'usb-error',
  'no-virtual-dongle',
  'dongle-not-plugged',
  'dongle-unplugged',
  // the app's own updates (app.update.install)
  'update-not-ready',
  'call-in-progress',
  // the call history (phone.clearHistory): someone else signed in between showing it and clearing it
  'history-owner-changed'
] as const
export type AppReasonCode = (typeof APP_REASON_CODES)[number]

export const isReasonCode = (v: unknown): v is ReasonCode | AppReasonCode =>
  typeof v === 'string' &&
  ((REASON_CODES as readonly string[]).includes(v) || (APP_REASON_CODES as readonly string[]).includes(v))

/** The values a sentence may need: numbers, dates (YYYY-MM-DD), codes. Never free text from a person. */
export type ReasonParams = Readonly<Record<string, string | number>>
