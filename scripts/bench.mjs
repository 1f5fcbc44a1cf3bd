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
    ...(b.sqlite.cpuMicrosecondsPer
      ? [
          `| CPU µs per renewal, service + database (per bare INSERT) | ${b.sqlite.cpuMicrosecondsPer.renewal.service} + ${b.sqlite.cpuMicrosecondsPer.renewal.database} (${b.sqlite.cpuMicrosecondsPer.insert.service} + ${b.sqlite.cpuMicrosecondsPer.insert.database}) | ${b.postgres.cpuMicrosecondsPer.renewal.service} + ${b.postgres.cpuMicrosecondsPer.renewal.database} (${b.postgres.cpuMicrosecondsPer.insert.service} + ${b.postgres.cpuMicrosecondsPer.insert.database}) |`,
          `| renewal / bare INSERT by CPU time (steadier under load than rates) | ${b.sqlite.renewalShareOfInsertByCpu} | ${b.postgres.renewalShareOfInsertByCpu} |`
        ]
      : []),
    `| renewal over HTTP / bare INSERT | ${b.sqlite.httpRenewalShareOfInsert} | ${b.postgres.httpRenewalShareOfInsert} |`,
    ''
  )
} else {
  lines.push('## Billing throughput', '', 'The billing benchmark failed; no figures.', '')
}

