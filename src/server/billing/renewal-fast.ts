/**
 * The common renewal's fulfilment in as few statements as the database allows (issue 24 goal 8): one line whose
 * state the grant does not change (below), with a subscription on the plan it was priced against, no promotion,
 * paid-through what the price read. PostgreSQL: one round trip, the `renewal_fulfil` function (migrations 0030,
 * 0031, 0034). SQLite: one transaction of four statements (five when the answer goes to an `idempotency_keys`
 * row) sent as prepared text (no query building). Anything else, or any of those facts changed between the price
 * and the charge, answers 'slow' with nothing written and checkout.ts's general fulfilment runs instead. The paid
 * order is its own record: no audit row beside it (migration 0034 says why).
 *
 * What it skips, and why that is safe: the line's sync (syncLine), for the two states a grant cannot change. A
 * line in service stays in service when its coverage grows (a grant never ends coverage now), and its Kamailio
 * row was written when it entered service or when any other input of its state changed (number, E911 address,
 * suspension, calls held: each of those syncs the line). A pending line that lacks a number or an E911 address,
 * was never activated (no SIP account) and is not held stays pending with no Kamailio row: a grant gives it
 * neither. Every other line (lapsed, suspended, pending for want of coverage) takes the general path, whose sync
 * may change its state. The subscription's own rules (first subscription, monthly to yearly, resubscribing after
 * a voluntary cancel) are not in it: those orders take the general path.
 */
import { CompiledQuery } from 'kysely'
import { addMonths } from '../clock'
import type { ServiceContext } from '../context'
import { transactionGrouped } from '../db/group-commit'
import type { CheckoutOrdersTable } from '../db/schema-billing'
import type { Message } from '../mail/templates'
import { newId } from '../secrets'
import type { Settle } from './idempotency'

export interface FastRenewal {
  readonly order: CheckoutOrdersTable
  readonly chargeId: string
  readonly lineId: string
  /** The plan the subscription was on when priced; its interval decided there was no monthly-to-yearly switch. */
  readonly subscriptionPlanId: string
  /** The line's paid-through when priced: the grant starts from it (or now), so it must be unchanged. */
  readonly paidThrough: Date | null
  readonly planId: string
  readonly months: number
  /** Auto-renew switched on with this payment method (the order asked, the card is kept, the plan allows). */
  readonly autoRenew: boolean
  readonly methodId: string
  readonly receiptMessage: Message
  /** The request's answer with the line's new paid-through, as stored (JSON; `settle.into` says where). */
  readonly answer: (paidThrough: string) => string
  readonly settle: Settle
}

/** 'done' with the new paid-through; 'slow' when the general fulfilment must run; 'taken' when another run paid it. */
export type FastOutcome = { readonly done: string } | 'slow' | 'taken'

class Fallback extends Error {}

/** The call of migration 0034's 19-argument `renewal_fulfil`, its text made once rather than per renewal. */
const FULFIL_CALL = `SELECT renewal_fulfil(${Array.from({ length: 19 }, (_, i) => `$${i + 1}`).join(', ')}) AS outcome`

/** PostgreSQL's SQLSTATE for a unique violation (the grant of an order item written already). */
const UNIQUE_VIOLATION = '23505'

/** The order item's grant was there before its pending order was paid: cannot happen, so an operator hears of it. */
const grantFound = (ctx: ServiceContext, orderId: string): void =>
  ctx.log.warn(
    `renewal of order ${orderId}: its grant was written already; the general fulfilment settles it`
  )

