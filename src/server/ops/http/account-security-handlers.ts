/**
 * The ops API's handlers for an account someone else may hold (../accounts/security.ts): its history, its
 * sessions ended, its recovery. Each change names the account and the state before and after for the audit log.
 */
import type { ACCOUNT_SECURITY_OPS_ROUTES } from '../../../shared/ops/routes-account-security'
import type { ServiceContext } from '../../context'
import { accountHistory, endSessions, recoverAccount } from '../accounts/security'
import { type HandlersOf, actorOf } from './handlers-of'
import { seesCards } from './accounts-handlers'

export function accountSecurityHandlers(
  ctx: ServiceContext
): HandlersOf<keyof typeof ACCOUNT_SECURITY_OPS_ROUTES> {
  return {
    opsAccountsHistory: async ({ accountId, limit }, act) => {
      act.target(accountId)
      const cards = seesCards(actorOf(act).role)
      return { accountId, events: await accountHistory(ctx, accountId, limit, { cards }) }
    },
    opsAccountsEndSessions: async ({ accountId }, act) => {
      act.target(accountId)
      const out = await endSessions(ctx, accountId)
      act.after({ sessionsEnded: out.ended })
      return { accountId, ...out }
    },
    opsAccountsRecover: async ({ accountId, email }, act) => {
      act.target(accountId)
      const out = await recoverAccount(ctx, accountId, email, {
        replaceOriginal: actorOf(act).role === 'admin'
      })
      act.before({ emails: [out.preferred, ...out.removed] })
      act.after({
        preferred: out.preferred,
        removed: out.removed,
        sessionsEnded: out.sessionsEnded,
        linesRekeyed: out.linesRekeyed,
        forwardingCleared: out.forwardingCleared,
        e911Changed: out.e911Changed.map((c) => c.line),
        resetCodeTo: out.preferred
      })
      return { accountId, ...out }
    }
  }
}
