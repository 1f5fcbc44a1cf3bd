/**
 * Calls to an account's lines that the SIP server refused before they rang (issue 22), from Kamailio's accounting
 * (`call_records`, imported by src/server/provisioning/accounting.ts): a caller the account blocked (603), the line
 * offline (404 / 480: not registered, the app was off) or media that could not be set up (488). A call the line
 * saw ringing is in the app's own history and is not repeated here (those end 487 or 200). Kamailio accounts a
 * refused INVITE twice (a failed transaction and a missed call): one row per call.
 */
import type { RefusedCall, RefusedCallReason } from '../../shared/api/calls-routes'
import type { ServiceContext } from '../context'

const WHY: Readonly<Record<string, RefusedCallReason>> = {
  '603': 'blocked',
  '404': 'offline',
  '480': 'offline',
  '488': 'failed'
}
const DAYS = 30
const MAX = 100

/** The caller as E.164, or null when it is withheld or not a number. */
const e164 = (user: string): string | null => {
  const digits = /^\+?(\d{7,15})$/.exec(user)?.[1]
  return digits ? `+${digits}` : null
}

export async function refusedCallsOf(ctx: ServiceContext, accountId: string): Promise<RefusedCall[]> {
  const lines = await ctx.db
    .selectFrom('sip_accounts')
    .innerJoin('lines', 'lines.id', 'sip_accounts.line_id')
    .select('sip_accounts.username')
    .where('lines.account_id', '=', accountId)
    .execute()
  if (lines.length === 0) return []
  const since = new Date(ctx.clock.now().getTime() - DAYS * 24 * 3600_000).toISOString()
  const rows = await ctx.db
    .selectFrom('call_records')
    .select(['id', 'call_id', 'at', 'src_user', 'dst_user', 'sip_code'])
    .where('method', '=', 'INVITE')
    .where(
      'dst_user',
      'in',
      lines.map((l) => l.username)
    )
    .where('sip_code', 'in', Object.keys(WHY))
    .where('at', '>=', since)
    .orderBy('at', 'desc')
    .orderBy('id')
    .limit(MAX * 2)
    .execute()
  const seen = new Set<string>()
  const out: RefusedCall[] = []
  for (const r of rows) {
    const why = WHY[r.sip_code]
    if (!why || seen.has(r.call_id)) continue
    seen.add(r.call_id)
    out.push({ id: r.id, at: r.at, line: `+${r.dst_user}`, from: e164(r.src_user), why })
    if (out.length === MAX) break
  }
  return out
}
