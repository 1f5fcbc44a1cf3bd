/** The tables of the ops topic "numbers and reports" (migration 0017, src/server/db/migration-numbers.ts). */

/** A dongle shipped from the factory's stock to a partner (once per serial). */
export interface DeviceShipmentsTable {
  serial: string
  partner_id: string
  shipped_at: string
  /** The operator who recorded it. */
  shipped_by: string
}

export interface NumbersTables {
  device_shipments: DeviceShipmentsTable
}
