/**
 * Card top-ups of the balance, safe against a crash at any point: the top-up is recorded (with the card and the
 * request's key) before the card is charged, the charge is keyed by the request (`topup:<account>:<key>`, so the
 * processor charges once whoever asks), and the balance entry and the paid mark commit together. A retry of the
 * request finds its top-up and finishes it with the same card; a top-up nobody came back for is finished by the
 * billing pass's stranded job once it is a minute old (stranded.ts), and one that keeps failing is on the
 * operators' stuck list (`dialtone-ops settlements stuck`). Before migration 0037 a crash between the charge and
 * the entry left the card charged and the balance short, and the retry could not finish it.
 */
import type { z } from 'zod'
import type { paymentChoice } from '../../shared/api/billing'
import { type ServiceContext, inTransaction } from '../context'
import type { TopUpsTable } from '../db/schema-money'
import { newId } from '../secrets'
import { CURRENCY, balanceSummary, postEntry, repayPromised } from './balance'
import { declinedError } from './gateway'
import { idempotent, keyMismatch } from './idempotency'
import { chargeRecorded, resolvePayment } from './payment-methods'
import type { Settlement } from './settle-retries'

const find = (ctx: ServiceContext, accountId: string, key: string) =>
  ctx.db
    .selectFrom('top_ups')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst()

export async function topUp(
  ctx: ServiceContext,
  accountId: string,
  req: { idempotencyKey: string; amountMinor: number; payment: z.output<typeof paymentChoice> },
  fingerprint: unknown
) {
  await idempotent(
    ctx,
    {
      accountId,
      key: req.idempotencyKey,
      endpoint: 'top-up',
      request: { amount: req.amountMinor, payment: fingerprint }
    },
    async () => {
      // A top-up this key made already (its request died, or failed after the charge): finished with its own card,
      // never a card tokenized again (the processor refuses one key with another card).
      let row = await find(ctx, accountId, req.idempotencyKey)
      if (row && row.amount_minor !== req.amountMinor) throw keyMismatch()
      if (!row) {
        const method = await resolvePayment(ctx, accountId, req.payment)
        const now = ctx.clock.now().toISOString()
        const made: TopUpsTable = {
          id: newId('top'),
          account_id: accountId,
          idempotency_key: req.idempotencyKey,
          amount_minor: req.amountMinor,
          currency: CURRENCY,
          payment_method_id: method.id,
          status: 'pending',
          charge_id: null,
          failure: null,
          created_at: now,
          updated_at: now
        }
        // Durable before the charge. A request with the same key that got here first made it: that one's.
        const inserted = await ctx.db
          .insertInto('top_ups')
          .values(made)
          .onConflict((oc) => oc.doNothing())
          .executeTakeFirst()
        row =
          Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1
            ? made
            : await find(ctx, accountId, req.idempotencyKey)
        if (!row) throw new Error('a top-up was neither made nor found')
      }
      await settleTopUp(ctx, row)
      return { status: 200, body: null }
    }
  )
  return balanceSummary(ctx, accountId)
}

/**
 * Charges (or replays the charge of) a pending top-up and books it once: the paid mark guards the balance entry.
 * A declined card marks it failed and throws the decline; one already paid does nothing. Safe to run again.
 */
export async function settleTopUp(ctx: ServiceContext, row: TopUpsTable): Promise<void> {
  if (row.status === 'paid') return
  if (row.status === 'failed') throw declinedError(row.failure)
  const { charge, method } = await chargeRecorded(ctx, {
    methodId: row.payment_method_id,
    amountMinor: row.amount_minor,
    currency: row.currency,
    processorKey: `topup:${row.account_id}:${row.idempotency_key}`,
    fault: 'top-up'
  })
  const now = ctx.clock.now().toISOString()
  if (charge.status === 'failed') {
    await ctx.db
      .updateTable('top_ups')
      .set({ status: 'failed', failure: charge.declineCode, charge_id: charge.id, updated_at: now })
      .where('id', '=', row.id)
      .where('status', '=', 'pending')
      .execute()
    throw declinedError(charge.declineCode)
  }
  await inTransaction(ctx, async (tx) => {
    const paid = await tx.db
      .updateTable('top_ups')
      .set({ status: 'paid', charge_id: charge.id, updated_at: now })
      .where('id', '=', row.id)
      .where('status', '=', 'pending')
      .executeTakeFirst()
    if (Number(paid.numUpdatedRows) !== 1) return // another runner booked it
    if (
      await postEntry(tx, row.account_id, 'top_up', row.amount_minor, charge.id, {
        code: 'top-up',
        // The brand too, so the top-up's receipt names the card (orders.ts).
        params: { last4: method.last4, brand: method.brand },
        text: `Top-up by card ending ${method.last4}`
      })
    )
      await tx.audit.record('balance.top-up', {
        accountId: row.account_id,
        detail: { amount: row.amount_minor }
      })
    await repayPromised(tx, row.account_id)
  })
}

/** The stranded job's and the operator's settlement of a top-up (stranded.ts, stuck-settlements.ts). */
export const topUpSettlement = (ctx: ServiceContext): Settlement<TopUpsTable> => ({
  kind: 'top-up',
  settle: (row) => settleTopUp(ctx, row),
  state: async (id) => {
    const r = await ctx.db.selectFrom('top_ups').select('status').where('id', '=', id).executeTakeFirst()
    return r?.status === 'pending' ? 'open' : r?.status === 'paid' ? 'settled' : 'closed'
  }
})
