/**
 * Mouth-to-ear delay through the media relay, next to a direct browser-to-browser call, in one run: the app in
 * Chromium (its MediaEngine, real WebRTC) sends short 1 kHz bursts from a synthetic microphone (Web Audio) and
 * times how long each takes to come back on the call's received audio:
 *  - relayed: the app calls a carrier number; rtpengine (userspace) bridges to sipp, which echoes the RTP back
 *    (`-rtp_echo`), so a burst crosses the relay twice: app -> relay -> carrier -> relay -> app (PCMU);
 *  - direct: the app calls a second app page, which plays what it hears back into its own microphone (Web Audio),
 *    so a burst crosses two browser pipelines (the far page's jitter buffer and playout included) (Opus).
 * One-way mouth-to-ear is taken as half the round trip. Runs in the loopback-only namespace:
 *   node scripts/netns.mjs node --import tsx test/bench/relay-delay.bench.ts   (part of `npm run bench`)
 */
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { createServiceClient } from '../../src/main/account/service-client'
import { call } from '../../src/main/ipc/dispatcher'
import { memoryVault } from '../../src/main/store/secret-vault'
import { saveGateway, savePrefix } from '../../src/server/carriers/routes'
import { gatewayArgs, gatewayScenario } from '../../scripts/lib/carrier-scenarios'
import { appUrl, hostPage, launchBrowser } from '../support/browser'
import { phaseOf, until } from '../support/phone-app'
import { freePort } from '../support/postgres'
import { startRtpengine } from '../support/rtpengine'
import { type TestApp, testApp } from '../support/test-app'
import { startBenchStack } from './bench-lines'
import { stat } from './stats'

const BURSTS = 15

/** The synthetic microphone, the echo (for the far page) and the burst timer (for the caller), as page script. */
const AUDIO_RIG = `{
  const Native = window.RTCPeerConnection
  window.__pcs = []
  window.RTCPeerConnection = class extends Native {
    constructor(c) { super(c); window.__pcs.push(this) }
  }
  let ctx, gain, dest
  const rig = () => {
    if (ctx) return
    ctx = new AudioContext()
    dest = ctx.createMediaStreamDestination()
    const osc = ctx.createOscillator()
    osc.frequency.value = 1000
    gain = ctx.createGain()
    gain.gain.value = 0
    osc.connect(gain).connect(dest)
    osc.start()
  }
  const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices)
  navigator.mediaDevices.getUserMedia = async (c) => {
    if (!c || !c.audio) return original(c)
    rig()
    await ctx.resume()
    return new MediaStream(dest.stream.getAudioTracks().map((t) => t.clone()))
  }
  const received = () => {
    const pc = window.__pcs.find((p) => p.connectionState === 'connected')
    const track = pc && pc.getReceivers().map((r) => r.track).find((t) => t && t.kind === 'audio')
    if (!track) throw new Error('no connected call')
    return ctx.createMediaStreamSource(new MediaStream([track]))
  }
  window.__echo = () => received().connect(dest)
  window.__bursts = async (n) => {
    const an = ctx.createAnalyser()
    an.fftSize = 256
    received().connect(an)
    const buf = new Float32Array(an.fftSize)
    const level = () => {
      an.getFloatTimeDomainData(buf)
      let m = 0
      for (const v of buf) m = Math.max(m, Math.abs(v))
      return m
    }
    const out = []
    for (let i = 0; i < n; i++) {
      await new Promise((r) => setTimeout(r, 500))
      if (level() > 0.05) throw new Error('the line is not quiet before a burst')
      gain.gain.value = 0.5
      const t0 = performance.now()
      let heard = null
      while (performance.now() - t0 < 2000) {
        await new Promise((r) => setTimeout(r, 1))
        if (level() > 0.1) { heard = performance.now() - t0; break }
      }
      gain.gain.value = 0
      if (heard === null) throw new Error('a burst did not come back')
      out.push(heard)
    }
    return out
  }
}`

