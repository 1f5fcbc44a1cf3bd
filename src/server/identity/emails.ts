/**
 * An account's emails (the seed's rules): the original is permanent; secondaries can be added, confirmed with a
 * code and removed; exactly one confirmed address is preferred for notifications; and every change is told to
 * all confirmed addresses, the old ones included, so a hijacker cannot quietly swap the contact address.
 * An address is the account's only once its code comes back (an original given at activation or phone sign-up
 * too); the answers never say whether another account has confirmed it, only the email to the address does.
 */
import type { ServiceContext } from '../context'
import { inTransaction } from '../context'
import { conflict, forbidden, invalid, notFound } from '../http/errors'
import { LIMITS } from '../http/rate-limit'
import { accountLanguage, enqueue, notifyAllEmails } from '../mail/outbox'
import { type EmailChange, type EmailRole, type Message, templates } from '../mail/templates'
import type { LanguageCode } from '../../shared/i18n/languages'
import { newId } from '../secrets'
import { emailOwner } from './accounts'
import { consumeCode, issueCode } from './one-time'

const MAX_EMAILS = 5

async function ownEmail(ctx: ServiceContext, accountId: string, emailId: string) {
  const row = await ctx.db
    .selectFrom('account_emails')
    .selectAll()
    .where('id', '=', emailId)
    .where('account_id', '=', accountId)
    .executeTakeFirst()
  if (!row) throw notFound('email-not-found', 'this email')
  return row
}

/** Whether an address of the account is its original or one added later (an address not on it: the original's words). */
async function emailRole(tx: ServiceContext, accountId: string, address: string): Promise<EmailRole> {
  const row = await tx.db
    .selectFrom('account_emails')
    .select('role')
    .where('account_id', '=', accountId)
    .where('address', '=', address)
    .executeTakeFirst()
  return row?.role ?? 'original'
}

/**
 * Asks the address an account claims to confirm it: a code, or, when another account has already confirmed the
 * address, a notice to its owner instead (`taken` says what happened). A code is issued either way, so both cases
 * run the same statements; the one never sent cannot confirm anything, since verifyEmail refuses a taken address.
 * The code's email says where the app takes it, which depends on whether the address is the account's original
 * (`role`, when the caller knows it; else the address's row says: sign-up, activation and support's resend).
 */
export async function claimEmail(
  tx: ServiceContext,
  accountId: string,
  address: string,
  taken: (language: LanguageCode) => Message,
  role?: EmailRole
): Promise<void> {
  const owner = await emailOwner(tx, address)
  const code = await issueCode(tx, 'email_verify', `${accountId}:${address}`, accountId)
  const inUse = owner !== null && owner !== accountId
  const where = role ?? (await emailRole(tx, accountId, address))
  // Each reads their account's language: the owner the notice, the claimant the code (one read either way).
  const reader = inUse ? owner : accountId
  const language = await accountLanguage(tx.db, reader)
  await enqueue(tx.db, tx.clock, {
    ...(inUse ? taken(language) : templates(language).emailVerify(code, where)),
    channel: 'email',
    to: address,
    purpose: inUse ? 'email-in-use' : 'email-verify',
    accountId: reader
  })
}

/** What the owner of a confirmed address reads when another account asks for a code to it. */
const claimedElsewhere = (language: LanguageCode): Message => templates(language).emailInUse('otherAccount')

/** Every change to an account's emails is told to all its confirmed addresses (and the one being removed). */
const tellEveryAddress = (
  tx: ServiceContext,
  accountId: string,
  what: EmailChange,
  address: string
): Promise<number> =>
  notifyAllEmails(
    tx.db,
    tx.clock,
    accountId,
    (l) => templates(l).emailChanged(what, address),
    'email-changed'
  )

export async function addEmail(
  ctx: ServiceContext,
  accountId: string,
  address: string,
  ip: string
): Promise<string> {
  await ctx.limiter.hit([LIMITS.emailPerAccount, accountId])
  return inTransaction(ctx, async (tx) => {
    const mine = await tx.db
      .selectFrom('account_emails')
      .select('id')
      .where('account_id', '=', accountId)
      .where('address', '=', address)
      .executeTakeFirst()
    if (mine) throw conflict('email-taken', 'this email is already on your account')
    const count = await tx.db
      .selectFrom('account_emails')
      .select(tx.db.fn.countAll<number>().as('n'))
      .where('account_id', '=', accountId)
      .executeTakeFirstOrThrow()
    if (Number(count.n) >= MAX_EMAILS)
      throw conflict('too-many-emails', `an account can have at most ${MAX_EMAILS} emails`, {
        max: MAX_EMAILS
      })
    const id = newId('eml')
    await tx.db
      .insertInto('account_emails')
      .values({
        id,
        account_id: accountId,
        address,
        role: 'secondary',
        verified_at: null,
        preferred: 0,
        created_at: tx.clock.now().toISOString()
      })
      .execute()
    await claimEmail(tx, accountId, address, claimedElsewhere, 'secondary')
    await tellEveryAddress(tx, accountId, 'added', address)
    await tx.audit.record('email.added', { accountId, ip, detail: { email: id, address } })
    return id
  })
}

