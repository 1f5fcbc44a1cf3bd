/** A dongle observation from what the usb package alone tells, where the OS adds nothing (or fails). */
import type { DongleObservation } from '../../shared/diagnostics/observations'
import type { UsbDevice } from '../../shared/ipc/device'
import type { DongleTarget } from './linux/sysfs'

export function fromUsb(t: DongleTarget, d: UsbDevice | undefined): DongleObservation {
  return {
    id: t.id,
    vendorId: t.vendorId,
    productId: t.productId,
    name: t.name,
    serial: t.serial,
    declaredMa: d?.maxPowerMa ?? null,
    selfPowered: d?.selfPowered ?? null,
    needMa: t.needMa,
    speedMbps: null,
    configured: null,
    power: { control: null, runtimeStatus: null, autosuspendDelayMs: null },
    port: null,
    chain: [],
    permission: t.permission,
    problemCode: null,
    problemText: null
  }
}
