/**
 * The ops API's account actions (issue 20): look-up by email, number or serial; business and legal-entity
 * accounts with an email invitation; a legal entity's written plan-change request for the next 1st; codes sent
 * again; sign-in delays cleared; a line suspended and restored; a dongle moved between accounts. Card details in
 * an account's view are given to billing and admin only (null for support). Looking at an account (find, show)
 * reads a person's data, so it takes a reason like a change does (kept in the audit log).
 */
import { z } from 'zod'
import { emailAddress, id, instant, text } from '../api/common'
import { LINE_STATUSES, serialNumber } from '../api/devices'
import { matches } from '../api/formats'
import { billingAddressInput } from '../api/identity'
import { timeZoneSchema } from '../api/time-zone'
import { signupLanguage } from '../api/message-language'
import { opsRoute, reasonField } from './route'

export const OPS_ACCOUNT_TYPES = ['business', 'legal_entity'] as const

export const accountView = z.object({
  id: z.string(),
  type: z.enum(['individual', 'business', 'legal_entity']),
  status: z.enum(['active', 'locked', 'closed']),
  name: z.string(),
  company: z.string().nullable(),
  timeZone: z.string(),
  createdAt: instant,
  emails: z.array(
    z.object({ address: z.string(), role: z.string(), verified: z.boolean(), preferred: z.boolean() })
  ),
  phones: z.array(z.object({ e164: z.string(), verified: z.boolean() })),
  lines: z.array(
    z.object({
      id: z.string(),
      status: z.enum(LINE_STATUSES),
      number: z.string().nullable(),
      deviceSerial: z.string(),
      label: z.string().nullable(),
      paidThrough: instant.nullable(),
      suspendedAt: instant.nullable(),
      /** Why support suspended the line and who did (an operator's email; null when that operator is gone). */
      suspension: z.object({ reason: z.string(), by: z.string().nullable() }).nullable(),
      plan: z.string().nullable(),
      pendingChange: z.object({ toPlan: z.string(), effectiveDate: z.string() }).nullable()
    })
  ),
  devices: z.array(z.object({ serial: z.string(), model: z.string(), channel: z.string().nullable() })),
  invitation: z.object({ email: z.string(), sentAt: instant, acceptedAt: instant.nullable() }).nullable(),
  cardsOnFile: z.number().int(),
  /** Brand, last four digits and expiry: billing and admin only; null for support. */
  cards: z
    .array(
      z.object({
        brand: z.string(),
        last4: z.string(),
        expMonth: z.number().int(),
        expYear: z.number().int()
      })
    )
    .nullable(),
  /** Sign-in attempts being delayed for one of its identifiers (what `accounts unlock` clears). */
  signInDelayed: z.boolean(),
  /** Its owner's latest request to close it (src/server/identity/closure.ts): scheduled, cancelled or completed. */
  closure: z
    .object({
      status: z.enum(['scheduled', 'cancelled', 'completed']),
      requestedAt: instant,
      closesAt: instant,
      endedAt: instant.nullable()
    })
    .nullable()
})
export type AccountView = z.infer<typeof accountView>

const lineParam = z.object({ lineId: id, reason: reasonField }).strict()
const lineAnswer = z.object({
  lineId: z.string(),
  accountId: z.string(),
  status: z.enum(LINE_STATUSES),
  suspendedAt: instant.nullable()
})

