#!/usr/bin/env node
/**
 * `npm test`: every suite, in order, whatever the one before did; one summary at the end.
 *   build -> lint (ESLint + Prettier), typecheck, Electronegativity -> vitest (unit + integration) with e2e beside ->
 *   media (WebRTC in a loopback-only network namespace: the journeys with its no-browser files beside them, then
 *   the audio files with the voicemail server's file and usb-vm (QEMU, at the lowest CPU priority) beside them)
 *   -> usb-vm's report
 * Lint, typecheck and build count as one check each; test runners count their tests (read from their JSON
 * reports). A skipped test counts as a failure: CI runs every suite. A test runner that reports fewer tests than
 * its floor in test/floors.json counts one failure more, with a line saying so (scripts/test-floors.mjs says how to
 * raise a floor). The build starts from an empty out/, so no file of an earlier build is tested. Ends with
 * `N passed, N failed`; each suite's line also says how long it took.
 *
 * Lint (ESLint and Prettier), typecheck and Electronegativity run side by side: each is one process on one core,
 * and Electronegativity's first use is mostly an npm install. Their output is held and printed whole, one after
 * the other, when all are done. e2e runs beside vitest (startBesideVitest says why), usb-vm beside the media
 * suite's audio files (startBesideAudio); everything else one suite at a time.
 */
import { spawn, spawnSync } from 'node:child_process'
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs'
import { relative } from 'node:path'
import { stripVTControlCharacters } from 'node:util'
import { floorShortfall, readFloors } from './test-floors.mjs'

const only = process.argv.slice(2)
const results = []
/** The suites that count tests (and so have floors), by the names the summary prints. */
const COUNTED = ['vitest', 'media', 'usb-vm', 'e2e']
const floors = readFloors('test/floors.json', COUNTED)
mkdirSync('test-results', { recursive: true })

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } })
  return r.status === 0
}
/**
 * The same without blocking this process: while it runs, the suite started beside it (usb-vm) is seen to end when
 * it ends (its time is its own, not the blocking run's).
 */
function runBeside(cmd, args) {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { stdio: 'inherit' })
    p.on('error', () => resolve(false))
    p.on('close', (code) => resolve(code === 0))
  })
}
/** The same, without blocking: output held (stdout and stderr in the order written) and handed back at the end. */
function runHeld(cmd, args) {
  return new Promise((resolve) => {
    const chunks = []
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    p.stdout.on('data', (c) => chunks.push(c))
    p.stderr.on('data', (c) => chunks.push(c))
    p.on('error', (err) => chunks.push(Buffer.from(`${cmd}: ${err.message}\n`)))
    p.on('close', (code) => resolve({ ok: code === 0, output: Buffer.concat(chunks).toString() }))
  })
}
/** Commands at once, their output held and joined in the order given; ok when every one succeeded. */
async function runHeldAll(...commands) {
  const done = await Promise.all(commands.map(([cmd, ...args]) => runHeld(cmd, args)))
  return { ok: done.every((r) => r.ok), output: done.map((r) => r.output).join('') }
}
function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'))
  } catch {
    return null
  }
}
/** node:test's TAP summary: `# pass N`, `# fail N` ... */
function readTap(path) {
  let text
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    return null
  }
  const count = (key) => Number(new RegExp(`^# ${key} (\\d+)$`, 'm').exec(text)?.[1] ?? 0)
  return {
    pass: count('pass'),
    fail: count('fail'),
    cancelled: count('cancelled'),
    skipped: count('skipped'),
    todo: count('todo'),
    // Each failed or cancelled test by name (nested subtests are indented `not ok`), for the summary's FAILED lines.
    failures: [...text.matchAll(/^\s*not ok \d+ - (.*)$/gm)].map((m) => failureText(m[1]))
  }
}
function check(name, ok) {
  results.push({ name, passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0 })
}

/**
 * A failure message for the summary, without colour codes, bounded: its first lines (a launcher's captured stderr
 * follows the first line, and a CI log's tail is often all there is to read), the stack left out.
 */
const failureText = (m = '') =>
  stripVTControlCharacters(m)
    .split('\n')
    .filter((l) => !/^\s+at /.test(l))
    .slice(0, 16)
    .map((l) => l.slice(0, 240))
    .join('\n    ')

