/**
 * The sandbox processor's refunds (the embedded gateway of gateway.ts): what a card processor does when asked to
 * give money back. Only a succeeded charge can be refunded, in part or in full and several times, never more in
 * total than it captured; the idempotency key replays the first answer and refuses the same key with another
 * charge or amount. The check and the insert run in one transaction, with the charge's row locked on PostgreSQL
 * (SQLite runs one writer at a time), so two refunds racing on one charge cannot pass the captured amount
 * together.
 */
import { sql } from 'kysely'
import type { ServiceContext } from '../context'
import { ServiceError, invalid } from '../http/errors'
import { newId } from '../secrets'
import type { RefundRequest, RefundResult } from './gateway'

type Sandbox = Pick<ServiceContext, 'db' | 'clock' | 'dialect'>

const mismatch = () =>
  new ServiceError('conflict', 'the payment processor saw this refund key with other parameters', {
    reason: 'idempotency-mismatch'
  })

export async function sandboxRefund(ctx: Sandbox, req: RefundRequest): Promise<RefundResult> {
  if (!Number.isSafeInteger(req.amountMinor) || req.amountMinor <= 0)
    throw invalid('amount', 'a refund is a whole, positive number of cents', 'invalid-input')
  return ctx.db.transaction().execute(async (trx) => {
    if (ctx.dialect === 'postgres')
      await sql`SELECT id FROM sandbox_charges WHERE id = ${req.chargeId} FOR UPDATE`.execute(trx)
    const earlier = await trx
      .selectFrom('sandbox_refunds')
      .selectAll()
      .where('idempotency_key', '=', req.idempotencyKey)
      .executeTakeFirst()
    if (earlier) {
      if (earlier.charge_id !== req.chargeId || earlier.amount_minor !== req.amountMinor) throw mismatch()
      return { id: earlier.id, status: 'succeeded' as const, failureCode: null }
    }
    const charge = await trx
      .selectFrom('sandbox_charges')
      .selectAll()
      .where('id', '=', req.chargeId)
      .executeTakeFirst()
    if (!charge || charge.status !== 'succeeded')
      return { id: newId('re'), status: 'failed' as const, failureCode: 'charge_not_refundable' as const }
    const done = await trx
      .selectFrom('sandbox_refunds')
      .select((eb) => eb.fn.sum<number | string | null>('amount_minor').as('total'))
      .where('charge_id', '=', charge.id)
      .executeTakeFirst()
    if (Number(done?.total ?? 0) + req.amountMinor > charge.amount_minor)
      return { id: newId('re'), status: 'failed' as const, failureCode: 'amount_too_large' as const }
    const id = newId('re')
    await trx
      .insertInto('sandbox_refunds')
      .values({
        id,
        charge_id: charge.id,
        idempotency_key: req.idempotencyKey,
        amount_minor: req.amountMinor,
        currency: charge.currency,
        created_at: ctx.clock.now().toISOString()
      })
      .execute()
    return { id, status: 'succeeded' as const, failureCode: null }
  })
}
