/**
 * Voicemail rows (migration 0021): boxes are lines, found by the line's SIP username (the `<box>` of the
 * Kamailio -> voicemail contract). Limits from ./limits; every change tells the message-waiting notifier through
 * voicemailChanged (./changes.ts) so the line's lamp follows.
 */
import type { ServiceContext } from '../context'
import { newId } from '../secrets'
import { voicemailChanged } from './changes'
import { VOICEMAIL_LIMITS } from './limits'

export interface VoicemailBox {
  readonly lineId: string
  readonly accountId: string
  readonly box: string
}

export async function findBox(ctx: ServiceContext, box: string): Promise<VoicemailBox | null> {
  const row = await ctx.db
    .selectFrom('sip_accounts as s')
    .innerJoin('lines as l', 'l.id', 's.line_id')
    .select(['l.id as lineId', 'l.account_id as accountId', 's.username as box', 'l.status as status'])
    .where('s.username', '=', box)
    .executeTakeFirst()
  if (!row || row.status === 'closed') return null
  return { lineId: row.lineId, accountId: row.accountId, box: row.box }
}

/**
 * A line's box found by the line's id, which never changes (its SIP username, the box, follows its number): null
 * when there is no such line; `closed` when it closed (its box went with it); `box` null when it has no SIP account.
 */
export async function boxById(
  ctx: ServiceContext,
  lineId: string
): Promise<{ accountId: string; closed: boolean; box: string | null } | null> {
  const row = await ctx.db
    .selectFrom('lines as l')
    .leftJoin('sip_accounts as s', 's.line_id', 'l.id')
    .select(['l.account_id as accountId', 'l.status as status', 's.username as box'])
    .where('l.id', '=', lineId)
    .executeTakeFirst()
  if (!row) return null
  return { accountId: row.accountId, closed: row.status === 'closed', box: row.box ?? null }
}

export async function boxOfLine(ctx: ServiceContext, lineId: string): Promise<string | null> {
  const row = await ctx.db
    .selectFrom('sip_accounts')
    .select('username')
    .where('line_id', '=', lineId)
    .executeTakeFirst()
  return row?.username ?? null
}

/** Removes messages past the age limit (all boxes, or one line). */
export async function purgeOld(ctx: ServiceContext, lineId?: string): Promise<void> {
  const cutoff = new Date(ctx.clock.now().getTime() - VOICEMAIL_LIMITS.maxAgeDays * 86_400_000).toISOString()
  let q = ctx.db.deleteFrom('voicemail_messages').where('received_at', '<', cutoff)
  if (lineId) q = q.where('line_id', '=', lineId)
  await q.execute()
}

export interface BoxUsage {
  readonly count: number
  readonly totalMs: number
  readonly unheard: number
}

export async function usage(ctx: ServiceContext, lineId: string): Promise<BoxUsage> {
  const rows = await ctx.db
    .selectFrom('voicemail_messages')
    .select(['duration_ms', 'heard_at'])
    .where('line_id', '=', lineId)
    .execute()
  return {
    count: rows.length,
    totalMs: rows.reduce((s, r) => s + r.duration_ms, 0),
    unheard: rows.filter((r) => r.heard_at === null).length
  }
}

export function isFull(u: BoxUsage): boolean {
  return u.count >= VOICEMAIL_LIMITS.maxMessages || u.totalMs >= VOICEMAIL_LIMITS.maxTotalS * 1000
}

/**
 * Stores a message. With `id` (chosen when the message began: ./recovery.ts), storing it again is a no-op: a
 * message kept at a stop and then found again at the next start (the crash came between the two) is kept once.
 * Returns the id either way.
 */
