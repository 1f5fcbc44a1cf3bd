/**
 * An E911 address row as the API and Kamailio's location carry it: the address in the contract's field names, and
 * the record the app shows (provisioned while current, superseded once replaced). One mapping for the line view,
 * the address history and the location sent with 911 calls. A leaf module: the provisioning and the numbers code
 * both read it without importing each other.
 */
import type { E911AddressesTable } from '../db/schema'

type Row = Pick<
  E911AddressesTable,
  'id' | 'street' | 'unit' | 'city' | 'region' | 'postal_code' | 'country' | 'registered_at' | 'superseded_at'
>

export const e911AddressOf = (r: Omit<Row, 'id' | 'registered_at' | 'superseded_at'>) => ({
  street: r.street,
  unit: r.unit,
  city: r.city,
  region: r.region,
  postalCode: r.postal_code,
  country: r.country
})

export const e911RecordOf = (r: Row) => ({
  id: r.id,
  address: e911AddressOf(r),
  status: r.superseded_at ? ('superseded' as const) : ('provisioned' as const),
  registeredAt: r.registered_at
})
