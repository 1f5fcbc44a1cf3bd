/**
 * `dialtone-ops accounts history | end-sessions | recover`: what support does when a person says "this was not
 * me" (src/server/ops/accounts/security.ts): read the account's own history, end every session, or give an account
 * taken over back to the address its owner proved.
 */
import { type Command, flag, opt, positiveInt, word } from './command'
import { table } from './table'
import { RECENT_E911_DAYS } from '../../../shared/ops/recovery-window'

export const accountSecurityCommands: readonly Command[] = [
  {
    name: 'accounts history',
    args: ['account-id'],
    required: ['reason'],
    optional: ['limit'],
    help: "the account's own history, newest first: sign-ins, failed ones, resets, password and address changes (--limit, at most 500); --reason: why you look (kept in the audit log)",
    async run(io) {
      const limit = opt(io, 'limit')
      const input = {
        accountId: word(io, 0, 'account id'),
        ...(limit !== undefined ? { limit: positiveInt(limit, 'limit') } : {}),
        reason: flag(io, 'reason')
      }
      const out = await io.client().call('opsAccountsHistory', input)
      return { json: out, human: table(out.events, ['at', 'kind', 'ip', 'detail']) }
    }
  },
  {
    name: 'accounts end-sessions',
    args: ['account-id'],
    required: ['reason'],
    optional: [],
    help: 'end every session of the account (the password stays: when someone else may know it, use accounts recover)',
    async run(io) {
      const out = await io
        .client()
        .call('opsAccountsEndSessions', { accountId: word(io, 0, 'account id'), reason: flag(io, 'reason') })
      return { json: out, human: `Ended ${out.ended} session(s) of ${out.accountId}.\n` }
    }
  },
  {
    name: 'accounts recover',
    args: ['account-id'],
    required: ['email', 'reason'],
    optional: [],
    help: "give an account taken over back to its owner's confirmed --email: the other addresses removed, the password and every session ended, new SIP passwords, a reset code sent there",
    async run(io) {
      const out = await io.client().call('opsAccountsRecover', {
        accountId: word(io, 0, 'account id'),
        email: flag(io, 'email'),
        reason: flag(io, 'reason')
      })
      const removed = out.removed.length ? out.removed.join(', ') : 'none'
      return {
        json: out,
        human:
          `${out.accountId}: ${out.preferred} is now its original and preferred address; addresses removed: ` +
          `${removed}; the password no longer works; ${out.sessionsEnded} session(s) ended; ` +
          `${out.linesRekeyed} line(s) given new SIP passwords; call forwarding switched off on ` +
          `${out.forwardingCleared} line(s).\n` +
          `A reset code went to ${out.preferred} (it works for 24 hours). Tell the owner: in Dialtone, Account,\n` +
          `"I have a reset code", paste it and choose a new password.\n` +
          (out.e911Changed.length
            ? `\nThese lines' 911 addresses were registered in the last ${RECENT_E911_DAYS} days (the taker may have ` +
              `changed where emergency services go).\nThe owner's email lists them; ask the owner to check each ` +
              `(Account, the line, "911 address"):\n` +
              table(
                out.e911Changed.map((c) => ({ ...c, previous: c.previous ?? '(the first)' })),
                ['line', 'address', 'since', 'previous']
              )
            : '') +
          (out.members.length
            ? `\nThe business's people keep their own sign-ins; the owner reviews them (Account, Business, People):\n` +
              table(out.members, ['email', 'role', 'since'])
            : '')
      }
    }
  }
]
