/**
 * A serial's history for `dialtone-ops registry show`, gathered from what the service records: made (registry),
 * shipped to a partner (registry-shipments.ts), sold online (web-shop order), activated (each line opened on it,
 * with its account), transferred (completed transfers), closed lines, its key revoked (by whom, why), and the proofs
 * of purchase support accepted for it (used, withdrawn or waiting). A serial the factory never registered (a model
 * that cannot attest) has a history too once a dongle or a proof names it.
 */
import type { ServiceContext } from '../context'
import { notFound } from '../http/errors'
import { findRegistryEntry } from '../devices/registry'

export interface HistoryEvent {
  at: string
  event: string
  detail: string
}

const operatorEmail = async (ctx: ServiceContext, id: string): Promise<string | null> =>
  (await ctx.db.selectFrom('operators').select('email').where('id', '=', id).executeTakeFirst())?.email ??
  null

async function proofsOf(ctx: ServiceContext, serial: string) {
  return ctx.db
    .selectFrom('device_proofs')
    .leftJoin('operators', 'operators.id', 'device_proofs.created_by')
    .select([
      'device_proofs.model',
      'device_proofs.created_at',
      'device_proofs.email',
      'device_proofs.proof',
      'device_proofs.expires_at',
      'device_proofs.used_at',
      'device_proofs.used_by_account',
      'device_proofs.withdrawn_at',
      'operators.email as by'
    ])
    .where('device_proofs.serial', '=', serial)
    .execute()
}

async function deviceEvents(ctx: ServiceContext, deviceId: string, channel: string | null) {
  const events: HistoryEvent[] = []
  const lines = await ctx.db.selectFrom('lines').selectAll().where('device_id', '=', deviceId).execute()
  for (const l of lines) {
    events.push({
      at: l.created_at,
      event: 'activated',
      detail: `line ${l.id} on account ${l.account_id}${channel ? ` (${channel})` : ''}`
    })
    if (l.closed_at) events.push({ at: l.closed_at, event: 'line-closed', detail: `line ${l.id}` })
  }
  const transfers = await ctx.db
    .selectFrom('device_transfers')
    .selectAll()
    .where('device_id', '=', deviceId)
    .where('status', '=', 'completed')
    .execute()
  for (const t of transfers)
    events.push({
      at: t.decided_at ?? t.created_at,
      event: 'transferred',
      detail: `from account ${t.from_account_id} to ${t.to_account_id}`
    })
  return events
}

export async function serialHistory(ctx: ServiceContext, serial: string) {
  const entry = await findRegistryEntry(ctx, serial)
  const device = await ctx.db
    .selectFrom('devices')
    .selectAll()
    .where('serial', '=', serial)
    .executeTakeFirst()
  const proofs = await proofsOf(ctx, serial)
  const model = entry?.model ?? device?.model ?? proofs[0]?.model
  if (model === undefined)
    throw notFound('serial-unknown', `the serial ${serial} in the manufacturing registry`)
  const history: HistoryEvent[] = entry
    ? [{ at: entry.created_at, event: 'made', detail: `factory batch ${entry.batch}, model ${entry.model}` }]
    : []
  const shipment = await ctx.db
    .selectFrom('device_shipments')
    .innerJoin('partners', 'partners.id', 'device_shipments.partner_id')
    .select(['device_shipments.shipped_at', 'partners.name', 'partners.kind'])
    .where('device_shipments.serial', '=', serial)
    .executeTakeFirst()
  if (shipment)
    history.push({
      at: shipment.shipped_at,
      event: 'shipped',
      detail: `to ${shipment.kind} partner ${shipment.name}`
    })
  const orders = await ctx.db.selectFrom('orders').selectAll().where('serial', '=', serial).execute()
  for (const o of orders)
    history.push({ at: o.created_at, event: 'sold', detail: `web-shop order ${o.number}` })
  if (device) history.push(...(await deviceEvents(ctx, device.id, device.purchase_channel)))
  const revokedBy = entry?.revoked_by ? await operatorEmail(ctx, entry.revoked_by) : null
  if (entry?.revoked_at)
    history.push({
      at: entry.revoked_at,
      event: 'key-revoked',
      detail: `factory key revoked${revokedBy ? ` by ${revokedBy}` : ''}${entry.revoked_reason ? `: ${entry.revoked_reason}` : ''}`
    })
  const now = ctx.clock.now().toISOString()
  for (const p of proofs) {
    history.push({
      at: p.created_at,
      event: 'proof-accepted',
      detail: `proof of purchase "${p.proof}" for ${p.email}${p.by ? `, accepted by ${p.by}` : ''}`
    })
    // One accepted after an unused one ran out marks that one withdrawn then: it had expired first.
    const expired = p.expires_at <= (p.withdrawn_at ?? now)
    if (p.used_at)
      history.push({
        at: p.used_at,
        event: 'proof-used',
        detail: `activated on account ${p.used_by_account}`
      })
    else if (expired) history.push({ at: p.expires_at, event: 'proof-expired', detail: p.proof })
    else if (p.withdrawn_at) history.push({ at: p.withdrawn_at, event: 'proof-withdrawn', detail: p.proof })
  }
  const waiting = proofs.find((p) => !p.used_at && !p.withdrawn_at && p.expires_at > now)
  history.sort((a, b) => a.at.localeCompare(b.at))
  return {
    serial,
    model,
    batch: entry?.batch ?? null,
    revokedAt: entry?.revoked_at ?? null,
    revocation: entry?.revoked_at ? { by: revokedBy, reason: entry.revoked_reason } : null,
    proofWaiting: waiting
      ? { email: waiting.email, proof: waiting.proof, expiresAt: waiting.expires_at }
      : null,
    history
  }
}