const rtpe = await startRtpengine()
const gwPort = await freePort()
const echoPort = await freePort()
const stack = await startBenchStack('relay', {
  rtpengineSock: rtpe.sock,
  async beforeKamailio(db) {
    await saveGateway(
      db,
      { name: 'echo', routeSet: 1, host: '127.0.0.1', port: gwPort, priority: 10, direction: 'out' },
      new Date()
    )
    await savePrefix(db, { prefix: '1', routeSet: 1 })
  }
})
const dir = mkdtempSync(join(tmpdir(), 'dialtone-bench-relay-'))
writeFileSync(join(dir, 'echo.xml'), gatewayScenario({ answer: 'record', mediaPort: echoPort }))
const echo = spawn(
  'sipp',
  ['-sf', join(dir, 'echo.xml'), ...gatewayArgs(gwPort, echoPort), '-rtp_echo', '-nostdin'],
  {
    stdio: 'ignore',
    cwd: dir
  }
)
const browser = await launchBrowser()

async function appPage(
  name: string
): Promise<{ t: TestApp; page: Page; number: string; close(): Promise<void> }> {
  const line = await stack.line(name)
  const t = testApp({
    service: createServiceClient(),
    vault: memoryVault(),
    settingsDefaults: { serviceUrl: stack.base }
  })
  t.app.start()
  await call(t.app.dispatch, 'account.signIn', { identifier: line.email, password: line.password })
  const status = await until(
    () => call(t.app.dispatch, 'phone.status', undefined),
    (s) => s.state === 'registered',
    20_000
  )
  const { host, page } = await hostPage(browser, t)
  await page.addInitScript(AUDIO_RIG)
  await page.goto(appUrl(host))
  await until(
    () => call(t.app.dispatch, 'media.status', undefined),
    (m) => m.engineId !== null && m.report !== null
  )
  return {
    t,
    page,
    number: status.number ?? '',
    async close() {
      await page.close()
      await host.close()
      await t.app.dispose()
    }
  }
}

async function connected(t: TestApp): Promise<void> {
  await phaseOf(t, 'connected', 15_000)
  await until(
    () => call(t.app.dispatch, 'media.status', undefined),
    (m) =>
      m.report?.sessions.some((s) => s.connectionState === 'connected' && s.packetsReceived > 20) ?? false,
    15_000
  )
}

const a = await appPage('caller')
const b = await appPage('far')
b.t.app.events.subscribe((name, payload) => {
  if (name === 'phone.callStateChanged' && (payload as { phase: string }).phase === 'ringing')
    void call(b.t.app.dispatch, 'phone.answer', undefined).catch(() => undefined)
})

// Relayed: a carrier number, echoed by sipp behind rtpengine.
await call(a.t.app.dispatch, 'phone.dial', { number: '+12128675309' })
await connected(a.t)
const relayed = await a.page.evaluate<number[]>(`window.__bursts(${BURSTS})`)
await call(a.t.app.dispatch, 'phone.hangup', undefined)
await phaseOf(a.t, 'idle')

// Direct: the other app page, which plays what it hears back into its microphone.
await call(a.t.app.dispatch, 'phone.dial', { number: b.number })
await connected(a.t)
await connected(b.t)
await b.page.evaluate('window.__echo()')
const direct = await a.page.evaluate<number[]>(`window.__bursts(${BURSTS})`)
await call(a.t.app.dispatch, 'phone.hangup', undefined)

const half = (xs: number[]) => xs.map((x) => x / 2)
const result = {
  environment: `Chromium (Debian), ${BURSTS} bursts per call, loopback-only namespace, rtpengine userspace; one-way = round trip / 2`,
  relayedRoundTripMs: stat(relayed),
  relayedOneWayMs: stat(half(relayed)),
  directRoundTripMs: stat(direct),
  directOneWayMs: stat(half(direct))
}
mkdirSync('test-results/bench', { recursive: true })
writeFileSync('test-results/bench/relay-delay.json', JSON.stringify(result, null, 2))
console.log(JSON.stringify(result, null, 2))

await a.close()
await b.close()
await browser.close()
echo.kill()
await stack.close()
await rtpe.stop()
process.exit(0)
