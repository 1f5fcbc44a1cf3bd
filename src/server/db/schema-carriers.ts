/**
 * Carrier trunks (issue 22, migration 0018): the tables the service owns. Kamailio reads them through the views
 * `dispatcher`, `address` and `carrier_prefix_tree` (see migration-carrier-routes.ts), never these names.
 */
import type { Generated } from 'kysely'

/** Which way a gateway carries calls: it takes our outbound calls, it may call us, or both. */
export const GATEWAY_DIRECTIONS = ['out', 'in', 'both'] as const
export type GatewayDirection = (typeof GATEWAY_DIRECTIONS)[number]
/** An operator takes a gateway out of service (`disabled`) without deleting it; probing decides the rest. */
export const GATEWAY_STATES = ['active', 'disabled'] as const
export type GatewayState = (typeof GATEWAY_STATES)[number]

export interface CarrierGatewaysTable {
  id: Generated<number>
  name: string
  /** Gateways of one route set are tried in turn, highest priority first. */
  route_set: number
  /** An IP address: Kamailio's permissions match INVITEs by source address. */
  host: string
  port: number
  transport: 'udp' | 'tcp'
  priority: number
  direction: GatewayDirection
  state: GatewayState
  created_at: string
  updated_at: string
}

export interface CarrierPrefixesTable {
  id: Generated<number>
  /** Digits of the E.164 number without '+'; the longest matching prefix wins. */
  prefix: string
  route_set: number
  /** Generated from route_set (mtree's string value). */
  readonly route_key: Generated<string>
  description: string
}

export interface CarrierTables {
  carrier_gateways: CarrierGatewaysTable
  carrier_prefixes: CarrierPrefixesTable
}