/** The command and arguments of one `vitest run` writing its JSON report to out (an old report removed first). */
function vitestArgs(out, args, wrapper) {
  rmSync(out, { force: true })
  const [cmd, ...pre] = [...wrapper, 'npx']
  return [
    cmd,
    [...pre, 'vitest', 'run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`]
  ]
}

/**
 * The suite's result from one or more `vitest run`s (each {ok, out}), counted as one suite. A run that left no
 * report counts one failure, named by its report's file; the others count as they are.
 */
function vitestResult(name, runs) {
  const all = runs.map((x) => ({ ok: x.ok, out: x.out, r: readJson(x.out) }))
  const missing = all.filter((x) => !x.r)
  const reports = all.filter((x) => x.r)
  const sum = (f) => reports.reduce((n, x) => n + f(x), 0)
  results.push({
    name,
    passed: sum((x) => x.r.numPassedTests),
    failed: missing.length + sum((x) => x.r.numFailedTests + (x.ok || x.r.numFailedTests > 0 ? 0 : 1)),
    skipped: sum((x) => x.r.numPendingTests + x.r.numTodoTests),
    tests: sum((x) => x.r.numTotalTests),
    // A file can fail outside its tests (a hook, an import): its own message then.
    failures: [
      ...missing.map((x) => `${x.out}: no report (the run ended before writing one; its output is above)`),
      ...reports.flatMap(({ r }) =>
        r.testResults.flatMap((f) => {
          const file = relative(process.cwd(), f.name)
          const tests = f.assertionResults.filter((a) => a.status === 'failed')
          if (tests.length === 0 && f.status === 'failed') return [`${file}: ${failureText(f.message)}`]
          return tests.map((a) => `${file} > ${a.fullName}: ${failureText(a.failureMessages[0])}`)
        })
      )
    ]
  })
}

/** Not blocking this process, so that e2e, started beside it (startBesideVitest), is seen to end when it ends. */
async function vitestSuite(name, out, args) {
  const [cmd, all] = vitestArgs(out, args, [])
  vitestResult(name, [{ ok: await runBeside(cmd, all), out }])
}

/**
 * The media suite as four `vitest run`s, each in a loopback-only network namespace of its own
 * (scripts/netns.mjs): the `sip` project (call forwarding at Kamailio: no browser, no app, no audio measured;
 * sipp and Kamailio waiting out Kamailio's own timers, little CPU) beside the `journeys` project, then the `media`
 * project (the audio files, one at a time) with the `voicemail` project (the voicemail server from its SIP side,
 * little CPU) and usb-vm beside it (startBesideAudio); vitest.media.config.ts says why these groups. The output of
 * a project run beside another goes to a file, printed after the others'. Counted as one suite.
 */
async function mediaSuite() {
  const config = ['--config', 'vitest.media.config.ts']
  const netns = ['node', 'scripts/netns.mjs']
  /** A project started without waiting, its output held in a file; resolves to {ok, out, log, project} at its end. */
  const besideProject = (project) => {
    const out = `test-results/media-${project}.json`
    const log = `test-results/media-${project}.log`
    const [cmd, args] = vitestArgs(out, [...config, '--project', project], netns)
    return startLogged(cmd, args, log).then(({ ok }) => ({ ok, out, log, project }))
  }
  const sip = besideProject('sip')
  const journeysOut = 'test-results/media-journeys.json'
  const [jCmd, jArgs] = vitestArgs(journeysOut, [...config, '--project', 'journeys'], netns)
  const journeysOk = run(jCmd, jArgs)
  const sipDone = await sip
  const voicemail = besideProject('voicemail')
  startBesideAudio()
  const out = 'test-results/media.json'
  const [cmd, all] = vitestArgs(out, [...config, '--project', 'media'], netns)
  const ok = await runBeside(cmd, all)
  const voicemailDone = await voicemail
  for (const held of [sipDone, voicemailDone]) {
    console.log(`\n--- media: the ${held.project} project, run beside another ---`)
    process.stdout.write(readFileSync(held.log, 'utf8'))
  }
  vitestResult('media', [{ ok: journeysOk, out: journeysOut }, { ok, out }, sipDone, voicemailDone])
}

/**
 * A command started without waiting, its output (stdout and stderr in the order written) to a file; resolves to
 * {ok, logPath, seconds} when it ends. For what runs beside another suite: e2e, usb-vm and the media suite's side
 * projects.
 */
function startLogged(cmd, args, logPath, env = {}) {
  const log = openSync(logPath, 'w')
  const started = Date.now()
  const p = spawn(cmd, args, { stdio: ['ignore', log, log], env: { ...process.env, ...env } })
  return new Promise((resolve) => {
    p.on('error', () => resolve(false))
    p.on('close', (code) => resolve(code === 0))
  }).then((ok) => {
    closeSync(log)
    return { ok, logPath, seconds: Math.round((Date.now() - started) / 1000) }
  })
}

/**
 * usb-vm beside the media suite's audio files. The usb-vm suite (test/usb-vm, a QEMU guest) runs single-threaded
 * TCG: it keeps one core busy for 3-5 minutes. It ran beside vitest, whose files keep both cores busy (vmstat: 1-10 %
 * idle), so each slowed the other: vitest 524-532 s with it against 419 s alone, usb-vm 265-284 s. The audio files
 * run one at a time and mostly wait on real time (a greeting played, a tone measured: 283 CPU seconds in 347 s,
 * 0.8 of a core), so usb-vm goes there, at the lowest CPU priority (`nice -n 19`): the files' processes take a
 * core whenever they want one, QEMU the rest. Measured on 2026-12-05 (`npx vitest run --project media` under
 * scripts/netns.mjs): the files 340.6 s alone, 351.6 s with usb-vm beside (53 of 53 both times), usb-vm 196 s
 * there (30 of 30). Its output is held in a file and printed after the media suite's. The voicemail server's file
 * runs beside them too since 2026-12-06 (mediaSuite; vitest.media.config.ts says why): the files 220-224 s with both
 * beside against 288 s with usb-vm alone, usb-vm 159-206 s.
 */
const beside = { usb: null, e2e: null }
function startBesideAudio() {
  beside.usb = wanted('usb') ? usbStart(['nice', '-n', '19']) : null
}

/**
 * e2e beside vitest. e2e is one Playwright worker driving one app, its service and one Chromium, one test after
 * another: about one core (102 CPU seconds in 100 s). vitest's three workers leave some of the second idle (their
 * integration files wait on Kamailio, PostgreSQL and child processes: 327 CPU seconds in 193 s, 1.70 cores). Measured
 * on 2026-12-06 (`npx vitest run` and `npx playwright test`, the build in place): 193 s and 100 s one after the
 * other, both done in 242 s side by side (1949 of 1949 and 50 of 50). Its ports are its own (test/e2e/env.ts);
 * vitest's files listen on ports the system hands out. Its output is held in a file and printed after vitest's.
 */
function startBesideVitest() {
  beside.e2e = wanted('e2e') ? e2eStart() : null
}

const USB_TAP = 'test-results/usb-vm.tap'
const USB_BROKEN_TAP = 'test-results/usb-vm-broken.tap'
/** `prefix`: a command the suite runs under (nice). */
function usbStart(prefix = []) {
  rmSync(USB_TAP, { force: true })
  rmSync(USB_BROKEN_TAP, { force: true })
  const [cmd, ...args] = [...prefix, 'npm', 'run', '--silent', 'test:usb']
  return startLogged(cmd, args, 'test-results/usb-vm.log')
}
/** The suite's counts: the guest's node:test TAP, plus the rig's self-check that a broken profile fails. */
async function usbResult(running) {
  const { ok, logPath, seconds } = await running
  process.stdout.write(readFileSync(logPath, 'utf8'))
  const counts = readTap(USB_TAP)
  if (!counts) return results.push({ name: 'usb-vm', passed: 0, failed: 1, skipped: 0, tests: 0, seconds })
  results.push({
    name: 'usb-vm',
    passed: counts.pass,
    failed: counts.fail + counts.cancelled + (ok || counts.fail > 0 ? 0 : 1),
    skipped: counts.skipped + counts.todo,
    tests: counts.pass + counts.fail + counts.cancelled + counts.skipped + counts.todo,
    failures: counts.failures,
    seconds
  })
  const self = readTap(USB_BROKEN_TAP)
  results.push({
    name: 'usb-vm self-check (broken profile caught)',
    ...(self !== null && self.fail > 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 }),
    skipped: 0,
    seconds
  })
}

