/**
 * Support's answers to "if this was not you … contact support" (the emails every password and address change
 * sends): an account's own history (what the service recorded of its sign-ins, resets and address changes, with
 * the addresses they came from), every session ended (a lost laptop, a session someone else holds; the password
 * stays, so when it may be known the answer is the recovery), and the
 * recovery of an account someone took over, once support is satisfied who the owner is:
 *
 * - the address the owner proved (confirmed on the account) becomes its original and preferred address (an
 *   address other than the original only by an admin);
 * - every other address is removed, the former original too (its mailbox may be how the account was taken), each
 *   confirmed one told so;
 * - the password becomes one nobody knows (the taker may have set it), and every session ends;
 * - every open line gets a new SIP password and its registrations are dropped (the taker may have fetched the
 *   old one to call on the owner's line); the owner's app fetches the new one when signed in again; call
 *   forwarding is switched off (the taker may have sent the owner's calls to themselves), and a business account's
 *   people are listed for the owner to review (each is a sign-in of its own);
 * - a 911 address registered in the last RECENT_E911_DAYS is named, with the one it replaced, to the operator and
 *   in the owner's email: the taker may have moved where emergency services go. It is not put back: a line must
 *   keep an address, and only the owner knows whether the new one is where the phone is (they may have moved);
 * - a reset code valid RECOVERY_CODE_HOURS goes to that address, in the account's language, under the reset
 *   email's subject (the app's "I have a reset code" screen names the email by it); any reset code asked for
 *   earlier stops working.
 *
 * One transaction: nothing of it happens unless all of it does. The password is never set by an operator: the
 * owner chooses it with the code, and that reset signs everything out again and clears the sign-in delays.
 */
import { randomBytes } from 'node:crypto'
import { type ServiceContext, inTransaction } from '../../context'
import { conflict, forbidden, notFound } from '../../http/errors'
import { listMembers } from '../../business/members'
import { makePreferred } from '../../identity/emails'
import { issueToken } from '../../identity/one-time'
import { revokeAllSessions } from '../../identity/sessions'
import { accountLanguage, enqueue } from '../../mail/outbox'
import { type RecentE911, templates } from '../../mail/templates'
import { addressText } from '../../../shared/numbers/address-text'
import { RECENT_E911_DAYS } from '../../../shared/ops/recovery-window'
import { e911AddressOf } from '../../numbers/e911-record'
import { openLineIds, syncLine } from '../../provisioning/lines'
import { rotateSipPassword } from '../../provisioning/sip-accounts'
import { requireAccount } from './view'

/** How long support's reset code works: the owner may be reading mail on another day than the call. */
export const RECOVERY_CODE_HOURS = 24

/** The most history rows one answer lists (newest first). */
export const HISTORY_MAX = 500

/** Events whose detail names a card (its last four): shown without it to a role that does not see cards. */
const CARD_EVENT = /^payment-method\./

export async function accountHistory(
  ctx: ServiceContext,
  accountId: string,
  limit: number,
  opts: { readonly cards: boolean }
) {
  await requireAccount(ctx, accountId)
  const rows = await ctx.db
    .selectFrom('audit_events')
    .select(['at', 'kind', 'ip', 'detail'])
    .where('account_id', '=', accountId)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(Math.min(limit, HISTORY_MAX))
    .execute()
  return rows.map((r) => ({
    at: r.at,
    kind: r.kind,
    ip: r.ip,
    detail: !opts.cards && CARD_EVENT.test(r.kind) ? '{}' : r.detail
  }))
}

export async function endSessions(ctx: ServiceContext, accountId: string): Promise<{ ended: number }> {
  await requireAccount(ctx, accountId)
  return inTransaction(ctx, async (tx) => {
    const ended = await revokeAllSessions(tx, accountId)
    await tx.audit.record('sessions.ended-by-operator', { accountId, detail: { sessions: ended } })
    return { ended }
  })
}

export interface Recovered {
  readonly preferred: string
  readonly removed: string[]
  readonly sessionsEnded: number
  readonly linesRekeyed: number
  /** Lines whose call forwarding was switched off (a taker may have sent the owner's calls to themselves). */
  readonly forwardingCleared: number
  /** A business account's people, each a sign-in of their own that the recovery leaves: the owner reviews them. */
  readonly members: { email: string; role: string; since: string }[]
  /** Open lines whose 911 address was registered in the last RECENT_E911_DAYS: the owner checks each. */
  readonly e911Changed: RecentE911[]
}