export async function fulfilRenewalFast(ctx: ServiceContext, r: FastRenewal): Promise<FastOutcome> {
  const now = ctx.clock.now()
  const nowIso = now.toISOString()
  const start = r.paidThrough && r.paidThrough > now ? r.paidThrough : now
  const end = addMonths(start, r.months)
  if (end <= start) return 'slow'
  const endIso = end.toISOString()
  const accountId = r.order.account_id
  const p = {
    through: r.paidThrough?.toISOString() ?? null,
    grant: [newId('cov'), r.lineId, start.toISOString(), endIso, `${r.order.id}:0`, nowIso],
    outbox: [
      newId('msg'),
      r.receiptMessage.subject,
      r.receiptMessage.body,
      accountId,
      nowIso,
      nowIso,
      accountId
    ],
    answer: r.answer(endIso)
  }
  // The answer goes with the paid mark when the order holds the request's key (checkout-keyed.ts), else to the
  // request's idempotency_keys row.
  const key = r.settle.into === 'key' ? r.settle.key : null
  if (ctx.dialect === 'postgres') {
    let outcome: string | undefined
    try {
      const res = await ctx.db.executeQuery<{ outcome: string }>(
        CompiledQuery.raw(FULFIL_CALL, [
          r.order.id,
          r.chargeId,
          nowIso,
          r.lineId,
          r.subscriptionPlanId,
          p.through,
          r.planId,
          r.autoRenew,
          r.methodId,
          p.grant[0],
          p.grant[4],
          p.grant[2],
          endIso,
          accountId,
          p.outbox[0],
          r.receiptMessage.subject,
          r.receiptMessage.body,
          key,
          p.answer
        ])
      )
      outcome = res.rows[0]?.outcome
    } catch (err) {
      // The function undid itself (the order item's grant existed: a unique violation): the general path finds
      // out what happened. It cannot happen while the order was pending, so it is said.
      if ((err as { code?: string }).code === UNIQUE_VIOLATION) {
        grantFound(ctx, r.order.id)
        return 'slow'
      }
      throw err
    }
    if (outcome === 'done') {
      r.settle.written()
      return { done: endIso }
    }
    return outcome === 'taken' ? 'taken' : 'slow'
  }
  try {
    // Committed with concurrent renewals' fulfilments when there are (db/group-commit.ts), else alone.
    await transactionGrouped(ctx, async (trx) => {
      const run = async (text: string, params: readonly unknown[]) =>
        Number((await trx.executeQuery(CompiledQuery.raw(text, [...params]))).numAffectedRows ?? 0n)
      // The paid mark, only when the facts are still those priced (else nothing is written: 'slow').
      const paid = await run(
        `UPDATE checkout_orders SET status = 'paid', charge_id = ?, updated_at = ?, paid_at = ?,
           response_body = CASE WHEN ? THEN ? ELSE response_body END
         WHERE id = ? AND status = 'pending_payment' AND EXISTS (
           SELECT 1 FROM lines l JOIN subscriptions s ON s.line_id = l.id
           WHERE l.id = ? AND s.plan_id = ?
             AND (l.status = 'in_service' OR (l.status = 'pending'
               AND NOT EXISTS (SELECT 1 FROM sip_accounts a WHERE a.line_id = l.id)
               AND NOT EXISTS (SELECT 1 FROM line_suspensions u WHERE u.line_id = l.id AND u.restored_at IS NULL)
               AND (l.phone_number IS NULL OR NOT EXISTS (
                 SELECT 1 FROM e911_addresses e WHERE e.line_id = l.id AND e.superseded_at IS NULL))))
             AND NOT (s.status = 'canceled' AND s.cancel_reason IS 'voluntary')
             AND (SELECT max(ends_at) FROM coverage_grants g WHERE g.line_id = l.id AND g.voided_at IS NULL) IS ?)`,
        [
          r.chargeId,
          nowIso,
          nowIso,
          key === null ? 1 : 0,
          p.answer,
          r.order.id,
          r.lineId,
          r.subscriptionPlanId,
          p.through
        ]
      )
      if (paid !== 1) throw new Fallback()
      await run(
        `UPDATE subscriptions SET plan_id = ?, status = 'active', cancel_at_period_end = 0, canceled_at = NULL,
           cancel_reason = NULL, dunning_attempts = 0, next_attempt_at = NULL,
           auto_renew = CASE WHEN ? THEN 1 ELSE auto_renew END,
           payment_method_id = CASE WHEN ? THEN ? ELSE payment_method_id END, updated_at = ?
         WHERE line_id = ?`,
        [r.planId, r.autoRenew ? 1 : 0, r.autoRenew ? 1 : 0, r.methodId, nowIso, r.lineId]
      )
      const granted = await run(
        `INSERT INTO coverage_grants (id, line_id, starts_at, ends_at, source_type, source_id, voided_at, created_at)
         VALUES (?, ?, ?, ?, 'order', ?, NULL, ?) ON CONFLICT DO NOTHING`,
        p.grant
      )
      if (granted !== 1) {
        grantFound(ctx, r.order.id)
        throw new Fallback()
      }
      await run(
        `INSERT INTO outbox (id, channel, recipient, subject, body, purpose, account_id, created_at, next_attempt_at,
           attachments)
         SELECT ?, 'email', address, ?, ?, 'receipt', ?, ?, ?, NULL FROM account_emails
         WHERE account_id = ? AND verified_at IS NOT NULL ORDER BY preferred DESC, created_at LIMIT 1`,
        p.outbox
      )
      if (key !== null)
        await run(
          `UPDATE idempotency_keys SET status = 'done', response_status = 201, response_body = ?, updated_at = ?
           WHERE account_id = ? AND key = ?`,
          [p.answer, nowIso, accountId, key]
        )
    })
  } catch (err) {
    if (err instanceof Fallback) return 'slow'
    throw err
  }
  r.settle.written()
  return { done: endIso }
}
