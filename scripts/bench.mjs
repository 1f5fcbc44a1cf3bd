#!/usr/bin/env node
/**
 * `npm run bench`: runs each benchmark and writes one report (test-results/bench/report.md and .json) with every
 * figure next to the peer measured in the same run. Figures are for comparison on this machine, not targets.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'

mkdirSync('test-results/bench', { recursive: true })
const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit' }).status === 0

const report = { date: new Date().toISOString(), benchmarks: {} }
const lines = ['# Dialtone benchmarks', '', `Run: ${report.date} (\`npm run bench\`)`, '']

// Hotplug: gadget bind -> raw usb attach vs the app's device.changed, in the QEMU rig.
if (run('bash', ['test/usb-vm/vm.sh', '--', 'node --import tsx test/bench/hotplug.bench.ts'])) {
  const h = JSON.parse(readFileSync('test-results/bench/hotplug.json', 'utf8'))
  report.benchmarks.hotplug = h
  lines.push(
    '## Hotplug: UDC bind to event (usb-vm rig)',
    '',
    `${h.runs} plug-ins; ${h.environment}.`,
    '',
    '| measure | median ms | p95 ms | min | max |',
    '|---|---|---|---|---|',
    ...[
      ['raw `usb` attach event (peer)', h.rawUsbAttachMs],
      ['app `device.changed` attached', h.appDeviceChangedMs],
      ['app over raw', h.appOverRawMs],
      ['app device ready (HID matched, descriptor read, driver open)', h.appReadyMs]
    ].map(([name, s]) => `| ${name} | ${s.median} | ${s.p95} | ${s.min} | ${s.max} |`),
    ''
  )
} else {
  lines.push('## Hotplug', '', 'The rig did not run; no figures.', '')
}

writeFileSync('test-results/bench/report.json', JSON.stringify(report, null, 2))
writeFileSync('test-results/bench/report.md', lines.join('\n'))
console.log(lines.join('\n'))
