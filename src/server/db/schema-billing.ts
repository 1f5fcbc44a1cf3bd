/** Row types of the billing tables (migration 0004). Money in integer minor units; instants as ISO text. */

export type PlanKind = 'line_service' | 'monthly_tariff' | 'intl_minutes'
export type Proration = 'seconds' | 'actual_days' | 'fixed_30'

export interface PlansTable {
  id: string
  code: string
  version: number
  name: string
  kind: PlanKind
  interval: 'month' | 'year'
  interval_count: number
  price_minor: number
  currency: string
  auto_renew_eligible: number
  proration: Proration
  change_policy: 'immediate' | 'end_of_term'
  min_effective_delay_days: number
  minutes: number | null
  published_at: string
  retired_at: string | null
}

export interface PaymentMethodsTable {
  id: string
  account_id: string
  gateway_token: string
  brand: string
  last4: string
  exp_month: number
  exp_year: number
  is_default: number
  created_at: string
  removed_at: string | null
}

export type SubscriptionStatus = 'active' | 'past_due' | 'canceled'
export type CancelReason = 'voluntary' | 'dunning' | 'admin'

export interface SubscriptionsTable {
  id: string
  account_id: string
  line_id: string
  plan_id: string
  status: SubscriptionStatus
  auto_renew: number
  payment_method_id: string | null
  cancel_at_period_end: number
  canceled_at: string | null
  cancel_reason: CancelReason | null
  dunning_attempts: number
  next_attempt_at: string | null
  reminded_for: string | null
  card_warned_for: string | null
  /** While an auto-renewal is in flight for the line: at most one at a time; a manual checkout waits. */
  renewal_lease_until: string | null
  created_at: string
  updated_at: string
}

export type ChangeStatus = 'scheduled' | 'applied' | 'canceled' | 'superseded'

export interface ScheduledChangesTable {
  id: string
  subscription_id: string
  from_plan_id: string
  to_plan_id: string
  /** The account's local date the change takes effect on (YYYY-MM-DD). */
  effective_date: string
  effective_at: string
  status: ChangeStatus
  requested_at: string
  decided_at: string | null
  /** JSON of the proration applied (inputs and amounts), for audit and replay. */
  proration: string | null
}

export type DiscountEnd = 'downgrade' | 'interval_switch' | 'dunning' | 'voluntary'

export interface DiscountGrantsTable {
  id: string
  account_id: string
  subscription_id: string
  kind: 'half_price_for_life'
  percent_off: number
  starts_at: string
  ends_at: string | null
  ended_reason: DiscountEnd | null
  reinstatable_until: string | null
  /** The scheduled downgrade that will end this grant, while it is pending. */
  pending_change_id: string | null
}

export type OrderStatus = 'pending_payment' | 'paid' | 'failed'

export interface CheckoutOrdersTable {
  id: string
  account_id: string
  idempotency_key: string
  status: OrderStatus
  total_minor: number
  currency: string
  payment_method_id: string
  charge_id: string | null
  failure: string | null
  /** JSON array of the priced items, fixed when the order was made. */
  items: string
  created_at: string
  updated_at: string
  /** When the card payment went through (0028); null until then. Invoices count it in this month. */
  paid_at: string | null
  /**
   * 0031: when the order holds its request's idempotency record (checkout-keyed.ts), the request's hash, its
   * lease (null: free) and the answer a replay gets (each item's paid-through, a JSON array: the rest of the
   * receipt is the order's own row; checkout-settle.ts answerOf); null otherwise.
   */
  request_hash: string | null
  key_leased_at: string | null
  response_body: string | null
}

export interface IdempotencyKeysTable {
  account_id: string
  key: string
  endpoint: string
  request_hash: string
  status: 'in_progress' | 'done'
  response_status: number | null
  response_body: string | null
  created_at: string
  updated_at: string
}

export interface SandboxChargesTable {
  id: string
  idempotency_key: string
  token: string
  amount_minor: number
  currency: string
  status: 'succeeded' | 'failed'
  decline_code: string | null
  created_at: string
}

export interface SandboxCardsTable {
  token: string
  behaviour: string
  created_at: string
}

export interface VoucherBatchesTable {
  id: string
  name: string
  plan_id: string
  size: number
  expires_at: string
  created_at: string
}

export type VoucherState = 'generated' | 'inactive' | 'active' | 'redeemed' | 'blocked' | 'expired'

export interface VouchersTable {
  id: string
  batch_id: string
  serial: string
  pin_hmac: string
  state: VoucherState
  activated_at: string | null
  redeemed_by: string | null
  redeemed_line: string | null
  redeemed_at: string | null
  blocked_at: string | null
  created_at: string
}

export type BalanceKind =
  | 'top_up'
  | 'recurring_fee'
  | 'usage'
  | 'minutes_pack'
  | 'refund'
  | 'proration_credit'
  | 'proration_charge'
  | 'promised_credit'
  | 'promised_fee'
  | 'promised_repayment'
  | 'adjustment'
  | 'service_fee'
  | 'service_credit'

export interface BalanceEntriesTable {
  id: string
  account_id: string
  kind: BalanceKind
  amount_minor: number
  currency: string
  source_ref: string
  memo: string
  /** A MemoCode (src/shared/api/notes.ts) and its values as JSON. */
  memo_code: string
  memo_params: string
  created_at: string
}

export interface PromisedPaymentsTable {
  id: string
  account_id: string
  amount_minor: number
  fee_minor: number
  status: 'active' | 'overdue' | 'repaid'
  granted_at: string
  due_at: string
  settled_at: string | null
}

export interface MinutePacksTable {
  id: string
  account_id: string
  source_ref: string
  minutes: number
  used: number
  expires_at: string
  created_at: string
}

export interface UsageRecordsTable {
  id: string
  account_id: string
  line_id: string
  call_id: string
  started_at: string
  destination: string
  seconds: number
  billed_minutes: number
  zone: 'domestic' | 'international'
  pack_minutes: number
  amount_minor: number
  /** A forwarded leg (0026): the original caller, digits ('' when withheld); NULL for the line's own calls. */
  forwarded_from: string | null
}

export interface BlockedNumbersTable {
  account_id: string
  number: string
  label: string | null
  created_at: string
}

export interface DeviceOrdersTable {
  id: string
  account_id: string
  line_id: string
  offer_id: string
  name: string
  amount_minor: number
  currency: string
  /** The order request's key: a retry of the same intent resumes a pending order instead of refusing it. */
  idempotency_key: string
  charge_id: string | null
  /** The card it was paid with (migration 0011); null for older orders. */
  payment_method_id: string | null
  /** JSON postal address, as it was when ordered. */
  ship_to: string
  status: 'pending' | 'paid'
  created_at: string
  /** When the card payment went through (0028); null until then. Invoices count it in this month. */
  paid_at: string | null
}

export interface BillingTables {
  plans: PlansTable
  payment_methods: PaymentMethodsTable
  subscriptions: SubscriptionsTable
  scheduled_changes: ScheduledChangesTable
  discount_grants: DiscountGrantsTable
  checkout_orders: CheckoutOrdersTable
  idempotency_keys: IdempotencyKeysTable
  sandbox_charges: SandboxChargesTable
  sandbox_cards: SandboxCardsTable
  voucher_batches: VoucherBatchesTable
  vouchers: VouchersTable
  balance_entries: BalanceEntriesTable
  promised_payments: PromisedPaymentsTable
  minute_packs: MinutePacksTable
  usage_records: UsageRecordsTable
  blocked_numbers: BlockedNumbersTable
  device_orders: DeviceOrdersTable
}
