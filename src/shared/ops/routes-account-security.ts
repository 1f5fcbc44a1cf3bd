/**
 * The ops API's answers to "if this was not you … contact support" (src/server/ops/accounts/security.ts): an
 * account's own history of sign-ins, resets and address changes; every session ended; and an account taken over
 * given back to the owner's proved address (the others removed, every session ended, a reset code sent there).
 */
import { z } from 'zod'
import { emailAddress, id, instant } from '../api/common'
import { opsRoute, reasonField } from './route'

export const ACCOUNT_SECURITY_OPS_ROUTES = {
  opsAccountsHistory: opsRoute({
    method: 'GET',
    path: '/ops/v1/accounts/:accountId/history',
    access: 'accounts.read',
    summary:
      "an account's own history, newest first: sign-ins (and failed ones), resets, password and address changes, with the addresses they came from",
    input: z
      .object({
        accountId: id,
        limit: z.coerce.number().int().min(1).max(500).default(50),
        reason: reasonField
      })
      .strict(),
    output: z.object({
      accountId: z.string(),
      events: z.array(
        z.object({ at: instant, kind: z.string(), ip: z.string().nullable(), detail: z.string() })
      )
    })
  }),
  opsAccountsEndSessions: opsRoute({
    method: 'POST',
    path: '/ops/v1/accounts/:accountId/end-sessions',
    access: 'accounts.secure',
    summary:
      'end every session of an account (the app asks for the password again wherever it was signed in)',
    input: z.object({ accountId: id, reason: reasonField }).strict(),
    output: z.object({ accountId: z.string(), ended: z.number().int() })
  }),
  opsAccountsRecover: opsRoute({
    method: 'POST',
    path: '/ops/v1/accounts/:accountId/recover',
    access: 'accounts.secure',
    summary:
      "give an account taken over back to its owner: the owner's confirmed address its original and preferred one, the other addresses removed, the password and every session ended, new SIP passwords, a reset code sent to that address; the 911 addresses registered lately named",
    input: z.object({ accountId: id, email: emailAddress, reason: reasonField }).strict(),
    output: z.object({
      accountId: z.string(),
      preferred: z.string(),
      removed: z.array(z.string()),
      sessionsEnded: z.number().int(),
      linesRekeyed: z.number().int(),
      forwardingCleared: z.number().int(),
      members: z.array(z.object({ email: z.string(), role: z.string(), since: instant })),
      e911Changed: z.array(
        z.object({ line: z.string(), address: z.string(), since: instant, previous: z.string().nullable() })
      )
    })
  })
} as const