export const ACCOUNTS_OPS_ROUTES = {
  opsAccountsFind: opsRoute({
    method: 'GET',
    path: '/ops/v1/accounts',
    access: 'accounts.read',
    summary:
      'find accounts by exactly one of email (any of its addresses), number (a line or phone) or serial',
    input: z
      .object({
        email: emailAddress.optional(),
        number: z.string().trim().min(7).max(20).optional(),
        serial: serialNumber.optional(),
        reason: reasonField
      })
      .strict(),
    output: z.object({ accounts: z.array(accountView) })
  }),
  opsAccountsShow: opsRoute({
    method: 'GET',
    path: '/ops/v1/accounts/:accountId',
    access: 'accounts.read',
    summary: 'one account: emails, lines, numbers, dongles, status',
    input: z.object({ accountId: id, reason: reasonField }).strict(),
    output: z.object({ account: accountView })
  }),
  opsAccountsCreate: opsRoute({
    method: 'POST',
    path: '/ops/v1/accounts',
    access: 'accounts.create',
    status: 201,
    summary:
      'create a business or legal-entity account; its contact gets an email invitation to choose the password',
    input: z
      .object({
        type: z.enum(OPS_ACCOUNT_TYPES),
        company: text(1, 120),
        contactName: text(1, 100),
        email: emailAddress,
        phone: matches('phone').optional(),
        billingAddress: billingAddressInput,
        timeZone: timeZoneSchema.optional(),
        /** The language of the account's messages, its invitation first (as the company asked); English when absent. */
        ...signupLanguage
      })
      .strict(),
    output: z.object({ account: accountView, invitationExpiresAt: instant })
  }),
  opsPlansList: opsRoute({
    method: 'GET',
    path: '/ops/v1/plans',
    access: 'plans.read',
    summary:
      'every plan version: its id (code@version, what plan-change and vouchers create take), name, price, on sale',
    input: null,
    output: z.object({
      plans: z.array(
        z.object({
          id: z.string(),
          code: z.string(),
          version: z.number().int(),
          name: z.string(),
          kind: z.string(),
          interval: z.string(),
          intervalCount: z.number().int(),
          priceMinor: z.number().int(),
          currency: z.string(),
          onSale: z.boolean()
        })
      )
    })
  }),
  opsAccountsPlanChange: opsRoute({
    method: 'POST',
    path: '/ops/v1/accounts/:accountId/plan-changes',
    access: 'accounts.plan-change',
    status: 201,
    summary:
      "a legal entity's written plan-change request: effective the next month's 1st in the account's time zone",
    input: z
      .object({ accountId: id, lineId: id, planId: z.string().min(1).max(64), reason: reasonField })
      .strict(),
    output: z.object({
      accountId: z.string(),
      lineId: z.string(),
      fromPlan: z.string(),
      toPlan: z.string(),
      effectiveDate: z.string()
    })
  }),
  opsAccountsPlanChangeWithdraw: opsRoute({
    method: 'POST',
    path: '/ops/v1/accounts/:accountId/plan-changes/withdraw',
    access: 'accounts.plan-change',
    summary: "a legal entity's written request to withdraw its line's scheduled plan change",
    input: z.object({ accountId: id, lineId: id, reason: reasonField }).strict(),
    output: z.object({
      accountId: z.string(),
      lineId: z.string(),
      toPlan: z.string(),
      effectiveDate: z.string()
    })
  }),
  opsAccountsResendCode: opsRoute({
    method: 'POST',
    path: '/ops/v1/accounts/codes/resend',
    access: 'accounts.resend',
    // Resending goes through the same rate limits as the person's own "send again", which run outside.
    atomic: false,
    summary:
      'send again what waits for an email (invitation, email confirmation, trial code) or a number (sign-up code)',
    input: z
      .object({ email: emailAddress.optional(), number: z.string().trim().min(7).max(20).optional() })
      .strict(),
    output: z.object({
      sent: z.array(
        z.object({
          kind: z.enum(['invitation', 'email-confirmation', 'trial-code', 'signup-code']),
          to: z.string(),
          accountId: z.string().nullable()
        })
      )
    })
  }),
  opsAccountsUnlock: opsRoute({
    method: 'POST',
    path: '/ops/v1/accounts/:accountId/unlock',
    access: 'accounts.unlock',
    summary: 'clear the sign-in delays of every identifier of the account (emails, phones, line numbers)',
    input: z.object({ accountId: id }).strict(),
    output: z.object({ accountId: z.string(), cleared: z.number().int() })
  }),
  opsLinesSuspend: opsRoute({
    method: 'POST',
    path: '/ops/v1/lines/:lineId/suspend',
    access: 'lines.suspend',
    summary: 'suspend a line: no service (911 excepted) until restored; the app tells its owner',
    input: lineParam,
    output: lineAnswer
  }),
  opsLinesRestore: opsRoute({
    method: 'POST',
    path: '/ops/v1/lines/:lineId/restore',
    access: 'lines.suspend',
    summary: 'restore a suspended line: its state is derived again (in service when it has all it needs)',
    input: lineParam,
    output: lineAnswer
  }),
  opsDevicesMove: opsRoute({
    method: 'POST',
    path: '/ops/v1/devices/:serial/move',
    access: 'devices.move',
    summary:
      'move a dongle to another account: its line closes (number to quarantine), the new owner gets a new line',
    input: z
      .object({
        serial: serialNumber,
        toAccountId: id,
        areaCode: matches('area-code').optional(),
        reason: reasonField
      })
      .strict(),
    output: z.object({
      serial: z.string(),
      fromAccountId: z.string(),
      toAccountId: z.string(),
      closedLines: z.array(z.string()),
      lineId: z.string(),
      number: z.string().nullable()
    })
  })
} as const
