/**
 * A line's service state, derived, never set by hand: `in_service` exactly when it has a number, a registered
 * E911 address and coverage that includes now; `lapsed` when it had all three and the coverage ran out;
 * `pending` before that; `closed` for good. syncLine writes the derived state and makes Kamailio agree: a line
 * keeps its subscriber row (its SIP credentials) from its first activation until it closes, with its state, its
 * account's "calls held" (an overdue promised payment) and its 911 location beside them. Kamailio lets a line in
 * any state but in_service call 911 and 933 only, holds every other call while calls are held, and sends the
 * location with emergency calls (resources/kamailio/policy.cfg and emergency.cfg; docs/emergency.md).
 * `suspended` while Dialtone support holds the line (an open suspension, ./suspensions.ts): 911 and 933 only,
 * like lapsed; restoring derives the state again from the one it had.
 */
import type { ServiceContext } from '../context'
import type { LinesTable } from '../db/schema'
import { notFound } from '../http/errors'
import { e911AddressOf } from '../numbers/e911-record'
import { releaseNumber } from '../numbers/pool'
import { pidfLo } from './pidf-lo'
import { type SubscriberPolicy, disableSubscriber, enableSubscriber } from './sip-accounts'
import { coveredAt, hasE911, openSuspension } from './line-facts'
import { statusBeforeSuspension } from './suspensions'
import { removeLineVoicemail } from '../voicemail/store'

export interface SyncResult {
  readonly status: LinesTable['status']
  /** The stored state changed (the sweeper counts these). */
  readonly moved: boolean
  /** SIP users whose registrations must be dropped once the transaction has committed. */
  readonly dropRegistrations: readonly string[]
}

async function currentE911(ctx: ServiceContext, lineId: string) {
  return ctx.db
    .selectFrom('e911_addresses')
    .selectAll()
    .where('line_id', '=', lineId)
    .where('superseded_at', 'is', null)
    .executeTakeFirst()
}

/** The ids of the account's lines that are not closed (what a recovery rekeys and a closure closes). */
export async function openLineIds(ctx: ServiceContext, accountId: string): Promise<string[]> {
  const lines = await ctx.db
    .selectFrom('lines')
    .select('id')
    .where('account_id', '=', accountId)
    .where('status', '!=', 'closed')
    .execute()
  return lines.map((l) => l.id)
}

/** Whether the account has a promised payment past due (repaid by the next top-up): calls are held. */
export async function callsHeld(ctx: ServiceContext, accountId: string): Promise<boolean> {
  const pp = await ctx.db
    .selectFrom('promised_payments')
    .select('id')
    .where('account_id', '=', accountId)
    .where('status', '=', 'overdue')
    .executeTakeFirst()
  return pp !== undefined
}

async function policyOf(
  ctx: ServiceContext,
  line: Pick<LinesTable, 'id' | 'account_id'>,
  e164: string,
  lineState: string,
  held: boolean
): Promise<SubscriberPolicy> {
  const e911 = await currentE911(ctx, line.id)
  const domain = ctx.config.sip.domain
  return {
    lineState,
    callsHeld: held,
    e911Pidf: e911
      ? (username) =>
          pidfLo({
            e164,
            domain,
            username,
            registeredAt: e911.registered_at,
            address: e911AddressOf(e911)
          })
      : null
  }
}

/** Kamailio's copy of "calls held" for every line of the account, after a promised payment fell due or was repaid. */
export async function syncCallsHeld(ctx: ServiceContext, accountId: string): Promise<void> {
  const held = (await callsHeld(ctx, accountId)) ? 1 : 0
  const users = await ctx.db
    .selectFrom('sip_accounts')
    .innerJoin('lines', 'lines.id', 'sip_accounts.line_id')
    .select('sip_accounts.username')
    .where('lines.account_id', '=', accountId)
    .execute()
  if (users.length === 0) return
  await ctx.db
    .updateTable('subscriber')
    .set({ calls_held: held })
    .where(
      'username',
      'in',
      users.map((u) => u.username)
    )
    .where('domain', '=', ctx.config.sip.domain)
    .where('calls_held', '!=', held)
    .execute()
}

/**
 * `quiet`: tell the account's running apps only if the line's state moved (the sweep, which re-derives every line
 * every 30 s and finds almost all as they were); otherwise any call tells them, as its caller changed something
 * the apps show (a number, an E911 address, a suspension, coverage).
 */
