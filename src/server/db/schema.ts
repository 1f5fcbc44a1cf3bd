/**
 * The service's tables as Kysely sees them. Portable on purpose: ids are text made by the service, instants are
 * ISO 8601 UTC strings (they sort as text), flags are 0/1 integers, JSON is text. The same types hold for
 * SQLite and PostgreSQL, so one set of queries serves both. `subscriber` and `version` are Kamailio's own tables
 * (auth_db schema 7), kept in this database so Kamailio reads SIP credentials straight from it.
 */
import type { AccountActionTables } from './schema-accounts'
import type { BillingTables } from './schema-billing'
import type { CarrierTables } from './schema-carriers'
import type { NumbersTables } from './schema-numbers'
import type { OpsTables } from './schema-ops'
import type { LinePolicyTables, SubscriberPolicyColumns } from './schema-line-policy'
import type { ForwardingTables } from './schema-forwarding'
import type { MoneyTables } from './schema-money'
import type { PromotionsTables } from './schema-promotions'
import type { VoicemailTables } from './schema-voicemail'
import type { SupportTables } from './schema-support'
import type { ServicesTables } from './schema-services'
import type { BusinessTables } from './schema-business'
import type { Generated } from 'kysely'

export interface AccountsTable {
  id: string
  type: 'individual' | 'business' | 'legal_entity'
  status: 'active' | 'locked' | 'closed'
  name: string
  company: string | null
  contact_phone: string | null
  billing_address: string | null
  notifications: string
  password_hash: string
  timezone: string
  created_at: string
  updated_at: string
  /** The language of the service's messages to the account's people (0029; set at sign-up and in Profile); null: English. */
  language?: string | null
}

export interface AccountEmailsTable {
  id: string
  account_id: string
  address: string
  role: 'original' | 'secondary'
  verified_at: string | null
  preferred: number
  created_at: string
}

export interface AccountPhonesTable {
  account_id: string
  e164: string
  verified_at: string | null
  created_at: string
}

export interface SessionsTable {
  id: string
  account_id: string
  token_hash: string
  client: string | null
  ip: string | null
  created_at: string
  last_seen_at: string
  expires_at: string
  revoked_at: string | null
}

/** Single-use secrets: reset links, email and phone codes, transfer approvals. Only hashes are kept. */
export interface OneTimeTokensTable {
  id: string
  purpose: 'password_reset' | 'email_verify' | 'phone_signup' | 'transfer_approve'
  token_hash: string
  account_id: string | null
  subject: string
  expires_at: string
  consumed_at: string | null
  attempts: number
  created_at: string
  /** The language a phone sign-up's code went out in (0033), so support sends it again in it; null: English. */
  language?: string | null
}

export interface TrialRequestsTable {
  id: string
  serial: string
  model: string
  email: string
  name: string
  account_type: 'individual' | 'business' | 'legal_entity'
  billing_address: string
  password_hash: string
  /** The IANA zone the computer gave (migration 0011); null before it. */
  timezone: string | null
  /** The app's language when the trial started (0033): its code's and the new account's; null: English. */
  language?: string | null
  /** Set when the email already had an account and the password given matched it: the trial joins it. */
  account_id: string | null
  area_code: string
  terms_version: string
  e911_version: string
  code_hash: string
  expires_at: string
  attempts: number
  consumed_at: string | null
  ip: string | null
  created_at: string
}

export interface DevicesTable {
  id: string
  serial: string
  model: string
  owner_account_id: string | null
  purchase_channel: 'trial' | 'online' | 'retail' | 'transfer' | null
  order_number: string | null
  trial_used_at: string | null
  included_service_used_at: string | null
  created_at: string
  updated_at: string
}

export interface OrdersTable {
  number: string
  email: string
  model: string
  serial: string | null
  included_months: number
  claimed_device_id: string | null
  created_at: string
}

export interface LinesTable {
  id: string
  account_id: string
  device_id: string
  status: 'pending' | 'in_service' | 'lapsed' | 'suspended' | 'closed'
  phone_number: string | null
  payment_method_id: string | null
  /** The owner's name for the line ("Front desk"), or null. */
  label: string | null
  created_at: string
  closed_at: string | null
}

export interface CoverageGrantsTable {
  id: string
  line_id: string
  starts_at: string
  ends_at: string
  source_type: 'trial' | 'order' | 'retail' | 'voucher' | 'auto_renew' | 'tariff' | 'admin'
  source_id: string
  voided_at: string | null
  created_at: string
}

export interface NumberPoolTable {
  e164: string
  area_code: string
  country: 'US' | 'CA'
  status: 'available' | 'assigned' | 'quarantine'
  line_id: string | null
  available_from: string | null
}

export interface NumberHistoryTable {
  id: string
  line_id: string
  e164: string
  assigned_at: string
  released_at: string | null
  reason: string
}

export interface E911AddressesTable {
  id: string
  line_id: string
  street: string
  unit: string
  city: string
  region: string
  postal_code: string
  country: 'US' | 'CA'
  registered_at: string
  superseded_at: string | null
  registered_by: string
}

export interface AcknowledgementsTable {
  id: string
  account_id: string
  kind: 'terms' | 'e911'
  version: string
  device_id: string | null
  at: string
  ip: string | null
}

