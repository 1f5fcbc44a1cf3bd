/** Shared pieces for diagnostics tests: the rig's TigerJet as a diagnostics target, an empty observation. */
import type { DongleTarget } from '../../src/main/diagnostics/linux/sysfs'
import type { Observations } from '../../src/shared/diagnostics/observations'

export const tigerjetTarget: DongleTarget = {
  id: '1-1',
  vendorId: 0x06e6,
  productId: 0xc200,
  name: 'magicJack USB phone line',
  serial: 'DT-RIG-0001',
  needMa: 500,
  permission: 'ok'
}
export const emptyObservations = (platform: Observations['platform'] = 'linux'): Observations => ({
  platform,
  collector: platform === 'win32' ? 'windows-pnp' : platform === 'darwin' ? 'macos-ioreg' : 'linux-sysfs',
  collectedAt: '2026-11-20T10:00:00.000Z',
  inspected: true,
  error: null,
  dongles: [],
  logs: [],
  events: [],
  selectiveSuspend: null
})
