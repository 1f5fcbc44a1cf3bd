/** The tables of the operators' account actions (migration 0015, src/server/db/migration-accounts.ts). */
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

export interface AccountActionTables {
  line_suspensions: LineSuspensionsTable
  account_invitations: AccountInvitationsTable
}
