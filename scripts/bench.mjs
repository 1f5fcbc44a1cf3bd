#!/usr/bin/env node
/**
 * `npm run bench`: runs each benchmark and writes one report (test-results/bench/report.md and .json) with every
 * figure next to the peer measured in the same run. Figures are for comparison on this machine, not targets.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'

mkdirSync('test-results/bench', { recursive: true })
const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit' }).status === 0

/**
 * Issue 24's goals as a table: each figure, its peer from the same run, the ratio, the goal (a ratio to the peer,
 * and an absolute bound where the goal names one) and whether this run met it.
 * Rows: [measure, ours, peer name, peer, max ratio, unit, optional absolute max].
 */
function goals(rows) {
  return [
    '| goal | Dialtone | peer (same run) | ratio | goal | met |',
    '|---|---|---|---|---|---|',
    ...rows.map(([name, ours, peerName, peer, maxRatio, unit, absolute]) => {
      const ratio = peer > 0 ? ours / peer : Infinity
      const met = ratio <= maxRatio && (absolute === undefined || ours < absolute)
      const goal = `<= ${maxRatio}x${absolute === undefined ? '' : ` and < ${absolute}${unit}`}`
      return `| ${name} | ${ours}${unit} | ${peerName} ${peer}${unit} | ${ratio.toFixed(2)}x | ${goal} | ${met ? 'yes' : 'no'} |`
    }),
    ''
  ]
}

/** A table of timings in milliseconds: a header naming the first column, then one row per [name, stats]. */
const msTable = (firstColumn, rows) => [
  `| ${firstColumn} | median ms | p95 ms | min | max |`,
  '|---|---|---|---|---|',
  ...rows.map(([name, s]) => `| ${name} | ${s.median} | ${s.p95} | ${s.min} | ${s.max} |`)
]

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
  const h = JSON.parse(readFileSync('test-results/bench/hotplug.json', 'utf8'))
  h.hostLoadAverage = { before: rigLoadBefore, after: hostLoad() }
  report.benchmarks.hotplug = h
  // Issue 24 goal 3: device.changed within 30 ms of the raw attach event (median of each plug-in's difference).
  const over = h.appOverRawMs.median
  lines.push(
    '## Hotplug: UDC bind to event (usb-vm rig)',
    '',
    `${h.runs} plug-ins; ${h.environment}. Host load average (1, 5, 15 min) before the rig: ${h.hostLoadAverage.before}; after: ${h.hostLoadAverage.after}.`,
    '',
    ...msTable('measure', [
      ['raw `usb` attach event (peer)', h.rawUsbAttachMs],
      ['app `device.changed` attached', h.appDeviceChangedMs],
      ['app over raw', h.appOverRawMs],
      ['app `device.changed` with the configuration (declared power, interfaces)', h.appDetailsMs],
      ['app device ready (HID matched, descriptor read, driver open)', h.appReadyMs]
    ]),
    '',
    'Where the time goes, step by step (each from the step before it; the first from the UDC bind):',
    '',
    ...msTable('step', [
      ['UDC bind -> raw `usb` attach event (the kernel, udev, libusb)', h.steps.raw],
      ['-> the device layer has the attach (device descriptor and port only)', h.steps.port],
      ['-> catalog match, record and lists built, handed to the event bus', h.steps.emitAttached],
      ['-> contract check, `device.changed` attached delivered', h.steps.attached],
      ['-> configuration descriptor read, `device.changed` updated', h.steps.details],
      [`-> HID interface listed by node-hid (${h.hidEnumerations.median} enumeration(s))`, h.steps.hidFound],
      ['-> report descriptor read from sysfs', h.steps.descriptor],
      ['-> hidraw node opened', h.steps.opened],
      ['-> firmware interface looked for, driver started, `device.changed` ready', h.steps.ready]
    ]),
    '',
    '| goal | Dialtone | peer (same run) | ratio | goal | met |',
    '|---|---|---|---|---|---|',
    `| device.changed after the raw usb attach (median) | ${h.appDeviceChangedMs.median} ms | raw usb attach ${h.rawUsbAttachMs.median} ms | ${(h.appDeviceChangedMs.median / h.rawUsbAttachMs.median).toFixed(2)}x | within 30 ms of the raw event (this run: +${over} ms) | ${over <= 30 ? 'yes' : 'no'} |`,
    ''
  )
  const i = JSON.parse(readFileSync('test-results/bench/inspect.json', 'utf8'))
  report.benchmarks.inspect = i
  lines.push(
    '## Full diagnostics inspection (usb-vm rig)',
    '',
    `${i.runs} runs each; ${i.environment}.`,
    '',
    ...msTable('measure', [
      ['`lsusb -v -d 06e6:c200` (peer)', i.lsusbVerboseMs],
      ['Dialtone inspection + verdicts', i.inspectMs]
    ]),
    ''
  )
} else {
  lines.push('## usb-vm rig', '', 'The rig did not run; no figures.', '')
}

