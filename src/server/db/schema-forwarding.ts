/** Types of migration 0020 (call forwarding): the service's table and the view Kamailio reads. */

/** A line's forwarding rules: each target in E.164 ('+12125550101') or null when that rule is off. */
export interface LineForwardingTable {
  line_id: string
  always_to: string | null
  busy_to: string | null
  no_answer_to: string | null
  /** Rings before a call counts as not answered (a ring cycle is 6 s). */
  no_answer_rings: number
  unavailable_to: string | null
  updated_at: string
}

/** The view: per SIP user, the targets as digits without '+' ('' when off). */
export interface KamailioForwardingView {
  username: string
  always_to: string
  busy_to: string
  no_answer_to: string
  no_answer_s: number
  unavailable_to: string
  may_forward_out: number
}

export interface ForwardingTables {
  line_forwarding: LineForwardingTable
  kamailio_forwarding: KamailioForwardingView
}