const E2E_JSON = 'test-results/playwright.json'
function e2eStart() {
  rmSync(E2E_JSON, { force: true })
  return startLogged('npx', ['playwright', 'test', '--reporter=list,json'], 'test-results/e2e.log', {
    PLAYWRIGHT_JSON_OUTPUT_NAME: E2E_JSON
  })
}
async function e2eResult(running) {
  const { ok, logPath, seconds } = await running
  process.stdout.write(readFileSync(logPath, 'utf8'))
  const r = readJson(E2E_JSON)
  if (!r) return results.push({ name: 'e2e', passed: 0, failed: 1, skipped: 0, tests: 0, seconds })
  const s = r.stats
  results.push({
    name: 'e2e',
    failures: e2eFailures(r),
    passed: s.expected,
    failed: s.unexpected + s.flaky + (ok || s.unexpected > 0 ? 0 : 1),
    skipped: s.skipped,
    tests: s.expected + s.unexpected + s.flaky + s.skipped,
    seconds
  })
}

/** Each e2e test that did not end as expected, by file and title, with the first lines of its error; then what failed outside a test. */
function e2eFailures(report) {
  const out = []
  const walk = (suite) => {
    for (const spec of suite.specs ?? [])
      for (const t of spec.tests ?? [])
        if (t.status !== 'expected' && t.status !== 'skipped') {
          const last = t.results?.at(-1)
          out.push(`${spec.file} > ${spec.title}: ${failureText(last?.error?.message ?? t.status)}`)
        }
    for (const child of suite.suites ?? []) walk(child)
  }
  for (const suite of report.suites ?? []) walk(suite)
  // What failed outside any test: a spec that did not load, a global setup that threw (no test to name it by).
  for (const e of report.errors ?? [])
    out.push(
      `${e.location?.file ?? 'the run'}: ${failureText(e.message ?? e.value ?? 'an error outside any test')}`
    )
  return out
}