// The account service on this machine: sign-in and activation next to a bare Fastify route, same process, same run.
if (run('node', ['--import', 'tsx', 'test/bench/service.bench.ts'])) {
  const v = JSON.parse(readFileSync('test-results/bench/service.json', 'utf8'))
  report.benchmarks.service = v
  lines.push(
    '## Account service throughput',
    '',
    `${v.environment}.`,
    '',
    '| measure | requests/s | median ms | p99 ms |',
    '|---|---|---|---|',
    ...[
      ['bare Fastify POST route (peer)', v.bareFastify],
      ['service GET /v1/health (all hooks)', v.serviceHealth],
      ['service sign-in (scrypt-bound)', v.signIn],
      ['service trial activation', v.trialActivation]
    ].map(([name, s]) => `| ${name} | ${s.perSecond} | ${s.median} | ${s.p99} |`),
    ''
  )
} else {
  lines.push('## Account service throughput', '', 'The service benchmark failed; no figures.', '')
}

// Billing on both databases: renewals and voucher redemptions next to a bare single-row INSERT, same run.
if (run('node', ['--import', 'tsx', 'test/bench/billing.bench.ts'])) {
  const b = JSON.parse(readFileSync('test-results/bench/billing.json', 'utf8'))
  report.benchmarks.billing = b
  lines.push(
    '## Billing throughput',
    '',
    `${b.environment}.`,
    '',
    '| measure | SQLite req/s | SQLite median ms | SQLite p99 ms | PostgreSQL req/s | PostgreSQL median ms | PostgreSQL p99 ms |',
    '|---|---|---|---|---|---|---|',
    ...[
      ['bare single-row INSERT (peer)', 'bareInsert'],
      ['online renewal (POST /v1/checkout)', 'renewals'],
      ['renewal without HTTP (the checkout function, same handle as the INSERT)', 'renewalsInProcess'],
      ['Re-Up redemption (POST /v1/vouchers/redeem)', 'vouchers']
    ].map(
      ([name, k]) =>
        `| ${name} | ${b.sqlite[k].perSecond} | ${b.sqlite[k].median} | ${b.sqlite[k].p99} | ${b.postgres[k].perSecond} | ${b.postgres[k].median} | ${b.postgres[k].p99} |`
    ),
    '',
    '| renewal cost (goal: a renewal at least 10% of the bare INSERT rate) | SQLite | PostgreSQL |',
    '|---|---|---|',
    `| statements per renewal | ${b.sqlite.renewalsInProcess.statements} | ${b.postgres.renewalsInProcess.statements} |`,
    `| transactions per renewal | ${b.sqlite.renewalsInProcess.transactions} | ${b.postgres.renewalsInProcess.transactions} |`,
    `| round trips per renewal (statements + BEGIN/COMMIT) | ${b.sqlite.renewalsInProcess.roundTrips} | ${b.postgres.renewalsInProcess.roundTrips} |`,
    `| renewal without HTTP / bare INSERT (median of ${b.sqlite.bareInsert.rounds?.length ?? 1} alternating rounds; goal ${b.sqlite.renewalGoal ?? 0.1}) | ${b.sqlite.renewalShareOfInsert} | ${b.postgres.renewalShareOfInsert} |`,
    `| goal met | ${b.sqlite.renewalGoalMet ? 'yes' : 'no'} | ${b.postgres.renewalGoalMet ? 'yes' : 'no'} |`,
    `| renewal over HTTP / bare INSERT | ${b.sqlite.httpRenewalShareOfInsert} | ${b.postgres.httpRenewalShareOfInsert} |`,
    ''
  )
} else {
  lines.push('## Billing throughput', '', 'The billing benchmark failed; no figures.', '')
}

