/**
 * Support's help with codes and sign-in (issue 20). `resendCodes` sends again whatever waits for an address or a
 * number, each through the path that sent it first (the same rules, limits and wording): an account's invitation,
 * an email confirmation, a trial's activation code, a phone sign-up code. Nothing waiting is a clear refusal that
 * sends nothing. `unlock` clears the sign-in delays (identity/signin-throttle.ts) of every identifier the account
 * signs in with, as a password reset does.
 */
import { identifierKey } from '../../../shared/api/identity'
import { normalizeNanp } from '../../../shared/numbers/nanp'
import { type ServiceContext, inTransaction } from '../../context'
import { conflict, invalid } from '../../http/errors'
import { startPhoneSignup } from '../../identity/auth'
import { claimEmail } from '../../identity/emails'
import { clearIdentifiers } from '../../identity/signin-throttle'
import { resendTrialCode } from '../../devices/trial'
import { templates } from '../../mail/templates'
import { wordsLanguage } from '../../words/format'
import { sendInvitation } from './business'
import { requireAccount } from './view'

export type SentKind = 'invitation' | 'email-confirmation' | 'trial-code' | 'signup-code'
export interface Sent {
  kind: SentKind
  to: string
  accountId: string | null
}

/** How long an unanswered phone sign-up stays worth a new code. */
const SIGNUP_WINDOW_MS = 24 * 60 * 60_000

export async function resendCodes(
  ctx: ServiceContext,
  q: { email?: string | undefined; number?: string | undefined },
  ip: string
): Promise<Sent[]> {
  if ((q.email === undefined) === (q.number === undefined))
    throw invalid('', 'give exactly one of --email or --number', 'lookup-one')
  const sent =
    q.email !== undefined
      ? await resendForEmail(ctx, q.email, ip)
      : await resendForNumber(ctx, q.number ?? '', ip)
  if (sent.length === 0)
    throw conflict(
      'nothing-pending',
      `no code is waiting for that ${q.email !== undefined ? 'email' : 'number'}: nothing to send (no open invitation, unconfirmed email, trial or sign-up)`
    )
  return sent
}

async function resendForEmail(ctx: ServiceContext, email: string, ip: string): Promise<Sent[]> {
  const sent: Sent[] = []
  const claims = await ctx.db
    .selectFrom('account_emails')
    .innerJoin('accounts', 'accounts.id', 'account_emails.account_id')
    .select(['account_emails.account_id'])
    .where('account_emails.address', '=', email)
    .where('account_emails.verified_at', 'is', null)
    .execute()
  for (const c of claims) {
    const invited = await ctx.db
      .selectFrom('account_invitations')
      .select('id')
      .where('account_id', '=', c.account_id)
      .where('email', '=', email)
      .where('accepted_at', 'is', null)
      .executeTakeFirst()
    await inTransaction(ctx, async (tx) => {
      if (invited) await sendInvitation(tx, c.account_id, email)
      else await claimEmail(tx, c.account_id, email, (language) => templates(language).emailInUse('support'))
    })
    sent.push({ kind: invited ? 'invitation' : 'email-confirmation', to: email, accountId: c.account_id })
  }
  const trial = await ctx.db
    .selectFrom('trial_requests')
    .select(['id', 'account_id'])
    .where('email', '=', email)
    .where('consumed_at', 'is', null)
    .orderBy('created_at', 'desc')
    .executeTakeFirst()
  if (trial) {
    await resendTrialCode(ctx, trial.id, ip)
    sent.push({ kind: 'trial-code', to: email, accountId: trial.account_id })
  }
  return sent
}

async function resendForNumber(ctx: ServiceContext, number: string, ip: string): Promise<Sent[]> {
  const e164 = normalizeNanp(number)
  if (!e164) throw invalid('number', 'not a US or Canadian phone number', 'invalid-input')
  const since = new Date(ctx.clock.now().getTime() - SIGNUP_WINDOW_MS).toISOString()
  const waiting = await ctx.db
    .selectFrom('one_time_tokens')
    .select(['id', 'language'])
    .where('purpose', '=', 'phone_signup')
    .where('subject', '=', e164)
    .where('consumed_at', 'is', null)
    .where('created_at', '>', since)
    .executeTakeFirst()
  if (!waiting) return []
  // In the language the first code was texted in: the person's app's.
  await startPhoneSignup(ctx, e164, ip, wordsLanguage(waiting.language))
  return [{ kind: 'signup-code', to: e164, accountId: null }]
}

/** Every identifier the account signs in with: its emails, its phones, its lines' numbers. */
async function identifiersOf(ctx: ServiceContext, accountId: string): Promise<string[]> {
  const emails = await ctx.db
    .selectFrom('account_emails')
    .select('address')
    .where('account_id', '=', accountId)
    .execute()
  const phones = await ctx.db
    .selectFrom('account_phones')
    .select('e164')
    .where('account_id', '=', accountId)
    .execute()
  const lines = await ctx.db
    .selectFrom('lines')
    .select('phone_number')
    .where('account_id', '=', accountId)
    .where('phone_number', 'is not', null)
    .execute()
  return [
    ...emails.map((e) => identifierKey(e.address)),
    ...phones.map((p) => identifierKey(p.e164)),
    ...lines.map((l) => identifierKey(l.phone_number ?? ''))
  ]
}

export async function unlockSignIn(ctx: ServiceContext, accountId: string): Promise<{ cleared: number }> {
  await requireAccount(ctx, accountId)
  return inTransaction(ctx, async (tx) => {
    const ids = await identifiersOf(tx, accountId)
    const rows = ids.length
      ? await tx.db.selectFrom('signin_throttle').select('key').where('identifier', 'in', ids).execute()
      : []
    await clearIdentifiers(tx, ids)
    await tx.audit.record('signin.unlocked-by-operator', { accountId, detail: { rows: rows.length } })
    return { cleared: rows.length }
  })
}
