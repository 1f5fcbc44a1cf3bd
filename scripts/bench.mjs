#!/usr/bin/env node
/**
 * `npm run bench`: runs each benchmark and writes one report (test-results/bench/report.md and .json) with every
 * figure next to the peer measured in the same run. Figures are for comparison on this machine, not targets.
 * Each benchmark's section of the report is its own module under scripts/bench/; this file runs them in order.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { section as hotplug } from './bench/hotplug.mjs'
import { section as inspect } from './bench/inspect.mjs'
import { section as service } from './bench/service.mjs'
import { section as billing } from './bench/billing.mjs'
import { section as load } from './bench/load.mjs'
import { section as scale } from './bench/scale.mjs'
import { section as phone } from './bench/phone.mjs'
import { section as relaydelay } from './bench/relay-delay.mjs'
import { section as register } from './bench/register.mjs'
import { section as soak } from './bench/soak.mjs'
import { section as heldPolls } from './bench/held-polls.mjs'
import { section as startup } from './bench/startup.mjs'

mkdirSync('test-results/bench', { recursive: true })
const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit' }).status === 0
const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'))

const report = { date: new Date().toISOString(), benchmarks: {} }
const lines = ['# Dialtone benchmarks', '', `Run: ${report.date} (\`npm run bench\`)`, '']

// In the QEMU rig, one boot: hotplug (bind -> raw usb attach vs the app's device.changed) and a full
// diagnostics inspection vs lsusb -v.
const hostLoad = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')
const rigLoadBefore = hostLoad()
const rig = run('bash', [
  'test/usb-vm/vm.sh',
  '--',
  'node --import tsx test/bench/hotplug.bench.ts && node --import tsx test/bench/inspect.bench.ts'
])
if (rig) {
  const h = readJson('test-results/bench/hotplug.json')
  h.hostLoadAverage = { before: rigLoadBefore, after: hostLoad() }
  report.benchmarks.hotplug = h
  lines.push(...hotplug(h))
  const i = readJson('test-results/bench/inspect.json')
  report.benchmarks.inspect = i
  lines.push(...inspect(i))
} else {
  lines.push('## usb-vm rig', '', 'The rig did not run; no figures.', '')
}

/** The rest, in order: the command, the JSON it writes, its section, and what the report says when it fails. */
const BENCHMARKS = [
  // The account service on this machine: sign-in and activation next to a bare Fastify route, same process, same run.
  {
    key: 'service',
    command: ['node', ['--import', 'tsx', 'test/bench/service.bench.ts']],
    json: 'test-results/bench/service.json',
    section: service,
    failed: ['## Account service throughput', '', 'The service benchmark failed; no figures.', '']
  },
  // Billing on both databases: renewals and voucher redemptions next to a bare single-row INSERT, same run.
  {
    key: 'billing',
    command: ['node', ['--import', 'tsx', 'test/bench/billing.bench.ts']],
    json: 'test-results/bench/billing.json',
    section: billing,
    failed: ['## Billing throughput', '', 'The billing benchmark failed; no figures.', '']
  },
  // Load and overload (issue 24 goal 4): wrk as the load; 2x through HAProxy (the shipped layout) and straight to
  // the process, 1x straight to the process; the money counted from the database.
  {
    key: 'load',
    command: ['node', ['--import', 'tsx', 'test/bench/load.bench.ts']],
    json: 'test-results/bench/load.json',
    section: load,
    failed: [
      '## Load and overload: wrk through HAProxy and straight to the process',
      '',
      'The load run failed (an error, or the money did not add up).',
      ''
    ]
  },
  // Scale (issue 24 goal 5): one and two service processes behind HAProxy on one PostgreSQL, wrk, same run; the
  // CPU each part used and the most two processes could reach on this machine.
  {
    key: 'scale',
    command: ['node', ['--import', 'tsx', 'test/bench/scale.bench.ts']],
    json: 'test-results/bench/scale.json',
    section: scale,
    failed: ['## Scale', '', 'The scale benchmark failed (an error, or the money did not add up).', '']
  },
  // The SIP line against the same Kamailio: process start -> registered, Dialtone's SipLine next to sipp.
  // In the isolated network namespace: baresip needs its dead-end veth, and nothing leaves the machine.
  {
    key: 'phone',
    command: ['node', ['scripts/netns.mjs', 'node', '--import', 'tsx', 'test/bench/phone.bench.ts']],
    json: 'test-results/bench/phone.json',
    section: phone,
    failed: ['## SIP line', '', 'The phone benchmark failed; no figures.', '']
  },
  // Mouth-to-ear delay through the media relay (rtpengine to a carrier that echoes) next to a direct browser call.
  {
    key: 'relayDelay',
    command: ['node', ['scripts/netns.mjs', 'node', '--import', 'tsx', 'test/bench/relay-delay.bench.ts']],
    json: 'test-results/bench/relay-delay.json',
    section: relaydelay,
    failed: ['## Mouth-to-ear delay', '', 'The relay delay benchmark failed; no figures.', '']
  },
  // REGISTER/s with 100,000 provisioned subscribers on PostgreSQL: Kamailio on the service's database next to sipp's
  // bare registrar, with the goal (issue 24: at least 80% of the peer).
  {
    key: 'register',
    command: ['node', ['--import', 'tsx', 'test/bench/register.bench.ts']],
    json: 'test-results/bench/register.json',
    section: register,
    failed: ['## REGISTER/s', '', 'The REGISTER benchmark failed (or not every subscriber registered).', '']
  },
  // The line-changes long poll (one held request per signed-in app): memory and CPU per held poll next to an idle
  // keep-alive connection, and how soon a change answers the polls held for it.
  {
    key: 'heldPolls',
    command: ['node', ['--expose-gc', '--import', 'tsx', 'test/bench/held-polls.bench.ts']],
    json: 'test-results/bench/held-polls.json',
    section: heldPolls,
    failed: ['## Held line-changes polls', '', 'The held-polls benchmark failed; no figures.', '']
  },
  // Main-process memory: the app brain after start, then after an hour of simulated use (calls and hotplugs).
  {
    key: 'soak',
    command: ['node', ['--import', 'tsx', 'test/bench/soak.bench.ts']],
    json: 'test-results/bench/soak.json',
    section: soak,
    failed: ['## Main-process memory', '', 'The soak benchmark failed; no figures.', '']
  },
  // The renderer's weight and the web host's cold start next to their floors (React alone; a static page).
  {
    key: 'startup',
    command: ['node', ['--import', 'tsx', 'test/bench/startup.bench.ts']],
    json: 'test-results/bench/startup.json',
    section: startup,
    failed: [
      '## Renderer bundle and web-host cold start',
      '',
      'The startup benchmark failed; no figures.',
      ''
    ]
  }
]
const failed = rig ? [] : ['usb-vm rig']
for (const b of BENCHMARKS) {
  if (run(...b.command)) {
    const json = readJson(b.json)
    report.benchmarks[b.key] = json
    lines.push(...b.section(json))
  } else {
    lines.push(...b.failed)
    failed.push(b.key)
  }
}

writeFileSync('test-results/bench/report.json', JSON.stringify(report, null, 2))
writeFileSync('test-results/bench/report.md', lines.join('\n'))
console.log(lines.join('\n'))
// A benchmark that failed fails the command too (its section already says so): a report with a hole in it must not
// pass for a whole one.
if (failed.length) {
  console.error(`\nnpm run bench: ${failed.length} failed: ${failed.join(', ')}`)
  process.exitCode = 1
}