// Load: 1,000 concurrent clients for 60 s mixing reads, top-ups, renewals and redemptions; the money is counted after.
if (run('node', ['--import', 'tsx', 'test/bench/load.bench.ts'])) {
  const l = JSON.parse(readFileSync('test-results/bench/load.json', 'utf8'))
  report.benchmarks.load = l
  const m = l.money
  lines.push(
    '## Load: 1,000 concurrent API clients',
    '',
    `${l.environment}. ${l.requests} requests in ${l.seconds} s (${l.perSecond}/s), ${l.errors} errors, ${l.rateLimited} rate-limited.`,
    '',
    '| requests | count | median ms | p95 ms | p99 ms | max ms |',
    '|---|---|---|---|---|---|',
    `| ${l.peer.route}, same clients (peer: ${l.peer.perSecond}/s) | ${l.peer.requests} | ${l.peer.median} | ${l.peer.p95} | ${l.peer.p99} | ${l.peer.max} |`,
    ...Object.entries(l.byKind).map(
      ([k, s]) => `| ${k} | ${s.requests} | ${s.median} | ${s.p95} | ${s.p99} | ${s.max} |`
    ),
    '',
    `Admission control (goal: 503s answered under 50 ms, new connections not starved): ${l.refused.requests} requests answered 503 with Retry-After (median ${l.refused.median} ms, p99 ${l.refused.p99} ms); each client's wait for its first answer: median ${l.firstAnswer.median} ms, p99 ${l.firstAnswer.p99} ms; ${l.capped} refused as coverage-cap (the line paid as far ahead as allowed).`,
    '',
    `### Overload: ${l.overload.clients} clients, twice the saturating load, ${l.overload.seconds} s, straight to the process and through HAProxy`,
    '',
    `Load average at the end: ${l.loadAverage.join(', ')}. HAProxy: ${l.viaHaproxy.haproxy}.`,
    '',
    '| measure | 2x, straight to the process | 2x, through HAProxy | peer: saturating load (1x), same run | goal |',
    '|---|---|---|---|---|',
    `| admitted requests/s | ${l.overload.perSecond} | ${l.viaHaproxy.perSecond} | ${l.perSecond} | — |`,
    `| admitted p99 ms | ${l.overload.admittedP99} | ${l.viaHaproxy.admittedP99} | ${Math.max(...Object.values(l.byKind).map((k) => k.p99))} (worst kind) | under 1000 |`,
    `| 503 answers: count, median ms, p99 ms | ${l.overload.refused.requests}, ${l.overload.refused.median}, ${l.overload.refused.p99} | ${l.viaHaproxy.refused.requests}, ${l.viaHaproxy.refused.median}, ${l.viaHaproxy.refused.p99} | ${l.refused.requests}, ${l.refused.median}, ${l.refused.p99} | p99 under 50 |`,
    `| first answer per client: median ms, p99 ms | ${l.overload.firstAnswer.median}, ${l.overload.firstAnswer.p99} | ${l.viaHaproxy.firstAnswer.median}, ${l.viaHaproxy.firstAnswer.p99} | ${l.firstAnswer.median}, ${l.firstAnswer.p99} | not starved |`,
    `| TCP connect per client (handshake): median ms, max ms | ${l.overload.connected.median}, ${l.overload.connected.max} | ${l.viaHaproxy.connected.median}, ${l.viaHaproxy.connected.max} | ${l.connected.median}, ${l.connected.max} | — |`,
    `| the process: accept queue median, max | ${l.overload.waits.acceptQueue.median}, ${l.overload.waits.acceptQueue.max} | ${l.viaHaproxy.waits.acceptQueue.median}, ${l.viaHaproxy.waits.acceptQueue.max} | ${l.waits.acceptQueue.median}, ${l.waits.acceptQueue.max} | — |`,
    `| the process: accept to first request parsed, median ms, p95 ms | ${l.overload.waits.acceptToParsed.median}, ${l.overload.waits.acceptToParsed.p95} | ${l.viaHaproxy.waits.acceptToParsed.median}, ${l.viaHaproxy.waits.acceptToParsed.p95} | ${l.waits.acceptToParsed.median}, ${l.waits.acceptToParsed.p95} | — |`,
    `| the process: requests held at once (parsed, not answered), max | ${l.overload.waits.maxHeld} | ${l.viaHaproxy.waits.maxHeld} | ${l.waits.maxHeld} | — |`,
    `| the process: event-loop delay p50, p99, max ms | ${l.overload.waits.loopDelay.p50}, ${l.overload.waits.loopDelay.p99}, ${l.overload.waits.loopDelay.max} | ${l.viaHaproxy.waits.loopDelay.p50}, ${l.viaHaproxy.waits.loopDelay.p99}, ${l.viaHaproxy.waits.loopDelay.max} | ${l.waits.loopDelay.p50}, ${l.waits.loopDelay.p99}, ${l.waits.loopDelay.max} | — |`,
    `| errors other than 503 (429 and coverage-cap counted apart) | ${l.overload.errors} | ${l.viaHaproxy.errors} | ${l.errors - l.overload.errors - l.viaHaproxy.errors} | 0 |`,
    '',
    '| goal (issue 24, 4) | figure | peer (same run) | ratio | goal | met |',
    '|---|---|---|---|---|---|',
    ...[
      ['straight to the process', l.overload],
      ['through HAProxy', l.viaHaproxy]
    ].flatMap(([name, o]) => [
      // The peer is the floor of the machine in this run: the same clients on the database-free health route.
      `| 2x load, ${name}: admitted p99 | ${o.admittedP99} ms | health route ${l.peer.p99} ms | ${(o.admittedP99 / l.peer.p99).toFixed(2)}x | < 1000 ms | ${o.admittedP99 < 1000 ? 'yes' : 'no'} |`,
      `| 2x load, ${name}: 503 p99 | ${o.refused.p99} ms | health route ${l.peer.p99} ms | ${(o.refused.p99 / l.peer.p99).toFixed(2)}x | < 50 ms | ${o.refused.p99 < 50 ? 'yes' : 'no'} |`,
      `| 2x load, ${name}: errors other than 503 | ${o.errors} | 1x load ${l.errors - l.overload.errors - l.viaHaproxy.errors} | — | 0 | ${o.errors === 0 ? 'yes' : 'no'} |`
    ]),
    '',
    `Money after the run: ${m.distinctIntents} distinct paid intents and ${m.succeededCharges} succeeded charges; ${m.paidOrders} paid orders for ${m.distinctRenewals} distinct renewals; ${m.accountsWithWrongBalance} accounts whose balance differs from their distinct top-ups; ${m.vouchersRedeemed} vouchers redeemed, ${m.vouchersRedeemedInDb} in the database.`,
    ''
  )
} else {
  lines.push(
    '## Load: 1,000 concurrent API clients',
    '',
    'The load run failed (an error, or the money did not add up).',
    ''
  )
}

