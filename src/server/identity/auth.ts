/**
 * Signing in and recovering access. Every path that could tell whether an account exists answers the same
 * way in the same time: sign-in verifies against a dummy hash when nobody matches; forgot-password always says
 * "accepted" and does its real work (a token and an email) only for a real account, which costs a couple of
 * inserts and no hashing, so the two paths differ by well under the network's own jitter.
 */
import { RESET_CODE_MINUTES, identifierKey } from '../../shared/api/identity'
import { type ServiceContext, inTransaction } from '../context'
import { ServiceError, invalid } from '../http/errors'
import { LIMITS } from '../http/rate-limit'
import { enqueue, notifyAllEmails, preferredEmail } from '../mail/outbox'
import { acceptInvitation } from '../ops/accounts/business'
import { templates } from '../mail/templates'
import { DEFAULT_LANGUAGE, type LanguageCode } from '../../shared/i18n/languages'
import { wordsLanguage } from '../words/format'
import { nanpArea } from '../numbers/nanp-zones'
import { checkNewPassword, createAccount, findAccountByIdentifier, passwordContext } from './accounts'
import { claimEmail } from './emails'
import { checkOneTimeCode, claimCheckedCode, consumeToken, issueCode, issueToken } from './one-time'
import { claimSignIn, clearAttempts, clearIdentifiers, issueDeviceToken } from './signin-throttle'
import { type NewSession, createSession, revokeAllSessions } from './sessions'

export const RESET_TTL_MS = RESET_CODE_MINUTES * 60_000
const wrongCredentials = () =>
  new ServiceError('unauthenticated', 'the email or number and password do not match an account', {
    reason: 'wrong-credentials'
  })

export async function signIn(
  ctx: ServiceContext,
  req: {
    identifier: string
    password: string
    client?: string | undefined
    deviceToken?: string | undefined
  },
  ip: string
): Promise<NewSession & { deviceToken: string }> {
  const identifier = identifierKey(req.identifier)
  // Per (identifier, client) with growing delays; a device that signed in before counts only its own attempts.
  const { claims } = await claimSignIn(ctx, identifier, ip, req.deviceToken, {
    perIp: LIMITS.signInPerIp,
    overall: LIMITS.signInGlobal
  })
  const account = await findAccountByIdentifier(ctx, req.identifier)
  const ok = account
    ? await ctx.hasher.verify(req.password, account.password_hash)
    : await ctx.hasher.verifyAgainstNothing(req.password)
  if (!account || !ok || account.status !== 'active') {
    await ctx.audit.record('signin.failed', { accountId: account?.id ?? null, ip })
    throw wrongCredentials()
  }
  await clearAttempts(ctx, claims)
  const session = await createSession(ctx, account.id, req.client ?? null, ip)
  await ctx.audit.record('signin.ok', { accountId: account.id, ip, detail: { session: session.sessionId } })
  return { ...session, deviceToken: issueDeviceToken(ctx, identifier) }
}

export const FORGOT_MESSAGE =
  'If an account uses this email or number, we sent it a reset code. It works once, for 30 minutes.'

export async function forgotPassword(ctx: ServiceContext, identifier: string, ip: string): Promise<void> {
  await ctx.limiter.hit([LIMITS.resetPerIdentifier, identifierKey(identifier)], [LIMITS.resetPerIp, ip])
  const found = await findAccountByIdentifier(ctx, identifier)
  const account = found?.status === 'active' ? found : null
  // The same statements whoever asks, so the answer's timing does not tell whether the account exists: for
  // nobody, a token that can never be sent or used (its subject is no account) and an audit line instead of
  // the email.
  await inTransaction(ctx, async (tx) => {
    // Asked by email: the code goes to that address (a confirmed one of the account, or it named none), not to
    // the preferred one. Someone who took the account over may have made their own address preferred, and "if
    // this was not you, reset your password" must reach the person who asks from theirs.
    const preferred = await preferredEmail(tx.db, account?.id ?? NOBODY)
    const to = preferred && identifier.includes('@') ? identifier.trim().toLowerCase() : preferred
    const subject = account && to ? account.id : `${NOBODY}:${identifierKey(identifier)}`
    const token = await issueToken(
      tx,
      'password_reset',
      subject,
      account && to ? account.id : null,
      RESET_TTL_MS
    )
    if (account && to)
      await enqueue(tx.db, tx.clock, {
        ...templates(wordsLanguage(account.language)).passwordReset(token),
        channel: 'email',
        to,
        purpose: 'password-reset',
        accountId: account.id
      })
    else await tx.audit.record('password.reset-unknown', { accountId: null, ip })
    // Where the code went (the address asked from, or the preferred one): support reads it in the history.
    await tx.audit.record('password.reset-requested', {
      accountId: account?.id ?? null,
      ip,
      ...(account && to ? { detail: { sentTo: to } } : {})
    })
  })
}

