/**
 * The ops API's account actions (issue 20; routes in src/shared/ops/routes-accounts.ts): each handler calls the
 * service function of src/server/ops/accounts/ and tells the audit log its target and what changed. Card details
 * go only to roles that may handle money (billing, admin).
 */
import type { ACCOUNTS_OPS_ROUTES } from '../../../shared/ops/routes-accounts'
import type { Role } from '../../../shared/ops/permissions'
import type { ServiceContext } from '../../context'
import { createBusinessAccount } from '../accounts/business'
import { resendCodes, unlockSignIn } from '../accounts/codes'
import { moveDevice } from '../accounts/move'
import { takeWrittenPlanChange, withdrawWrittenPlanChange } from '../accounts/plan-request'
import { restoreLine, suspendLine } from '../accounts/suspend'
import { accountViewOf, findAccountIds } from '../accounts/view'
import { type HandlersOf, actorOf } from './handlers-of'

/** Which identifier a search was by, for its audit entry (the value itself is not kept). */
const searchKind = (q: { email?: string | undefined; number?: string | undefined }) =>
  q.email !== undefined ? 'email' : q.number !== undefined ? 'number' : 'serial'

/** Card details (brand, last four, expiry) are for billing and admin; support sees that a card exists. */
export const seesCards = (role: Role | null): boolean => role === 'billing' || role === 'admin'

export function accountsHandlers(ctx: ServiceContext): HandlersOf<keyof typeof ACCOUNTS_OPS_ROUTES> {
  return {
    opsAccountsFind: async (query, act) => {
      // What was found, never what was typed: the audit is append-only, so an email or number kept in it could
      // never be erased with the account it named.
      const ids = await findAccountIds(ctx, query)
      act.target(ids.join(','))
      act.after({ by: searchKind(query), found: ids })
      const cards = seesCards(actorOf(act).role)
      return { accounts: await Promise.all(ids.map((id) => accountViewOf(ctx, id, { cards }))) }
    },
    opsAccountsShow: async ({ accountId }, act) => ({
      account: await accountViewOf(ctx, accountId, { cards: seesCards(actorOf(act).role) })
    }),
    opsAccountsCreate: async (input, act) => {
      const made = await createBusinessAccount(ctx, input, actorOf(act).id)
      act.target(made.accountId)
      act.after({
        type: input.type,
        company: input.company,
        contact: input.contactName,
        email: input.email,
        invitation: 'sent'
      })
      const account = await accountViewOf(ctx, made.accountId, { cards: true })
      return { account, invitationExpiresAt: made.invitationExpiresAt }
    },
    opsPlansList: async () => ({
      plans: (await ctx.db.selectFrom('plans').selectAll().orderBy('code').orderBy('version').execute()).map(
        (p) => ({
          id: p.id,
          code: p.code,
          version: p.version,
          name: p.name,
          kind: p.kind,
          interval: p.interval,
          intervalCount: p.interval_count,
          priceMinor: p.price_minor,
          currency: p.currency,
          onSale: p.retired_at === null
        })
      )
    }),
    opsAccountsPlanChange: async ({ accountId, lineId, planId }, act) => {
      act.target(accountId)
      const out = await takeWrittenPlanChange(ctx, accountId, lineId, planId)
      act.before({ line: lineId, plan: out.fromPlan })
      act.after({ line: lineId, plan: out.toPlan, effectiveDate: out.effectiveDate })
      return out
    },
    opsAccountsPlanChangeWithdraw: async ({ accountId, lineId }, act) => {
      act.target(accountId)
      const out = await withdrawWrittenPlanChange(ctx, accountId, lineId)
      act.before({ line: lineId, plan: out.toPlan, effectiveDate: out.effectiveDate })
      act.after({ line: lineId, withdrawn: true })
      return out
    },
    opsAccountsResendCode: async (input, act) => {
      // The accounts the codes went to, not the address or number typed (as for a search, above).
      const sent = await resendCodes(ctx, input, act.ip)
      const accounts = [...new Set(sent.flatMap((s) => (s.accountId ? [s.accountId] : [])))]
      if (accounts.length > 0) act.target(accounts.join(','))
      act.after({
        by: searchKind(input),
        sent: sent.map((s) => ({ kind: s.kind, accountId: s.accountId }))
      })
      return { sent }
    },
    opsAccountsUnlock: async ({ accountId }, act) => {
      const out = await unlockSignIn(ctx, accountId)
      act.after({ throttleRowsCleared: out.cleared })
      return { accountId, ...out }
    },
    opsLinesSuspend: async ({ lineId, reason }, act) => {
      const { before, answer } = await suspendLine(ctx, lineId, actorOf(act).id, reason)
      act.before({ status: before })
      act.after({ status: answer.status, account: answer.accountId })
      return answer
    },
    opsLinesRestore: async ({ lineId, reason }, act) => {
      const { suspendedAt, answer } = await restoreLine(ctx, lineId, actorOf(act).id, reason)
      act.before({ status: 'suspended', since: suspendedAt })
      act.after({ status: answer.status, account: answer.accountId })
      return answer
    },
    opsDevicesMove: async ({ serial, toAccountId, areaCode }, act) => {
      act.target(serial)
      const out = await moveDevice(ctx, { serial, toAccountId, areaCode }, actorOf(act).id)
      act.before({ owner: out.fromAccountId, lines: out.closedLines })
      act.after({ owner: out.toAccountId, line: out.lineId, number: out.number })
      return out
    }
  }
}
