/**
 * Operator refunds (issue 20): part or all of a charge the account paid (refund-charges.ts) given back to the
 * card it was paid with or to the account's balance. Exact money in minor units, never more than was paid less
 * earlier refunds; one refund per (account, idempotency key) — the same request again answers the same refund,
 * the same key with another charge, amount or destination is refused.
 *
 * Race-safe: the check of what is left and the refund's row are one transaction, with the account's row locked
 * on PostgreSQL (SQLite runs one writer at a time), and a pending card refund already counts against the charge.
 * Crash-safe the way checkout is: the refund's row (pending) is written before the processor is asked, the
 * processor's call is keyed by the refund, and the ledger entry, the notice and the status change are one
 * transaction after it; a refund a crash left pending is finished by a job (or by the same request again), and
 * the processor's key makes sure the card gets the money once.
 */
import { type ServiceContext, inTransaction } from '../context'
import { lockAccount } from '../account-lock'
import type { RefundDestination, RefundsTable } from '../db/schema-money'
import { type ServiceError, conflict, forbidden, invalid, notFound } from '../http/errors'
import { notifyPreferred } from '../mail/outbox'
import { newId } from '../secrets'
import { postEntry, spendableBalance } from './balance'
import { billingNotices } from './notices'
import { type RefundableCharge, refundableCharge } from './refund-charges'

export interface RefundRequest {
  readonly accountId: string
  readonly chargeId: string
  readonly amountMinor: number
  readonly to: RefundDestination
  readonly reason: string
  readonly idempotencyKey: string
}

/** Who asks: the operator's id and whether the support limit applies to them. */
export interface Refunder {
  readonly id: string
  readonly limited: boolean
}

export interface RefundView {
  readonly id: string
  readonly accountId: string
  readonly chargeId: string
  readonly chargeKind: RefundsTable['charge_kind']
  readonly amountMinor: number
  readonly currency: string
  readonly to: RefundDestination
  readonly status: RefundsTable['status']
  readonly card: { readonly brand: string; readonly last4: string } | null
  readonly reason: string
  readonly operatorId: string
  readonly idempotencyKey: string
  readonly createdAt: string
  readonly settledAt: string | null
}

export const refundView = (r: RefundsTable): RefundView => ({
  id: r.id,
  accountId: r.account_id,
  chargeId: r.charge_ref,
  chargeKind: r.charge_kind,
  amountMinor: r.amount_minor,
  currency: r.currency,
  to: r.destination,
  status: r.status,
  card: r.card_last4 ? { brand: r.card_brand ?? '', last4: r.card_last4 } : null,
  reason: r.reason,
  operatorId: r.operator_id,
  idempotencyKey: r.idempotency_key,
  createdAt: r.created_at,
  settledAt: r.settled_at
})

const dollars = (minor: number): string => (minor / 100).toFixed(2)

/** The checks that need no transaction: the account, the charge, where the money may go, the support limit. */
async function checkRequest(
  ctx: ServiceContext,
  by: Refunder,
  req: RefundRequest
): Promise<RefundableCharge> {
  const limit = ctx.config.billing.supportRefundLimitMinor
  if (by.limited && req.amountMinor > limit)
    throw forbidden(
      'refund-above-limit',
      `support may refund at most ${dollars(limit)} USD at once; ask billing or an admin`,
      { limitMinor: limit, currency: 'USD' }
    )
  const account = await ctx.db
    .selectFrom('accounts')
    .select('id')
    .where('id', '=', req.accountId)
    .executeTakeFirst()
  if (!account) throw notFound('account-not-found', 'the account')
  const charge = await refundableCharge(ctx, req.accountId, req.chargeId)
  if (!charge) throw notFound('charge-not-found', 'a paid charge with this id on this account')
  if (req.to === 'balance' && charge.kind === 'top_up')
    throw invalid('to', 'a top-up is on the balance already; refund it to the card', 'refund-destination')
  if (req.to === 'card' && !charge.gatewayChargeId)
    throw invalid('to', 'this charge has no card payment to refund to', 'refund-destination')
  return charge
}