export async function syncLine(
  ctx: ServiceContext,
  lineId: string,
  options: { readonly quiet?: boolean } = {}
): Promise<SyncResult> {
  const facts = await lineFacts(ctx, lineId)
  if (!facts) throw notFound('line-not-found', 'the line')
  const { line, sip } = facts
  if (line.status === 'closed') return { status: 'closed', moved: false, dropRegistrations: [] }
  const suspended = facts.suspended
  // A line coming back from a suspension is derived from the state it had when it was suspended.
  const was = line.status === 'suspended' ? await statusBeforeSuspension(ctx, lineId) : line.status
  const missing: Missing[] = []
  if (!line.phone_number) missing.push('number')
  if (!facts.hasE911) missing.push('e911')
  if (!facts.covered) missing.push('coverage')
  const ready = missing.length === 0 && !suspended
  const status: LinesTable['status'] = suspended
    ? 'suspended'
    : ready
      ? 'in_service'
      : was === 'in_service' || was === 'lapsed'
        ? missing.includes('coverage')
          ? 'lapsed'
          : 'pending'
        : 'pending'
  const drop: string[] = []
  // A line that ever activated keeps its credentials whatever its state (Kamailio allows it 911 and 933 only);
  // one that never did has none to keep.
  const keep = line.phone_number !== null && (ready || sip !== null)
  if (keep && line.phone_number) {
    const policy = await policyOf(ctx, line, line.phone_number, status, facts.callsHeld)
    const { previousUsername } = await enableSubscriber(ctx, lineId, line.phone_number, policy, sip)
    if (previousUsername) drop.push(previousUsername)
  } else {
    const removed = await disableSubscriber(ctx, lineId, sip)
    if (removed) drop.push(removed)
  }
  if (status !== line.status) {
    await ctx.db.updateTable('lines').set({ status }).where('id', '=', lineId).execute()
    await ctx.audit.record(ready ? 'sip.enabled' : 'sip.disabled', {
      accountId: line.account_id,
      detail: { line: lineId, status }
    })
  }
  // The account's running apps look again; said last, so that outside a transaction a woken poll reads the line as
  // written here.
  if (!options.quiet || status !== line.status) await ctx.lineChanges.changed(ctx.db, line.account_id)
  return { status, moved: status !== line.status, dropRegistrations: drop }
}

type Missing = 'number' | 'e911' | 'coverage'

/**
 * What syncLine derives a line's state from, in one statement (a renewal syncs its line; issue 24 goal 8): the
 * line, an open suspension, a current E911 address, coverage that includes now, its SIP account and whether its
 * account's calls are held, each as line-view.ts and callsHeld read it for the app.
 */
async function lineFacts(ctx: ServiceContext, lineId: string) {
  const now = ctx.clock.now().toISOString()
  const row = await ctx.db
    .selectFrom('lines')
    .leftJoin('sip_accounts as sa', 'sa.line_id', 'lines.id')
    .selectAll('lines')
    .select(['sa.username as sip_username', 'sa.password_enc as sip_password_enc'])
    .select((eb) => [
      eb.exists(openSuspension(eb).select('ls.id')).as('suspended'),
      hasE911(eb).as('has_e911'),
      coveredAt(eb, now).as('covered'),
      eb
        .exists(
          eb
            .selectFrom('promised_payments')
            .select('promised_payments.id')
            .whereRef('promised_payments.account_id', '=', 'lines.account_id')
            .where('promised_payments.status', '=', 'overdue')
        )
        .as('calls_held')
    ])
    .where('lines.id', '=', lineId)
    .executeTakeFirst()
  if (!row) return undefined
  const { sip_username, sip_password_enc, suspended, has_e911, covered, calls_held, ...line } = row
  return {
    line: line as LinesTable,
    sip:
      sip_username !== null && sip_password_enc !== null
        ? { username: sip_username, password_enc: sip_password_enc }
        : null,
    // SQLite answers EXISTS with 1 or 0, PostgreSQL with a boolean.
    suspended: Boolean(suspended),
    hasE911: Boolean(has_e911),
    covered: Boolean(covered),
    callsHeld: Boolean(calls_held)
  }
}

/** After the transaction: tell Kamailio to forget registrations of users that lost their row. */
export async function applySync(ctx: ServiceContext, results: readonly SyncResult[]): Promise<void> {
  for (const r of results)
    for (const username of r.dropRegistrations) await ctx.kamailio.removeRegistrations(username)
}

/** Close a line for good: number to quarantine, Kamailio row gone, payment method detached. */
export async function closeLine(ctx: ServiceContext, lineId: string): Promise<SyncResult> {
  const line = await ctx.db.selectFrom('lines').selectAll().where('id', '=', lineId).executeTakeFirstOrThrow()
  const removed = await disableSubscriber(ctx, lineId)
  if (line.phone_number) await releaseNumber(ctx, lineId, line.phone_number)
  await removeLineVoicemail(ctx.db, lineId)
  await ctx.db
    .updateTable('lines')
    .set({ status: 'closed', closed_at: ctx.clock.now().toISOString(), payment_method_id: null })
    .where('id', '=', lineId)
    .execute()
  await ctx.lineChanges.changed(ctx.db, line.account_id)
  return { status: 'closed', moved: line.status !== 'closed', dropRegistrations: removed ? [removed] : [] }
}
