/** Identity API: sign-in, sessions, password reset, sign-up by phone, the account profile and its emails. */
import { z } from 'zod'
import { messageLanguage, signupLanguage } from './message-language'
import { matches } from './formats'
import { normalizeNanp } from '../numbers/nanp'
import { postalCodeMismatch } from '../numbers/e911'
import { anyPassword, emailAddress, id, instant, newPassword, text } from './common'
import { signupTimeZone } from './time-zone'

/** How long a password reset code works, and a 6-digit code (SMS, email confirmation): the service's rule, said by the app. */
export const RESET_CODE_MINUTES = 30
export const ONE_TIME_CODE_MINUTES = 10

export const phoneNumber = z
  .string()
  .max(32)
  .transform((s, ctx) => {
    const e164 = normalizeNanp(s)
    if (e164 === null) {
      ctx.addIssue({
        code: 'custom',
        message: 'not a US or Canadian phone number',
        params: { code: 'bad-format', format: 'nanp-phone' }
      })
      return z.NEVER
    }
    return e164
  })

/** An email address or a phone number: what a person signs in with. */
export const identifierSchema = z.string().trim().min(3).max(254)

/**
 * One identifier, one spelling: "+1 201…" and "201…" are the same number, "A@x.test" and "a@x.test" the same
 * email. Sign-in budgets and device tokens are kept per this key, by the service and the app alike.
 */
export function identifierKey(identifier: string): string {
  const t = identifier.trim().toLowerCase()
  return t.includes('@') ? t : (normalizeNanp(t) ?? t)
}

export const signInRequest = z
  .object({
    identifier: identifierSchema,
    password: anyPassword,
    client: text(1, 80).optional(),
    /** What an earlier sign-in to this identifier gave this client: its attempts are throttled on their own. */
    deviceToken: z.string().max(120).optional()
  })
  .strict()
export const sessionResponse = z.object({
  token: z.string(),
  sessionId: id,
  accountId: id,
  expiresAt: instant
})
export const signInResponse = sessionResponse.extend({ deviceToken: z.string() })
export type SessionResponse = z.infer<typeof sessionResponse>

export const sessionInfo = z.object({
  id,
  /** How the app named itself at sign-in, e.g. "Dialtone 0.1.0 (linux)"; null when it did not say. */
  client: z.string().nullable(),
  /** The network address the session was last used from (the service has no place names for addresses). */
  address: z.string().nullable(),
  createdAt: instant,
  lastSeenAt: instant,
  expiresAt: instant,
  current: z.boolean()
})
export const sessionList = z.object({ sessions: z.array(sessionInfo) })

export const forgotPasswordRequest = z.object({ identifier: identifierSchema }).strict()
/** The same answer whether or not the account exists. */
export const acceptedResponse = z.object({ status: z.literal('accepted'), message: z.string() })
export const resetPasswordRequest = z
  // Pasted from an email: spaces around it are the paste's, not the code's; a short one is refused as unknown.
  .object({ token: z.string().trim().min(1).max(200), password: newPassword })
  .strict()
export const changePasswordRequest = z
  .object({ currentPassword: anyPassword, newPassword, signOutOthers: z.boolean().default(true) })
  .strict()

export const phoneSignupStart = z.object({ phone: phoneNumber, ...signupLanguage }).strict()
export const phoneSignupVerify = z
  .object({
    phone: phoneNumber,
    code: matches('activation-code'),
    name: text(1, 100),
    email: emailAddress,
    password: newPassword,
    ...signupTimeZone,
    ...signupLanguage,
    /** How the app names itself in the account's session list (as at sign-in). */
    client: text(1, 80).optional()
  })
  .strict()

export const ACCOUNT_TYPES = ['individual', 'business', 'legal_entity'] as const
export const accountType = z.enum(ACCOUNT_TYPES)

export const postalAddress = z
  .object({
    street: text(1, 120),
    unit: text(0, 40).optional(),
    city: text(1, 60),
    region: text(0, 40),
    postalCode: text(1, 16),
    country: matches('country')
  })
  .strict()

