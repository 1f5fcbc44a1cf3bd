/** The tables of connected services (migration 0024, src/server/db/migration-services.ts; issue 25 part 1). */
import type { ServiceFeature, ServiceOffReason } from '../../shared/api/services'

/** The catalog: one row per service operators offer (at most one offered per feature). */
export interface ServiceCatalogTable {
  code: string
  feature: ServiceFeature
  /** The monthly fee in minor units (0: free). */
  price_minor: number
  currency: string
  /** 1: a line that never switched it has it on. */
  default_on: number
  created_at: string
  updated_at: string
  /** Set when no longer offered: lines may switch it off, not on. */
  retired_at: string | null
}

/** A line's switched state of one feature (no row: the catalog's default). */
export interface LineServicesTable {
  line_id: string
  feature: ServiceFeature
  /** The catalog code it was switched with. */
  code: string
  enabled: number
  /** The month (YYYY-MM, account time) whose fee was charged, and the monthly price it was charged at. */
  fee_month: string | null
  fee_price_minor: number | null
  /** What that month's fee took from the balance (migration 0046): the most a switch off gives back. */
  fee_paid_minor: number | null
  updated_at: string
  /** Why it is off when the person did not switch it off (migration 0045), until the next switch. */
  off_reason: ServiceOffReason | null
}

/** The history of switches, one row per change (a switch to the state it already had is none). */
export interface ServiceSwitchesTable {
  id: string
  line_id: string
  account_id: string
  code: string
  feature: ServiceFeature
  enabled: number
  /** Signed, minor units: negative charged, positive given back. */
  amount_minor: number
  currency: string
  at: string
  /** Null: the person switched it; else why the service switched it (migration 0045). */
  reason: ServiceOffReason | null
}

/** Kamailio's view: per SIP user, each enforced feature as 1 or 0. */
export interface KamailioServicesView {
  username: string
  voicemail: number
  international: number
  call_waiting: number
  caller_id_withheld: number
}

export interface ServicesTables {
  service_catalog: ServiceCatalogTable
  line_services: LineServicesTable
  service_switches: ServiceSwitchesTable
  kamailio_services: KamailioServicesView
}
