/**
 * The SIP line against one real Kamailio, in one run, next to two independent SIP stacks:
 *  - process start -> registered: Dialtone's SipLine started as Electron's main starts (bundled as CommonJS by
 *    scripts/main-commonjs.ts, as out/main/electron-main.cjs is, and run through the same code-cache loader,
 *    src/main/boot/code-cache.ts: register-boot.ts; its first start, which writes the cache, timed once apart),
 *    the same line as main was before (one ES module compiled at every start) alternating with it, sipp (an
 *    authenticated REGISTER scenario) and baresip, a fresh process per run, alternating; Dialtone's time split
 *    where it goes (Node's bootstrap, the modules, the WebSocket, each REGISTER and its answer, as
 *    register-once.ts reports them) next to an empty Node process started the same way. The line's process and
 *    the empty one start without this machine's NODE_EXTRA_CA_CERTS (Node reads that CA file before any script
 *    runs, ~100 ms here; a person's computer does not set it, and sipp and baresip never read it); an empty Node
 *    process with it is measured beside them so the cost stays on record;
 *  - INVITE -> 200 OK: one caller (sip.js, signalling only) calls Dialtone's app brain (answering the moment it
 *    rings, as a lifted handset would), a bare sip.js user agent over the same WebSocket (answer-sipjs.ts: the
 *    same-transport peer, since sipp and baresip answer over UDP), baresip (auto-answer) and sipp's UAS,
 *    alternating; for the app and the bare sip.js peer, where the time goes from the sockets (sip-timings.ts):
 *    the caller's INVITE to it, its INVITE -> 180 -> 200, the 200 back to the caller.
 * Runs inside the isolated network namespace (baresip needs its dead-end veth):
 *   node scripts/netns.mjs node --import tsx test/bench/phone.bench.ts   (part of `npm run bench`)
 */
import { spawn } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Inviter, SessionState, UserAgent } from 'sip.js'
import { startBaresip } from '../support/baresip'
import { freePort } from '../support/postgres'
import { REGISTER_SCENARIO, UAS_ANSWER_SCENARIO, sippRegisterAt, sippRun, sippServer } from '../support/sipp'
import { bundleLikeMain } from '../../scripts/main-commonjs'
import { registeredCaller, startBenchStack } from './bench-lines'
import { type InviteTimes, watchInvites } from './sip-timings'
import { stat } from './stats'

const RUNS = 20
// INVITE -> 200 is a few ms against a scheduler's noise of as much on a shared machine: twice the calls, so the
// medians (and their ratio) move less from run to run. Each is cheap (one call, no process start).
const CALLS = 40
const stack = await startBenchStack('phone')
const [ours, bare, sippLine, caller, sipjs] = [
  await stack.line('dialtone'),
  await stack.line('baresip'),
  await stack.line('sipp'),
  await stack.line('caller'),
  await stack.line('sipjs')
]
const proxyPort = stack.plan.sipPort

// --- process start -> registered --------------------------------------------------------------------------
// Inside the repository, so the dependencies main leaves external resolve from its node_modules as main's do.
const dir = join(import.meta.dirname, '../../test-results/bench/phone-bundles')
mkdirSync(dir, { recursive: true })
const bundled = async (entry: string, format: 'esm' | 'cjs'): Promise<string> => {
  const outfile = join(dir, entry.replace(/\.ts$/, format === 'esm' ? '.mjs' : '.cjs'))
  await bundleLikeMain(join(import.meta.dirname, entry), outfile, format)
  return outfile
}
// The line as the app ships it: CommonJS through the code-cache loader, as out/main/index.js runs Electron's main.
const lineBundle = await bundled('register-once.ts', 'cjs')
const lineBoot = await bundled('register-boot.ts', 'esm')
const lineCache = join(dir, 'register-once.v8cache')
// The line as main was before the code cache (one ES module, compiled at every start), timed beside it.
const esmBundle = await bundled('register-once.ts', 'esm')
const answerBundle = await bundled('answer-app.ts', 'esm')
const sipjsBundle = await bundled('answer-sipjs.ts', 'esm')

function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const t0 = performance.now()
  const p = spawn(cmd, args, { stdio: 'ignore', env })
  return new Promise((resolve, reject) =>
    p.once('exit', (code) =>
      code === 0 ? resolve(performance.now() - t0) : reject(new Error(`${cmd} exited ${code}`))
    )
  )
}

