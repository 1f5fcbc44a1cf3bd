/**
 * Sessions as revocable opaque bearer tokens (ASVS 7.2.3: 256 random bits). Only the SHA-256 of a token is
 * stored, so a copy of the database signs nobody in. Sliding expiry: 30 days after last use, refreshed at most
 * once a minute so reads do not turn into writes, or at once when the session comes from a new network address
 * (the session list shows where each was last used from).
 */
import type { ServiceContext } from '../context'
import type { AccountRole } from '../../shared/api/business'
import { sha256, newId, newToken } from '../secrets'

export const SESSION_IDLE_MS = 30 * 24 * 60 * 60_000
const TOUCH_EVERY_MS = 60_000

export interface NewSession {
  readonly token: string
  readonly sessionId: string
  readonly accountId: string
  readonly expiresAt: string
}

export interface Authenticated {
  readonly sessionId: string
  /** The account the request acts on: the business for a member (once route-access scoped it), else their own. */
  readonly accountId: string
  /** The signed-in person's own sign-in (an account row): equal to accountId unless they are a member. */
  readonly personId: string
  /** 'owner' for an account's own sign-in; a member's role on the business (issue 25). */
  readonly role: AccountRole
  /** The business a member works for, or null. */
  readonly businessId: string | null
  /** A line user's one line. */
  readonly lineId: string | null
}

export async function createSession(
  ctx: ServiceContext,
  accountId: string,
  client: string | null,
  ip: string | null
): Promise<NewSession> {
  const token = newToken('dts')
  const now = ctx.clock.now()
  const expiresAt = new Date(now.getTime() + SESSION_IDLE_MS).toISOString()
  const sessionId = newId('ses')
  await ctx.db
    .insertInto('sessions')
    .values({
      id: sessionId,
      account_id: accountId,
      token_hash: sha256(token),
      client,
      ip,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: expiresAt,
      revoked_at: null
    })
    .execute()
  return { token, sessionId, accountId, expiresAt }
}

/** The session a bearer token opens, or null; `ip` (where this request came from) is kept as its last address. */
export async function authenticate(
  ctx: ServiceContext,
  token: string,
  ip?: string
): Promise<Authenticated | null> {
  if (!/^dts_[A-Za-z0-9_-]{43}$/.test(token)) return null
  const now = ctx.clock.now()
  const row = await ctx.db
    .selectFrom('sessions')
    .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
    .leftJoin('business_members', 'business_members.person_id', 'sessions.account_id')
    .leftJoin('accounts as business', 'business.id', 'business_members.account_id')
    .select([
      'sessions.id',
      'sessions.account_id',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'sessions.revoked_at',
      'sessions.ip',
      'accounts.status',
      'business_members.account_id as business_id',
      'business_members.role',
      'business_members.line_id',
      'business.status as business_status'
    ])
    .where('sessions.token_hash', '=', sha256(token))
    .executeTakeFirst()
  if (!row || row.revoked_at !== null || row.expires_at <= now.toISOString() || row.status !== 'active')
    return null
  // A member acts for the business: not for one that is no longer open.
  if (row.business_id && row.business_status !== 'active') return null
  // A new address is written at once (the session list shows where each session was last used from).
  const moved = ip !== undefined && ip !== row.ip
  if (moved || now.getTime() - new Date(row.last_seen_at).getTime() > TOUCH_EVERY_MS)
    await ctx.db
      .updateTable('sessions')
      .set({
        last_seen_at: now.toISOString(),
        expires_at: new Date(now.getTime() + SESSION_IDLE_MS).toISOString(),
        ...(moved ? { ip } : {})
      })
      .where('id', '=', row.id)
      .execute()
  // A member's session opens on their own sign-in; route-access moves it to the business for business routes.
  return {
    sessionId: row.id,
    accountId: row.account_id,
    personId: row.account_id,
    role: row.role ?? 'owner',
    businessId: row.business_id ?? null,
    lineId: row.line_id ?? null
  }
}

export async function revokeSession(
  ctx: ServiceContext,
  accountId: string,
  sessionId: string
): Promise<boolean> {
  const r = await ctx.db
    .updateTable('sessions')
    .set({ revoked_at: ctx.clock.now().toISOString() })
    .where('id', '=', sessionId)
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

/**
 * Sign out everywhere (after a password reset, ASVS 7.4.3), optionally keeping the current session; how many
 * sessions that ended (expired ones included: they end for good).
 */
export async function revokeAllSessions(
  ctx: ServiceContext,
  accountId: string,
  exceptSessionId?: string
): Promise<number> {
  let q = ctx.db
    .updateTable('sessions')
    .set({ revoked_at: ctx.clock.now().toISOString() })
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
  if (exceptSessionId) q = q.where('id', '!=', exceptSessionId)
  return Number((await q.executeTakeFirst()).numUpdatedRows)
}

export async function listSessions(ctx: ServiceContext, accountId: string, currentId: string) {
  const now = ctx.clock.now().toISOString()
  const rows = await ctx.db
    .selectFrom('sessions')
    .select(['id', 'client', 'ip', 'created_at', 'last_seen_at', 'expires_at'])
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('last_seen_at', 'desc')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    client: r.client,
    address: r.ip,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    expiresAt: r.expires_at,
    current: r.id === currentId
  }))
}
