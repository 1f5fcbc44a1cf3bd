/**
 * Re-Up card batches from the operators' side, over src/server/billing/vouchers.ts. A batch's PINs are sealed
 * (AES-256-GCM under the service key) when it is made and given out exactly once, for the printer: the export
 * clears them with a conditional UPDATE, so of two exports racing only one gets them and later ones are refused.
 * Shipping names the retail partner whose tills may then sell the cards; a till (the partner's API key) can
 * activate only cards of batches shipped to its own partner, and an activation is one conditional UPDATE, so
 * twenty tills scanning one card activate it once.
 */
import type { VoucherState } from '../db/schema-billing'
import { type ServiceContext, inTransaction } from '../context'
import { conflict, forbidden, invalid, notFound } from '../http/errors'
import { activateAtTill, blockBatch, createBatch, shipBatch } from '../billing/vouchers'
import type { OpsActor } from './actor'
import { findPartner } from './partners'

export async function createOpsBatch(
  ctx: ServiceContext,
  spec: { name: string; planId: string; size: number; expiresAt: string },
  by: OpsActor
): Promise<{ batchId: string; size: number }> {
  const expiresAt = new Date(spec.expiresAt)
  if (expiresAt.getTime() <= ctx.clock.now().getTime())
    throw invalid('expiresAt', 'the cards must expire in the future', 'invalid-input')
  const { batchId, cards } = await createBatch(ctx, { ...spec, expiresAt })
  await ctx.db
    .insertInto('voucher_batch_ops')
    .values({
      batch_id: batchId,
      created_by: by.id,
      pins_sealed: ctx.box.seal(JSON.stringify(cards)),
      pins_exported_at: null,
      pins_exported_by: null,
      partner_id: null,
      shipped_at: null
    })
    .execute()
  return { batchId, size: cards.length }
}

async function batchOps(ctx: ServiceContext, batchId: string) {
  const row = await ctx.db
    .selectFrom('voucher_batch_ops')
    .selectAll()
    .where('batch_id', '=', batchId)
    .executeTakeFirst()
  if (!row) throw notFound('batch-not-found', 'the voucher batch')
  return row
}

/** The serials and PINs, once. */
export async function exportPins(
  ctx: ServiceContext,
  batchId: string,
  by: OpsActor
): Promise<{ batchId: string; cards: { serial: string; pin: string }[] }> {
  return inTransaction(ctx, async (tx) => {
    const row = await batchOps(tx, batchId)
    const gone = () =>
      conflict(
        'pins-exported',
        `the PINs of this batch were exported already (${row.pins_exported_at ?? ''})`
      )
    if (row.pins_sealed === null || row.pins_exported_at !== null) throw gone()
    const taken = await tx.db
      .updateTable('voucher_batch_ops')
      .set({ pins_sealed: null, pins_exported_at: tx.clock.now().toISOString(), pins_exported_by: by.id })
      .where('batch_id', '=', batchId)
      .where('pins_exported_at', 'is', null)
      .executeTakeFirst()
    if (Number(taken.numUpdatedRows) !== 1) throw gone()
    const cards = JSON.parse(tx.box.open(row.pins_sealed)) as { serial: string; pin: string }[]
    return { batchId, cards }
  })
}

export async function shipOpsBatch(
  ctx: ServiceContext,
  batchId: string,
  partnerId: string
): Promise<{ batchId: string; partnerId: string; shipped: number }> {
  const row = await batchOps(ctx, batchId)
  const partner = await findPartner(ctx, partnerId)
  if (partner.kind !== 'retail')
    throw invalid('partnerId', 'cards ship to retail partners (shops with tills)', 'partner-not-found')
  if (row.shipped_at !== null)
    throw conflict('voucher-state', `this batch was shipped already (${row.shipped_at})`)
  const claimed = await ctx.db
    .updateTable('voucher_batch_ops')
    .set({ partner_id: partnerId, shipped_at: ctx.clock.now().toISOString() })
    .where('batch_id', '=', batchId)
    .where('shipped_at', 'is', null)
    .executeTakeFirst()
  if (Number(claimed.numUpdatedRows) !== 1) throw conflict('voucher-state', 'this batch was shipped already')
  const shipped = await shipBatch(ctx, batchId)
  return { batchId, partnerId, shipped }
}

export async function blockOpsBatch(
  ctx: ServiceContext,
  batchId: string
): Promise<{ batchId: string; blocked: number }> {
  await batchOps(ctx, batchId)
  return { batchId, blocked: await blockBatch(ctx, batchId) }
}

const NOT_YOURS = 'this card is not in a batch shipped to you'

/** The till sells a card: only a card of a batch shipped to the caller's own partner, only once. */
export async function tillActivate(
  ctx: ServiceContext,
  actor: OpsActor,
  serial: string
): Promise<{ serial: string; batchId: string; state: 'active' }> {
  if (!actor.partnerId) throw forbidden('ops-partner-scope', 'only a partner’s till activates cards')
  const card = await ctx.db
    .selectFrom('vouchers')
    .innerJoin('voucher_batch_ops', 'voucher_batch_ops.batch_id', 'vouchers.batch_id')
    .select(['vouchers.batch_id', 'vouchers.state', 'voucher_batch_ops.partner_id'])
    .where('vouchers.serial', '=', serial)
    .executeTakeFirst()
  // One answer for unknown cards and other partners' cards: a till learns nothing about stock not its own.
  if (!card || card.partner_id !== actor.partnerId) throw forbidden('ops-partner-scope', NOT_YOURS)
  const moved = await activateAtTill(ctx, serial)
  if (moved !== 1) throw conflict('voucher-state', 'this card was activated already')
  return { serial, batchId: card.batch_id, state: 'active' }
}

const STATES: VoucherState[] = ['generated', 'inactive', 'active', 'redeemed', 'expired', 'blocked']

export async function voucherReport(ctx: ServiceContext) {
  const batches = await ctx.db
    .selectFrom('voucher_batches')
    .leftJoin('voucher_batch_ops', 'voucher_batch_ops.batch_id', 'voucher_batches.id')
    .select([
      'voucher_batches.id',
      'voucher_batches.name',
      'voucher_batches.plan_id',
      'voucher_batches.size',
      'voucher_batches.expires_at',
      'voucher_batches.created_at',
      'voucher_batch_ops.partner_id',
      'voucher_batch_ops.shipped_at',
      'voucher_batch_ops.pins_exported_at'
    ])
    .orderBy('voucher_batches.created_at')
    .execute()
  const counts = await ctx.db
    .selectFrom('vouchers')
    .select(['batch_id', 'state', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['batch_id', 'state'])
    .execute()
  return {
    batches: batches.map((b) => ({
      id: b.id,
      name: b.name,
      planId: b.plan_id,
      size: b.size,
      expiresAt: b.expires_at,
      createdAt: b.created_at,
      partnerId: b.partner_id ?? null,
      shippedAt: b.shipped_at ?? null,
      pinsExportedAt: b.pins_exported_at ?? null,
      counts: Object.fromEntries(
        STATES.map((s) => [s, Number(counts.find((c) => c.batch_id === b.id && c.state === s)?.n ?? 0)])
      ) as Record<VoucherState, number>
    }))
  }
}