const suites = {
  build: () => {
    // A file left by an earlier build (a renamed entry, a deleted page) must not be what the tests load.
    rmSync('out', { recursive: true, force: true })
    check('build', run('npx', ['electron-vite', 'build']))
  },
  // lint, typecheck and security: see SIDE_BY_SIDE below.
  vitest: () => {
    startBesideVitest()
    return vitestSuite('vitest', 'test-results/vitest.json', [])
  },
  // e2e: started beside vitest (startBesideVitest), or here when that suite is not run.
  e2e: () => e2eResult(beside.e2e ?? e2eStart()),
  // Real WebRTC between Chromium pages: only inside a network namespace with nothing but loopback.
  media: mediaSuite,
  // usb-vm: started beside the media suite's audio files (startBesideAudio), or here when that suite is not run.
  usb: () => usbResult(beside.usb ?? usbStart())
}

/** Run at once after the build, each a single-threaded process (see the header). */
const SIDE_BY_SIDE = {
  lint: () =>
    runHeldAll(['npx', 'eslint', '.', '--max-warnings=0'], ['npx', 'prettier', '--check', '.']).then((r) => ({
      ...r,
      name: 'lint'
    })),
  typecheck: () => runHeldAll(['npx', 'tsc', '-b']).then((r) => ({ ...r, name: 'typecheck' })),
  // Doyensec's Electronegativity: no high or medium finding the README does not explain.
  security: () =>
    runHeldAll(['node', 'scripts/electronegativity.mjs']).then((r) => ({ ...r, name: 'electronegativity' }))
}
const wanted = (name) => only.length === 0 || only.includes(name)

async function sideBySide() {
  const names = Object.keys(SIDE_BY_SIDE).filter(wanted)
  if (names.length === 0) return
  console.log(`\n=== ${names.join(' + ')} (side by side) ===`)
  const started = Date.now()
  const done = await Promise.all(
    names.map((name) =>
      SIDE_BY_SIDE[name]().then((r) => ({ ...r, seconds: Math.round((Date.now() - started) / 1000) }))
    )
  )
  for (const [i, r] of done.entries()) {
    console.log(`\n=== ${names[i]} ===`)
    process.stdout.write(r.output)
    results.push({ name: r.name, passed: r.ok ? 1 : 0, failed: r.ok ? 0 : 1, skipped: 0, seconds: r.seconds })
  }
}

for (const [name, suite] of Object.entries(suites)) {
  if (name === 'vitest') await sideBySide()
  if (!wanted(name)) continue
  console.log(`\n=== ${name} ===`)
  const started = Date.now()
  const before = results.length
  await suite()
  // Each suite's wall time beside its counts: CI has a time budget, and this says where it goes.
  for (const r of results.slice(before)) r.seconds ??= Math.round((Date.now() - started) / 1000)
}
if (!existsSync('out/renderer/index.html')) console.warn('warning: no built renderer in out/')

let passed = 0
let failed = 0
console.log('\n=== summary ===')
for (const r of results) {
  const shortfall = r.tests === undefined ? null : floorShortfall(r.name, r.tests, floors)
  if (shortfall) {
    console.log(shortfall)
    r.failed += 1
  }
}
for (const r of results) {
  const bad = r.failed + r.skipped
  console.log(
    `${r.name.padEnd(10)} ${r.passed} passed, ${bad} failed${r.skipped ? ` (${r.skipped} skipped)` : ''}` +
      (r.seconds === undefined ? '' : `  [${r.seconds} s]`)
  )
  passed += r.passed
  failed += bad
}
// The failed tests by name last, where a CI log's tail shows them.
for (const r of results) for (const f of r.failures ?? []) console.log(`FAILED ${r.name}: ${f}`)
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
