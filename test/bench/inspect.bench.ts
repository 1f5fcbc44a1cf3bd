/**
 * Guest benchmark (npm run bench): a full diagnostics inspection (USB list, HID list, sysfs, kernel log, rules)
 * of the TigerJet profile, next to `lsusb -v` for the same device (what a technician runs by hand), in the same
 * run. Writes test-results/bench/inspect.json. Under QEMU TCG: about 13x slower than native.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { inspect } from '../../src/main/diagnostics/inspect'
import { diagnose } from '../../src/shared/diagnostics/rules'
import { Gadget } from '../usb-vm/rig/gadget'
import { tigerjetProfile } from '../usb-vm/rig/profiles'
import { realInspectPorts } from '../usb-vm/rig/real-ports'
import { waitFor } from '../usb-vm/rig/wait'
import { stat } from './stats'

const RUNS = Number(process.env.BENCH_RUNS ?? 20)
const ports = { ...realInspectPorts(), events: () => [] }
const usb = ports.usb
const gadget = new Gadget(tigerjetProfile(), 'dummy_udc.0').create().bind()
await waitFor('enumerated', () => usb.list().some((d) => d.vendorId === 0x06e6), 20_000)
await waitFor('HID node', () => ports.hid?.list().some((h) => h.vendorId === 0x06e6), 20_000)

const time = async (f: () => unknown): Promise<number[]> => {
  const out: number[] = []
  for (let i = 0; i < RUNS + 2; i++) {
    const t0 = performance.now()
    await f()
    if (i >= 2) out.push(performance.now() - t0)
  }
  return out
}
const ours = await time(async () => diagnose(await inspect(ports)))
const lsusb = await time(() =>
  execFileSync('lsusb', ['-v', '-d', '06e6:c200'], { stdio: ['ignore', 'pipe', 'ignore'] })
)
gadget.destroy()

const result = {
  runs: RUNS,
  environment: 'QEMU guest under single-threaded TCG, Debian 6.1 kernel, dummy_hcd, 2 vCPU',
  inspectMs: stat(ours),
  lsusbVerboseMs: stat(lsusb)
}
mkdirSync('test-results/bench', { recursive: true })
writeFileSync('test-results/bench/inspect.json', JSON.stringify(result, null, 2))
console.log(JSON.stringify(result, null, 2))
process.exit(0)
