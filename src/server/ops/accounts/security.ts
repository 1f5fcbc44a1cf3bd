/**
 * Support's answers to "if this was not you … contact support" (the emails every password and address change
 * sends): an account's own history (what the service recorded of its sign-ins, resets and address changes, with
 * the addresses they came from), every session ended (a lost laptop, a session someone else holds), and the
 * recovery of an account someone took over, once support is satisfied who the owner is:
 *
 * - the address the owner proved (confirmed on the account, usually its original) becomes the preferred one;
 * - every other address is removed (the original stays, as it always does), each confirmed one told so;
 * - every session ends;
 * - a reset code valid RECOVERY_CODE_HOURS goes to that address, in the account's language, under the reset
 *   email's subject (the app's "I have a reset code" screen names the email by it); any reset code asked for
 *   earlier stops working.
 *
 * One transaction: nothing of it happens unless all of it does. The password is never set by an operator: the
 * owner chooses it with the code, and that reset signs everything out again and clears the sign-in delays.
 */
import { type ServiceContext, inTransaction } from '../../context'
import { conflict, notFound } from '../../http/errors'
import { makePreferred } from '../../identity/emails'
import { issueToken } from '../../identity/one-time'
import { revokeAllSessions } from '../../identity/sessions'
import { accountLanguage, enqueue } from '../../mail/outbox'
import { templates } from '../../mail/templates'

/** How long support's reset code works: the owner may be reading mail on another day than the call. */
export const RECOVERY_CODE_HOURS = 24

/** The most history rows one answer lists (newest first). */
export const HISTORY_MAX = 500

async function requireAccount(ctx: ServiceContext, accountId: string): Promise<void> {
  const found = await ctx.db
    .selectFrom('accounts')
    .select('id')
    .where('id', '=', accountId)
    .executeTakeFirst()
  if (!found) throw notFound('account-not-found', `the account ${accountId}`)
}

export async function accountHistory(ctx: ServiceContext, accountId: string, limit: number) {
  await requireAccount(ctx, accountId)
  const rows = await ctx.db
    .selectFrom('audit_events')
    .select(['at', 'kind', 'ip', 'detail'])
    .where('account_id', '=', accountId)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(Math.min(limit, HISTORY_MAX))
    .execute()
  return rows.map((r) => ({ at: r.at, kind: r.kind, ip: r.ip, detail: r.detail }))
}

export async function endSessions(ctx: ServiceContext, accountId: string): Promise<{ ended: number }> {
  await requireAccount(ctx, accountId)
  return inTransaction(ctx, async (tx) => {
    const ended = await revokeAllSessions(tx, accountId)
    await tx.audit.record('sessions.ended-by-operator', { accountId, detail: { sessions: ended } })
    return { ended }
  })
}

export async function recoverAccount(
  ctx: ServiceContext,
  accountId: string,
  email: string
): Promise<{ preferred: string; removed: string[]; sessionsEnded: number }> {
  await requireAccount(ctx, accountId)
  return inTransaction(ctx, async (tx) => {
    const emails = await tx.db
      .selectFrom('account_emails')
      .selectAll()
      .where('account_id', '=', accountId)
      .execute()
    const owner = emails.find((e) => e.address === email)
    if (!owner) throw notFound('email-not-found', `${email} on the account ${accountId}`)
    if (owner.verified_at === null)
      throw conflict(
        'not-verified',
        `${email} is not confirmed on this account: a recovery goes only to an address its owner has confirmed`
      )
    const others = emails.filter((e) => e.id !== owner.id && e.role !== 'original')
    for (const gone of others.filter((e) => e.verified_at !== null))
      await enqueue(tx.db, tx.clock, {
        ...templates(await accountLanguage(tx.db, accountId)).emailRemovedBySupport(gone.address),
        channel: 'email',
        to: gone.address,
        purpose: 'email-changed',
        accountId
      })
    if (others.length)
      await tx.db
        .deleteFrom('account_emails')
        .where(
          'id',
          'in',
          others.map((e) => e.id)
        )
        .execute()
    await makePreferred(tx, accountId, owner.id)
    const sessionsEnded = await revokeAllSessions(tx, accountId)
    const token = await issueToken(
      tx,
      'password_reset',
      accountId,
      accountId,
      RECOVERY_CODE_HOURS * 3_600_000
    )
    const removed = others.map((e) => e.address)
    await enqueue(tx.db, tx.clock, {
      ...templates(await accountLanguage(tx.db, accountId)).accountRecovered(token, removed),
      channel: 'email',
      to: owner.address,
      purpose: 'password-reset',
      accountId
    })
    await tx.audit.record('account.recovered-by-operator', {
      accountId,
      detail: { preferred: owner.id, removed: others.map((e) => e.id), sessions: sessionsEnded }
    })
    return { preferred: owner.address, removed, sessionsEnded }
  })
}
