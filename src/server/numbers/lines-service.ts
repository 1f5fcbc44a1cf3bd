/**
 * The signed-in account's lines: listing them, changing a line's number (the old one goes to quarantine and
 * stops working as a sign-in name at once; a few changes a month, number-changes.ts), the number
 * history, and the SIP credentials the app registers with (only for a line in service: a lapsed line gets a
 * clear refusal instead of credentials Kamailio would reject).
 */
import type { SipCredentials } from '../../shared/api/devices'
import { countryOfNumber } from '../../shared/numbers/nanp'
import { type ServiceContext, inTransaction } from '../context'
import { conflict } from '../http/errors'
import { applySync, syncLine } from '../provisioning/lines'
import { lineView, lineViews } from '../provisioning/line-view'
import { ensureSipAccount, hasSipAccount } from '../provisioning/sip-accounts'
import { ownLine } from './own-line'
import { NUMBER_CHANGE, assertNumberChangeLeft } from './number-changes'
import { assignNumber } from './pool'

export async function listLines(ctx: ServiceContext, accountId: string) {
  return lineViews(ctx, { accountId })
}

export async function getLine(ctx: ServiceContext, accountId: string, lineId: string) {
  await ownLine(ctx, accountId, lineId)
  return lineView(ctx, lineId)
}

/** Names the line (an empty label clears it). */
export async function setLineLabel(ctx: ServiceContext, accountId: string, lineId: string, label: string) {
  await ownLine(ctx, accountId, lineId)
  await ctx.db
    .updateTable('lines')
    .set({ label: label.trim() === '' ? null : label.trim() })
    .where('id', '=', lineId)
    .execute()
  // The account's other apps (another computer, a business's administrator) show the label too.
  await ctx.lineChanges.changed(ctx.db, accountId)
  return lineView(ctx, lineId)
}

export async function changeNumber(
  ctx: ServiceContext,
  accountId: string,
  lineId: string,
  want: { areaCode?: string | undefined; number?: string | undefined },
  ip: string
) {
  const result = await inTransaction(ctx, async (tx) => {
    const line = await ownLine(tx, accountId, lineId)
    if (line.status === 'closed') throw conflict('line-closed', 'this line is closed')
    const before = line.phone_number
    if (before) await assertNumberChangeLeft(tx, accountId, lineId)
    const number = await assignNumber(tx, lineId, want, before ? NUMBER_CHANGE : 'activation')
    // A number in another country invalidates the registered E911 address (US numbers need US addresses).
    const address = await tx.db
      .selectFrom('e911_addresses')
      .select(['id', 'country'])
      .where('line_id', '=', lineId)
      .where('superseded_at', 'is', null)
      .executeTakeFirst()
    if (address && address.country !== countryOfNumber(number))
      await tx.db
        .updateTable('e911_addresses')
        .set({ superseded_at: tx.clock.now().toISOString() })
        .where('id', '=', address.id)
        .execute()
    await tx.audit.record(before ? 'number.changed' : 'number.assigned', {
      accountId,
      ip,
      detail: { line: lineId }
    })
    return syncLine(tx, lineId)
  })
  await applySync(ctx, [result])
  return lineView(ctx, lineId)
}

export async function numberHistory(ctx: ServiceContext, accountId: string, lineId: string) {
  await ownLine(ctx, accountId, lineId)
  const rows = await ctx.db
    .selectFrom('number_history')
    .selectAll()
    .where('line_id', '=', lineId)
    .orderBy('assigned_at', 'desc')
    .execute()
  return rows.map((r) => ({
    number: r.e164,
    assignedAt: r.assigned_at,
    releasedAt: r.released_at,
    reason: r.reason
  }))
}

export async function sipCredentials(
  ctx: ServiceContext,
  accountId: string,
  lineId: string,
  ip: string
): Promise<SipCredentials> {
  const line = await ownLine(ctx, accountId, lineId)
  // A line that ever activated keeps its credentials until it closes: out of service it may still call 911/933
  // (Kamailio refuses everything else with a reason the app words).
  const usable =
    line.phone_number !== null &&
    line.status !== 'closed' &&
    (line.status === 'in_service' || (await hasSipAccount(ctx, lineId)))
  if (!usable || !line.phone_number) {
    const view = await lineView(ctx, lineId)
    const why =
      view.missing.length > 0
        ? `it still needs: ${view.missing.join(', ')}`
        : `it is ${line.status.replace('_', ' ')}`
    // A line in service without a number is still being set up: to the person it is pending.
    const reason =
      line.status === 'lapsed' || line.status === 'closed' ? (`line-${line.status}` as const) : 'line-pending'
    throw conflict(reason, `this line is not in service (${why})`)
  }
  const account = await ctx.db
    .selectFrom('accounts')
    .select('name')
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow()
  const { username, password } = await ensureSipAccount(ctx, lineId, line.phone_number)
  const domain = ctx.config.sip.domain
  await ctx.audit.record('sip.credentials-fetched', { accountId, ip, detail: { line: lineId } })
  return {
    lineId,
    username,
    authorizationUsername: username,
    password,
    domain,
    uri: `sip:${username}@${domain}`,
    websocketUrl: ctx.config.sip.websocketUrl,
    // The whole list when there is more than one server: the app fails over in priority order (sip-servers.ts).
    servers: ctx.config.sip.servers
      ? [...ctx.config.sip.servers]
      : [{ websocketUrl: ctx.config.sip.websocketUrl, priority: 0, weight: 0 }],
    // Into a SIP header: no invisible format characters at all (names stored before they were refused too).
    displayName: account.name.replace(/\p{Cf}/gu, '')
  }
}