export interface DeviceTransfersTable {
  id: string
  device_id: string
  from_account_id: string
  to_account_id: string
  area_code: string
  terms_version: string
  e911_version: string
  status: 'pending' | 'approved' | 'declined' | 'expired' | 'completed'
  expires_at: string
  created_at: string
  decided_at: string | null
  /** When its approval code was last emailed to the owner; null: not yet (the dongle's day's emails were spent). */
  code_sent_at: string | null
}

export interface SipAccountsTable {
  line_id: string
  username: string
  password_enc: string
  created_at: string
  rotated_at: string
}

/** Kamailio auth_db `subscriber` (version 7): the service writes, Kamailio reads. password stays ''. */
export interface SubscriberTable {
  id: Generated<number>
  username: string
  domain: string
  password: string
  ha1: string
  ha1b: string
}

export interface VersionTable {
  id: Generated<number>
  table_name: string
  table_version: number
}

export interface OutboxTable {
  id: string
  channel: 'email' | 'sms'
  recipient: string
  subject: string
  body: string | null
  purpose: string
  account_id: string | null
  created_at: string
  sent_at: string | null
  attempts: number
  next_attempt_at: string
  last_error: string | null
  /** JSON [{ filename, contentType, content (base64) }] or null. */
  attachments: string | null
}

export interface AuditEventsTable {
  id: string
  at: string
  account_id: string | null
  kind: string
  ip: string | null
  detail: string
}

/** Sign-in attempts per (identifier, client) since the last success (identity/signin-throttle.ts). */
export interface SigninThrottleTable {
  key: string
  identifier: string
  attempts: number
  next_at: string
  updated_at: string
}

export interface RateLimitsTable {
  key: string
  count: number
  expires_at: string
}

/** Calls as Kamailio's accounting saw them (imported from its db_flatstore files). */
export interface CallRecordsTable {
  id: string
  source_key: string
  method: string
  from_tag: string
  to_tag: string
  call_id: string
  sip_code: string
  sip_reason: string
  at: string
  src_user: string
  dst_user: string
  missed: number
  /** When billing rated this row into usage (only INVITE rows of answered calls are rated). */
  rated_at: string | null
  /** A call forwarded out to a carrier: the forwarding line's SIP user, and the number it went to (0026). */
  fwd_by: string | null
  fwd_to: string | null
  /** The caller as the forwarding line may see it: digits, or '' when withheld. */
  fwd_from: string | null
}

export interface AccImportStateTable {
  file: string
  offset: number
}

/** One dongle the factory made (migration 0009). */
export interface DeviceRegistryTable {
  serial: string
  /** vid:pid in lower-case hex. */
  model: string
  /** The raw 32-byte Ed25519 public key, base64. */
  public_key: string
  batch: string
  created_at: string
  /** A key known to be compromised: the dongle no longer attests. */
  revoked_at: string | null
  /** The operator who revoked it and why (migration 0038; null on keys revoked before it). */
  revoked_by: string | null
  revoked_reason: string | null
}

/** A proof of purchase support accepted for a dongle that cannot attest (migration 0038): one retail activation. */
export interface DeviceProofsTable {
  id: string
  serial: string
  model: string
  /** Lower-case: who may use it (a new account with it, or a signed-in account with it confirmed). */
  email: string
  /** The receipt or order reference as the operator wrote it. */
  proof: string
  /** HMAC-SHA-256 (hex, under the service key) of the code emailed to `email`, which the activation must give. */
  code_hash: string
  reason: string
  created_by: string
  created_at: string
  expires_at: string
  used_at: string | null
  used_by_account: string | null
  withdrawn_at: string | null
}

/** A one-time attestation challenge, kept by its SHA-256 (hex). */
export interface DeviceChallengesTable {
  challenge_hash: string
  serial: string
  model: string
  ip: string | null
  expires_at: string
  consumed_at: string | null
  created_at: string
}

export interface Database
  extends
    BillingTables,
    OpsTables,
    NumbersTables,
    MoneyTables,
    PromotionsTables,
    AccountActionTables,
    LinePolicyTables,
    ForwardingTables,
    CarrierTables,
    VoicemailTables,
    SupportTables,
    ServicesTables,
    BusinessTables {
  accounts: AccountsTable
  account_emails: AccountEmailsTable
  account_phones: AccountPhonesTable
  sessions: SessionsTable
  one_time_tokens: OneTimeTokensTable
  trial_requests: TrialRequestsTable
  devices: DevicesTable
  device_registry: DeviceRegistryTable
  device_proofs: DeviceProofsTable
  device_challenges: DeviceChallengesTable
  orders: OrdersTable
  lines: LinesTable
  coverage_grants: CoverageGrantsTable
  number_pool: NumberPoolTable
  number_history: NumberHistoryTable
  e911_addresses: E911AddressesTable
  acknowledgements: AcknowledgementsTable
  device_transfers: DeviceTransfersTable
  sip_accounts: SipAccountsTable
  subscriber: SubscriberTable & SubscriberPolicyColumns
  version: VersionTable
  outbox: OutboxTable
  audit_events: AuditEventsTable
  rate_limits: RateLimitsTable
  signin_throttle: SigninThrottleTable
  call_records: CallRecordsTable
  acc_import_state: AccImportStateTable
}
