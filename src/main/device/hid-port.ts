/**
 * The seam between the device layer and HID: listing HID interfaces and opening one. The real adapter is
 * node-hid (hid-nodehid.ts); the virtual dongle implements HidHandle itself; unit tests use handles that
 * replay recorded reports.
 */
export interface HidInterfaceInfo {
  vendorId: number
  productId: number
  /** The OS path node-hid opens (/dev/hidrawN on Linux). */
  path: string
  serialNumber: string | null
  usagePage: number
  usage: number
  interfaceNumber: number
  release: number
  product: string | null
  manufacturer: string | null
}

export interface HidHandle {
  write(report: Uint8Array): Promise<void>
  /** `report` starts with the report id (0 when the device has none). */
  sendFeatureReport(report: Uint8Array): Promise<void>
  getFeatureReport(reportId: number, length: number): Promise<Uint8Array>
  onData(listener: (report: Uint8Array) => void): () => void
  /** The handle failed (typically: unplugged). */
  onError(listener: (error: Error) => void): () => void
  close(): Promise<void>
}

export interface HidPort {
  list(): HidInterfaceInfo[]
  open(path: string): Promise<HidHandle>
}
