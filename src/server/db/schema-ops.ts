/** The tables of the operators' side (migration 0011, src/server/db/migration-operators.ts). */
import type { Role } from '../../shared/ops/permissions'

export interface PartnersTable {
  id: string
  name: string
  kind: 'retail' | 'webshop'
  webhook_secret_enc: string | null
  created_at: string
}

export interface WebhookDeliveriesTable {
  signature_hash: string
  partner_id: string
  received_at: string
}

export interface OperatorsTable {
  id: string
  email: string
  name: string
  role: Role
  partner_id: string | null
  status: 'pending' | 'active' | 'disabled'
  password_hash: string | null
  totp_secret_enc: string | null
  totp_last_step: number | null
  created_by: string | null
  created_at: string
}

export interface OperatorRecoveryCodesTable {
  id: string
  operator_id: string
  code_hash: string
  used_at: string | null
}

export interface OperatorEnrolmentsTable {
  token_hash: string
  operator_id: string
  expires_at: string
  consumed_at: string | null
  created_at: string
}

export interface OperatorSessionsTable {
  id: string
  operator_id: string
  token_hash: string
  ip: string | null
  created_at: string
  last_seen_at: string
  expires_at: string
  revoked_at: string | null
}

export interface PartnerKeysTable {
  id: string
  partner_id: string
  key_hash: string
  created_by: string
  created_at: string
  revoked_at: string | null
}

export interface VoucherBatchOpsTable {
  batch_id: string
  created_by: string
  pins_sealed: string | null
  pins_exported_at: string | null
  pins_exported_by: string | null
  partner_id: string | null
  shipped_at: string | null
}

export interface OpsAuditTable {
  id: string
  at: string
  actor_kind: 'operator' | 'partner' | 'system'
  actor_id: string | null
  actor_label: string | null
  actor_role: string | null
  action: string
  target: string | null
  reason: string | null
  outcome: 'ok' | 'refused' | 'failed'
  error: string | null
  before: string | null
  after: string | null
  ip: string | null
}

export interface OpsTables {
  partners: PartnersTable
  webhook_deliveries: WebhookDeliveriesTable
  operators: OperatorsTable
  operator_recovery_codes: OperatorRecoveryCodesTable
  operator_enrolments: OperatorEnrolmentsTable
  operator_sessions: OperatorSessionsTable
  partner_keys: PartnerKeysTable
  voucher_batch_ops: VoucherBatchOpsTable
  ops_audit: OpsAuditTable
}