// Load and overload (issue 24 goal 4): wrk as the load; 2x through HAProxy (the shipped layout) and straight to
// the process, 1x straight to the process; the money counted from the database.
if (run('node', ['--import', 'tsx', 'test/bench/load.bench.ts'])) {
  const l = JSON.parse(readFileSync('test-results/bench/load.json', 'utf8'))
  report.benchmarks.load = l
  const m = l.money
  const st = l.moneyStraight
  const phases = [
    ['2x, through HAProxy (shipped layout)', l.viaHaproxy],
    ['2x, straight to the process', l.twoX],
    ['1x, straight to the process', l.oneX]
  ]
  const cells = (f) => phases.map(([, p]) => f(p)).join(' | ')
  const t = (x) => `${x.p99} (${x.count})`
  const via = l.viaHaproxy
  const yes = (ok) => (ok ? 'yes' : 'no')
  lines.push(
    '## Load and overload: wrk through HAProxy and straight to the process',
    '',
    `${l.environment}. Peer: the health route, ${l.peer.connections} wrk connections straight to the process, ${l.peer.perSecond}/s, p50 ${l.peer.latency.p50} ms, p99 ${l.peer.latency.p99} ms (load average ${l.peer.loadAverage.join(', ')}). HAProxy: ${via.haproxy}.`,
    '',
    `| measure | ${phases.map(([n]) => n).join(' | ')} | goal |`,
    `|---|${phases.map(() => '---').join('|')}|---|`,
    `| wrk connections | ${cells((p) => p.connections)} | — |`,
    `| admitted answers/s (wrk) | ${cells((p) => p.admittedPerSecond)} | — |`,
    `| admitted p99 ms (count): at the door, HAProxy's log | ${cells((p) => (p.door ? t(p.door.admitted) : '—'))} | under 1000 |`,
    `| admitted p99 ms (count): the Node clients | ${cells((p) => t(p.nodeClients.admitted))} | under 1000 |`,
    `| admitted p99 ms (count): in the process, parse to answer | ${cells((p) => t(p.process.admitted))} | — |`,
    `| 503 p99 ms (count): at the door | ${cells((p) => (p.door ? t(p.door.refused) : '—'))} | under 50 |`,
    `| 503 p99 ms (count): at the door, shed unqueued (the rest waited out \`timeout queue\`) | ${cells((p) => (p.door ? t(p.door.shed) : '—'))} | — |`,
    `| 503 p99 ms (count): the Node clients | ${cells((p) => t(p.nodeClients.refused))} | under 50 |`,
    `| 503 p99 ms (count): in the process | ${cells((p) => t(p.process.refused))} | — |`,
    `| Node clients arriving during the phase: first answer median, p99 ms | ${cells((p) => `${p.nodeClients.firstAnswer.median}, ${p.nodeClients.firstAnswer.p99}`)} | not starved |`,
    `| wrk, every answer (503s, drain): p50, p99 ms | ${cells((p) => `${p.wrk.latencyAllAnswers.p50}, ${p.wrk.latencyAllAnswers.p99}`)} | — |`,
    `| the process: accept queue median, max | ${cells((p) => `${p.process.acceptQueue.median}, ${p.process.acceptQueue.max}`)} | — |`,
    `| the process: event-loop delay p99, max ms | ${cells((p) => `${p.process.loopDelay.p99}, ${p.process.loopDelay.max}`)} | — |`,
    `| CPU s: service, HAProxy, wrk, Node clients; rest of the machine | ${cells((p) => `${p.cpu.cpuSeconds.service}, ${p.cpu.cpuSeconds.haproxy}, ${p.cpu.cpuSeconds.wrk}, ${p.cpu.cpuSeconds.nodeClients}; ${p.cpu.others}`)} | — |`,
    `| errors other than 503 (coverage-cap and 429 apart) | ${cells((p) => p.errors)} | 0 |`,
    `| load average (1 min) at the end | ${cells((p) => p.loadAverage[0])} | — |`,
    '',
    '| goal (issue 24, 4) | figure | peer (same run) | ratio | goal | met |',
    '|---|---|---|---|---|---|',
    `| 2x through HAProxy: admitted p99 at the door | ${via.door.admitted.p99} ms | health route ${l.peer.latency.p99} ms | ${(via.door.admitted.p99 / l.peer.latency.p99).toFixed(2)}x | < 1000 ms | ${yes(via.door.admitted.p99 < 1000)} |`,
    `| 2x through HAProxy: admitted p99 at the Node clients | ${via.nodeClients.admitted.p99} ms | | | < 1000 ms | ${yes(via.nodeClients.admitted.p99 < 1000)} |`,
    `| 2x through HAProxy: 503 p99 at the door | ${via.door.refused.p99} ms | | | < 50 ms | ${yes(via.door.refused.p99 < 50)} |`,
    `| 2x through HAProxy: errors other than 503 | ${via.errors} | | | 0 | ${yes(via.errors === 0)} |`,
    `| 2x through HAProxy: money, database = answered | ${m.succeededCharges} charges, ${m.paidOrders} orders | ${m.distinctIntents} intents, ${m.distinctRenewals} renewals answered | | exact | ${yes(m.succeededCharges === m.distinctIntents && m.paidOrders === m.distinctRenewals && m.accountsWithWrongBalance === 0 && m.pooled.balanceExact)} |`,
    `| 2x straight to the process: admitted p99 at the Node clients | ${l.twoX.nodeClients.admitted.p99} ms | | | < 1000 ms | ${yes(l.twoX.nodeClients.admitted.p99 < 1000)} |`,
    `| 2x straight to the process: first answer p99 (new connections) | ${l.twoX.nodeClients.firstAnswer.p99} ms | | | < 1000 ms | ${yes(l.twoX.nodeClients.firstAnswer.p99 < 1000)} |`,
    `| 2x straight to the process: 503 p99 at the Node clients | ${l.twoX.nodeClients.refused.p99} ms | | | < 50 ms | ${yes(l.twoX.nodeClients.refused.p99 < 50)} |`,
    '',
    `Money through HAProxy: ${m.distinctIntents} paid intents answered and ${m.succeededCharges} succeeded charges; ${m.paidOrders} paid orders for ${m.distinctRenewals} renewals answered; ${m.accountsWithWrongBalance} Node-client accounts whose balance differs from their distinct top-ups; wrk's ${m.pooled.accounts} accounts hold exactly ${m.pooled.topUps} top-ups: ${yes(m.pooled.balanceExact)}. Straight to the process afterwards: wrk's money answered ${st.wrkMoneyAnswered}, in the database ${st.wrkMoneyInDb}, ${st.wrkUnanswered} requests left unanswered in the accept queue when wrk stopped (within bounds: ${yes(st.withinBound)}); ${st.vouchersRedeemed} vouchers redeemed, ${st.vouchersRedeemedInDb} in the database.`,
    ''
  )
} else {
  lines.push(
    '## Load and overload: wrk through HAProxy and straight to the process',
    '',
    'The load run failed (an error, or the money did not add up).',
    ''
  )
}

