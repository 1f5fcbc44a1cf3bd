/**
 * Forwarding and voicemail joined (issue 23), with every real part between them: the app in Chromium (WebRTC),
 * Kamailio on the service's database (forwarding.cfg's unavailable branch, voicemail.cfg's deposit and *98
 * routes), rtpengine relaying the app's WebRTC to plain RTP, and the voicemail server's baresip lines. A call from
 * the app to a line that is not registered, with no forwarding rule, is taken by that line's voicemail; the message
 * is kept (silent deposits are not, so its audio came through the relay), with the caller's number and the reason;
 * nothing is left in the relay after the BYE. The called line's owner then signs in: the lamp is lit, *98 keyed on
 * the handset reaches their own box, whose prompts arrive at the MediaEngine. Loopback-only namespace.
 */
import { networkInterfaces } from 'node:os'
import type { Browser, Page } from 'playwright-core'
import type { z } from 'zod'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { call } from '../../src/main/ipc/dispatcher'
import type { WebHost } from '../../src/main/web/server'
import type { voicemailBox } from '../../src/shared/api/voicemail'
import { launchBrowser, screenshot } from '../support/browser'
import { disposeWithin } from '../support/dispose-within'
import { ENERGY_PROBE, type EnergySample } from '../support/energy-probe'
import { assertIsolatedNetwork, phaseOf, until } from '../support/phone-app'
import { freePort } from '../support/postgres'
import { type Rtpengine, startRtpengine } from '../support/rtpengine'
import { type TrialLine, lineNumber, trialLine } from '../support/service-flows'
import { type SipStack, startSipStack } from '../support/sip-stack'
import type { TestApp } from '../support/test-app'
import { type PhonePage, openPhonePage } from '../support/phone-page'

type VoicemailBox = z.infer<typeof voicemailBox>

let stack: SipStack
let rtpe: Rtpengine
let browser: Browser
let opened: { t: TestApp; host: WebHost; page: Page } | null = null
let caller: TrialLine
let called: TrialLine

beforeAll(async () => {
  assertIsolatedNetwork(Object.keys(networkInterfaces()))
  rtpe = await startRtpengine()
  const voicemailPort = await freePort()
  stack = await startSipStack({
    rtpengineSock: rtpe.sock,
    voicemail: { host: '127.0.0.1', port: voicemailPort, lines: 2, rtpPort: 36000, trusted: ['127.0.0.1'] }
  })
  caller = await trialLine(stack.svc)
  called = await trialLine(stack.svc)
  browser = await launchBrowser()
}, 60_000)

async function close(): Promise<void> {
  if (!opened) return
  await call(opened.t.app.dispatch, 'device.virtual.handset', { offHook: false }).catch(() => undefined)
  await opened.page.close().catch(() => undefined)
  await opened.host.close()
  await disposeWithin(opened.t.app, 10_000, 'voicemail-through-kamailio')
  opened = null
}

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail' && opened)
    await screenshot(opened.page, `failed-vm-kamailio-${task.name.slice(0, 20)}`).catch(() => undefined)
  await close()
})

afterAll(async () => {
  await close()
  await browser?.close()
  await stack?.close()
  await rtpe?.stop()
})

/** The app signed in to the line, registered, on the Phone page with its MediaEngine, the virtual dongle's phone. */
const openApp = (line: TrialLine): Promise<PhonePage> =>
  openPhonePage(browser, stack, line, (o) => (opened = o))

async function dial(t: TestApp, digits: string): Promise<void> {
  await call(t.app.dispatch, 'device.virtual.handset', { offHook: true })
  await phaseOf(t, 'dialTone')
  for (const k of digits) await call(t.app.dispatch, 'device.virtual.press', { key: k as '1' })
}

const box = async (line: TrialLine): Promise<VoicemailBox> =>
  (await stack.svc.api<VoicemailBox>('GET', `/v1/lines/${line.lineId}/voicemail`, undefined, line.token)).body

/** Seconds of audio the MediaEngine received, and whether any of it was loud (WebRTC's audio-level statistics). */
async function heard(page: Page, ms: number): Promise<{ seconds: number; energy: number }> {
  const samples = (await page.evaluate(ENERGY_PROBE(ms))) as EnergySample[]
  const last = samples.at(-1)
  const first = samples[0]
  return { seconds: (last?.d ?? 0) - (first?.d ?? 0), energy: (last?.e ?? 0) - (first?.e ?? 0) }
}

describe('forwarding hands an unanswered call to voicemail through the relay', () => {
  it('takes a WebRTC call to a line that is not registered, keeps its audio, and leaves nothing in the relay', async () => {
    const calledNumber = await lineNumber(stack.svc, called.token, called.lineId)
    expect(calledNumber).toMatch(/^\+1\d{10}$/)
    const { t, page, number } = await openApp(caller)
    await dial(t, calledNumber.slice(1))
    // Kamailio finds no registration, no rule: voicemail answers (its greeting, then the beep).
    await phaseOf(t, 'connected', 20_000)
    const greeting = await heard(page, 6000)
    expect(greeting.seconds, 'audio arrived from the voicemail server').toBeGreaterThan(3)
    expect(greeting.energy, 'the greeting is not silence').toBeGreaterThan(0)
    // Speak for a few seconds after the beep (Chromium's fake microphone), then hang up.
    await new Promise((r) => setTimeout(r, 4000))
    await call(t.app.dispatch, 'device.virtual.handset', { offHook: false })
    await phaseOf(t, 'idle')

    const kept = await until(
      () => box(called),
      (b) => b.messages.length === 1,
      15_000
    )
    const message = kept.messages[0]
    expect(message?.caller).toBe(number)
    expect(message?.reason).toBe('unavailable')
    expect(message?.heard).toBe(false)
    expect(message?.durationMs ?? 0).toBeGreaterThan(1000)
    // The BYE released the relay's call (the deposit branch carried the relay's route parameter).
    await until(
      () => rtpe.calls(),
      (calls) => calls.length === 0,
      5000
    )
    // Record-routed once: a second record_route() for the deposit was refused and logged as an error.
    expect(stack.kam.output()).not.toMatch(/Double attempt to record-route/)
  }, 90_000)

  it('lights the called line’s lamp, and *98 from its handset reaches its own box with the prompts heard', async () => {
    const { t, page } = await openApp(called)
    await until(
      async () => (await call(t.app.dispatch, 'phone.callState', undefined)).voicemailWaiting,
      Boolean,
      15_000
    )
    await dial(t, '*98')
    await phaseOf(t, 'connected', 20_000)
    const prompts = await heard(page, 4000)
    expect(prompts.seconds).toBeGreaterThan(2)
    expect(prompts.energy, 'the box speaks').toBeGreaterThan(0)
    await call(t.app.dispatch, 'device.virtual.handset', { offHook: false })
    await phaseOf(t, 'idle')
    await until(
      () => rtpe.calls(),
      (calls) => calls.length === 0,
      5000
    )
  }, 90_000)
})
