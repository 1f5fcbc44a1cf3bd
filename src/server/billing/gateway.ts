/**
 * The payment gateway seam, and the embedded default: a sandbox that behaves like a card processor for the
 * documented test cards (below), keeps its own records (its tables stand for the processor's side) and honours
 * idempotency keys the way Stripe does: the same key replays the first result; the same key with another
 * amount or card is refused. Card numbers go in, tokens come out; only brand, last 4 and expiry are kept.
 *
 * Test cards (any future expiry, any 3-digit CVC):
 *   4242 4242 4242 4242  succeeds
 *   4000 0000 0000 0002  declined (card_declined), also when saved with verification
 *   4000 0000 0000 9995  declined (insufficient_funds); saves (a zero check has no amount to refuse)
 *   4000 0000 0000 0069  declined (expired_card), also when saved with verification
 *   4000 0000 0000 0341  saves fine even verified, every charge declined (card_declined): for auto-renew and dunning
 *   5555 5555 5555 4444  succeeds (Mastercard)
 *
 * Refunds behave as a card processor's do: against a succeeded charge only, in part or in full, several times,
 * but never more in total than the charge captured; keyed like charges (the same key replays the first refund,
 * the same key with another charge or amount is refused).
 *
 * A stored card is deleted when the account removes it (deleteStoredCard; billing/card-deletion.ts).
 */
import { sql } from 'kysely'
import type { ServiceContext } from '../context'
import type { ReasonCode } from '../../shared/api/reasons'
import { ServiceError, invalid } from '../http/errors'
import { newId, newToken } from '../secrets'
import { runCompiledOnce } from './compiled-once'
import { sandboxRefund } from './sandbox-refunds'

export interface CardInput {
  readonly number: string
  readonly expMonth: number
  readonly expYear: number
  readonly cvc: string
}

export interface CardToken {
  readonly token: string
  readonly brand: string
  readonly last4: string
  readonly expMonth: number
  readonly expYear: number
}

export interface ChargeRequest {
  readonly token: string
  readonly amountMinor: number
  readonly currency: string
  readonly idempotencyKey: string
}

export interface ChargeResult {
  readonly id: string
  readonly status: 'succeeded' | 'failed'
  readonly declineCode: string | null
}

export interface RefundRequest {
  /** The processor's id of the charge to refund. */
  readonly chargeId: string
  readonly amountMinor: number
  readonly idempotencyKey: string
}

export interface RefundResult {
  readonly id: string
  readonly status: 'succeeded' | 'failed'
  /** Why the processor refused: the charge is unknown or was not captured, or the amount is more than is left. */
  readonly failureCode: 'charge_not_refundable' | 'amount_too_large' | null
}

export interface PaymentGateway {
  /**
   * `verify`: the processor checks the card with the issuer before answering (a zero-amount authorisation, as
   * a card saved for later needs), and a declined card comes back as declinedError instead of a token.
   */
  tokenize(card: CardInput, options?: { readonly verify?: boolean }): Promise<CardToken>
  /** Must be called outside a database transaction: a real processor is a network call. */
  charge(request: ChargeRequest): Promise<ChargeResult>
  /** Gives money back to the card a charge was paid with. Outside a transaction too. */
  refund(request: RefundRequest): Promise<RefundResult>
  /**
   * Deletes a stored card (the account removed it): the token charges nothing afterwards. A token the processor
   * no longer has is not an error, so a retry after a lost answer succeeds. Outside a transaction too.
   */
  deleteStoredCard(token: string): Promise<void>
}

const DECLINES: Record<string, string> = {
  '4000000000000002': 'card_declined',
  '4000000000009995': 'insufficient_funds',
  '4000000000000069': 'expired_card',
  '4000000000000341': 'card_declined'
}
/** What the issuer answers to a zero-amount check: the card declines outright, or says it has expired. */
const VERIFY_DECLINES: Record<string, string> = {
  '4000000000000002': 'card_declined',
  '4000000000000069': 'expired_card'
}

export const DECLINE_MESSAGES = {
  card_declined: 'the card was declined; try another card',
  insufficient_funds: 'the card has insufficient funds',
  expired_card: 'the card has expired'
} as const satisfies Partial<Record<ReasonCode, string>>
type DeclineReason = keyof typeof DECLINE_MESSAGES