export async function resendEmailCode(
  ctx: ServiceContext,
  accountId: string,
  emailId: string
): Promise<void> {
  await ctx.limiter.hit([LIMITS.emailPerAccount, accountId])
  await inTransaction(ctx, async (tx) => {
    const row = await ownEmail(tx, accountId, emailId)
    if (row.verified_at) throw conflict('already-verified', 'this email is already confirmed')
    // The original's resend comes from "Confirm this email", a secondary's from its line in "Email addresses".
    await claimEmail(tx, accountId, row.address, claimedElsewhere, row.role)
  })
}

export async function verifyEmail(
  ctx: ServiceContext,
  accountId: string,
  emailId: string,
  code: string,
  ip: string
): Promise<void> {
  await ctx.limiter.hit([LIMITS.codePerIp, ip])
  const row = await ownEmail(ctx, accountId, emailId)
  if (row.verified_at) throw conflict('already-verified', 'this email is already confirmed')
  // Outside the transaction: a wrong code must count as an attempt even though the request fails.
  await consumeCode(ctx, 'email_verify', `${accountId}:${row.address}`, code)
  await inTransaction(ctx, async (tx) => {
    // Reached only with the code from that mailbox, so saying "taken" tells its owner nothing new. The unique
    // index on confirmed addresses settles two confirmations racing.
    const owner = await emailOwner(tx, row.address)
    if (owner !== null && owner !== accountId)
      throw conflict('email-taken', 'another account has confirmed this email; use another address')
    await tx.db
      .updateTable('account_emails')
      .set({ verified_at: tx.clock.now().toISOString() })
      .where('id', '=', emailId)
      .execute()
    // The first confirmed address of an account whose preferred one is still unconfirmed takes over: notices go
    // only to confirmed addresses, and the list should say where they go.
    const preferred = await tx.db
      .selectFrom('account_emails')
      .select('verified_at')
      .where('account_id', '=', accountId)
      .where('preferred', '=', 1)
      .executeTakeFirst()
    if (!preferred?.verified_at) {
      await makePreferred(tx, accountId, emailId)
    }
    await tellEveryAddress(tx, accountId, 'confirmed', row.address)
    await tx.audit.record('email.verified', {
      accountId,
      ip,
      detail: { email: emailId, address: row.address }
    })
  })
}

/** The one preferred address of an account (inside the caller's transaction). */
export async function makePreferred(tx: ServiceContext, accountId: string, emailId: string): Promise<void> {
  await tx.db
    .updateTable('account_emails')
    .set({ preferred: 0 })
    .where('account_id', '=', accountId)
    .execute()
  await tx.db.updateTable('account_emails').set({ preferred: 1 }).where('id', '=', emailId).execute()
}

export async function removeEmail(
  ctx: ServiceContext,
  accountId: string,
  emailId: string,
  ip: string
): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const row = await ownEmail(tx, accountId, emailId)
    if (row.role === 'original')
      throw forbidden('original-email', 'the original email of an account cannot be removed')
    if (row.preferred === 1)
      throw conflict('preferred-email', 'choose another preferred email before removing this one')
    // Tell the address being removed too (it is still in the table while we notify).
    await tellEveryAddress(tx, accountId, 'removed', row.address)
    await tx.db.deleteFrom('account_emails').where('id', '=', emailId).execute()
    await tx.audit.record('email.removed', {
      accountId,
      ip,
      detail: { email: emailId, address: row.address }
    })
  })
}

export async function setPreferredEmail(
  ctx: ServiceContext,
  accountId: string,
  emailId: string,
  ip: string
): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const row = await ownEmail(tx, accountId, emailId)
    if (row.verified_at === null)
      throw invalid('emailId', 'confirm this email before making it preferred', 'not-verified')
    await makePreferred(tx, accountId, emailId)
    await tellEveryAddress(tx, accountId, 'preferred', row.address)
    await tx.audit.record('email.preferred', {
      accountId,
      ip,
      detail: { email: emailId, address: row.address }
    })
  })
}
