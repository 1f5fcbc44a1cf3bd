/**
 * What the app shows of a line (the Lines tab, the account's line list, a line after a change): its state, what
 * keeps a pending one from service, number, label, paid-through, E911 address, SIP credentials and suspension.
 * Read for any number of lines in two statements, the lines with their facts beside them and their current E911
 * addresses, rather than five or six per line: an account lists all its lines every time one changes (the app's
 * held poll answers, then it reads them), and a business account has dozens.
 */
import type { LineInfo } from '../../shared/api/devices'
import type { ServiceContext } from '../context'
import { notFound } from '../http/errors'
import { e911RecordOf } from '../numbers/e911-record'
import { coveredAt, openSuspension } from './line-facts'

/** The lines of `accountId` in the order they were made, or the given lines (an id not found is left out). */
export async function lineViews(
  ctx: ServiceContext,
  of: { readonly accountId: string } | { readonly lineIds: readonly string[] }
): Promise<LineInfo[]> {
  if ('lineIds' in of && of.lineIds.length === 0) return []
  const now = ctx.clock.now().toISOString()
  let query = ctx.db
    .selectFrom('lines')
    .innerJoin('devices', 'devices.id', 'lines.device_id')
    .selectAll('lines')
    .select('devices.serial')
    .select((eb) => [
      // The live grants' end (coverage_grants_live: one index entry) and whether one covers now.
      eb
        .selectFrom('coverage_grants as g')
        .select((g) => g.fn.max('g.ends_at').as('m'))
        .whereRef('g.line_id', '=', 'lines.id')
        .where('g.voided_at', 'is', null)
        .as('paid_through'),
      coveredAt(eb, now).as('covered'),
      eb
        .exists(
          eb.selectFrom('sip_accounts as sa').select('sa.line_id').whereRef('sa.line_id', '=', 'lines.id')
        )
        .as('has_sip'),
      openSuspension(eb).select('ls.suspended_at').limit(1).as('suspended_at')
    ])
  query =
    'accountId' in of
      ? query.where('lines.account_id', '=', of.accountId).orderBy('lines.created_at')
      : query.where('lines.id', 'in', [...of.lineIds])
  const lines = await query.execute()
  if (lines.length === 0) return []
  const addresses = await ctx.db
    .selectFrom('e911_addresses')
    .selectAll()
    .where(
      'line_id',
      'in',
      lines.map((l) => l.id)
    )
    .where('superseded_at', 'is', null)
    .execute()
  const e911Of = new Map(addresses.map((a) => [a.line_id, a]))
  return lines.map((line) => {
    const e911 = e911Of.get(line.id)
    const missing: LineInfo['missing'] = []
    if (!line.phone_number) missing.push('number')
    if (!e911) missing.push('e911')
    // SQLite answers EXISTS with 1 or 0, PostgreSQL with a boolean.
    if (!line.covered) missing.push('coverage')
    return {
      id: line.id,
      deviceId: line.device_id,
      deviceSerial: line.serial,
      status: line.status,
      // A closed or suspended line is not waiting for anything the person can give.
      missing: line.status === 'closed' || line.status === 'suspended' ? [] : missing,
      number: line.phone_number,
      label: line.label,
      paidThrough: line.paid_through ?? null,
      e911: e911 ? e911RecordOf(e911) : null,
      suspendedAt: line.status === 'suspended' ? (line.suspended_at ?? null) : null,
      sipAccount: line.status !== 'closed' && Boolean(line.has_sip),
      createdAt: line.created_at
    }
  })
}

/** One line as the app shows it. */
export async function lineView(ctx: ServiceContext, lineId: string): Promise<LineInfo> {
  const [view] = await lineViews(ctx, { lineIds: [lineId] })
  if (!view) throw notFound('line-not-found', 'the line')
  return view
}
