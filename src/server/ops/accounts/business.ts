/**
 * Business and legal-entity accounts made by an operator (issue 20). The account starts with the contact's email
 * as an unconfirmed claim and a password nobody knows; the contact is emailed an invitation carrying a reset code
 * (the subscribers' own one-time-token machinery, valid 7 days), which they paste in the app's existing "I have a
 * reset code" screen to choose their password. Using that code proves the mailbox, so the invitation confirms the
 * address then (acceptInvitation, called from resetPassword). Until then nobody can sign in with the address.
 */
import { randomBytes } from 'node:crypto'
import type { z } from 'zod'
import type { ACCOUNTS_OPS_ROUTES } from '../../../shared/ops/routes-accounts'
import { type ServiceContext, inTransaction } from '../../context'
import { ServiceError, conflict } from '../../http/errors'
import { createAccount, emailOwner } from '../../identity/accounts'
import { issueToken } from '../../identity/one-time'
import { enqueue } from '../../mail/outbox'
import type { Message } from '../../mail/templates'
import { newId } from '../../secrets'

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60_000

type CreateInput = z.output<(typeof ACCOUNTS_OPS_ROUTES)['opsAccountsCreate']['input']>

/** The quoted words are the app's (en.json account.title, account.reset.open), as in the reset email. */
export const invitationMessage = (company: string, token: string): Message => ({
  subject: `Your Dialtone account for ${company}`,
  body:
    `Dialtone opened an account for ${company}, with this address as its contact.\n\n` +
    `To choose your password: in Dialtone, open "Account", choose "I have a reset code" (below "Sign in"), and ` +
    `paste this code:\n\n    ${token}\n\nIt works once, for 7 days. Then sign in with this email address and ` +
    `your new password. If you did not expect this, ignore this message: nobody can sign in until the code is ` +
    `used.\n\n— Dialtone`
})

/** A new code for the account's invitation, replacing any earlier one (which stops working). */
export async function sendInvitation(tx: ServiceContext, accountId: string, email: string, company: string) {
  const token = await issueToken(tx, 'password_reset', accountId, accountId, INVITATION_TTL_MS)
  await enqueue(tx.db, tx.clock, {
    ...invitationMessage(company, token),
    channel: 'email',
    to: email,
    purpose: 'account-invitation',
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
      timeZone: input.timeZone ?? null
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
    const invitationExpiresAt = await sendInvitation(tx, accountId, input.email, input.company)
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
