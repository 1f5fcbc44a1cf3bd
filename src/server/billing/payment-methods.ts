/**
 * Saved cards: the processor's token with brand, last 4 and expiry, never the number. Each card says which
 * lines' auto-renewals charge it. Removing a card that an auto-renewal uses switches that auto-renewal off (the
 * app says so before the person confirms), rather than letting it fail at renewal time. Replacing a card saves
 * the new one (checked with the issuer), moves what charged the old one onto it and removes the old, in one
 * step; choosing the default card points every auto-renewal (and its dunning retries) at it. A removed or replaced
 * card is deleted at the processor once its removal commits, and its token forgotten (./card-deletion.ts).
 */
import type { z } from 'zod'
import type { cardInput, paymentChoice } from '../../shared/api/billing'
import { type ServiceContext, inTransaction } from '../context'
import type { PaymentMethodsTable } from '../db/schema-billing'
import { forgetStoredCard } from './card-deletion'
import type { ChargeResult } from './gateway'
import { notFound } from '../http/errors'
import { LIMITS } from '../http/rate-limit'
import { newId } from '../secrets'
import { usableMethod } from './subscriptions'

type UsedBy = { lineId: string; number: string | null }[]

export function methodView(m: PaymentMethodsTable, autoRenewFor: UsedBy = []) {
  return {
    id: m.id,
    brand: m.brand,
    last4: m.last4,
    expMonth: m.exp_month,
    expYear: m.exp_year,
    isDefault: m.is_default === 1,
    autoRenewFor
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
  const uses = await ctx.db
    .selectFrom('subscriptions')
    .innerJoin('lines', 'lines.id', 'subscriptions.line_id')
    .select(['subscriptions.payment_method_id as methodId', 'lines.id as lineId', 'lines.phone_number'])
    .where('subscriptions.account_id', '=', accountId)
    .where('subscriptions.auto_renew', '=', 1)
    .where('lines.status', '!=', 'closed')
    .orderBy('lines.created_at')
    .execute()
  return rows.map((m) =>
    methodView(
      m,
      uses.filter((u) => u.methodId === m.id).map((u) => ({ lineId: u.lineId, number: u.phone_number }))
    )
  )
}

/** One card given by this account, counted before the processor sees it (LIMITS.cardPerAccount says why). */
const cardAttempt = (ctx: ServiceContext, accountId: string): Promise<void> =>
  ctx.limiter.hit([LIMITS.cardPerAccount, accountId], [LIMITS.cardPerAccountDaily, accountId])

/** Tokenizes a card (outside any transaction) and keeps it; `keep: false` records it as used once. */
export async function addMethod(
  ctx: ServiceContext,
  accountId: string,
  card: z.output<typeof cardInput>,
  options: { makeDefault: boolean; keep: boolean; verify?: boolean }
): Promise<PaymentMethodsTable> {
  await cardAttempt(ctx, accountId)
  const t = await ctx.gateway.tokenize(card, { verify: options.verify ?? false })
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
  // Once the removal has committed: the processor's copy goes too (or waits for the retention job).
  await forgetStoredCard(ctx, m)
}

/**
 * Replaces a saved card: the new one is checked with the issuer first (a decline changes nothing), then in one
 * transaction it takes over the old card's auto-renewals, lines and default flag, and the old card is removed.
 * A subscription in dunning gets its next retry at the next pass, now with the new card.
 */
export async function replaceMethod(
  ctx: ServiceContext,
  accountId: string,
  oldId: string,
  card: z.output<typeof cardInput>
): Promise<PaymentMethodsTable> {
  const old = await usableMethod(ctx, accountId, oldId)
  if (!old) throw notFound('payment-method-not-found', 'the payment method')
  await cardAttempt(ctx, accountId)
  const t = await ctx.gateway.tokenize(card, { verify: true })
  const now = ctx.clock.now().toISOString()
  const row: PaymentMethodsTable = {
    id: newId('pm'),
    account_id: accountId,
    gateway_token: t.token,
    brand: t.brand,
    last4: t.last4,
    exp_month: t.expMonth,
    exp_year: t.expYear,
    is_default: old.is_default,
    created_at: now,
    removed_at: null
  }
  await inTransaction(ctx, async (tx) => {
    // Removed meanwhile (another window): refuse rather than resurrect what it charged.
    const still = await usableMethod(tx, accountId, oldId)
    if (!still) throw notFound('payment-method-not-found', 'the payment method')
    await tx.db.insertInto('payment_methods').values(row).execute()
    await moveCharges(tx, accountId, [oldId], row.id)
    await tx.db
      .updateTable('lines')
      .set({ payment_method_id: row.id })
      .where('payment_method_id', '=', oldId)
      .execute()
    await tx.db
      .updateTable('payment_methods')
      .set({ removed_at: now, is_default: 0 })
      .where('id', '=', oldId)
      .execute()
    await tx.audit.record('payment-method.replaced', {
      accountId,
      detail: { from: old.last4, to: row.last4 }
    })
  })
  await forgetStoredCard(ctx, old)
  return row
}

/** The card auto-renew and its retries charge, on every line of the account; it becomes the default too. */
export async function setDefaultMethod(ctx: ServiceContext, accountId: string, id: string): Promise<void> {
  const m = await usableMethod(ctx, accountId, id)
  if (!m) throw notFound('payment-method-not-found', 'the payment method')
  await inTransaction(ctx, async (tx) => {
    await tx.db
      .updateTable('payment_methods')
      .set({ is_default: 0 })
      .where('account_id', '=', accountId)
      .execute()
    await tx.db.updateTable('payment_methods').set({ is_default: 1 }).where('id', '=', id).execute()
    const others = await tx.db
      .selectFrom('payment_methods')
      .select('id')
      .where('account_id', '=', accountId)
      .where('id', '!=', id)
      .execute()
    await moveCharges(
      tx,
      accountId,
      others.map((o) => o.id),
      id,
      true
    )
    await tx.audit.record('payment-method.default', { accountId, detail: { last4: m.last4 } })
  })
}

/**
 * Points the auto-renewals that charge `from` at `to` (with `orphans`, also those with no card at all). One in
 * dunning retries at the next pass: the reason it failed was the card, and there is a new one now.
 */
async function moveCharges(
  tx: ServiceContext,
  accountId: string,
  from: readonly string[],
  to: string,
  orphans = false
): Promise<void> {
  const now = tx.clock.now().toISOString()
  const base = tx.db
    .updateTable('subscriptions')
    .where('account_id', '=', accountId)
    .where('auto_renew', '=', 1)
    .where((eb) => {
      const some = from.length > 0 ? [eb('payment_method_id', 'in', from)] : []
      return eb.or(orphans ? [...some, eb('payment_method_id', 'is', null)] : some)
    })
  await base
    .where('status', '=', 'past_due')
    .set({ payment_method_id: to, next_attempt_at: null, updated_at: now })
    .execute()
  await base.set({ payment_method_id: to, updated_at: now }).execute()
}

/**
 * Charges (or the processor replays) a payment recorded before its charge, with the card the record holds: a
 * top-up's or a device order's (top-ups.ts, upgrade-offers.ts), from its request, its retry or the stranded job.
 * `fault` names the crash points around the processor (DIALTONE_FAULT `<fault>:before-charge`, `:after-charge`).
 */
export async function chargeRecorded(
  ctx: ServiceContext,
  p: {
    readonly methodId: string
    readonly amountMinor: number
    readonly currency: string
    readonly processorKey: string
    readonly fault: string
  }
): Promise<{ charge: ChargeResult; method: PaymentMethodsTable }> {
  const method = await ctx.db
    .selectFrom('payment_methods')
    .selectAll()
    .where('id', '=', p.methodId)
    .executeTakeFirstOrThrow()
  ctx.fault(`${p.fault}:before-charge`)
  const charge = await ctx.gateway.charge({
    token: method.gateway_token,
    amountMinor: p.amountMinor,
    currency: p.currency,
    idempotencyKey: p.processorKey
  })
  ctx.fault(`${p.fault}:after-charge`)
  return { charge, method }
}
