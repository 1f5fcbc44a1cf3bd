/** Row types of the refund tables (migration 0016, src/server/db/migration-money.ts). Money in integer minor units. */
import type { SettleKindName } from '../../shared/ops/settle-kinds'

/** What was paid: a checkout order (renewals, minutes packs), a device order, a balance top-up, an auto-renewal. */
export type ChargeKind = 'checkout' | 'device' | 'top_up' | 'auto_renew'
export type RefundDestination = 'card' | 'balance'
/** A card refund is pending between its row and the processor's answer; a balance refund is done at once. */
export type RefundStatus = 'pending' | 'done' | 'failed'

export interface RefundsTable {
  id: string
  account_id: string
  charge_kind: ChargeKind
  /** The order id (checkout, device) or the processor's charge id (top-up, auto-renewal): what the operator names. */
  charge_ref: string
  gateway_charge_id: string | null
  amount_minor: number
  currency: string
  destination: RefundDestination
  idempotency_key: string
  status: RefundStatus
  failure: string | null
  gateway_refund_id: string | null
  card_brand: string | null
  card_last4: string | null
  reason: string
  operator_id: string
  created_at: string
  settled_at: string | null
}

export interface SandboxRefundsTable {
  id: string
  charge_id: string
  idempotency_key: string
  amount_minor: number
  currency: string
  created_at: string
}

/** One auto-renewal paid by card. */
export interface RenewalChargesTable {
  /** The processor's charge id. */
  id: string
  account_id: string
  line_id: string
  plan_id: string
  /** The coverage grant it paid for (source auto_renew): one charge per renewed period. */
  grant_source: string
  amount_minor: number
  currency: string
  payment_method_id: string
  created_at: string
}

/** An order, refund or call the jobs could not settle or rate (migration 0036, billing/settle-retries.ts). */
export interface SettleRetriesTable {
  kind: SettleKindName
  /** The order's, the refund's or the call record's id. */
  ref_id: string
  /** The account ('' for a call: it is known only once the rating finds the line). */
  account_id: string
  attempts: number
  /** Why the last try failed, as a code (settle-retries.ts reasonOf); never an error's message. */
  reason: string
  first_failed_at: string
  last_failed_at: string
  /** The job does not try it again before this. */
  next_at: string
}

/** A job's place, kept for every process and every restart (migration 0036). */
export interface JobMarksTable {
  name: string
  value: string
}

/** A card top-up, recorded before its charge (migration 0037): pending, then paid (its balance entry) or failed. */
export interface TopUpsTable {
  id: string
  account_id: string
  idempotency_key: string
  amount_minor: number
  currency: string
  /** The card charged: a saved one, or the one given with the request (kept as used once). */
  payment_method_id: string
  status: 'pending' | 'paid' | 'failed'
  charge_id: string | null
  /** The processor's decline code. */
  failure: string | null
  created_at: string
  updated_at: string
}

export interface MoneyTables {
  top_ups: TopUpsTable
  settle_retries: SettleRetriesTable
  job_marks: JobMarksTable
  refunds: RefundsTable
  sandbox_refunds: SandboxRefundsTable
  renewal_charges: RenewalChargesTable
}