export async function saveMessage(
  ctx: ServiceContext,
  box: VoicemailBox,
  m: {
    id?: string
    receivedAt?: string
    caller: string
    callerName: string | null
    reason: string
    durationMs: number
    audio: Buffer
  }
): Promise<string> {
  const id = m.id ?? newId('vm')
  const inserted = await ctx.db
    .insertInto('voicemail_messages')
    .values({
      id,
      line_id: box.lineId,
      account_id: box.accountId,
      caller: m.caller,
      caller_name: m.callerName,
      reason: m.reason,
      received_at: m.receivedAt ?? ctx.clock.now().toISOString(),
      duration_ms: m.durationMs,
      size_bytes: m.audio.length,
      audio: m.audio,
      heard_at: null
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst()
  if (inserted) voicemailChanged(ctx, box.lineId)
  return id
}

export interface MessageSummary {
  readonly id: string
  readonly lineId: string
  readonly caller: string
  readonly callerName: string | null
  readonly reason: string
  readonly receivedAt: string
  readonly durationMs: number
  readonly heard: boolean
}

export async function listMessages(
  ctx: ServiceContext,
  where: { lineId?: string; accountId?: string; onlyNew?: boolean }
): Promise<MessageSummary[]> {
  let q = ctx.db
    .selectFrom('voicemail_messages')
    .select(['id', 'line_id', 'caller', 'caller_name', 'reason', 'received_at', 'duration_ms', 'heard_at'])
    .orderBy('received_at', 'asc')
    .orderBy('id', 'asc')
  if (where.lineId) q = q.where('line_id', '=', where.lineId)
  if (where.accountId) q = q.where('account_id', '=', where.accountId)
  if (where.onlyNew) q = q.where('heard_at', 'is', null)
  const rows = await q.execute()
  return rows.map((r) => ({
    id: r.id,
    lineId: r.line_id,
    caller: r.caller,
    callerName: r.caller_name,
    reason: r.reason,
    receivedAt: r.received_at,
    durationMs: r.duration_ms,
    heard: r.heard_at !== null
  }))
}

/** The message's audio, only when it belongs to that account (null otherwise: not found, whoever asks). */
export async function messageAudio(
  ctx: ServiceContext,
  accountId: string | null,
  id: string
): Promise<{ lineId: string; audio: Buffer } | null> {
  let q = ctx.db.selectFrom('voicemail_messages').select(['line_id', 'audio']).where('id', '=', id)
  if (accountId !== null) q = q.where('account_id', '=', accountId)
  const row = await q.executeTakeFirst()
  return row ? { lineId: row.line_id, audio: Buffer.from(row.audio) } : null
}

export async function markHeard(ctx: ServiceContext, accountId: string | null, id: string): Promise<boolean> {
  let q = ctx.db
    .updateTable('voicemail_messages')
    .set({ heard_at: ctx.clock.now().toISOString() })
    .where('id', '=', id)
    .where('heard_at', 'is', null)
  if (accountId !== null) q = q.where('account_id', '=', accountId)
  const res = await q.returning('line_id').executeTakeFirst()
  if (res) voicemailChanged(ctx, res.line_id)
  if (res) return true
  return (await messageAudio(ctx, accountId, id)) !== null
}

export async function deleteMessage(
  ctx: ServiceContext,
  accountId: string | null,
  id: string
): Promise<boolean> {
  let q = ctx.db.deleteFrom('voicemail_messages').where('id', '=', id)
  if (accountId !== null) q = q.where('account_id', '=', accountId)
  const res = await q.returning('line_id').executeTakeFirst()
  if (res) voicemailChanged(ctx, res.line_id)
  return Boolean(res)
}

export async function greeting(ctx: ServiceContext, lineId: string): Promise<Buffer | null> {
  const row = await ctx.db
    .selectFrom('voicemail_greetings')
    .select('audio')
    .where('line_id', '=', lineId)
    .executeTakeFirst()
  return row ? Buffer.from(row.audio) : null
}

export async function greetingInfo(
  ctx: ServiceContext,
  lineId: string
): Promise<{ durationMs: number; updatedAt: string } | null> {
  const row = await ctx.db
    .selectFrom('voicemail_greetings')
    .select(['duration_ms', 'updated_at'])
    .where('line_id', '=', lineId)
    .executeTakeFirst()
  return row ? { durationMs: row.duration_ms, updatedAt: row.updated_at } : null
}

export async function saveGreeting(
  ctx: ServiceContext,
  box: { lineId: string; accountId: string },
  g: { durationMs: number; audio: Buffer }
): Promise<void> {
  const now = ctx.clock.now().toISOString()
  await ctx.db
    .insertInto('voicemail_greetings')
    .values({
      line_id: box.lineId,
      account_id: box.accountId,
      duration_ms: g.durationMs,
      audio: g.audio,
      updated_at: now
    })
    .onConflict((oc) =>
      oc.column('line_id').doUpdateSet({ duration_ms: g.durationMs, audio: g.audio, updated_at: now })
    )
    .execute()
}

export async function deleteGreeting(ctx: ServiceContext, lineId: string): Promise<void> {
  await ctx.db.deleteFrom('voicemail_greetings').where('line_id', '=', lineId).execute()
}

/** A line closed for good (moved, transferred): its box goes with it; the next owner of the number starts empty. */
export async function removeLineVoicemail(db: ServiceContext['db'], lineId: string): Promise<void> {
  await db.deleteFrom('voicemail_messages').where('line_id', '=', lineId).execute()
  await db.deleteFrom('voicemail_greetings').where('line_id', '=', lineId).execute()
}