async function isClosed(ctx: ServiceContext, accountId: string): Promise<boolean> {
  const a = await ctx.db
    .selectFrom('accounts')
    .select('status')
    .where('id', '=', accountId)
    .executeTakeFirst()
  return a?.status === 'closed'
}

/** The subject of reset tokens made for nobody (unknown identifiers): no account has this id. */
const NOBODY = 'nobody'

export async function resetPassword(
  ctx: ServiceContext,
  token: string,
  password: string,
  ip: string
): Promise<void> {
  await ctx.limiter.hit([LIMITS.codePerIp, ip], [LIMITS.codeGlobal, 'all'])
  await inTransaction(ctx, async (tx) => {
    const { accountId } = await consumeToken(tx, 'password_reset', token)
    // A token made for nobody is never sent, so whoever holds one guessed it: the same answer as a wrong one.
    if (!accountId)
      throw new ServiceError('gone', 'this code is invalid, expired or already used', {
        reason: 'token-invalid',
        issues: [{ path: 'token', code: 'token-unknown', message: 'not a code we sent' }]
      })
    // A closed sign-in (a person removed from a business, ../business/member-removal.ts) takes no password: its
    // codes were withdrawn, and one sent in the same moment answers as they do (rolled back, it stays unused).
    if (await isClosed(tx, accountId))
      throw new ServiceError('gone', 'this code is invalid, expired or already used', {
        reason: 'token-invalid',
        issues: [{ path: 'token', code: 'token-expired', message: 'withdrawn' }]
      })
    // A refusal here rolls the transaction back, so the code stays usable for a better password.
    checkNewPassword(password, await passwordContext(tx, accountId))
    // An operator's invitation (issue 20) is such a code: using it confirms the invited address.
    await acceptInvitation(tx, accountId)
    const emails = await tx.db
      .selectFrom('account_emails')
      .select('address')
      .where('account_id', '=', accountId)
      .execute()
    await tx.db
      .updateTable('accounts')
      .set({ password_hash: await tx.hasher.hash(password), updated_at: tx.clock.now().toISOString() })
      .where('id', '=', accountId)
      .execute()
    // ASVS 7.4.3: a reset ends every session; the person signs in again (no automatic sign-in).
    await revokeAllSessions(tx, accountId)
    // The reset is the way out of sign-in delays: every identifier of the account starts again.
    const phones = await tx.db
      .selectFrom('account_phones')
      .select('e164')
      .where('account_id', '=', accountId)
      .execute()
    await clearIdentifiers(tx, [
      ...emails.map((e) => identifierKey(e.address)),
      ...phones.map((p) => identifierKey(p.e164))
    ])
    await notifyAllEmails(
      tx.db,
      tx.clock,
      accountId,
      (l) => templates(l).passwordChanged(true),
      'password-changed'
    )
    await tx.audit.record('password.reset', { accountId, ip })
  })
}

/**
 * A password check inside a session (changing it, releasing a dongle): counted per account, so someone holding a
 * stolen session cannot guess the password on, and refused beside the field when wrong.
 */
export async function checkCurrentPassword(
  ctx: ServiceContext,
  accountId: string,
  password: string,
  path: string
): Promise<void> {
  await ctx.limiter.hit([LIMITS.passwordCheckPerAccount, accountId])
  const account = await ctx.db
    .selectFrom('accounts')
    .select('password_hash')
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow()
  if (!(await ctx.hasher.verify(password, account.password_hash)))
    throw invalid(path, 'the password is not right', 'wrong-password')
}

