/**
 * The money topic of the ops API (issue 20): refunds of what an account paid, to the card it was paid with or to
 * the account's balance, and the lists an operator needs to do them (the account's refundable charges, its
 * refunds). Amounts are integer minor units (cents); `dialtone-ops` turns "12.50" into 1250 exactly.
 */
import { z } from 'zod'
import { SETTLE_KINDS } from './settle-kinds'
import { id, instant } from '../api/common'
import { opsRoute, reasonField } from './route'

const card = z.object({ brand: z.string(), last4: z.string() }).nullable()
const chargeKind = z.enum(['checkout', 'device', 'top_up', 'auto_renew'])

export const refundView = z.object({
  id: z.string(),
  accountId: z.string(),
  chargeId: z.string(),
  chargeKind,
  amountMinor: z.number().int(),
  currency: z.string(),
  to: z.enum(['card', 'balance']),
  status: z.enum(['pending', 'done', 'failed']),
  card,
  reason: z.string(),
  operatorId: z.string(),
  idempotencyKey: z.string(),
  createdAt: instant,
  settledAt: instant.nullable()
})

/** The operator's key for one refund: a ticket number or the UUID `dialtone-ops` makes when none is given. */
const refundKey = z
  .string()
  .regex(
    /^[A-Za-z0-9_.:-]{8,64}$/,
    'a refund key is 8-64 letters, digits, dots, colons, dashes or underscores'
  )

const accountQuery = z.object({ accountId: id }).strict()

const settleKind = z.enum(SETTLE_KINDS)

/** How a stuck item has failed so far (billing/settle-retries.ts). */
const stuckTries = {
  attempts: z.number().int(),
  /** Why the last try failed, as a code: a service reason, `system-<errno>`, `database-<sqlstate>`, `error-<class>`. */
  reason: z.string(),
  firstFailedAt: instant,
  lastFailedAt: instant,
  nextAt: instant
}

/**
 * An order or refund the service's job could not settle, or a call the rating job could not rate
 * (billing/stuck-settlements.ts).
 */
export const stuckSettlement = z.discriminatedUnion('kind', [
  z.object({
    kind: z.enum(['order', 'refund', 'top-up', 'device-order']),
    id: z.string(),
    accountId: z.string(),
    amountMinor: z.number().int(),
    currency: z.string(),
    createdAt: instant,
    ...stuckTries
  }),
  z.object({
    kind: z.literal('call'),
    /** The call's record (its answer, INVITE 200). */
    id: z.string(),
    /** The caller's line's account, else the forwarding line's; null when neither is a line of ours now. */
    accountId: z.string().nullable(),
    /** When it was answered. */
    createdAt: instant,
    /** The caller's SIP user or number, and the number dialled (or forwarded to); not priced until rated. */
    call: z.object({ from: z.string(), to: z.string() }),
    ...stuckTries
  })
])

export const MONEY_OPS_ROUTES = {
  opsRefundsCreate: opsRoute({
    method: 'POST',
    path: '/ops/v1/refunds',
    access: 'refunds.create',
    status: 201,
    // The card processor is called outside any transaction (a crash between it and the ledger is recovered).
    atomic: false,
    summary:
      "refund part or all of a charge to its card or to the account's balance; the same idempotency key answers the same refund",
    input: z
      .object({
        accountId: id,
        chargeId: id,
        amountMinor: z.number().int().min(1).max(100_000_000),
        to: z.enum(['card', 'balance']),
        reason: reasonField,
        idempotencyKey: refundKey
      })
      .strict(),
    output: z.object({ refund: refundView, balanceMinor: z.number().int() })
  }),
  opsRefundsList: opsRoute({
    method: 'GET',
    path: '/ops/v1/refunds',
    access: 'refunds.read',
    summary: "an account's refunds, newest first",
    input: accountQuery,
    output: z.object({ refunds: z.array(refundView) })
  }),
  opsSettlementsStuck: opsRoute({
    method: 'GET',
    path: '/ops/v1/settlements/stuck',
    access: 'settlements.read',
    summary:
      'card orders and refunds the service could not settle on its own, and calls it could not rate, longest failing first (at most 200 of each kind, with how many there are): tries, why, next try',
    input: z.object({}).strict(),
    output: z.object({
      /** Each kind's longest failing, at most `listed` of each, longest failing first over all kinds. */
      settlements: z.array(stuckSettlement),
      /** How many of each kind are stuck in all: more than `listed` means that kind's list was cut. */
      stuck: z.record(settleKind, z.number().int()),
      /** The most listed of one kind. */
      listed: z.number().int()
    })
  }),
  opsSettlementsRetry: opsRoute({
    method: 'POST',
    path: '/ops/v1/settlements/retry',
    access: 'settlements.retry',
    // The card processor is called, outside any transaction.
    atomic: false,
    summary:
      'try a stuck order, refund or call rating again now; the processor charges or refunds it once, a call is rated once, whatever happens',
    input: z.object({ kind: settleKind, id }).strict(),
    output: z.object({
      settled: z.boolean(),
      /** Still stuck: what it is now (its tries, why, the next). Settled or closed: null. */
      settlement: stuckSettlement.nullable(),
      /** Why this try failed, as the list's reason; null when it settled. */
      reason: z.string().nullable()
    })
  }),
  opsRefundsCandidates: opsRoute({
    method: 'GET',
    path: '/ops/v1/refunds/candidates',
    access: 'refunds.read',
    summary: 'what the account paid (orders, device orders, top-ups), with what is left to refund of each',
    input: accountQuery,
    output: z.object({
      balanceMinor: z.number().int(),
      charges: z.array(
        z.object({
          id: z.string(),
          kind: chargeKind,
          at: instant,
          amountMinor: z.number().int(),
          refundedMinor: z.number().int(),
          refundableMinor: z.number().int(),
          currency: z.string(),
          card
        })
      )
    })
  })
} as const