// Scale: the service as one and as two processes behind HAProxy on one PostgreSQL, same clients, same run.
if (run('node', ['--import', 'tsx', 'test/bench/scale.bench.ts'])) {
  const c = JSON.parse(readFileSync('test-results/bench/scale.json', 'utf8'))
  report.benchmarks.scale = c
  const row = (name, x) => `| ${name} | ${x.perSecond} | ${x.p99} | ${x.refused} | ${x.errors} |`
  lines.push(
    '## Scale: one and two service processes behind HAProxy',
    '',
    `${c.environment}.`,
    '',
    '| layout | admitted requests/s | p99 ms | 503s | errors |',
    '|---|---|---|---|---|',
    ...c.rounds.flatMap((r, i) => [
      row(`round ${i + 1}: HAProxy, one service process (peer)`, r.oneProcess),
      row(
        `round ${i + 1}: HAProxy, two service processes (${r.ratio}x; load average ${r.loadAverage})`,
        r.twoProcesses
      )
    ]),
    '',
    '| goal (issue 24, 5) | figure | peer (same run) | ratio | goal | met |',
    '|---|---|---|---|---|---|',
    `| two processes over one, median of ${c.rounds.length} rounds | ${c.twoProcesses.perSecond} req/s | one process ${c.oneProcess.perSecond} req/s | ${c.ratio}x | >= ${c.goal}x | ${c.ratio >= c.goal ? 'yes' : 'no'} |`,
    '',
    `Rounds' ratios: ${c.rounds.map((r) => `${r.ratio}x`).join(', ')} (docs/scaling.md says what limits it on 2 cores). Money after every phase: ${c.money.distinctIntents} distinct paid intents and ${c.money.succeededCharges} succeeded charges; ${c.money.paidOrders} paid orders for ${c.money.distinctRenewals} distinct renewals; ${c.money.accountsWithWrongBalance} accounts whose balance differs from their distinct top-ups.`,
    ''
  )
} else {
  lines.push('## Scale', '', 'The scale benchmark failed (an error, or the money did not add up).', '')
}

