/**
 * Business and legal-entity accounts made by an operator (issue 20). The account starts with the contact's email
 * as an unconfirmed claim and a password nobody knows; the contact is emailed an invitation carrying a one-time
 * code (the subscribers' own reset-token machinery, valid 7 days). It sends them where an administrator's
 * invitation sends a person (../../business/members.ts): the app's join screen (#/account/join), which sets their
 * password with the code and signs them in; the same words but for who sends a new code (templates.ts). Using the
 * code proves the mailbox, so the invitation confirms the address then (acceptInvitation, called from
 * resetPassword). Until then nobody can sign in with the address.
 */
import { randomBytes } from 'node:crypto'
import type { z } from 'zod'
import type { ACCOUNTS_OPS_ROUTES } from '../../../shared/ops/routes-accounts'
import { type ServiceContext, inTransaction } from '../../context'
import { ServiceError, conflict } from '../../http/errors'
import { createAccount, emailOwner } from '../../identity/accounts'
import { issueToken } from '../../identity/one-time'
import { accountLanguage, enqueue } from '../../mail/outbox'
import { templates } from '../../mail/templates'
import { newId } from '../../secrets'
import { zoneOfState } from '../../support/state-zones'

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60_000

type CreateInput = z.output<(typeof ACCOUNTS_OPS_ROUTES)['opsAccountsCreate']['input']>

/**
 * The invitation's words: a person invited into a business (a business_members row) gets the member invitation,
 * naming the business and their role, also when support sends it again; an operator's contact gets the account's.
 */
async function invitationFor(tx: ServiceContext, accountId: string, token: string) {
  // In the invited account's language: a member's starts as its business's (../../business/members.ts).
  const words = templates(await accountLanguage(tx.db, accountId))
  const member = await tx.db
    .selectFrom('business_members')
    .innerJoin('accounts', 'accounts.id', 'business_members.account_id')
    .select(['business_members.role', 'accounts.company', 'accounts.name'])
    .where('business_members.person_id', '=', accountId)
    .executeTakeFirst()
  if (member)
    return {
      ...words.memberInvitation(member.company ?? member.name, member.role, token),
      purpose: 'member-invitation'
    }
  const account = await tx.db
    .selectFrom('accounts')
    .select(['company', 'name'])
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow()
  return {
    ...words.accountInvitation(account.company ?? account.name, token),
    purpose: 'account-invitation'
  }
}

/** A new code for the account's invitation, replacing any earlier one (which stops working). */
export async function sendInvitation(tx: ServiceContext, accountId: string, email: string) {
  const token = await issueToken(tx, 'password_reset', accountId, accountId, INVITATION_TTL_MS)
  await enqueue(tx.db, tx.clock, {
    ...(await invitationFor(tx, accountId, token)),
    channel: 'email',
    to: email,
    accountId
  })
  const now = tx.clock.now()
  await tx.db
    .updateTable('account_invitations')
    .set({ sent_at: now.toISOString() })
    .where('account_id', '=', accountId)
    .where('accepted_at', 'is', null)
    .execute()
  return new Date(now.getTime() + INVITATION_TTL_MS).toISOString()
}

export async function createBusinessAccount(
  ctx: ServiceContext,
  input: CreateInput,
  operatorId: string
): Promise<{ accountId: string; invitationExpiresAt: string }> {
  try {
    return await createInTransaction(ctx, input, operatorId)
  } catch (err) {
    if (err instanceof ServiceError) throw err
    // The unique index refused a second open invitation made at the same moment (a double submit).
    if (await pendingInvitation(ctx, input.email)) throw invitationPending(input.email)
    throw err
  }
}

const pendingInvitation = (ctx: ServiceContext, email: string) =>
  ctx.db
    .selectFrom('account_invitations')
    .select('account_id')
    .where('email', '=', email)
    .where('accepted_at', 'is', null)
    .executeTakeFirst()

const invitationPending = (email: string) =>
  conflict(
    'invitation-pending',
    `an invitation to ${email} is waiting already; send it again with accounts resend-code --email`
  )

function createInTransaction(ctx: ServiceContext, input: CreateInput, operatorId: string) {
  return inTransaction(ctx, async (tx) => {
    // An operator may not hand someone else's confirmed address to a new account.
    if ((await emailOwner(tx, input.email)) !== null)
      throw conflict(
        'email-taken',
        `another account has confirmed ${input.email}; use another contact address`
      )
    if (await pendingInvitation(tx, input.email)) throw invitationPending(input.email)
    const accountId = await createAccount(tx, {
      type: input.type,
      name: input.contactName,
      email: input.email,
      emailVerified: false,
      // Nobody knows this password: the contact chooses theirs with the invitation's code.
      passwordHash: await tx.hasher.hash(randomBytes(32).toString('base64url')),
      billingAddress: input.billingAddress,
      // Without --time-zone, the usual zone of the billing address's state (as a shop added without one gets):
      // business dates (renewals, invoices' months) then fall on the customer's days, not UTC's.
      timeZone:
        input.timeZone ??
        (input.billingAddress.country === 'US' ? (zoneOfState(input.billingAddress.region) ?? null) : null),
      language: input.language ?? null
    })
    const now = tx.clock.now().toISOString()
    await tx.db
      .updateTable('accounts')
      .set({ company: input.company, contact_phone: input.phone ?? null, updated_at: now })
      .where('id', '=', accountId)
      .execute()
    await tx.db
      .insertInto('account_invitations')
      .values({
        id: newId('inv'),
        account_id: accountId,
        email: input.email,
        invited_by: operatorId,
        created_at: now,
        sent_at: now,
        accepted_at: null
      })
      .execute()
    const invitationExpiresAt = await sendInvitation(tx, accountId, input.email)
    await tx.audit.record('account.created-by-operator', {
      accountId,
      detail: { type: input.type, operator: operatorId }
    })
    return { accountId, invitationExpiresAt }
  })
}

/** The open invitation of an account, if it has one. */
export function openInvitation(ctx: ServiceContext, accountId: string) {
  return ctx.db
    .selectFrom('account_invitations')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('accepted_at', 'is', null)
    .executeTakeFirst()
}

/**
 * A reset code was used on this account (inside resetPassword's transaction): when the account was invited, the
 * code was the invitation's, mailed to the invited address, so that address is now confirmed.
 */
export async function acceptInvitation(tx: ServiceContext, accountId: string): Promise<void> {
  const invitation = await openInvitation(tx, accountId)
  if (!invitation) return
  const owner = await emailOwner(tx, invitation.email)
  if (owner !== null && owner !== accountId)
    throw conflict('email-taken', 'another account confirmed this address since the invitation was sent')
  const now = tx.clock.now().toISOString()
  await tx.db
    .updateTable('account_emails')
    .set({ verified_at: now })
    .where('account_id', '=', accountId)
    .where('address', '=', invitation.email)
    .where('verified_at', 'is', null)
    .execute()
  await tx.db
    .updateTable('account_invitations')
    .set({ accepted_at: now })
    .where('id', '=', invitation.id)
    .execute()
  await tx.audit.record('account.invitation-accepted', { accountId })
}
