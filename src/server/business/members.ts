/**
 * The people of a business account (issue 25 part 2). The administrator invites someone by email: the person
 * gets a sign-in of their own (an account row with no lines, a password nobody knows) and an invitation carrying
 * a one-time code, sent the way an operator's business account's is (../ops/accounts/business.ts sendInvitation,
 * words in ../mail/templates.ts): they paste it in the app's "I was invited to a business account" screen
 * (#/account/join) with their address and new password (the reset, then sign-in), and that confirms the address.
 * Their membership (role, and a line user's line) decides what they may do on the business (src/shared/api/access.ts).
 * An address already on any account, or with an invitation waiting, is refused with one answer that names no
 * account ('email-unavailable'), whichever it is, so inviting cannot probe who uses Dialtone. Removing a person
 * frees their address again (member-removal.ts).
 */
import { randomBytes } from 'node:crypto'
import { wordsLanguage } from '../words/format'
import type { z } from 'zod'
import type { MemberRole, MemberView, inviteMemberRequest } from '../../shared/api/business'
import { type ServiceContext, inTransaction } from '../context'
import { ServiceError, conflict, forbidden, notFound } from '../http/errors'
import { LIMITS } from '../http/rate-limit'
import { createAccount, emailOwner } from '../identity/accounts'
import { alreadyScheduled, closingDay, scheduledClosure } from '../identity/closure'
import { lockAccount } from '../account-lock'
import { sendInvitation } from '../ops/accounts/business'
import { newId } from '../secrets'
import { closeRemovedSignIn } from './member-removal'

type Invite = z.output<typeof inviteMemberRequest>

const unavailable = () =>
  conflict(
    'email-unavailable',
    'this address cannot be invited: it is already used by a Dialtone account or has an invitation waiting'
  )

/** The business account itself: only a business or legal-entity account has members (and asks for documents). */
export async function businessOf(ctx: ServiceContext, accountId: string) {
  const a = await ctx.db
    .selectFrom('accounts')
    .select(['id', 'type', 'company', 'name', 'timezone', 'language'])
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow()
  if (a.type === 'individual')
    throw forbidden('not-business', 'only a business or legal-entity account has people and documents')
  return a
}

/** A line of this account that is not closed, or 'line-not-found'. */
async function ownLine(ctx: ServiceContext, accountId: string, lineId: string | undefined) {
  if (lineId === undefined) return null
  const line = await ctx.db
    .selectFrom('lines')
    .select('id')
    .where('id', '=', lineId)
    .where('account_id', '=', accountId)
    .where('status', '!=', 'closed')
    .executeTakeFirst()
  if (!line) throw notFound('line-not-found', 'line')
  return line.id
}

export async function listMembers(
  ctx: ServiceContext,
  accountId: string
): Promise<{ members: MemberView[] }> {
  const rows = await ctx.db
    .selectFrom('business_members as m')
    .innerJoin('accounts as p', 'p.id', 'm.person_id')
    .innerJoin('account_emails as e', (j) =>
      j.onRef('e.account_id', '=', 'm.person_id').on('e.role', '=', 'original')
    )
    .select(['m.id', 'm.role', 'm.line_id', 'm.created_at', 'p.name', 'e.address', 'e.verified_at'])
    .where('m.account_id', '=', accountId)
    .orderBy('m.created_at')
    .orderBy('m.id')
    .execute()
  return {
    members: rows.map((r) => ({
      id: r.id,
      name: r.name,
      email: r.address,
      role: r.role,
      lineId: r.line_id,
      joined: r.verified_at !== null,
      createdAt: r.created_at
    }))
  }
}

export async function inviteMember(
  ctx: ServiceContext,
  accountId: string,
  invitedBy: string,
  input: Invite
): Promise<{ members: MemberView[] }> {
  await ctx.limiter.hit([LIMITS.invitePerAccount, accountId], [LIMITS.invitePerAccountDaily, accountId])
  try {
    await inTransaction(ctx, (tx) => inviteInTransaction(tx, accountId, invitedBy, input))
  } catch (err) {
    if (err instanceof ServiceError) throw err
    // A unique index refused a second invitation of the same address made at the same moment (a double submit).
    const waiting = await ctx.db
      .selectFrom('account_invitations')
      .select('id')
      .where('email', '=', input.email)
      .where('accepted_at', 'is', null)
      .executeTakeFirst()
    if (waiting) throw unavailable()
    throw err
  }
  return listMembers(ctx, accountId)
}

/** No one joins an account that is closing: refused while its closure is scheduled (its row locked to check). */
async function refuseIfClosing(tx: ServiceContext, accountId: string): Promise<void> {
  await lockAccount(tx, accountId)
  const closing = await scheduledClosure(tx, accountId)
  if (closing) throw alreadyScheduled(await closingDay(tx, accountId, closing.closes_at))
}