// The SIP line against the same Kamailio: process start -> registered, Dialtone's SipLine next to sipp.
// In the isolated network namespace: baresip needs its dead-end veth, and nothing leaves the machine.
if (run('node', ['scripts/netns.mjs', 'node', '--import', 'tsx', 'test/bench/phone.bench.ts'])) {
  const p = JSON.parse(readFileSync('test-results/bench/phone.json', 'utf8'))
  report.benchmarks.phone = p
  const b = p.dialtoneBreakdownMs
  lines.push(
    '## SIP line: process start to registered, and INVITE to 200 OK',
    '',
    `${p.environment}.`,
    '',
    ...msTable('measure', [
      ['start -> registered: sipp, authenticated REGISTER (peer)', p.sippStartToRegisteredMs],
      ['start -> registered: baresip 1.0 (peer)', p.baresipStartToRegisteredMs],
      [
        'start -> registered: Dialtone SipLine (sip.js over ws, bundled as main is)',
        p.dialtoneStartToRegisteredMs
      ],
      ['an empty Node process, spawn -> exit (peer for the bootstrap)', p.nodeEmptyProcessMs],
      ...(p.nodeEmptyProcessExtraCaMs
        ? [
            [
              "an empty Node process with this machine's NODE_EXTRA_CA_CERTS (not in the rows above)",
              p.nodeEmptyProcessExtraCaMs
            ]
          ]
        : []),
      ['INVITE -> 200: sipp UAS (peer)', p.sippInviteTo200Ms],
      ['INVITE -> 200: baresip, auto-answer (peer)', p.baresipInviteTo200Ms],
      [
        'INVITE -> 200: Dialtone app brain in its own process, answered at the first ring',
        p.dialtoneInviteTo200Ms
      ]
    ]),
    '',
    "Where Dialtone's start -> registered goes (each step on its own, from the process's own clock):",
    '',
    ...msTable('step', [
      ['Node bootstrap until the bundle runs', b.nodeBootstrap],
      ['modules (sip.js, ws, SipLine) evaluated', b.modules],
      ['credentials read, user agent built, socket created', b.credentialsAndUserAgent],
      ['WebSocket connect (open)', b.webSocketConnect],
      ['first REGISTER built and sent', b.firstRegister],
      ['REGISTER -> 401 (Kamailio)', b.challengeRoundTrip],
      ['401 parsed, digest computed, second REGISTER sent', b.digestAndSecondRegister],
      ['REGISTER -> 200 (Kamailio, digest checked)', b.okRoundTrip],
      ['200 -> the line reports registered', b.reportRegistered]
    ]),
    '',
    "Where the app's INVITE -> 200 goes (from the sockets; the app in its own process, times joined on epoch ms):",
    '',
    ...msTable('leg', [
      ["the caller's INVITE through Kamailio to the app", p.dialtoneInviteBreakdownMs.callerToApp],
      ['the app: INVITE received -> 180 Ringing sent', p.dialtoneInviteBreakdownMs.appInviteToRinging],
      ['the app: 180 sent -> answered, 200 OK sent', p.dialtoneInviteBreakdownMs.appRingingToOk],
      ['the 200 OK through Kamailio to the caller', p.dialtoneInviteBreakdownMs.okToCaller]
    ]),
    '',
    ...goals([
      [
        'start -> registered (median)',
        p.dialtoneStartToRegisteredMs.median,
        'sipp',
        p.sippStartToRegisteredMs.median,
        1,
        ' ms',
        100
      ],
      [
        'INVITE -> 200 (median)',
        p.dialtoneInviteTo200Ms.median,
        'sipp UAS',
        p.sippInviteTo200Ms.median,
        1.1,
        ' ms'
      ]
    ])
  )
} else {
  lines.push('## SIP line', '', 'The phone benchmark failed; no figures.', '')
}

