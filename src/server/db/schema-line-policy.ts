/**
 * Types of migration 0019 (line policy at Kamailio): the extra `subscriber` columns and the blocked-callers view.
 */
import type { ColumnType } from 'kysely'

/** Columns the service adds to Kamailio's subscriber row (Kamailio loads them with the credentials). */
export interface SubscriberPolicyColumns {
  /** The line's status: in_service, lapsed, pending, suspended... anything but in_service calls 911/933 only. */
  line_state: ColumnType<string, string | undefined, string>
  /** 1 while the account has an overdue promised payment: every outgoing call but 911/933 is held. */
  calls_held: ColumnType<number, number | undefined, number>
  /** The line's 911 location (PIDF-LO XML), or null when the line has no registered address. */
  e911_pidf: string | null
}

/** A view: the callers each SIP user has blocked (digits without '+'). */
export interface KamailioBlockedCallersView {
  callee: string
  caller: string
}

export interface LinePolicyTables {
  kamailio_blocked_callers: KamailioBlockedCallersView
}