async function inviteInTransaction(tx: ServiceContext, accountId: string, invitedBy: string, input: Invite) {
  const business = await businessOf(tx, accountId)
  await refuseIfClosing(tx, accountId)
  const lineId = await ownLine(tx, accountId, input.lineId)
  const waiting = await tx.db
    .selectFrom('account_invitations')
    .select('id')
    .where('email', '=', input.email)
    .where('accepted_at', 'is', null)
    .executeTakeFirst()
  if ((await emailOwner(tx, input.email)) !== null || waiting) throw unavailable()
  const personId = await createAccount(tx, {
    type: 'individual',
    name: input.name,
    email: input.email,
    emailVerified: false,
    // Nobody knows this password: the person chooses theirs with the invitation's code.
    passwordHash: await tx.hasher.hash(randomBytes(32).toString('base64url')),
    billingAddress: null,
    timeZone: business.timezone,
    // The business's language until the person chooses theirs in Profile: its invitation is in it too.
    language: wordsLanguage(business.language)
  })
  const now = tx.clock.now().toISOString()
  await tx.db
    .insertInto('account_invitations')
    .values({
      id: newId('inv'),
      account_id: personId,
      email: input.email,
      invited_by: invitedBy,
      created_at: now,
      sent_at: now,
      accepted_at: null
    })
    .execute()
  await tx.db
    .insertInto('business_members')
    .values({
      id: newId('mbr'),
      account_id: accountId,
      person_id: personId,
      role: input.role,
      line_id: lineId,
      invited_by: invitedBy,
      created_at: now,
      updated_at: now
    })
    .execute()
  // The member invitation's words (templates.ts): the join screen, the business and the role.
  await sendInvitation(tx, personId, input.email)
  await tx.audit.record('business.member-invited', {
    accountId,
    detail: { person: personId, role: input.role, lineId, by: invitedBy }
  })
}

async function memberOf(ctx: ServiceContext, accountId: string, memberId: string) {
  const m = await ctx.db
    .selectFrom('business_members')
    .selectAll()
    .where('id', '=', memberId)
    .where('account_id', '=', accountId)
    .executeTakeFirst()
  if (!m) throw notFound('member-not-found', 'member')
  return m
}

export async function changeMember(
  ctx: ServiceContext,
  accountId: string,
  by: string,
  input: { memberId: string; role: MemberRole; lineId?: string | undefined }
): Promise<{ members: MemberView[] }> {
  const m = await memberOf(ctx, accountId, input.memberId)
  const lineId = await ownLine(ctx, accountId, input.lineId)
  await ctx.db
    .updateTable('business_members')
    .set({ role: input.role, line_id: lineId, updated_at: ctx.clock.now().toISOString() })
    .where('id', '=', m.id)
    .execute()
  await ctx.audit.record('business.member-changed', {
    accountId,
    detail: { person: m.person_id, from: m.role, role: input.role, lineId, by }
  })
  return listMembers(ctx, accountId)
}

/**
 * The invitation again, with a new code, for a person who has not joined yet (theirs expired, or the email went
 * astray): what the invitation email and the join screen tell them to ask the administrator for. Counted with the
 * invitations (it sends an email); a person who has joined is left as they are.
 */
export async function resendMemberInvitation(
  ctx: ServiceContext,
  accountId: string,
  by: string,
  memberId: string
): Promise<{ members: MemberView[] }> {
  const m = await memberOf(ctx, accountId, memberId)
  const waiting = await ctx.db
    .selectFrom('account_invitations')
    .select('email')
    .where('account_id', '=', m.person_id)
    .where('accepted_at', 'is', null)
    .executeTakeFirst()
  if (waiting) {
    await ctx.limiter.hit([LIMITS.invitePerAccount, accountId], [LIMITS.invitePerAccountDaily, accountId])
    await inTransaction(ctx, async (tx) => {
      // Not if the person was removed meanwhile: their invitation went with them (member-removal.ts).
      const still = await tx.db
        .selectFrom('business_members')
        .select('id')
        .where('id', '=', m.id)
        .executeTakeFirst()
      if (!still) return
      await refuseIfClosing(tx, accountId)
      await sendInvitation(tx, m.person_id, waiting.email)
      await tx.audit.record('business.member-reinvited', { accountId, detail: { person: m.person_id, by } })
    })
  }
  return listMembers(ctx, accountId)
}

/**
 * The membership ends and the person's sign-in (made for this business only) closes with their data erased, their
 * address free again, the invitation's code withdrawn and their sessions ended at once (member-removal.ts, which
 * also says why a sign-in holding data of its own is kept, open).
 */
export async function removeMember(
  ctx: ServiceContext,
  accountId: string,
  by: string,
  memberId: string
): Promise<{ members: MemberView[] }> {
  const m = await memberOf(ctx, accountId, memberId)
  await inTransaction(ctx, async (tx) => {
    const gone = await tx.db
      .deleteFrom('business_members')
      .where('id', '=', m.id)
      .where('account_id', '=', accountId)
      .executeTakeFirst()
    // Removed meanwhile (a double click): the first removal did the rest.
    if (Number(gone.numDeletedRows) !== 1) return
    const erased = await closeRemovedSignIn(tx, m.person_id)
    await tx.audit.record('business.member-removed', {
      accountId,
      detail: { person: m.person_id, by, erased }
    })
  })
  return listMembers(ctx, accountId)
}

/** The signed-in person on the account they act for. */
export async function membership(
  ctx: ServiceContext,
  auth: { accountId: string; role: 'owner' | MemberRole; lineId: string | null }
) {
  const a = await ctx.db
    .selectFrom('accounts')
    .select(['company', 'type'])
    .where('id', '=', auth.accountId)
    .executeTakeFirstOrThrow()
  return { role: auth.role, company: a.company ?? null, accountType: a.type, lineId: auth.lineId }
}
