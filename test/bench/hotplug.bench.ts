/**
 * Guest benchmark (npm run bench): plug the TigerJet gadget in N times and time, from the UDC bind, (a) the
 * raw `usb` attach event and (b) the app's device.changed "attached" and (c) its "ready" state, all in the
 * same run, with each step between them (hotplug-timing.ts). Writes test-results/bench/hotplug.json; timings
 * are under QEMU TCG (about 13x slower than native).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { performance } from 'node:perf_hooks'
import { usb } from 'usb'
import { DeviceManager } from '../../src/main/device/device-manager'
import { createNodeHidPort } from '../../src/main/device/hid-nodehid'
import { linuxHidSystem } from '../../src/main/device/hid-system'
import { createLibusbPort } from '../../src/main/device/usb-libusb'
import { silentLogger } from '../../src/main/log/logger'
import type { DeviceChanged } from '../../src/shared/ipc/device'
import { Gadget } from '../usb-vm/rig/gadget'
import { tigerjetProfile } from '../usb-vm/rig/profiles'
import { sleep, waitFor } from '../usb-vm/rig/wait'
import { STEPS, Stamps, type Step } from './hotplug-timing'
import { stat } from './stats'

const RUNS = Number(process.env.BENCH_RUNS ?? 20)
/**
 * The event bus's contract check: the app's (compiled), zod's safeParse as before it (BENCH_CONTRACT_CHECK=zod),
 * or the two in turn, one plug-in each (=both: pairs under the same load, written to hotplug-checks.json).
 */
const CHECK = (['zod', 'both'] as const).find((c) => c === process.env.BENCH_CONTRACT_CHECK) ?? 'compiled'
const checkOf = (i: number): 'zod' | 'compiled' =>
  CHECK === 'both' ? (i % 2 === 0 ? 'compiled' : 'zod') : CHECK
const WARM_UP = 2
const VID = 0x06e6
const stamps = new Stamps(VID)
const log = silentLogger()
const bus = stamps.bus(log)
const manager = new DeviceManager(
  stamps.usb(createLibusbPort()),
  stamps.hid(createNodeHidPort()),
  stamps.system(linuxHidSystem()),
  bus,
  log
)
usb.on('attach', (d) => {
  if (d.deviceDescriptor.idVendor === VID) stamps.mark('raw')
})
bus.subscribe((name, payload) => {
  if (name !== 'device.changed') return
  const p = payload as DeviceChanged
  const tj = p.devices.find((d) => d.vendorId === VID)
  if (p.change.kind === 'attached' && tj) stamps.mark('attached')
  if (tj && tj.power.declaredMa !== null) stamps.mark('details')
  if (tj?.state === 'ready') stamps.mark('ready')
})
manager.start()

const gadget = new Gadget(tigerjetProfile(), 'dummy_udc.0').create()
type Row = Record<Step, number> & { hidLists: number; hidListMs: number; check: 'zod' | 'compiled' }
const rows: Row[] = []
for (let i = 0; i < RUNS + WARM_UP; i++) {
  stamps.reset()
  bus.zodOnly = checkOf(i) === 'zod'
  const t0 = performance.now()
  gadget.bind()
  await waitFor('attach seen by both', () => STEPS.every((s) => stamps.get(s) !== undefined), 20_000)
  const row = Object.fromEntries(STEPS.map((s) => [s, (stamps.get(s) ?? 0) - t0])) as Record<Step, number>
  if (i >= WARM_UP)
    rows.push({ ...row, hidLists: stamps.hidLists, hidListMs: stamps.hidListMs, check: checkOf(i) })
  gadget.unbind()
  await waitFor('gone', () => !manager.list().devices.some((d) => d.vendorId === VID), 20_000)
  await sleep(200)
}
gadget.destroy()
await manager.dispose()
usb.removeAllListeners('attach')

/** Each step's own time: from the step before it in STEPS to it (the first from the UDC bind). */
const steps = Object.fromEntries(
  STEPS.map((s, k) => [s, stat(rows.map((r) => r[s] - (k === 0 ? 0 : r[STEPS[k - 1] as Step])))])
)
const result = {
  runs: rows.length,
  contractCheck: CHECK,
  environment: 'QEMU guest under single-threaded TCG, Debian 6.1 kernel, dummy_hcd, 2 vCPU',
  guestLoadAverage: os.loadavg().map((l) => +l.toFixed(2)),
  rawUsbAttachMs: stat(rows.map((r) => r.raw)),
  appDeviceChangedMs: stat(rows.map((r) => r.attached)),
  appOverRawMs: stat(rows.map((r) => r.attached - r.raw)),
  appDetailsMs: stat(rows.map((r) => r.details)),
  appReadyMs: stat(rows.map((r) => r.ready)),
  steps,
  hidEnumerations: stat(rows.map((r) => r.hidLists)),
  hidEnumerationMs: stat(rows.map((r) => r.hidListMs))
}
/** Per check: app over raw, and the check's own step (hand-over to delivery). */
const byCheck = (check: 'zod' | 'compiled') => {
  const mine = rows.filter((r) => r.check === check)
  return {
    plugIns: mine.length,
    appOverRawMs: stat(mine.map((r) => r.attached - r.raw)),
    checkStepMs: stat(mine.map((r) => r.attached - r.emitAttached))
  }
}
mkdirSync('test-results/bench', { recursive: true })
const file = { compiled: 'hotplug', zod: 'hotplug-zod', both: 'hotplug-checks' }[CHECK]
writeFileSync(
  `test-results/bench/${file}.json`,
  JSON.stringify(
    CHECK === 'both' ? { ...result, compiled: byCheck('compiled'), zod: byCheck('zod') } : result,
    null,
    2
  )
)
console.log(JSON.stringify(result, null, 2))
process.exit(0)