export async function recoverAccount(
  ctx: ServiceContext,
  accountId: string,
  email: string,
  /** Whether the recovery may make another address the original (an admin's call): the former original goes. */
  opts: { readonly replaceOriginal: boolean }
): Promise<Recovered> {
  await requireAccount(ctx, accountId)
  // A password nobody knows (hashed outside the transaction: scrypt takes its time): the taker's stops working.
  const unknowable = await ctx.hasher.hash(randomBytes(32).toString('base64url'))
  const { out, rekeyed } = await inTransaction(ctx, async (tx) => {
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
    // Every other address goes, the original too when it is not the owner's (its mailbox may be how the account was
    // taken). Removing an original is an admin's call: a taker with an address on the account could talk support
    // into calling theirs the owner's, and the original is where the real owner's reset goes.
    if (owner.role !== 'original' && !opts.replaceOriginal)
      throw forbidden(
        'original-kept',
        `${email} is not the account's original address: recovering to it removes the original, which an admin does`
      )
    const others = emails.filter((e) => e.id !== owner.id)
    const language = await accountLanguage(tx.db, accountId)
    for (const gone of others.filter((e) => e.verified_at !== null))
      await enqueue(tx.db, tx.clock, {
        ...templates(language).emailRemovedBySupport(gone.address),
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
    await tx.db.updateTable('account_emails').set({ role: 'original' }).where('id', '=', owner.id).execute()
    await makePreferred(tx, accountId, owner.id)
    await tx.db
      .updateTable('accounts')
      .set({ password_hash: unknowable, updated_at: tx.clock.now().toISOString() })
      .where('id', '=', accountId)
      .execute()
    const sessionsEnded = await revokeAllSessions(tx, accountId)
    const rekeyed = await rekeyLines(tx, accountId)
    const forwardingCleared = await clearForwarding(tx, accountId)
    const members = (await listMembers(tx, accountId)).members.map((m) => ({
      email: m.email,
      role: m.role,
      since: m.createdAt
    }))
    const e911Changed = await recentE911(tx, accountId)
    const token = await issueToken(
      tx,
      'password_reset',
      accountId,
      accountId,
      RECOVERY_CODE_HOURS * 3_600_000
    )
    const removed = others.map((e) => e.address)
    await enqueue(tx.db, tx.clock, {
      ...templates(language).accountRecovered(token, removed, {
        days: RECENT_E911_DAYS,
        changed: e911Changed
      }),
      channel: 'email',
      to: owner.address,
      purpose: 'password-reset',
      accountId
    })
    await tx.audit.record('account.recovered-by-operator', {
      accountId,
      detail: {
        preferred: owner.address,
        removed,
        sessions: sessionsEnded,
        lines: rekeyed.length,
        forwardingCleared,
        e911Changed: e911Changed.length
      }
    })
    return {
      out: {
        preferred: owner.address,
        removed,
        sessionsEnded,
        linesRekeyed: rekeyed.length,
        forwardingCleared,
        members,
        e911Changed
      },
      rekeyed
    }
  })
  // Whoever registered with the old SIP password is dropped now; the owner's app registers with the new one. The
  // recovery has committed: a SIP server out of reach is said in the log (the old password stops working at the
  // registration's next refresh anyway), not answered as a failure the operator would retry. The log names the
  // line by its id: its SIP username is its phone number, and numbers stay out of logs (docs/service.md).
  for (const { lineId, username } of rekeyed)
    await ctx.kamailio.removeRegistrations(username).catch((err: unknown) => {
      ctx.log.warn(
        `recovery of ${accountId}: the registrations of line ${lineId} were not dropped (${String(err)})`
      )
    })
  return out
}

/** The account's open lines whose current 911 address is recent, each with the address it replaced. */
async function recentE911(tx: ServiceContext, accountId: string): Promise<RecentE911[]> {
  const since = new Date(tx.clock.now().getTime() - RECENT_E911_DAYS * 86_400_000).toISOString()
  const current = await tx.db
    .selectFrom('e911_addresses as e')
    .innerJoin('lines as l', 'l.id', 'e.line_id')
    .selectAll('e')
    .select('l.phone_number')
    .where('l.account_id', '=', accountId)
    .where('l.status', '!=', 'closed')
    .where('e.superseded_at', 'is', null)
    .where('e.registered_at', '>=', since)
    .orderBy('l.phone_number')
    .execute()
  if (!current.length) return []
  const earlier = await tx.db
    .selectFrom('e911_addresses')
    .selectAll()
    .where(
      'line_id',
      'in',
      current.map((c) => c.line_id)
    )
    .where('superseded_at', 'is not', null)
    .orderBy('registered_at', 'desc')
    .execute()
  return current.map((c) => {
    // The one it replaced: the line's latest superseded address (registration supersedes in the same instant).
    const previous = earlier.find((e) => e.line_id === c.line_id)
    return {
      line: c.phone_number ?? c.line_id,
      address: addressText(e911AddressOf(c)),
      since: c.registered_at,
      previous: previous ? addressText(e911AddressOf(previous)) : null
    }
  })
}

/** Switches off call forwarding on the account's lines; how many had any. */
async function clearForwarding(tx: ServiceContext, accountId: string): Promise<number> {
  const lines = tx.db.selectFrom('lines').select('id').where('account_id', '=', accountId)
  const done = await tx.db.deleteFrom('line_forwarding').where('line_id', 'in', lines).executeTakeFirst()
  return Number(done.numDeletedRows)
}

/**
 * New SIP passwords for the account's open lines, Kamailio's rows written; the lines and their usernames, whose
 * registrations to drop after commit.
 */
async function rekeyLines(
  tx: ServiceContext,
  accountId: string
): Promise<{ lineId: string; username: string }[]> {
  const rekeyed: { lineId: string; username: string }[] = []
  for (const lineId of await openLineIds(tx, accountId)) {
    const username = await rotateSipPassword(tx, lineId)
    if (username === null) continue
    rekeyed.push({ lineId, username })
    await syncLine(tx, lineId)
  }
  return rekeyed
}
