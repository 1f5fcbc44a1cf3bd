/**
 * SIP credentials of a line, in two places. `sip_accounts` keeps the password sealed with the service key
 * (AES-256-GCM), because the app must be able to fetch it to register. Kamailio's `subscriber` table gets only
 * the digest hashes (ha1 = md5(user:realm:password), ha1b = md5(user@domain:realm:password), lowercase hex;
 * `password` stays '' as the NOT NULL column demands) and only while the line is in service: no row, no REGISTER.
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
  e164: string
): Promise<{ username: string; password: string }> {
  const username = sipUsernameOf(e164)
  const now = ctx.clock.now().toISOString()
  const row = await ctx.db
    .selectFrom('sip_accounts')
    .selectAll()
    .where('line_id', '=', lineId)
    .executeTakeFirst()
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

/** Put the line's digest hashes into Kamailio's table (replacing a row under an old username). */
export async function enableSubscriber(
  ctx: ServiceContext,
  lineId: string,
  e164: string
): Promise<{ previousUsername: string | null }> {
  const domain = ctx.config.sip.domain
  const previous = await ctx.db
    .selectFrom('sip_accounts')
    .select('username')
    .where('line_id', '=', lineId)
    .executeTakeFirst()
  const { username, password } = await ensureSipAccount(ctx, lineId, e164)
  const stale = previous && previous.username !== username ? previous.username : null
  if (stale)
    await ctx.db.deleteFrom('subscriber').where('username', '=', stale).where('domain', '=', domain).execute()
  const { ha1, ha1b } = digestHashes(username, domain, password)
  const existing = await ctx.db
    .selectFrom('subscriber')
    .select(['id', 'ha1', 'ha1b'])
    .where('username', '=', username)
    .where('domain', '=', domain)
    .executeTakeFirst()
  // Write only on change: Kamailio reads this table on every REGISTER, and the sweeper syncs every line.
  if (existing && (existing.ha1 !== ha1 || existing.ha1b !== ha1b))
    await ctx.db
      .updateTable('subscriber')
      .set({ ha1, ha1b, password: '' })
      .where('id', '=', existing.id)
      .execute()
  else if (!existing)
    await ctx.db.insertInto('subscriber').values({ username, domain, password: '', ha1, ha1b }).execute()
  return { previousUsername: stale }
}

/** Remove the line from Kamailio's table; returns the username removed, if any. */
export async function disableSubscriber(ctx: ServiceContext, lineId: string): Promise<string | null> {
  const row = await ctx.db
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
