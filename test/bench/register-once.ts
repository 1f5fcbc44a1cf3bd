/**
 * One process that starts, registers a line with Dialtone's SipLine and exits: what "process start -> registered"
 * measures. Credentials come from DIALTONE_BENCH_CREDS (JSON). Bundled with esbuild by phone.bench.ts the way
 * electron-vite bundles out/main: one ES module, sip.js and ws inside (scripts/main-bundled-deps.ts), sip.js's
 * grammar decoded once (scripts/sip-grammar-once.ts).
 *
 * It prints where its time went, as one JSON line of milestones in ms since the process started (Node's own
 * clock, performance.now(), starts with the process): Node's bootstrap until this bundle runs, the bundle's
 * modules evaluated, the WebSocket open, the first REGISTER sent, the 401 received, the REGISTER with the digest
 * sent, the 200 received; and the process's CPU time when registered. The socket is watched by wrapping the WebSocket class sip.js uses, so nothing in
 * SipLine changes for the measurement.
 */
import { bundleRunning } from './register-start'
import WS from 'ws'
import { SipLine } from '../../src/main/phone/sip-line'

const modulesLoaded = performance.now()

const at: Record<string, number> = { bundleRunning, modulesLoaded }
let sent = 0
let received = 0
class WatchedWebSocket extends WS {
  constructor(...args: ConstructorParameters<typeof WS>) {
    super(...args)
    at.socketCreated ??= performance.now()
    this.once('open', () => (at.socketOpen = performance.now()))
    this.on('message', () => {
      received++
      if (received === 1) at.challengeReceived = performance.now()
      if (received === 2) at.okReceived = performance.now()
    })
    const send = this.send
    this.send = function (this: InstanceType<typeof WS>, ...a: unknown[]): void {
      sent++
      if (sent === 1) at.registerSent = performance.now()
      if (sent === 2) at.authRegisterSent = performance.now()
      Reflect.apply(send, this, a)
    } as typeof send
  }
}
;(globalThis as { WebSocket?: unknown }).WebSocket = WatchedWebSocket

const creds = JSON.parse(process.env.DIALTONE_BENCH_CREDS ?? '{}')
const line = new SipLine({
  credentials: async () => creds,
  onStatus: (s) => {
    if (s.state === 'registered') {
      at.registered = performance.now()
      // CPU time (user + system) to here: the work itself, which the machine's load does not stretch as it does
      // the wall clock.
      const cpu = process.cpuUsage()
      at.cpuMs = (cpu.user + cpu.system) / 1000
      process.stdout.write(`${JSON.stringify(at)}\n`)
      void line
        .stop()
        .then(() => process.exit(0))
        .catch((err: unknown) => console.error('line.stop failed', err))
    }
    if (s.state === 'failed') process.exit(1)
  }
})
void line.start().catch((err: unknown) => console.error('line.start failed', err))
setTimeout(() => process.exit(2), 10_000).unref()
