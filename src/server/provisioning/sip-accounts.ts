/**
 * SIP credentials of a line, in two places. `sip_accounts` keeps the password sealed with the service key
 * (AES-256-GCM), because the app must be able to fetch it to register. Kamailio's `subscriber` table gets only
 * the digest hashes (ha1 = md5(user:realm:password), ha1b = md5(user@domain:realm:password), lowercase hex;
 * `password` stays '' as the NOT NULL column demands), from the line's first activation until it closes: no row,
 * no REGISTER. Next to them, the line's policy (migration 0019): its state, whether calls are held, and its 911
 * location, which Kamailio enforces and attaches itself (resources/kamailio/policy.cfg, emergency.cfg).
 * The SIP user is the line's number without '+', so a call to the number reaches the line's registrations.
 */
import { randomBytes } from 'node:crypto'
import type { ServiceContext } from '../context'
import { md5 } from '../secrets'

export function sipUsernameOf(e164: string): string {
  return e164.replace(/^\+/, '')
}

export function digestHashes(
  username: string,
  domain: string,
  password: string
): { ha1: string; ha1b: string } {
  return {
    ha1: md5(`${username}:${domain}:${password}`),
    ha1b: md5(`${username}@${domain}:${domain}:${password}`)
  }
}

/** The line's SIP account, created on first use; the username follows the line's number. */
export async function ensureSipAccount(
  ctx: ServiceContext,
  lineId: string,
  e164: string,
  known?: KnownSipAccount | null
): Promise<{ username: string; password: string }> {
  const username = sipUsernameOf(e164)
  const now = ctx.clock.now().toISOString()
  const row = await knownOrRead(ctx, lineId, known)
  if (row) {
    if (row.username !== username)
      await ctx.db
        .updateTable('sip_accounts')
        .set({ username, rotated_at: now })
        .where('line_id', '=', lineId)
        .execute()
    return { username, password: ctx.box.open(row.password_enc) }
  }
  const password = randomBytes(18).toString('base64url')
  await ctx.db
    .insertInto('sip_accounts')
    .values({
      line_id: lineId,
      username,
      password_enc: ctx.box.seal(password),
      created_at: now,
      rotated_at: now
    })
    .execute()
  return { username, password }
}

/**
 * A new SIP password for the line (an account given back to its owner: whoever fetched the old one must not go on
 * calling on it). Kamailio's row follows at the line's next sync; its username, whose registrations the caller
 * drops once committed, is returned (null: the line never had SIP credentials).
 */
export async function rotateSipPassword(ctx: ServiceContext, lineId: string): Promise<string | null> {
  const row = await ctx.db
    .selectFrom('sip_accounts')
    .select('username')
    .where('line_id', '=', lineId)
    .executeTakeFirst()
  if (!row) return null
  await ctx.db
    .updateTable('sip_accounts')
    .set({
      password_enc: ctx.box.seal(randomBytes(18).toString('base64url')),
      rotated_at: ctx.clock.now().toISOString()
    })
    .where('line_id', '=', lineId)
    .execute()
  return row.username
}

/** The line's SIP account as its caller read it already (syncLine reads it with the line's other facts). */
export interface KnownSipAccount {
  readonly username: string
  readonly password_enc: string
}

/** The line's SIP account as the caller already read it (null: none), or read here when the caller did not. */
async function knownOrRead(
  ctx: ServiceContext,
  lineId: string,
  known: KnownSipAccount | null | undefined
): Promise<KnownSipAccount | null | undefined> {
  if (known !== undefined) return known
  return ctx.db
    .selectFrom('sip_accounts')
    .select(['username', 'password_enc'])
    .where('line_id', '=', lineId)
    .executeTakeFirst()
}

/** What Kamailio enforces for the line, kept in its subscriber row. */
export interface SubscriberPolicy {
  readonly lineState: string
  readonly callsHeld: boolean
  /** The 911 location as PIDF-LO, built from the username (see pidf-lo.ts), or null without an address. */
  readonly e911Pidf: ((username: string) => string) | null
}

/** Whether the line ever had SIP credentials (its first activation creates them; they outlive a lapse). */
export async function hasSipAccount(ctx: ServiceContext, lineId: string): Promise<boolean> {
  const row = await ctx.db
    .selectFrom('sip_accounts')
    .select('line_id')
    .where('line_id', '=', lineId)
    .executeTakeFirst()
  return row !== undefined
}

/**
 * Put the line's digest hashes and policy into Kamailio's table (replacing a row under an old username).
 */
export async function enableSubscriber(
  ctx: ServiceContext,
  lineId: string,
  e164: string,
  policy: SubscriberPolicy,
  /** The line's SIP account when the caller read it already (null: it has none; undefined: read it here). */
  known?: KnownSipAccount | null
): Promise<{ previousUsername: string | null }> {
  const domain = ctx.config.sip.domain
  const previous = await knownOrRead(ctx, lineId, known)
  const { username, password } = await ensureSipAccount(ctx, lineId, e164, previous ?? null)
  const stale = previous && previous.username !== username ? previous.username : null
  if (stale)
    await ctx.db.deleteFrom('subscriber').where('username', '=', stale).where('domain', '=', domain).execute()
  const { ha1, ha1b } = digestHashes(username, domain, password)
  const row = {
    ha1,
    ha1b,
    line_state: policy.lineState,
    calls_held: policy.callsHeld ? 1 : 0,
    e911_pidf: policy.e911Pidf ? policy.e911Pidf(username) : null
  }
  const existing = await ctx.db
    .selectFrom('subscriber')
    .select(['id', 'ha1', 'ha1b', 'line_state', 'calls_held', 'e911_pidf'])
    .where('username', '=', username)
    .where('domain', '=', domain)
    .executeTakeFirst()
  // Write only on change: Kamailio reads this table on every REGISTER, and the sweeper syncs every line.
  const changed =
    existing && (Object.keys(row) as (keyof typeof row)[]).some((k) => String(existing[k]) !== String(row[k]))
  if (existing && changed)
    await ctx.db
      .updateTable('subscriber')
      .set({ ...row, password: '' })
      .where('id', '=', existing.id)
      .execute()
  else if (!existing)
    await ctx.db
      .insertInto('subscriber')
      .values({ username, domain, password: '', ...row })
      .execute()
  return { previousUsername: stale }
}

/** Remove the line from Kamailio's table; returns the username removed, if any. */
export async function disableSubscriber(
  ctx: ServiceContext,
  lineId: string,
  /** The line's SIP account when the caller read it already (null: it has none; undefined: read it here). */
  known?: KnownSipAccount | null
): Promise<string | null> {
  const row =
    known !== undefined
      ? known
      : await ctx.db
          .selectFrom('sip_accounts')
          .select('username')
          .where('line_id', '=', lineId)
          .executeTakeFirst()
  if (!row) return null
  const r = await ctx.db
    .deleteFrom('subscriber')
    .where('username', '=', row.username)
    .where('domain', '=', ctx.config.sip.domain)
    .executeTakeFirst()
  return Number(r.numDeletedRows) > 0 ? row.username : null
}
