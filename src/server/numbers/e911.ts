/**
 * Registering a line's E911 address. The address must pass the shared rules (structure, and the country of the
 * line's number); the old one is kept as history (superseded, never edited), and the line is re-synced because
 * an address is one of the three things a line needs to go into service.
 */
import type { E911Address } from '../../shared/numbers/e911'
import { e911CountryMismatch } from '../../shared/numbers/e911'
import { type ServiceContext, inTransaction } from '../context'
import { invalid } from '../http/errors'
import { applySync, syncLine } from '../provisioning/lines'
import { newId } from '../secrets'
import { e911RecordOf } from './e911-record'
import { ownLine } from './own-line'

export async function registerE911(
  ctx: ServiceContext,
  accountId: string,
  lineId: string,
  address: E911Address,
  ip: string
): Promise<void> {
  const result = await inTransaction(ctx, async (tx) => {
    const line = await ownLine(tx, accountId, lineId)
    if (!line.phone_number)
      throw invalid('lineId', 'the line has no number yet; choose one first', 'no-number')
    const mismatch = e911CountryMismatch(line.phone_number, address)
    if (mismatch) throw invalid('address.country', mismatch, 'country-mismatch')
    const now = tx.clock.now().toISOString()
    await tx.db
      .updateTable('e911_addresses')
      .set({ superseded_at: now })
      .where('line_id', '=', lineId)
      .where('superseded_at', 'is', null)
      .execute()
    await tx.db
      .insertInto('e911_addresses')
      .values({
        id: newId('loc'),
        line_id: lineId,
        street: address.street,
        unit: address.unit,
        city: address.city,
        region: address.region,
        postal_code: address.postalCode,
        country: address.country,
        registered_at: now,
        superseded_at: null,
        registered_by: accountId
      })
      .execute()
    await tx.audit.record('e911.registered', {
      accountId,
      ip,
      detail: { line: lineId, country: address.country }
    })
    return syncLine(tx, lineId)
  })
  await applySync(ctx, [result])
}

export async function e911History(ctx: ServiceContext, accountId: string, lineId: string) {
  await ownLine(ctx, accountId, lineId)
  const rows = await ctx.db
    .selectFrom('e911_addresses')
    .selectAll()
    .where('line_id', '=', lineId)
    .orderBy('registered_at', 'desc')
    .execute()
  const records = rows.map(e911RecordOf)
  return { current: records.find((r) => r.status === 'provisioned') ?? null, history: records }
}