export async function changePassword(
  ctx: ServiceContext,
  auth: { accountId: string; sessionId: string },
  req: { currentPassword: string; newPassword: string; signOutOthers: boolean },
  ip: string
): Promise<void> {
  await checkCurrentPassword(ctx, auth.accountId, req.currentPassword, 'currentPassword')
  checkNewPassword(req.newPassword, await passwordContext(ctx, auth.accountId), 'newPassword')
  const hash = await ctx.hasher.hash(req.newPassword)
  await inTransaction(ctx, async (tx) => {
    await tx.db
      .updateTable('accounts')
      .set({ password_hash: hash, updated_at: tx.clock.now().toISOString() })
      .where('id', '=', auth.accountId)
      .execute()
    if (req.signOutOthers) await revokeAllSessions(tx, auth.accountId, auth.sessionId)
    await notifyAllEmails(
      tx.db,
      tx.clock,
      auth.accountId,
      (l) => templates(l).passwordChanged(req.signOutOthers),
      'password-changed'
    )
    await tx.audit.record('password.changed', { accountId: auth.accountId, ip })
  })
}

/** Sign-up by phone, step 1: a code by SMS. Same answer whether the number is taken or not. */
export async function startPhoneSignup(
  ctx: ServiceContext,
  phone: string,
  ip: string,
  language: LanguageCode = DEFAULT_LANGUAGE
): Promise<void> {
  // Only the plan's own countries (the US, Canada, the US territories): the schema takes any NANP number, and a code
  // sent to Jamaica or a premium number costs what its operator charges, the usual end of SMS pumping.
  if (nanpArea(phone.slice(1))?.zone !== 'included')
    throw invalid('phone', 'sign-up by phone takes a number in the US or Canada', 'phone-not-included')
  await ctx.limiter.hit(
    [LIMITS.signupPerPhone, phone],
    [LIMITS.signupPerIp, ip],
    [LIMITS.signupPerArea, phone.slice(2, 5)],
    [LIMITS.signupSmsDaily, 'all']
  )
  const taken = await ctx.db
    .selectFrom('account_phones')
    .select('e164')
    .where('e164', '=', phone)
    .where('verified_at', 'is not', null)
    .executeTakeFirst()
  await inTransaction(ctx, async (tx) => {
    const code = await issueCode(tx, 'phone_signup', phone, null, language)
    // A taken number still gets an SMS, telling its owner someone tried; the API answer is the same.
    // Before there is an account, the SMS is in the language of the app that asked for it.
    const message = taken ? templates(language).phoneTaken() : templates(language).phoneCode(code)
    await enqueue(tx.db, tx.clock, { ...message, channel: 'sms', to: phone, purpose: 'phone-signup' })
  })
}

export async function finishPhoneSignup(
  ctx: ServiceContext,
  req: {
    phone: string
    code: string
    name: string
    email: string
    password: string
    timeZone?: string
    language?: LanguageCode | undefined
    client?: string | undefined
  },
  ip: string
): Promise<NewSession> {
  await ctx.limiter.hit([LIMITS.codePerIp, ip], [LIMITS.codeGlobal, 'all'])
  checkNewPassword(req.password, [req.name, req.email.split('@')[0] ?? ''])
  const hash = await ctx.hasher.hash(req.password)
  // Checked outside the transaction: a wrong code must count as a try even though the request fails; used up
  // inside it, so a sign-up that fails after the check leaves the code for the next attempt.
  const checked = await checkOneTimeCode(ctx, 'phone_signup', req.phone, req.code)
  return inTransaction(ctx, async (tx) => {
    await claimCheckedCode(tx, checked.id)
    const taken = await tx.db
      .selectFrom('account_phones')
      .select('e164')
      .where('e164', '=', req.phone)
      .executeTakeFirst()
    if (taken)
      throw new ServiceError('conflict', 'this number already has an account; sign in instead', {
        reason: 'phone-taken'
      })
    // The email is a claim until its code comes back; whether another account has it, only the email says.
    const accountId = await createAccount(tx, {
      type: 'individual',
      name: req.name,
      email: req.email,
      emailVerified: false,
      passwordHash: hash,
      billingAddress: null,
      phone: { e164: req.phone, verified: true },
      timeZone: req.timeZone,
      language: req.language ?? DEFAULT_LANGUAGE
    })
    await claimEmail(tx, accountId, req.email, (l) =>
      templates(l).emailInUse('phoneSignup', { phone: req.phone })
    )
    await tx.audit.record('signup.phone', { accountId, ip })
    return createSession(tx, accountId, req.client ?? null, ip)
  })
}
