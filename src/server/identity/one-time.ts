/**
 * Single-use secrets (ASVS 6.5): long random tokens for reset and transfer approval (looked up by their hash),
 * and 6-digit codes for email and phone confirmation (looked up by what they confirm, then compared; at most
 * 5 tries, 10 minutes of life). Issuing a new code for the same subject retires the old one. Each try is taken
 * with one conditional UPDATE before the code is compared, so of guesses sent at once only as many as there are
 * tries left are compared at all. Consuming is one conditional UPDATE, so two requests with the same code cannot
 * both succeed.
 */
import type { OneTimeTokensTable } from '../db/schema'
import { ONE_TIME_CODE_MINUTES } from '../../shared/api/identity'
import type { ReasonCode } from '../../shared/api/reasons'
import type { ServiceContext } from '../context'
import { ServiceError } from '../http/errors'
import { newCode, newId, newToken, safeEqual, sha256 } from '../secrets'

export const CODE_TTL_MS = ONE_TIME_CODE_MINUTES * 60_000
export const CODE_MAX_ATTEMPTS = 5

type Purpose = OneTimeTokensTable['purpose']

export async function issueCode(
  ctx: ServiceContext,
  purpose: Purpose,
  subject: string,
  accountId: string | null,
  /** The language the code went out in, when there is no account to read it from (a phone sign-up's SMS). */
  language: string | null = null
): Promise<string> {
  const code = newCode()
  await retire(ctx, purpose, subject)
  await insert(
    ctx,
    purpose,
    subject,
    accountId,
    sha256(`${purpose}:${subject}:${code}`),
    CODE_TTL_MS,
    language
  )
  return code
}

export async function issueToken(
  ctx: ServiceContext,
  purpose: Purpose,
  subject: string,
  accountId: string | null,
  ttlMs: number
): Promise<string> {
  const token = newToken(purpose === 'password_reset' ? 'dtr' : 'dtx')
  await retire(ctx, purpose, subject)
  await insert(ctx, purpose, subject, accountId, sha256(token), ttlMs)
  return token
}

async function retire(ctx: ServiceContext, purpose: Purpose, subject: string): Promise<void> {
  await ctx.db
    .updateTable('one_time_tokens')
    .set({ consumed_at: ctx.clock.now().toISOString() })
    .where('purpose', '=', purpose)
    .where('subject', '=', subject)
    .where('consumed_at', 'is', null)
    .execute()
}

async function insert(
  ctx: ServiceContext,
  purpose: Purpose,
  subject: string,
  accountId: string | null,
  hash: string,
  ttlMs: number,
  language: string | null = null
): Promise<void> {
  const now = ctx.clock.now()
  await ctx.db
    .insertInto('one_time_tokens')
    .values({
      id: newId('ott'),
      purpose,
      token_hash: hash,
      account_id: accountId,
      subject,
      expires_at: new Date(now.getTime() + ttlMs).toISOString(),
      consumed_at: null,
      attempts: 0,
      created_at: now.toISOString(),
      ...(language === null ? {} : { language })
    })
    .execute()
}

