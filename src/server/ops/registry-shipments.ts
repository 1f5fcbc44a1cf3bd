/**
 * Dongles shipped from the factory's stock to a partner (issue 20): the "shipped" step of a serial's history
 * (registry-ops.ts serialHistory), between made and sold. A shipment names the serials and the partner; it goes
 * in whole or not at all, and every serial that cannot go (unknown to the registry, its key revoked, shipped
 * before, named twice) is reported by itself.
 */
import type { WireIssue } from '../../shared/api/issues'
import { type ServiceContext, inTransaction } from '../context'
import { ServiceError, conflict } from '../http/errors'
import type { OpsActor } from './actor'
import { findPartner } from './partners'

export async function shipDevices(
  ctx: ServiceContext,
  spec: { serials: readonly string[]; partnerId: string },
  by: OpsActor
): Promise<{ partnerId: string; shipped: number }> {
  const partner = await findPartner(ctx, spec.partnerId)
  return inTransaction(ctx, async (tx) => {
    const issues: WireIssue[] = []
    const seen = new Set<string>()
    for (const s of spec.serials) {
      if (seen.has(s)) issues.push({ path: s, code: 'serial-shipped', message: 'named twice' })
      seen.add(s)
    }
    const serials = [...seen]
    const known = await tx.db
      .selectFrom('device_registry')
      .leftJoin('device_shipments', 'device_shipments.serial', 'device_registry.serial')
      .select(['device_registry.serial', 'device_registry.revoked_at', 'device_shipments.shipped_at'])
      .where('device_registry.serial', 'in', serials)
      .execute()
    const bySerial = new Map(known.map((k) => [k.serial, k]))
    for (const s of serials) {
      const k = bySerial.get(s)
      if (!k) issues.push({ path: s, code: 'serial-unknown', message: 'not in the manufacturing registry' })
      else if (k.revoked_at)
        issues.push({ path: s, code: 'serial-shipped', message: 'its factory key is revoked' })
      else if (k.shipped_at)
        issues.push({ path: s, code: 'serial-shipped', message: `shipped already (${k.shipped_at})` })
    }
    if (issues.length > 0)
      throw new ServiceError('conflict', `nothing was shipped: ${issues.length} serial(s) cannot be`, {
        reason: 'serial-shipped',
        issues
      })
    const now = tx.clock.now().toISOString()
    const r = await tx.db
      .insertInto('device_shipments')
      .values(
        serials.map((serial) => ({ serial, partner_id: partner.id, shipped_at: now, shipped_by: by.id }))
      )
      .onConflict((oc) => oc.column('serial').doNothing())
      .executeTakeFirst()
    if (Number(r.numInsertedOrUpdatedRows ?? 0n) !== serials.length)
      throw conflict(
        'serial-shipped',
        'nothing was shipped: another shipment took some of these serials just now'
      )
    return { partnerId: partner.id, shipped: serials.length }
  })
}