/**
 * Spawn -> the process's first line of output in ms (register-once prints it the moment the line is registered,
 * then un-registers and exits, which is not part of the measure), with that line; the process must exit 0.
 */
function timedToFirstLine(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env
): Promise<{ ms: number; line: string }> {
  const t0 = performance.now()
  const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'], env })
  let out = ''
  let ms = 0
  p.stdout.on('data', (d: Buffer) => {
    out += d.toString()
    if (!ms && out.includes('\n')) ms = performance.now() - t0
  })
  return new Promise((resolve, reject) =>
    p.once('exit', (code) =>
      code === 0 && ms
        ? resolve({ ms, line: out.split('\n')[0] ?? '' })
        : reject(new Error(`${cmd} exited ${code}`))
    )
  )
}

/** The milestones register-once.ts prints, ms since its process started. */
const MILESTONES = [
  'bundleRunning',
  'modulesLoaded',
  'socketCreated',
  'socketOpen',
  'registerSent',
  'challengeReceived',
  'authRegisterSent',
  'okReceived',
  'registered'
] as const
type Milestones = Record<(typeof MILESTONES)[number] | 'cpuMs', number>
const marks: Milestones[] = []

async function baresipRegistered(): Promise<number> {
  const b = await startBaresip({
    aor: `${bare.creds.username}@dialtone.test`,
    password: bare.creds.password,
    proxyPort
  })
  await b.waitFor(/200 OK .*\[1 binding\]/)
  const ms = performance.now() - b.startedAt
  await b.stop()
  return ms
}

const reg = {
  ours: [] as number[],
  packaged: [] as number[],
  esm: [] as number[],
  esmCpu: [] as number[],
  sipp: [] as number[],
  baresip: [] as number[],
  node: [] as number[],
  nodeExtraCa: [] as number[]
}
// This machine's environment minus NODE_EXTRA_CA_CERTS (see the header): what a person's computer starts with.
const { NODE_EXTRA_CA_CERTS: extraCa, ...plain } = process.env
const env = { ...plain, DIALTONE_BENCH_CREDS: JSON.stringify({ ...ours.creds, number: null }) }
const sippRegister = sippRun(proxyPort, REGISTER_SCENARIO, sippLine.creds)
// The first start after an install or update: no cache yet; it writes one as it exits (after its registration, so
// the lazily compiled functions are in it). Timed once, on its own.
rmSync(lineCache, { force: true })
const firstStart = await timedToFirstLine(process.execPath, [lineBoot, lineBundle, lineCache], env)
for (let i = 0; i < RUNS; i++) {
  const run = await timedToFirstLine(process.execPath, [lineBoot, lineBundle, lineCache], env)
  reg.ours.push(run.ms)
  const m = JSON.parse(run.line) as Partial<Milestones>
  const missing = [...MILESTONES, 'cpuMs' as const].filter((k) => typeof m[k] !== 'number')
  if (missing.length > 0) throw new Error(`register-once did not report ${missing.join(', ')}`)
  marks.push(m as Milestones)
  // A packaged app's start: the same CommonJS bundle through the same loader, no cache (mainCodeCacheFile).
  reg.packaged.push((await timedToFirstLine(process.execPath, [lineBoot, lineBundle, 'none'], env)).ms)
  const esm = await timedToFirstLine(process.execPath, [esmBundle], env)
  reg.esm.push(esm.ms)
  reg.esmCpu.push((JSON.parse(esm.line) as Milestones).cpuMs)
  reg.node.push(await timed(process.execPath, ['-e', ''], plain))
  if (extraCa) reg.nodeExtraCa.push(await timed(process.execPath, ['-e', ''], process.env))
  reg.sipp.push(await timed('sipp', sippRegister))
  reg.baresip.push(await baresipRegistered())
}

// --- INVITE -> 200 OK --------------------------------------------------------------------------------------
// The caller's sockets note each INVITE's times; the app and the bare sip.js peer, each in its own process, report
// their side (answer-app.ts, answer-sipjs.ts).
const invites = watchInvites()
;(globalThis as { WebSocket?: unknown }).WebSocket = invites.Socket
/**
 * A called side in its own process (answer-app.ts, answer-sipjs.ts): ready once its line is registered; per
 * answered call, its socket times by Call-ID.
 */