async function claim(ctx: ServiceContext, id: string): Promise<boolean> {
  const r = await ctx.db
    .updateTable('one_time_tokens')
    .set({ consumed_at: ctx.clock.now().toISOString() })
    .where('id', '=', id)
    .where('consumed_at', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** Where a short code's tries are counted: the table holding the code, and the code's row there. */
export interface CodeRow {
  readonly table: 'one_time_tokens' | 'trial_requests'
  readonly id: string
}

/**
 * One try taken on a code's row, in one conditional UPDATE (`attempts = attempts + 1 ... AND attempts <
 * CODE_MAX_ATTEMPTS`): of guesses sent at once, only as many as there are tries left get one. Answers the tries
 * taken, or null when none was left.
 */
async function takeAttempt(ctx: ServiceContext, row: CodeRow): Promise<number | null> {
  const taken = await ctx.db
    .updateTable(row.table)
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id', '=', row.id)
    .where('attempts', '<', CODE_MAX_ATTEMPTS)
    .returning('attempts')
    .executeTakeFirst()
  return taken?.attempts ?? null
}

/**
 * The checks every short code goes through, wherever it is stored: not expired, a try left, and the hash equal in
 * constant time. The try is counted on the code's row (`attempts`: a one-time code's, or a trial request's, whose
 * code lives on the request) by takeAttempt before anything is compared, outside any transaction a wrong code would
 * roll back. A wrong code says how many are left. `retry` finishes the sentences that tell the person what to do
 * next.
 */
export async function checkCode(
  ctx: ServiceContext,
  row: { expiresAt: string; hash: string },
  o: {
    presentedHash: string
    attempts: CodeRow
    failed?: () => Promise<void>
    retry: string
    path?: string
  }
): Promise<void> {
  if (row.expiresAt <= ctx.clock.now().toISOString())
    throw gone('code-expired', `the code has expired; ${o.retry}`, o.path)
  const taken = await takeAttempt(ctx, o.attempts)
  if (taken === null) throw gone('code-attempts', `too many wrong codes; ${o.retry}`, o.path)
  if (safeEqual(row.hash, o.presentedHash)) return
  await o.failed?.()
  const left = CODE_MAX_ATTEMPTS - taken
  throw new ServiceError(
    'invalid-input',
    left > 0 ? `wrong code; ${left} tries left` : `wrong code; ${o.retry}`,
    {
      reason: 'code-wrong',
      params: { left: Math.max(0, left) },
      issues: [
        { path: 'code', code: 'code-wrong', params: { left: Math.max(0, left) }, message: 'wrong code' }
      ]
    }
  )
}

/** A refusal of a code that is over; with `path`, also the issue of the field the code was typed in. */
function gone(reason: ReasonCode, message: string, path?: string): ServiceError {
  return new ServiceError('gone', message, {
    reason,
    ...(path === undefined ? {} : { issues: [{ path, code: reason, message }] })
  })
}

/**
 * Check a code for a subject; returns the row's account id. Throws a specific, safe error otherwise, with the
 * issue on the `code` field. A code that was already used is told apart from one that never existed only to
 * whoever presents that very code (it is compared with the newest used one), so nothing is revealed to a guesser.
 */
export async function consumeCode(
  ctx: ServiceContext,
  purpose: Purpose,
  subject: string,
  code: string
): Promise<{ accountId: string | null }> {
  const checked = await checkOneTimeCode(ctx, purpose, subject, code)
  await claimCheckedCode(ctx, checked.id)
  return { accountId: checked.accountId }
}

/**
 * consumeCode's check alone, for work that claims the code inside its own transaction (claimCheckedCode): the try
 * is counted here, outside it, so a wrong code still counts when that transaction rolls back.
 */
export async function checkOneTimeCode(
  ctx: ServiceContext,
  purpose: Purpose,
  subject: string,
  code: string
): Promise<{ id: string; accountId: string | null }> {
  const row = await ctx.db
    .selectFrom('one_time_tokens')
    .selectAll()
    .where('purpose', '=', purpose)
    .where('subject', '=', subject)
    .where('consumed_at', 'is', null)
    .orderBy('created_at', 'desc')
    .executeTakeFirst()
  if (!row) {
    const used = await ctx.db
      .selectFrom('one_time_tokens')
      .select('token_hash')
      .where('purpose', '=', purpose)
      .where('subject', '=', subject)
      .orderBy('created_at', 'desc')
      .executeTakeFirst()
    if (used && safeEqual(used.token_hash, sha256(`${purpose}:${subject}:${code}`)))
      throw gone('code-used', 'this code was already used', 'code')
    throw gone('no-code', 'there is no code waiting; ask for a new one', 'code')
  }
  await checkCode(
    ctx,
    { expiresAt: row.expires_at, hash: row.token_hash },
    {
      presentedHash: sha256(`${purpose}:${subject}:${code}`),
      attempts: { table: 'one_time_tokens', id: row.id },
      retry: 'ask for a new one',
      path: 'code'
    }
  )
  return { id: row.id, accountId: row.account_id }
}

/** Uses up a code checkOneTimeCode passed (in the caller's transaction, if any): once only, whoever races it. */
export async function claimCheckedCode(ctx: ServiceContext, id: string): Promise<void> {
  if (!(await claim(ctx, id))) throw gone('code-used', 'this code was already used', 'code')
}

/**
 * Check a long token; returns its row. The reason is always 'token-invalid'; the issue on the field (`path`) says
 * whether the token is unknown, used (or replaced by a newer one) or expired. That tells nothing to a guesser: only
 * the holder of a real token, 256 random bits, ever hears "used" or "expired". With `subject`, a token issued for
 * anything else is refused as unknown and left unused (a transfer code for another dongle).
 */
export async function consumeToken(
  ctx: ServiceContext,
  purpose: Purpose,
  token: string,
  { subject, path = 'token' }: { subject?: string; path?: string } = {}
): Promise<{ accountId: string | null; subject: string }> {
  const refuse = (code: 'token-unknown' | 'token-used' | 'token-expired', message: string) =>
    new ServiceError('gone', `this code is invalid, expired or already used (${message})`, {
      reason: 'token-invalid',
      issues: [{ path, code, message }]
    })
  if (!/^dt[rx]_[A-Za-z0-9_-]{43}$/.test(token)) throw refuse('token-unknown', 'not a code we sent')
  const row = await ctx.db
    .selectFrom('one_time_tokens')
    .selectAll()
    .where('purpose', '=', purpose)
    .where('token_hash', '=', sha256(token))
    .executeTakeFirst()
  if (!row) throw refuse('token-unknown', 'not a code we sent')
  // Someone else's code: the same answer as one never sent, and it stays usable by its holder.
  if (subject !== undefined && row.subject !== subject) throw refuse('token-unknown', 'not a code we sent')
  if (row.consumed_at !== null) throw refuse('token-used', 'already used or replaced by a newer code')
  if (row.expires_at <= ctx.clock.now().toISOString()) throw refuse('token-expired', 'expired')
  if (!(await claim(ctx, row.id))) throw refuse('token-used', 'already used or replaced by a newer code')
  return { accountId: row.account_id, subject: row.subject }
}
