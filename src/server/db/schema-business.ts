/** The tables of business accounts (migration 0025, src/server/db/migration-business.ts; issue 25 part 2). */
import type { MemberRole, DocumentKind, DocumentStatus } from '../../shared/api/business'

export interface BusinessMembersTable {
  id: string
  /** The business account the person works for. */
  account_id: string
  /** The person's own sign-in (an account row with no lines of its own). */
  person_id: string
  role: MemberRole
  /** A line user's one line; null for the other roles. */
  line_id: string | null
  /** The person (account or member sign-in) who invited them. */
  invited_by: string
  created_at: string
  updated_at: string
}

/** Immutable once inserted (a trigger refuses UPDATE and DELETE on both databases). */
export interface InvoicesTable {
  id: string
  number: string
  seq: number
  account_id: string
  /** The month invoiced, 'YYYY-MM' in the account's time zone. */
  period: string
  total_minor: number
  currency: string
  /** The PDF as issued and emailed, base64 (in the account's language since 0029; English before). */
  pdf: string
  /** What it says (../business/invoice-pdf.ts InvoiceContent, JSON), to render it in a reader's language; null before 0029. */
  content: string | null
  /** 'operator:<id>' or 'automatic'. */
  issued_by: string
  issued_at: string
  /** The instants it covers, [starts_at, ends_at) (migration 0047); null before: its month in the account's zone. */
  starts_at: string | null
  ends_at: string | null
}

export interface DocumentRequestsTable {
  id: string
  account_id: string
  /** The sign-in that asked (the account itself or a member). */
  requested_by: string
  kind: DocumentKind
  period_from: string
  period_to: string
  note: string | null
  status: DocumentStatus
  /** The document, base64 PDF, once fulfilled. */
  file: string | null
  filename: string | null
  fulfilled_by: string | null
  fulfilled_at: string | null
  created_at: string
}

export interface BusinessTables {
  business_members: BusinessMembersTable
  invoices: InvoicesTable
  document_requests: DocumentRequestsTable
}