async function answerer(
  bundleFile: string,
  input: Record<string, string>
): Promise<{ side: Map<string, InviteTimes>; stop(): void }> {
  const side = new Map<string, InviteTimes>()
  const child = spawn(process.execPath, [bundleFile], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...plain, ...input }
  })
  await new Promise<void>((resolve, reject) => {
    let pending = ''
    child.once('exit', (code) => reject(new Error(`${bundleFile} exited ${code}`)))
    child.stdout.on('data', (d: Buffer) => {
      pending += d.toString()
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
        const m = JSON.parse(pending.slice(0, nl)) as { ready?: boolean; callId?: string } & InviteTimes
        pending = pending.slice(nl + 1)
        if (m.ready) resolve()
        if (m.callId) side.set(m.callId, m)
      }
    })
  })
  return {
    side,
    stop() {
      child.removeAllListeners('exit')
      child.kill('SIGTERM')
    }
  }
}
const app = await answerer(answerBundle, {
  DIALTONE_BENCH_APP: JSON.stringify({ serviceUrl: stack.base, email: ours.email, password: ours.password })
})
const sipjsPeer = await answerer(sipjsBundle, { DIALTONE_BENCH_CREDS: JSON.stringify(sipjs.creds) })
const peer = await startBaresip({
  aor: `${bare.creds.username}@dialtone.test`,
  password: bare.creds.password,
  proxyPort,
  autoAnswer: true
})
await peer.waitFor(/200 OK .*\[1 binding\]/)
const uasPort = await freePort()
await sippRegisterAt(proxyPort, sippLine.creds, uasPort)
const uas = sippServer(UAS_ANSWER_SCENARIO, uasPort, CALLS, 600)

const ua = await registeredCaller(caller.creds)

async function inviteTo(username: string): Promise<number> {
  const target = UserAgent.makeURI(`sip:${username}@dialtone.test`)
  if (!target) throw new Error('bad target')
  const inviter = new Inviter(ua, target)
  const established = new Promise<void>((resolve, reject) =>
    inviter.stateChange.addListener((s) => {
      if (s === SessionState.Established) resolve()
      if (s === SessionState.Terminated) reject(new Error(`the call to ${username} was not answered`))
    })
  )
  const t0 = performance.now()
  await inviter.invite()
  await established
  const ms = performance.now() - t0
  const ended = new Promise<void>((r) =>
    inviter.stateChange.addListener((s) => s === SessionState.Terminated && r())
  )
  await inviter.bye()
  await ended
  await new Promise((r) => setTimeout(r, 100))
  return ms
}

const setup = {
  ours: [] as number[],
  baresip: [] as number[],
  sipp: [] as number[],
  sipjs: [] as number[]
}
const ourCalls: InviteTimes[] = []
const sipjsCalls: InviteTimes[] = []
/** One call to a called side in its own process, with both ends' socket times (each on its own process's clock). */
async function timedCall(
  username: string,
  side: Map<string, InviteTimes>,
  into: number[],
  legs: InviteTimes[]
): Promise<void> {
  const before = new Set(invites.times.keys())
  into.push(await inviteTo(username))
  const [id, callerSide] = [...invites.times].find(([k]) => !before.has(k)) ?? []
  const called = id ? side.get(id) : undefined
  if (
    !callerSide?.inviteSent ||
    !callerSide.okReceived ||
    !called?.inviteReceived ||
    !called.ringingSent ||
    !called.okSent
  )
    throw new Error(`the call to ${username} did not show its INVITE and 200 at both ends`)
  // Caller's times on its clock, the called side's on its own: legsOf subtracts only times of one side.
  legs.push({
    inviteSent: callerSide.inviteSent,
    inviteReceived: called.inviteReceived,
    ringingSent: called.ringingSent,
    okSent: called.okSent,
    okReceived: callerSide.okReceived
  })
}
for (let i = 0; i < CALLS; i++) {
  await timedCall(ours.creds.username, app.side, setup.ours, ourCalls)
  await timedCall(sipjs.creds.username, sipjsPeer.side, setup.sipjs, sipjsCalls)
  setup.baresip.push(await inviteTo(bare.creds.username))
  setup.sipp.push(await inviteTo(sippLine.creds.username))
}
/**
 * Each leg of a called side's calls, each a difference of two times on ONE process's clock: the called side's own
 * legs on its clock, and the rest (the INVITE there and the 200 back, through Kamailio) as the caller's whole
 * INVITE -> 200 less the called side's INVITE -> 200. Two processes' wall clocks (performance.timeOrigin) were
 * seen to disagree by 50-60 ms on this machine, which split the way there and back into +63 and -60 ms.
 */
