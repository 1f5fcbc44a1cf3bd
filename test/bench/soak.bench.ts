/**
 * Main-process memory after an hour of simulated use, next to the same process just after start: the app brain
 * (soak-brain.ts, alone in its own process so nothing else is counted) signed in and registered through the real
 * service and Kamailio, then an hour's worth of use, compressed: per hour, 60 incoming calls from a sip.js caller
 * (three in four answered, held, hung up by the caller then the handset; one in four missed, cancelled while
 * ringing) and 60 hotplugs (the recorded TigerJet unplugged and plugged back on the fake bus). Memory is read after
 * a full garbage collection: after start, after a warm-up of 5 cycles, every 15 cycles, and once more after 35 s
 * idle (past SIP's Timer L, which keeps the last 32 s of answered calls' transactions by design). A leak shows as
 * growth between the warm-up and that last figure.
 *   node --import tsx test/bench/soak.bench.ts   (part of `npm run bench`; DIALTONE_SOAK_HOURS=2 for two hours;
 *   DIALTONE_SOAK_SNAPSHOT=1 writes heap snapshots after the warm-up and at the end to /tmp for a diff)
 */
import { fork } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { Inviter, SessionState, UserAgent } from 'sip.js'
import WebSocket from 'ws'
import { registeredCaller, startBenchStack } from './bench-lines'
import type { SoakCommand, SoakMessage } from './soak-brain'

const HOURS = Number(process.env.DIALTONE_SOAK_HOURS ?? 1)
const CYCLES = 60 * HOURS
const WARM_UP = 5
const MiB = (n: number): number => +(n / 1048576).toFixed(1)

;(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket
const stack = await startBenchStack('soak')
const [ours, caller] = [await stack.line('dialtone'), await stack.line('caller')]

const brain = fork(new URL('./soak-brain.ts', import.meta.url).pathname, [], {
  execArgv: ['--expose-gc', '--import', 'tsx'],
  env: {
    ...process.env,
    DIALTONE_SOAK: JSON.stringify({ base: stack.base, email: ours.email, password: ours.password })
  }
})
const waiters = new Set<(m: SoakMessage) => boolean>()
brain.on('message', (m: SoakMessage) => {
  for (const w of waiters) if (w(m)) waiters.delete(w)
})
const next = (match: (m: SoakMessage) => boolean, what: string, ms = 15_000): Promise<SoakMessage> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the brain did not report ${what} within ${ms} ms`)), ms)
    waiters.add((m) => {
      if (!match(m)) return false
      clearTimeout(timer)
      resolve(m)
      return true
    })
  })
const ask = (op: SoakCommand): Promise<SoakMessage> => {
  const answer = next((m) => m.kind === 'done' && m.op === op, op)
  brain.send(op)
  return answer
}
const phase = (p: string): Promise<SoakMessage> =>
  next((m) => m.kind === 'phase' && m.phase === p, `phase ${p}`)

await next((m) => m.kind === 'ready', 'registered', 30_000)
await ask('plug')
await new Promise((r) => setTimeout(r, 500))

const ua = await registeredCaller(caller.creds)
const target = UserAgent.makeURI(`sip:${ours.creds.username}@dialtone.test`)
if (!target) throw new Error('bad target')

/** One incoming call: answered, held and hung up, or missed (cancelled while it rings). */
async function incomingCall(answered: boolean): Promise<void> {
  const inviter = new Inviter(ua, target as NonNullable<typeof target>)
  const state = (s: SessionState): Promise<void> =>
    new Promise((r) => inviter.stateChange.addListener((x) => x === s && r()))
  const ringing = phase('ringing')
  const established = state(SessionState.Established)
  const terminated = state(SessionState.Terminated)
  await inviter.invite()
  await ringing
  if (!answered) {
    const idle = phase('idle')
    await new Promise((r) => setTimeout(r, 200))
    await inviter.cancel()
    await terminated
    await idle
    return
  }
  await ask('answer')
  await established
  await new Promise((r) => setTimeout(r, 200))
  await inviter.bye()
  await terminated
  const idle = phase('idle')
  await ask('hangup')
  await idle
}

interface Sample {
  readonly cycle: number
  readonly heapUsedMiB: number
  readonly rssMiB: number
  readonly externalMiB: number
}
const samples: Sample[] = []
async function sample(cycle: number): Promise<void> {
  const m = await ask('memory')
  if (m.kind !== 'done' || !m.memory) throw new Error('no memory figures')
  samples.push({
    cycle,
    heapUsedMiB: MiB(m.memory.heapUsed),
    rssMiB: MiB(m.memory.rss),
    externalMiB: MiB(m.memory.external)
  })
}

await sample(0)
const t0 = performance.now()
let calls = 0
let missed = 0
for (let cycle = 1; cycle <= CYCLES; cycle++) {
  const answered = cycle % 4 !== 0
  await incomingCall(answered)
  if (answered) calls++
  else missed++
  await ask('unplug')
  await new Promise((r) => setTimeout(r, 50))
  await ask('plug')
  await new Promise((r) => setTimeout(r, 100))
  if (cycle === WARM_UP || cycle % 15 === 0 || cycle === CYCLES) await sample(cycle)
  if (process.env.DIALTONE_SOAK_SNAPSHOT && cycle === WARM_UP) await ask('snapshot')
}
const seconds = (performance.now() - t0) / 1000
// SIP keeps each answered INVITE's server transaction for Timer L (64 x T1 = 32 s, RFC 6026) to absorb retransmitted
// 2xx ACKs; in a compressed hour that is the last 32 s of calls. Idle past it, so what remains is what stays.
await new Promise((r) => setTimeout(r, 35_000))
await sample(CYCLES + 1)
if (process.env.DIALTONE_SOAK_SNAPSHOT) await ask('snapshot')
await ask('stop')
await ua.stop()
await stack.close()

const start = samples[0] as Sample
const warm = samples.find((x) => x.cycle === WARM_UP) as Sample
const busy = samples.find((x) => x.cycle === CYCLES) as Sample
const settled = samples.at(-1) as Sample
const result = {
  environment: `the app brain alone in a Node ${process.version} process (--expose-gc, memory read after a full collection), the real service and Kamailio on loopback; ${HOURS} simulated hour(s) in ${seconds.toFixed(0)} s, then 35 s idle`,
  simulated: { hours: HOURS, answeredCalls: calls, missedCalls: missed, hotplugs: CYCLES },
  afterStart: start,
  afterWarmUp: warm,
  atEndOfUse: busy,
  afterUseSettled: settled,
  heapGrowthMiB: +(settled.heapUsedMiB - start.heapUsedMiB).toFixed(1),
  heapGrowthAfterWarmUpMiB: +(settled.heapUsedMiB - warm.heapUsedMiB).toFixed(1),
  samples
}
mkdirSync('test-results/bench', { recursive: true })
writeFileSync('test-results/bench/soak.json', JSON.stringify(result, null, 2))
console.log(JSON.stringify(result, null, 2))
