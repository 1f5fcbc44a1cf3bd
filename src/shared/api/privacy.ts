/**
 * A person's own data (privacy law, app stores): downloading what the service holds about the account, as JSON,
 * and closing the account. Closing is asked with the password, takes effect after CLOSURE_GRACE_DAYS, and is
 * cancelled by signing in and choosing "Keep my account" before then (src/server/identity/closure.ts says what
 * happens when). Only the account's own sign-in may close it; a business's member downloads their own sign-in's
 * data, never the business's (src/shared/api/access.ts).
 */
import { z } from 'zod'
import { anyPassword, instant } from './common'
import { route } from './route'

/** Days between asking to close the account and its closing: signing in and keeping it undoes it until then. */
export const CLOSURE_GRACE_DAYS = 30

/** The format's name and version in every export: a reader checks them before reading the rest. */
export const EXPORT_FORMAT = 'dialtone-account-export'
export const EXPORT_VERSION = 1

/** Times as stored (ISO 8601, UTC); not re-checked on the way out: an export must not fail on one odd row. */
const at = z.string()
const when = at.nullable()
const money = { amountMinor: z.number().int(), currency: z.string() }

/** What the service holds about the account; never a secret (password hash, SIP password, card token, codes). */
export const accountExport = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(EXPORT_VERSION),
  exportedAt: at,
  account: z.object({
    id: z.string(),
    type: z.string(),
    status: z.string(),
    name: z.string(),
    company: z.string().nullable(),
    contactPhone: z.string().nullable(),
    billingAddress: z.record(z.string(), z.unknown()).nullable(),
    language: z.string().nullable(),
    timeZone: z.string(),
    notifications: z.record(z.string(), z.unknown()),
    createdAt: at
  }),
  emails: z.array(
    z.object({
      address: z.string(),
      role: z.string(),
      confirmedAt: when,
      preferred: z.boolean(),
      addedAt: at
    })
  ),
  phones: z.array(z.object({ e164: z.string(), verifiedAt: when, addedAt: at })),
  lines: z.array(
    z.object({
      id: z.string(),
      status: z.string(),
      number: z.string().nullable(),
      label: z.string().nullable(),
      deviceSerial: z.string(),
      createdAt: at,
      closedAt: when,
      numbers: z.array(
        z.object({ number: z.string(), assignedAt: at, releasedAt: when, reason: z.string() })
      ),
      e911Addresses: z.array(
        z.object({
          street: z.string(),
          unit: z.string(),
          city: z.string(),
          region: z.string(),
          postalCode: z.string(),
          country: z.string(),
          registeredAt: at,
          supersededAt: when
        })
      )
    })
  ),
  devices: z.array(
    z.object({ serial: z.string(), model: z.string(), channel: z.string().nullable(), addedAt: at })
  ),
  subscriptions: z.array(
    z.object({
      lineId: z.string(),
      plan: z.string(),
      status: z.string(),
      autoRenew: z.boolean(),
      createdAt: at,
      canceledAt: when
    })
  ),
  coverage: z.array(
    z.object({ lineId: z.string(), startsAt: at, endsAt: at, source: z.string(), voidedAt: when })
  ),
  cards: z.array(
    z.object({
      brand: z.string(),
      last4: z.string(),
      expMonth: z.number().int(),
      expYear: z.number().int(),
      addedAt: at,
      removedAt: when
    })
  ),
  balance: z.array(z.object({ at: at, kind: z.string(), ...money, memo: z.string() })),
  invoices: z.array(
    z.object({
      number: z.string(),
      period: z.string(),
      totalMinor: z.number().int(),
      currency: z.string(),
      issuedAt: at
    })
  ),
  calls: z.array(
    z.object({
      lineId: z.string(),
      startedAt: at,
      destination: z.string(),
      seconds: z.number(),
      billedMinutes: z.number(),
      zone: z.string(),
      ...money,
      forwardedFrom: z.string().nullable()
    })
  ),
  voicemail: z.array(
    z.object({
      lineId: z.string(),
      caller: z.string(),
      callerName: z.string().nullable(),
      reason: z.string(),
      receivedAt: at,
      durationMs: z.number(),
      heardAt: when
    })
  ),
  support: z.array(
    z.object({
      id: z.string(),
      topic: z.string(),
      status: z.string(),
      createdAt: at,
      closedAt: when,
      messages: z.array(z.object({ from: z.enum(['person', 'support']), at: at, text: z.string() }))
    })
  ),
  sessions: z.array(
    z.object({
      client: z.string().nullable(),
      address: z.string().nullable(),
      createdAt: at,
      lastSeenAt: at,
      expiresAt: at,
      revokedAt: when
    })
  ),
  closures: z.array(z.object({ status: z.string(), requestedAt: at, closesAt: at, endedAt: when })),
  /**
   * The business accounts this sign-in works for (a member's own download; empty for any other account): the
   * business by its name, the role, a line user's line by its number, since when. Absent from older services.
   */
  memberships: z
    .array(z.object({ business: z.string(), role: z.string(), lineNumber: z.string().nullable(), since: at }))
    .optional(),
  /** What the service recorded of the account's activity (its audit lines), oldest first. */
  activity: z.array(
    z.object({
      at: at,
      kind: z.string(),
      address: z.string().nullable(),
      detail: z.record(z.string(), z.unknown())
    })
  )
})
export type AccountExport = z.infer<typeof accountExport>

/** The account's closure as the app shows it, and what closing would do (said before the password is asked). */
export const accountClosure = z.object({
  /** A scheduled closure: when it was asked and when the account closes; null when none is scheduled. */
  scheduled: z.object({ requestedAt: instant, closesAt: instant }).nullable(),
  /** The lines that close, by number (null: a line without a number yet). */
  lines: z.array(z.object({ id: z.string(), number: z.string().nullable() })),
  /** The balance now, in minor units (positive: money the account holds). */
  balance: z.object(money),
  graceDays: z.number().int(),
  /** When the account would close if its closure were asked now (the app says the date before the password). */
  wouldCloseAt: instant
})
export type AccountClosure = z.infer<typeof accountClosure>

export const closeAccountRequest = z.object({ password: anyPassword }).strict()

export const PRIVACY_API_ROUTES = {
  exportAccountData: route({
    method: 'GET',
    path: '/v1/account/export',
    input: null,
    output: accountExport,
    auth: 'required'
  }),
  accountClosure: route({
    method: 'GET',
    path: '/v1/account/closure',
    input: null,
    output: accountClosure,
    auth: 'required'
  }),
  closeAccount: route({
    method: 'POST',
    path: '/v1/account/closure',
    input: closeAccountRequest,
    output: accountClosure,
    auth: 'required',
    status: 202
  }),
  keepAccount: route({
    method: 'DELETE',
    path: '/v1/account/closure',
    input: null,
    output: accountClosure,
    auth: 'required'
  })
} as const
