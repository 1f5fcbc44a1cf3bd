/** The tables of account actions: the operators' (migration 0015, migration-accounts.ts) and closures (0040). */
import type { LinesTable } from './schema'

/** A line suspended by Dialtone support; open while `restored_at` is null (at most one open per line). */
export interface LineSuspensionsTable {
  id: string
  line_id: string
  /** The line's derived state when it was suspended: restoring derives from it again. */
  status_before: Exclude<LinesTable['status'], 'suspended'>
  suspended_at: string
  /** The operator's id. */
  suspended_by: string
  reason: string
  restored_at: string | null
  restored_by: string | null
  restore_reason: string | null
}

/** A business or legal-entity account's invitation: the customer chooses the password with the code it carries. */
export interface AccountInvitationsTable {
  id: string
  account_id: string
  email: string
  invited_by: string
  created_at: string
  sent_at: string
  accepted_at: string | null
}

/** A person's request to close their account (0040, src/server/identity/closure.ts); scheduled at most once at a time. */
export interface AccountClosuresTable {
  id: string
  account_id: string
  status: 'scheduled' | 'cancelled' | 'completed'
  requested_at: string
  requested_ip: string | null
  /** The end of the grace period: the job closes the account from then on. */
  closes_at: string
  /** When it was cancelled (the owner kept the account) or completed; null while scheduled. */
  ended_at: string | null
}

export interface AccountActionTables {
  line_suspensions: LineSuspensionsTable
  account_invitations: AccountInvitationsTable
  account_closures: AccountClosuresTable
}
