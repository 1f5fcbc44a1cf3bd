/**
 * Saved cards: the processor's token with brand, last 4 and expiry, never the number. Removing a card that an
 * auto-renewal uses switches that auto-renewal off (and says so in the subscription view), rather than letting
 * it fail at renewal time.
 */
import type { z } from 'zod'
import type { cardInput, paymentChoice } from '../../shared/api/billing'
import { type ServiceContext, inTransaction } from '../context'
import type { PaymentMethodsTable } from '../db/schema-billing'
import { notFound } from '../http/errors'
import { newId } from '../secrets'
import { usableMethod } from './subscriptions'

export function methodView(m: PaymentMethodsTable) {
  return {
    id: m.id,
    brand: m.brand,
    last4: m.last4,
    expMonth: m.exp_month,
    expYear: m.exp_year,
    isDefault: m.is_default === 1
  }
}

export async function listMethods(ctx: ServiceContext, accountId: string) {
  const rows = await ctx.db
    .selectFrom('payment_methods')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('removed_at', 'is', null)
    .orderBy('created_at')
    .execute()
  return rows.map(methodView)
}

/** Tokenizes a card (outside any transaction) and keeps it; `keep: false` records it as used once. */
export async function addMethod(
  ctx: ServiceContext,
  accountId: string,
  card: z.output<typeof cardInput>,
  options: { makeDefault: boolean; keep: boolean }
): Promise<PaymentMethodsTable> {
  const t = await ctx.gateway.tokenize(card)
  const now = ctx.clock.now().toISOString()
  const row: PaymentMethodsTable = {
    id: newId('pm'),
    account_id: accountId,
    gateway_token: t.token,
    brand: t.brand,
    last4: t.last4,
    exp_month: t.expMonth,
    exp_year: t.expYear,
    is_default: options.keep && options.makeDefault ? 1 : 0,
    created_at: now,
    removed_at: options.keep ? null : now
  }
  await inTransaction(ctx, async (tx) => {
    if (row.is_default === 1)
      await tx.db
        .updateTable('payment_methods')
        .set({ is_default: 0 })
        .where('account_id', '=', accountId)
        .execute()
    await tx.db.insertInto('payment_methods').values(row).execute()
    if (options.keep)
      await tx.audit.record('payment-method.added', { accountId, detail: { last4: row.last4 } })
  })
  return row
}

/** The card a payment uses: a saved one of this account, or a new one given now. */
export async function resolvePayment(
  ctx: ServiceContext,
  accountId: string,
  choice: z.output<typeof paymentChoice>
): Promise<PaymentMethodsTable> {
  if ('paymentMethodId' in choice) {
    const m = await usableMethod(ctx, accountId, choice.paymentMethodId)
    if (!m) throw notFound('payment-method-not-found', 'the payment method')
    return m
  }
  return addMethod(ctx, accountId, choice.card, { makeDefault: true, keep: choice.save })
}

export async function removeMethod(ctx: ServiceContext, accountId: string, id: string): Promise<void> {
  const m = await usableMethod(ctx, accountId, id)
  if (!m) throw notFound('payment-method-not-found', 'the payment method')
  await inTransaction(ctx, async (tx) => {
    const now = tx.clock.now().toISOString()
    await tx.db
      .updateTable('payment_methods')
      .set({ removed_at: now, is_default: 0 })
      .where('id', '=', id)
      .execute()
    await tx.db
      .updateTable('subscriptions')
      .set({ auto_renew: 0, payment_method_id: null, updated_at: now })
      .where('payment_method_id', '=', id)
      .execute()
    await tx.db
      .updateTable('lines')
      .set({ payment_method_id: null })
      .where('payment_method_id', '=', id)
      .execute()
    await tx.audit.record('payment-method.removed', { accountId, detail: { last4: m.last4 } })
  })
}