// Scale (issue 24 goal 5): one and two service processes behind HAProxy on one PostgreSQL, wrk, same run; the
// CPU each part used and the most two processes could reach on this machine.
if (run('node', ['--import', 'tsx', 'test/bench/scale.bench.ts'])) {
  const c = JSON.parse(readFileSync('test-results/bench/scale.json', 'utf8'))
  report.benchmarks.scale = c
  const row = (name, x) => {
    const k = x.cpuMsPerAnswer
    return `| ${name} | ${x.perSecond} | ${k.service}, ${k.postgres}, ${k.haproxy}, ${k.wrk} | ${x.busiestServiceCore} | ${x.othersCores} | ${x.errors} |`
  }
  lines.push(
    '## Scale: one and two service processes behind HAProxy',
    '',
    `${c.environment}.`,
    '',
    "| layout | answers/s | CPU ms per answer: service, PostgreSQL, HAProxy, wrk | busiest service process (cores) | the machine's other work (cores) | errors |",
    '|---|---|---|---|---|---|',
    ...c.rounds.flatMap((r, i) => [
      row(`round ${i + 1}: one process (peer)`, r.oneProcess),
      row(
        `round ${i + 1}: two processes (${r.ratio}x; ceiling ${r.ceiling}x; load average ${r.loadAverage})`,
        r.twoProcesses
      )
    ]),
    '',
    '| goal (issue 24, 5) | figure | peer (same run) | ratio | goal | met |',
    '|---|---|---|---|---|---|',
    `| two processes over one, median of ${c.rounds.length} rounds | ${c.twoProcesses.perSecond} answers/s | one process ${c.oneProcess.perSecond} answers/s | ${c.ratio}x | >= ${c.goal}x | ${c.ratio >= c.goal ? 'yes' : 'no'} |`,
    `| the ceiling this machine allowed in that round (cores left after the other work / a request's CPU, at most two cores of service) | ${c.ceiling}x (${c.ceilingOnAnIdleMachine}x on an idle machine) | | ${c.fractionOfCeiling} of it | | |`,
    '',
    `Rounds: ${c.rounds.map((r) => `${r.ratio}x of a ${r.ceiling}x ceiling`).join('; ')} (docs/scaling.md says what limits it on 2 cores). Money after every phase: ${c.money.distinctIntents} paid intents answered and ${c.money.succeededCharges} succeeded charges; ${c.money.paidOrders} paid orders for ${c.money.distinctRenewals} renewals answered; wrk's accounts hold exactly the top-ups answered: ${c.money.pooled.balanceExact ? 'yes' : 'no'} (${c.unanswered} requests left unanswered when wrk stopped; the database may hold up to that many more).`,
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
        "start -> registered: Dialtone SipLine (sip.js over ws, started as Electron's main: CommonJS through V8's code cache)",
        p.dialtoneStartToRegisteredMs
      ],
      ...(p.dialtoneCpuToRegisteredMs
        ? [["Dialtone SipLine's CPU time (user + system) when registered", p.dialtoneCpuToRegisteredMs]]
        : []),
      ...(p.dialtonePackagedStartToRegisteredMs
        ? [
            [
              'start -> registered: the same line as a packaged app starts it (no code cache: its data folder is not trusted with code)',
              p.dialtonePackagedStartToRegisteredMs
            ]
          ]
        : []),
      ...(p.esmNoCacheStartToRegisteredMs
        ? [
            [
              'the same line as main was before (one ES module, compiled at every start)',
              p.esmNoCacheStartToRegisteredMs
            ],
            ['the same line as before: its CPU time when registered', p.esmNoCacheCpuToRegisteredMs]
          ]
        : []),
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
      ...(p.sipjsInviteTo200Ms
        ? [
            [
              'INVITE -> 200: bare sip.js over the same WebSocket, answering at once (peer)',
              p.sipjsInviteTo200Ms
            ]
          ]
        : []),
      [
        'INVITE -> 200: Dialtone app brain in its own process, answered at the first ring',
        p.dialtoneInviteTo200Ms
      ]
    ]),
    '',
    ...(p.dialtoneFirstStartMs
      ? [
          `The line's first start, with no cache yet (it writes one): ${p.dialtoneFirstStartMs.toFixed(1)} ms (one run).`,
          ''
        ]
      : []),
    "Where Dialtone's start -> registered goes (each step on its own, from the process's own clock):",
    '',
    ...msTable('step', [
      ['Node bootstrap, the code-cache loader and the compile until the bundle runs', b.nodeBootstrap],
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
    "Where the app's INVITE -> 200 goes (from the sockets; each leg on one process's clock):",
    '',
    ...msTable('leg', [
      ['the app: INVITE received -> 180 Ringing sent', p.dialtoneInviteBreakdownMs.appInviteToRinging],
      ['the app: 180 sent -> answered, 200 OK sent', p.dialtoneInviteBreakdownMs.appRingingToOk],
      [
        "the INVITE to the app and its 200 back, through Kamailio (the caller's INVITE -> 200 less the app's)",
        p.dialtoneInviteBreakdownMs.throughKamailioBothWays
      ],
      ...(p.sipjsInviteBreakdownMs
        ? [
            ['bare sip.js peer: INVITE received -> 180 sent', p.sipjsInviteBreakdownMs.appInviteToRinging],
            ['bare sip.js peer: 180 sent -> 200 OK sent', p.sipjsInviteBreakdownMs.appRingingToOk],
            [
              'bare sip.js peer: the INVITE to it and its 200 back, through Kamailio',
              p.sipjsInviteBreakdownMs.throughKamailioBothWays
            ]
          ]
        : [])
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
      // The goal for the app as it ships packaged (no code cache), beside the one run from a checkout.
      ...(p.dialtonePackagedStartToRegisteredMs
        ? [
            [
              'start -> registered, packaged (median)',
              p.dialtonePackagedStartToRegisteredMs.median,
              'sipp',
              p.sippStartToRegisteredMs.median,
              1,
              ' ms',
              100
            ]
          ]
        : []),
      [
        'INVITE -> 200 (median)',
        p.dialtoneInviteTo200Ms.median,
        'sipp UAS',
        p.sippInviteTo200Ms.median,
        1.1,
        ' ms'
      ],
      // The same comparison against a peer on the app's own transport (sipp has no WebSocket): for the reading.
      ...(p.sipjsInviteTo200Ms
        ? [
            [
              'INVITE -> 200 (median), same transport',
              p.dialtoneInviteTo200Ms.median,
              'bare sip.js over WebSocket',
              p.sipjsInviteTo200Ms.median,
              1.1,
              ' ms'
            ]
          ]
        : [])
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
    `| Dialtone renderer JavaScript fetched by the first contentful paint (${u.bundle.beforePaintFiles.length} files) | ${kb(u.bundle.dialtoneBeforePaintJsGzip)} |`,
    `| Dialtone renderer JavaScript fetched to show the first page, no dongle (${u.bundle.firstLoadFiles.length} files; languages: ${u.bundle.localesLoaded.join(', ')}) | ${kb(u.bundle.dialtoneFirstLoadJsGzip)} |`,
    `| the same first page beside a dongle, with its setup wizard (${u.bundle.dongleFirstLoadFiles.length} files) | ${kb(u.bundle.dialtoneDongleFirstLoadJsGzip)} |`,
    `| Dialtone renderer JavaScript, every chunk on disk (pages and languages load on demand) | ${kb(u.bundle.dialtoneJsGzip)} |`,
    `| Dialtone renderer CSS | ${kb(u.bundle.dialtoneCssGzip)} |`,
    '',
    ...msTable('spawn ->', [
      [
        'first contentful paint: bare node:http server, one static page (peer)',
        u.staticFloorSpawnToFirstPaintMs
      ],
      ['first contentful paint: Dialtone web host (`node out/main/web.js`)', u.dialtoneSpawnToFirstPaintMs],
      ["the page's first answer from the app brain over its socket", u.dialtoneSpawnToFirstSocketAnswerMs],
      ['first HTTP answer: bare node:http server (peer)', u.staticFloorSpawnToListeningMs],
      ['first HTTP answer: Dialtone web host', u.dialtoneSpawnToListeningMs]
    ]),
    '',
    ...msTable('navigation ->', [
      ['first contentful paint: the static page (peer)', u.staticFloorNavigationToFirstPaintMs],
      ["first contentful paint: Dialtone's page", u.dialtoneNavigationToFirstPaintMs]
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
      ],
      [
        'renderer JS for the first page beside a dongle (gzip)',
        +kb(u.bundle.dialtoneDongleFirstLoadJsGzip),
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