// Mouth-to-ear delay through the media relay (rtpengine to a carrier that echoes) next to a direct browser call.
if (run('node', ['scripts/netns.mjs', 'node', '--import', 'tsx', 'test/bench/relay-delay.bench.ts'])) {
  const d = JSON.parse(readFileSync('test-results/bench/relay-delay.json', 'utf8'))
  report.benchmarks.relayDelay = d
  lines.push(
    '## Mouth-to-ear delay: through the media relay and browser to browser',
    '',
    `${d.environment}. ITU-T G.114: up to 150 ms one way is comfortable.`,
    '',
    ...msTable('measure', [
      ['one way, relayed: app -> rtpengine -> carrier (PCMU)', d.relayedOneWayMs],
      ['one way, direct: app -> app, browser to browser (peer)', d.directOneWayMs],
      ['round trip, relayed (echoed by the carrier, sipp -rtp_echo)', d.relayedRoundTripMs],
      ['round trip, direct (echoed by the far page through its playout)', d.directRoundTripMs]
    ]),
    ''
  )
} else {
  lines.push('## Mouth-to-ear delay', '', 'The relay delay benchmark failed; no figures.', '')
}

// REGISTER/s with 100,000 provisioned subscribers on PostgreSQL: Kamailio on the service's database next to sipp's
// bare registrar, with the goal (issue 24: at least 80% of the peer).
if (run('node', ['--import', 'tsx', 'test/bench/register.bench.ts'])) {
  const g = JSON.parse(readFileSync('test-results/bench/register.json', 'utf8'))
  report.benchmarks.register = g
  lines.push(
    `## REGISTER/s with ${g.subscribers.toLocaleString('en-US')} subscribers`,
    '',
    `${g.environment}. Each round registers every subscriber once (REGISTER, 401, REGISTER with digest, 200); ${g.failed} failed; Kamailio counted ${g.registeredUsers} registered users after.`,
    '',
    '| measure | median REGISTER/s | rounds (REGISTER/s) |',
    '|---|---|---|',
    `| sipp's bare registrar: 401 then 200, no database (peer) | ${g.peerPerSecond} | ${g.rounds.map((r) => r.peer.perSecond).join(', ')} |`,
    `| Kamailio, shipped configuration, digest checked against the provisioning's ha1 | ${g.kamailioPerSecond} | ${g.rounds.map((r) => r.kamailio.perSecond).join(', ')} |`,
    '',
    `| Kamailio / peer, each round | ${g.ratio} | ${g.rounds.map((r) => r.ratio).join(', ')} |`,
    '',
    `First round, every REGISTER checked against the database: ${g.firstRoundRatio} of the peer. Load average (1 min) ${g.loadAverage.start} at the start, ${g.loadAverage.end} at the end; Kamailio logged ${g.kamailioLogLines} lines during the rounds.`,
    '',
    '| goal | Kamailio | peer (same run) | ratio | goal | met |',
    '|---|---|---|---|---|---|',
    `| REGISTER/s, median round | ${g.kamailioPerSecond} | sipp's bare registrar ${g.peerPerSecond} | ${g.ratio} | >= 0.8 | ${g.goalMet ? 'yes' : 'no'} |`,
    ''
  )
} else {
  lines.push('## REGISTER/s', '', 'The REGISTER benchmark failed (or not every subscriber registered).', '')
}