/** The service's answer to a declined charge: 402, the processor's reason (card_declined when it gave none) and its sentence. */
export function declinedError(code: string | null): ServiceError {
  // A processor code we do not know is still a decline: word it as one rather than pass the code on.
  const reason: DeclineReason =
    code !== null && code in DECLINE_MESSAGES ? (code as DeclineReason) : 'card_declined'
  return new ServiceError('payment-required', DECLINE_MESSAGES[reason], { reason })
}

function luhnValid(digits: string): boolean {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i])
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2
    sum += d
  }
  return sum % 10 === 0
}

const brandOf = (n: string): string =>
  n.startsWith('4') ? 'visa' : /^5[1-5]|^2[2-7]/.test(n) ? 'mastercard' : /^3[47]/.test(n) ? 'amex' : 'card'

export function sandboxGateway(
  ctx: Pick<ServiceContext, 'db' | 'clock' | 'dialect' | 'batch'>
): PaymentGateway {
  return {
    async tokenize(card, options) {
      const digits = card.number.replace(/[\s-]/g, '')
      if (!/^\d{12,19}$/.test(digits) || !luhnValid(digits))
        throw invalid('card.number', 'this is not a valid card number', 'card-number')
      const now = ctx.clock.now()
      const endOfExpiry = Date.UTC(card.expYear, card.expMonth, 1)
      if (endOfExpiry <= now.getTime()) throw invalid('card.expYear', 'the card has expired', 'card-expired')
      const refused = options?.verify ? VERIFY_DECLINES[digits] : undefined
      if (refused) throw declinedError(refused)
      const token = newToken('tok')
      await ctx.db
        .insertInto('sandbox_cards')
        .values({ token, behaviour: DECLINES[digits] ?? 'ok', created_at: now.toISOString() })
        .execute()
      return {
        token,
        brand: brandOf(digits),
        last4: digits.slice(-4),
        expMonth: card.expMonth,
        expYear: card.expYear
      }
    },

    async charge(req) {
      // One statement for a new key: the charge written with its outcome read from the card (an unknown card
      // declines, card_declined), or nothing when the key is taken (a replay, or a concurrent call that won);
      // then the stored row answers, as Stripe's does.
      // Built with Kysely once and its SQL kept (compiled-once.ts): this runs on every renewal. On SQLite the
      // processor's record commits with concurrent requests' short writes (db/group-commit.ts), as a processor
      // groups its own: the charge is durable before it is answered, and never in a transaction of the caller's
      // (the caller's order committed before this call, its fulfilment starts after the answer).
      const values = {
        id: newId('ch'),
        key: req.idempotencyKey,
        token: req.token,
        amount: req.amountMinor,
        currency: req.currency,
        at: ctx.clock.now().toISOString()
      }
      const made = (
        await runCompiledOnce(
          ctx,
          'sandbox-charge',
          values,
          (v) => {
            const card = sql<string | null>`(SELECT behaviour FROM sandbox_cards WHERE token = ${v.token})`
            return ctx.db
              .insertInto('sandbox_charges')
              .columns([
                'id',
                'idempotency_key',
                'token',
                'amount_minor',
                'currency',
                'status',
                'decline_code',
                'created_at'
              ])
              .expression(
                sql`SELECT ${v.id}, ${v.key}, ${v.token}, CAST(${v.amount} AS integer),
                ${v.currency}, CASE WHEN ${card} = 'ok' THEN 'succeeded' ELSE 'failed' END,
                CASE WHEN ${card} = 'ok' THEN NULL ELSE COALESCE(${card}, 'card_declined') END,
                ${v.at}`
              )
              .onConflict((oc) => oc.doNothing())
              .returning(['id', 'status', 'decline_code'])
          },
          { batch: true }
        )
      ).rows[0]
      if (made) return { id: made.id, status: made.status, declineCode: made.decline_code }
      const existing = await ctx.db
        .selectFrom('sandbox_charges')
        .selectAll()
        .where('idempotency_key', '=', req.idempotencyKey)
        .executeTakeFirstOrThrow()
      if (existing.token !== req.token || existing.amount_minor !== req.amountMinor)
        throw new ServiceError('conflict', 'the payment processor saw this key with other parameters', {
          reason: 'idempotency-mismatch'
        })
      return { id: existing.id, status: existing.status, declineCode: existing.decline_code }
    },

    refund: (req) => sandboxRefund(ctx, req),

    // Its charges keep the token they were made with (a replay by key still answers); a new charge on it declines
    // as an unknown card's does.
    async deleteStoredCard(token) {
      await ctx.db.deleteFrom('sandbox_cards').where('token', '=', token).execute()
    }
  }
}
