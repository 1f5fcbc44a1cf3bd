/** The tables of help when stuck (migration 0023, src/server/db/migration-support.ts; issue 25). */
import type { SupportStatus, SupportTopic } from '../../shared/api/support'

export interface SupportRequestsTable {
  id: string
  account_id: string
  topic: SupportTopic
  status: SupportStatus
  /** The diagnostics report the person attached, as validated JSON; null when none. */
  diagnostics: string | null
  created_at: string
  updated_at: string
  closed_at: string | null
}

export interface SupportMessagesTable {
  id: string
  request_id: string
  /** 0 for the request's first message, then 1, 2, ... */
  position: number
  author: 'person' | 'support'
  /** The operator who wrote it (support's messages). */
  operator_id: string | null
  text: string
  created_at: string
}

export interface RetailShopsTable {
  id: string
  partner_id: string
  name: string
  street: string
  city: string
  /** Two-letter state code. */
  state: string
  zip: string
  /** The ZIP's centroid (npm zipcodes), for the distance. */
  lat: number
  lon: number
  /** IANA zone the hours are in. */
  time_zone: string
  /** WeekHours (src/shared/help/hours.ts) as JSON. */
  hours: string
  created_by: string
  created_at: string
  removed_at: string | null
}

export interface SupportTables {
  support_requests: SupportRequestsTable
  support_messages: SupportMessagesTable
  retail_shops: RetailShopsTable
}