/** A US or Canadian address names its state or province (an empty one is 'required', like the other fields). */
const regionGiven = (a: z.infer<typeof postalAddress>, ctx: z.RefinementCtx): void => {
  if ((a.country === 'US' || a.country === 'CA') && a.region.trim() === '')
    ctx.addIssue({
      code: 'custom',
      path: ['region'],
      params: { code: 'required' },
      message: 'a US or Canadian address needs its state or province'
    })
}

/** A new account's billing address (trial, purchased dongle): the state or province is asked in the US and Canada. */
export const signupBillingAddress = postalAddress.superRefine(regionGiven)

/** A billing address as typed: in the US and Canada the postal code must be one of the country's. */
export const billingAddressInput = postalAddress.superRefine((a, ctx) => {
  const format = postalCodeMismatch(a.country, a.postalCode)
  if (format)
    ctx.addIssue({
      code: 'custom',
      path: ['postalCode'],
      params: { code: 'bad-format', format },
      message:
        format === 'zip-code' ? 'a ZIP code is 5 digits (or ZIP+4)' : 'a postal code looks like K1A 0B1'
    })
})

/** The Profile tab's billing address: as typed, and with its state or province in the US and Canada. */
export const contactBillingAddress = billingAddressInput.superRefine(regionGiven)

export const contactDetails = z
  .object({
    name: text(1, 100),
    company: text(0, 100).nullable(),
    phone: phoneNumber.nullable(),
    billingAddress: contactBillingAddress.nullable()
  })
  .strict()
export const contactPatch = contactDetails.partial().strict()

/**
 * The kinds of notice a person can switch (the service's table of which message is which kind is
 * src/shared/api/notice-topics.ts). billing: renewal reminders and renewal confirmations; cardExpiring: the card
 * auto-renew uses expires first; paymentProblems: dunning (a renewal payment failed, auto-renew cancelled);
 * promisedPayment: a promised payment fell due.
 */
export const NOTIFICATION_TOPICS = [
  'service',
  'billing',
  'cardExpiring',
  'paymentProblems',
  'promisedPayment',
  'security',
  'missedCalls',
  'offers'
] as const
export const notificationSettings = z
  .object({
    service: z.boolean(),
    billing: z.boolean(),
    cardExpiring: z.boolean(),
    paymentProblems: z.boolean(),
    promisedPayment: z.boolean(),
    /** Security notices (password changed, new email, device transferred) cannot be switched off. */
    security: z.literal(true),
    missedCalls: z.boolean(),
    offers: z.boolean()
  })
  .strict()
export type NotificationTopic = (typeof NOTIFICATION_TOPICS)[number]
export const notificationPatch = notificationSettings.omit({ security: true }).partial().strict()

export const accountEmail = z.object({
  id,
  address: z.string(),
  role: z.enum(['original', 'secondary']),
  verified: z.boolean(),
  preferred: z.boolean()
})
export const addEmailRequest = z.object({ address: emailAddress }).strict()
export const verifyEmailRequest = z.object({ code: matches('activation-code') }).strict()

export const accountProfile = z.object({
  id,
  type: accountType,
  status: z.enum(['active', 'locked', 'closed']),
  contact: z.object({
    name: z.string(),
    company: z.string().nullable(),
    phone: z.string().nullable(),
    billingAddress: postalAddress.nullable()
  }),
  emails: z.array(accountEmail),
  phones: z.array(z.object({ e164: z.string(), verified: z.boolean() })),
  notifications: notificationSettings,
  /** The language the service's emails and texts to the account's people are in (message-language.ts). */
  language: messageLanguage,
  /** The IANA zone the account's business dates are counted in. */
  timeZone: z.string(),
  /** Today in that zone by the service's clock: the day the app counts business dates from. */
  today: matches('date'),
  createdAt: instant
})
export type AccountProfile = z.infer<typeof accountProfile>