/** Refunds (or answers the refund already made under this key). */
export async function refund(ctx: ServiceContext, by: Refunder, req: RefundRequest): Promise<RefundView> {
  const charge = await checkRequest(ctx, by, req)
  const row = await inTransaction(ctx, async (tx) => {
    await lockAccount(tx, req.accountId)
    const earlier = await tx.db
      .selectFrom('refunds')
      .selectAll()
      .where('account_id', '=', req.accountId)
      .where('idempotency_key', '=', req.idempotencyKey)
      .executeTakeFirst()
    if (earlier) {
      if (
        earlier.charge_ref !== req.chargeId ||
        earlier.amount_minor !== req.amountMinor ||
        earlier.destination !== req.to
      )
        throw conflict('idempotency-mismatch', 'this idempotency key was used for a different refund')
      return earlier
    }
    const refunded = await tx.db
      .selectFrom('refunds')
      .select((eb) => eb.fn.sum<number | string | null>('amount_minor').as('total'))
      .where('account_id', '=', req.accountId)
      .where('charge_ref', '=', req.chargeId)
      .where('status', 'in', ['pending', 'done'])
      .executeTakeFirst()
    const left = charge.amountMinor - Number(refunded?.total ?? 0)
    if (req.amountMinor > left)
      throw conflict(
        'refund-too-large',
        `at most ${dollars(Math.max(0, left))} ${charge.currency} of this charge can still be refunded`,
        { refundableMinor: Math.max(0, left), currency: charge.currency }
      )
    if (charge.kind === 'top_up') await assertBalanceHolds(tx, req.accountId, req.amountMinor)
    const now = tx.clock.now().toISOString()
    const made: RefundsTable = {
      id: newId('rf'),
      account_id: req.accountId,
      charge_kind: charge.kind,
      charge_ref: charge.id,
      gateway_charge_id: charge.gatewayChargeId,
      amount_minor: req.amountMinor,
      currency: charge.currency,
      destination: req.to,
      idempotency_key: req.idempotencyKey,
      status: 'pending',
      failure: null,
      gateway_refund_id: null,
      card_brand: req.to === 'card' ? (charge.card?.brand ?? null) : null,
      card_last4: req.to === 'card' ? (charge.card?.last4 ?? null) : null,
      reason: req.reason,
      operator_id: by.id,
      created_at: now,
      settled_at: null
    }
    await tx.db.insertInto('refunds').values(made).execute()
    // To the balance: nothing outside the database, so the refund is done in the same transaction.
    if (req.to === 'balance') return complete(tx, made, null)
    return made
  })
  // A refund the processor refused answers the same refusal again (its key stays spent: a new try is a new key).
  if (row.status === 'failed') throw refusedByProcessor(row.failure)
  return refundView(row.status === 'pending' ? await settleRefund(ctx, row) : row)
}

const refusedByProcessor = (failure: string | null): ServiceError =>
  conflict('refund-failed', `the card processor refused the refund (${failure ?? 'unknown'})`)

/** A top-up given back to the card takes its money off the balance: only while the balance still holds it. */
async function assertBalanceHolds(tx: ServiceContext, accountId: string, amountMinor: number): Promise<void> {
  const available = await spendableBalance(tx, accountId)
  if (amountMinor > available)
    throw conflict(
      'balance-too-low',
      `the balance holds only ${dollars(Math.max(0, available))} USD of this top-up now`
    )
}

/** Marks the refund done and books it (ledger, notice, audit), once: a second caller finds it done. */
async function complete(
  tx: ServiceContext,
  r: RefundsTable,
  gatewayRefundId: string | null
): Promise<RefundsTable> {
  const now = tx.clock.now().toISOString()
  const claimed = await tx.db
    .updateTable('refunds')
    .set({ status: 'done', gateway_refund_id: gatewayRefundId, settled_at: now })
    .where('id', '=', r.id)
    .where('status', '=', 'pending')
    .executeTakeFirst()
  if (Number(claimed.numUpdatedRows) === 1) {
    if (r.destination === 'balance')
      await postEntry(tx, r.account_id, 'refund', r.amount_minor, r.id, {
        code: 'refund-to-balance',
        params: {},
        text: 'Refund to your balance'
      })
    else if (r.charge_kind === 'top_up')
      await postEntry(tx, r.account_id, 'refund', -r.amount_minor, r.id, {
        code: 'top-up-refunded',
        params: { last4: r.card_last4 ?? '' },
        text: `Top-up refunded to your card ending ${r.card_last4 ?? ''}`
      })
    await tx.audit.record('refund.done', {
      accountId: r.account_id,
      detail: { refund: r.id, charge: r.charge_ref, amount: r.amount_minor, to: r.destination }
    })
    await notifyPreferred(tx.db, tx.clock, r.account_id, 'refund', (l) =>
      billingNotices(l).refunded(r.amount_minor, r.currency, r.destination, r.card_last4)
    )
  }
  return tx.db.selectFrom('refunds').selectAll().where('id', '=', r.id).executeTakeFirstOrThrow()
}

/** Asks the processor (again: its key makes a repeat harmless) and books a pending card refund. */
export async function settleRefund(ctx: ServiceContext, r: RefundsTable): Promise<RefundsTable> {
  if (r.status !== 'pending' || !r.gateway_charge_id) return r
  const answer = await ctx.gateway.refund({
    chargeId: r.gateway_charge_id,
    amountMinor: r.amount_minor,
    idempotencyKey: `refund:${r.id}`
  })
  ctx.fault('refund:after-gateway')
  if (answer.status === 'failed') {
    await ctx.db
      .updateTable('refunds')
      .set({ status: 'failed', failure: answer.failureCode, settled_at: ctx.clock.now().toISOString() })
      .where('id', '=', r.id)
      .where('status', '=', 'pending')
      .execute()
    throw refusedByProcessor(answer.failureCode)
  }
  return inTransaction(ctx, (tx) => complete(tx, r, answer.id))
}

export async function listRefunds(ctx: ServiceContext, accountId: string): Promise<RefundView[]> {
  const account = await ctx.db
    .selectFrom('accounts')
    .select('id')
    .where('id', '=', accountId)
    .executeTakeFirst()
  if (!account) throw notFound('account-not-found', 'the account')
  const rows = await ctx.db
    .selectFrom('refunds')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute()
  return rows.map(refundView)
}