// Main-process memory: the app brain after start, then after an hour of simulated use (calls and hotplugs).
if (run('node', ['--import', 'tsx', 'test/bench/soak.bench.ts'])) {
  const k = JSON.parse(readFileSync('test-results/bench/soak.json', 'utf8'))
  report.benchmarks.soak = k
  const row = (name, x) => `| ${name} | ${x.heapUsedMiB} | ${x.rssMiB} | ${x.externalMiB} |`
  lines.push(
    '## Main-process memory after an hour of simulated use',
    '',
    `${k.environment}. Simulated: ${k.simulated.answeredCalls} answered and ${k.simulated.missedCalls} missed incoming calls, ${k.simulated.hotplugs} hotplugs.`,
    '',
    '| moment | heap used MiB | RSS MiB | external MiB |',
    '|---|---|---|---|',
    row('after start, registered (peer)', k.afterStart),
    row('after a warm-up of 5 cycles', k.afterWarmUp),
    row('at the end of the hour', k.atEndOfUse),
    row('after the hour and 35 s idle', k.afterUseSettled),
    '',
    `Heap growth over the hour: ${k.heapGrowthMiB} MiB (${k.heapGrowthAfterWarmUpMiB} MiB after the warm-up).`,
    ''
  )
} else {
  lines.push('## Main-process memory', '', 'The soak benchmark failed; no figures.', '')
}

// The renderer's weight and the web host's cold start next to their floors (React alone; a static page).
if (run('node', ['--import', 'tsx', 'test/bench/startup.bench.ts'])) {
  const u = JSON.parse(readFileSync('test-results/bench/startup.json', 'utf8'))
  report.benchmarks.startup = u
  const kb = (n) => (n / 1024).toFixed(1)
  lines.push(
    '## Renderer bundle and web-host cold start',
    '',
    `${u.environment}.`,
    '',
    '| measure | gzip KiB |',
    '|---|---|',
    `| smallest React 19 app, react + react-dom (peer) | ${kb(u.bundle.reactFloorJsGzip)} |`,
    `| Dialtone renderer JavaScript fetched to show the first page (${u.bundle.firstLoadFiles.length} files; languages: ${u.bundle.localesLoaded.join(', ')}) | ${kb(u.bundle.dialtoneFirstLoadJsGzip)} |`,
    `| Dialtone renderer JavaScript, every chunk on disk (pages and languages load on demand) | ${kb(u.bundle.dialtoneJsGzip)} |`,
    `| Dialtone renderer CSS | ${kb(u.bundle.dialtoneCssGzip)} |`,
    '',
    ...msTable('spawn ->', [
      [
        'first contentful paint: bare node:http server, one static page (peer)',
        u.staticFloorSpawnToFirstPaintMs
      ],
      ['first contentful paint: Dialtone web host (`node out/main/web.js`)', u.dialtoneSpawnToFirstPaintMs],
      ["the page's first answer from the app brain over its socket", u.dialtoneSpawnToFirstSocketAnswerMs]
    ]),
    '',
    ...goals([
      [
        'spawn -> first paint (median)',
        u.dialtoneSpawnToFirstPaintMs.median,
        'static page',
        u.staticFloorSpawnToFirstPaintMs.median,
        2,
        ' ms'
      ],
      [
        'renderer JS for the first page (gzip)',
        +kb(u.bundle.dialtoneFirstLoadJsGzip),
        'bare React',
        +kb(u.bundle.reactFloorJsGzip),
        2,
        ' KiB'
      ]
    ])
  )
} else {
  lines.push(
    '## Renderer bundle and web-host cold start',
    '',
    'The startup benchmark failed; no figures.',
    ''
  )
}

writeFileSync('test-results/bench/report.json', JSON.stringify(report, null, 2))
writeFileSync('test-results/bench/report.md', lines.join('\n'))
console.log(lines.join('\n'))