const legsOf = (calls: InviteTimes[]) => ({
  appInviteToRinging: stat(calls.map((t) => (t.ringingSent ?? 0) - (t.inviteReceived ?? 0))),
  appRingingToOk: stat(calls.map((t) => (t.okSent ?? 0) - (t.ringingSent ?? 0))),
  throughKamailioBothWays: stat(
    calls.map((t) => (t.okReceived ?? 0) - (t.inviteSent ?? 0) - ((t.okSent ?? 0) - (t.inviteReceived ?? 0)))
  )
})

const result = {
  environment: `Kamailio 5.6 on loopback reading the service's SQLite, in an isolated network namespace; ${RUNS} starts and ${CALLS} calls each, alternating; Node ${process.version}`,
  dialtoneStartToRegisteredMs: stat(reg.ours),
  // The line process's CPU time (user + system) when registered: its own work, less stretched by the load.
  dialtoneCpuToRegisteredMs: stat(marks.map((m) => m.cpuMs)),
  // The same line's first start, before any cache (one run), and the line as main was before the code cache: one
  // ES module, compiled at every start (alternating with the shipped one).
  dialtoneFirstStartMs: firstStart.ms,
  // As a packaged app starts: no code cache (its data folder is not trusted with code; code-cache.ts).
  dialtonePackagedStartToRegisteredMs: stat(reg.packaged),
  esmNoCacheStartToRegisteredMs: stat(reg.esm),
  esmNoCacheCpuToRegisteredMs: stat(reg.esmCpu),
  nodeEmptyProcessMs: stat(reg.node),
  nodeEmptyProcessExtraCaMs: extraCa ? stat(reg.nodeExtraCa) : null,
  // Each step's own duration, from the milestones: where the time to a dial tone goes.
  dialtoneBreakdownMs: {
    nodeBootstrap: stat(marks.map((m) => m.bundleRunning)),
    modules: stat(marks.map((m) => m.modulesLoaded - m.bundleRunning)),
    credentialsAndUserAgent: stat(marks.map((m) => m.socketCreated - m.modulesLoaded)),
    webSocketConnect: stat(marks.map((m) => m.socketOpen - m.socketCreated)),
    firstRegister: stat(marks.map((m) => m.registerSent - m.socketOpen)),
    challengeRoundTrip: stat(marks.map((m) => m.challengeReceived - m.registerSent)),
    digestAndSecondRegister: stat(marks.map((m) => m.authRegisterSent - m.challengeReceived)),
    okRoundTrip: stat(marks.map((m) => m.okReceived - m.authRegisterSent)),
    reportRegistered: stat(marks.map((m) => m.registered - m.okReceived))
  },
  sippStartToRegisteredMs: stat(reg.sipp),
  baresipStartToRegisteredMs: stat(reg.baresip),
  dialtoneInviteTo200Ms: stat(setup.ours),
  // Each leg of the app's calls, from the sockets' clocks (one process, one clock).
  dialtoneInviteBreakdownMs: legsOf(ourCalls),
  // The same-transport peer: bare sip.js over the same WebSocket, answering at once (answer-sipjs.ts).
  sipjsInviteTo200Ms: stat(setup.sipjs),
  sipjsInviteBreakdownMs: legsOf(sipjsCalls),
  baresipInviteTo200Ms: stat(setup.baresip),
  sippInviteTo200Ms: stat(setup.sipp)
}
mkdirSync('test-results/bench', { recursive: true })
writeFileSync('test-results/bench/phone.json', JSON.stringify(result, null, 2))
console.log(JSON.stringify(result, null, 2))
await ua.stop()
uas.kill()
await peer.stop()
app.stop()
sipjsPeer.stop()
await stack.close()
process.exit(0)
