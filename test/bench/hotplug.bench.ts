/**
 * Guest benchmark (npm run bench): plug the TigerJet gadget in N times and time, from the UDC bind, (a) the
 * raw `usb` attach event and (b) the app's device.changed "attached" and (c) its "ready" state, all in the
 * same run. Writes test-results/bench/hotplug.json; timings are under QEMU TCG (about 13x slower than native).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { usb } from 'usb'
import { EventBus } from '../../src/main/ipc/event-bus'
import { silentLogger } from '../../src/main/log/logger'
import type { DeviceChanged } from '../../src/shared/ipc/device'
import { Gadget } from '../usb-vm/rig/gadget'
import { tigerjetProfile } from '../usb-vm/rig/profiles'
import { sleep, waitFor } from '../usb-vm/rig/wait'
import { stat } from './stats'
import { realDeviceManager } from '../usb-vm/rig/manager'

const RUNS = Number(process.env.BENCH_RUNS ?? 20)
const bus = new EventBus(silentLogger())
const manager = realDeviceManager(bus)
let raw = 0
let attached = 0
let ready = 0
usb.on('attach', (d) => {
  if (d.deviceDescriptor.idVendor === 0x06e6) raw = performance.now()
})
bus.subscribe((name, payload) => {
  if (name !== 'device.changed') return
  const p = payload as DeviceChanged
  const tj = p.devices.find((d) => d.vendorId === 0x06e6)
  if (p.change.kind === 'attached' && tj) attached = performance.now()
  if (tj?.state === 'ready' && !ready) ready = performance.now()
})
manager.start()

const gadget = new Gadget(tigerjetProfile(), 'dummy_udc.0').create()
const rows: { raw: number; app: number; ready: number }[] = []
for (let i = 0; i < RUNS + 2; i++) {
  raw = attached = ready = 0
  const t0 = performance.now()
  gadget.bind()
  await waitFor('attach seen by both', () => raw && attached && ready, 20_000)
  if (i >= 2) rows.push({ raw: raw - t0, app: attached - t0, ready: ready - t0 }) // two warm-up runs
  gadget.unbind()
  await waitFor('gone', () => !manager.list().devices.some((d) => d.vendorId === 0x06e6), 20_000)
  await sleep(200)
}
gadget.destroy()
await manager.dispose()
usb.removeAllListeners('attach')

const result = {
  runs: rows.length,
  environment: 'QEMU guest under single-threaded TCG, Debian 6.1 kernel, dummy_hcd, 2 vCPU',
  rawUsbAttachMs: stat(rows.map((r) => r.raw)),
  appDeviceChangedMs: stat(rows.map((r) => r.app)),
  appOverRawMs: stat(rows.map((r) => r.app - r.raw)),
  appReadyMs: stat(rows.map((r) => r.ready))
}
mkdirSync('test-results/bench', { recursive: true })
writeFileSync('test-results/bench/hotplug.json', JSON.stringify(result, null, 2))
console.log(JSON.stringify(result, null, 2))
process.exit(0)
