/**
 * The app against the SIP server's line policy (issue 22), in Chromium against the real service and Kamailio,
 * inside the media suite's loopback-only namespace. An account whose promised payment is overdue: the line is in
 * service, so the app dials, and Kamailio refuses with its reason: the call screen words it (English and Persian,
 * the locale's own sentence), the analog phone hears reorder; 933 shows the 911 address on record; 911 still reaches
 * the simulated PSAP with the line's location and callback. A lapsed line: the app keeps it registered, the Phone
 * page says the service has ended, an ordinary number gets reorder with the words, and 911 reaches the PSAP.
 * The PSAP speaks plain RTP and the app WebRTC: rtpengine relays 911 like a carrier call, so the SDP the PSAP
 * receives inside the multipart body is the relay's (plain RTP, G.711), the app's audio reaches the PSAP, which
 * echoes it, and comes back to the app's MediaEngine; nothing stays in rtpengine after a call. 933 reaches the
 * address-test service, which reads the address on record aloud: its speech arrives at the app's MediaEngine
 * through the relay with the loudness envelope of the speech it rendered, and it hangs up once it has spoken.
 */
import { networkInterfaces } from 'node:os'
import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { suspendLine } from '../../src/server/ops/accounts/suspend'
import { syncLine } from '../../src/server/provisioning/lines'
import { bootstrapAdmin } from '../../src/server/ops/operators'
import { call } from '../../src/main/ipc/dispatcher'
import type { WebHost } from '../../src/main/web/server'
import en from '../../src/renderer/src/i18n/locales/en.json'
import fa from '../../src/renderer/src/i18n/locales/fa.json'
import { isolate } from '../../src/shared/i18n/bidi'
import { key } from '../support/billing-flows'
import { audit, launchBrowser, screenshot } from '../support/browser'
import { disposeWithin } from '../support/dispose-within'
import { parseEmergencyInvite } from '../support/emergency-invite'
import { assertIsolatedNetwork, callState, phaseOf, until } from '../support/phone-app'
import { freePort } from '../support/postgres'
import { startPsap } from '../support/psap'
import { type AddressTestService, startAddressTestService } from '../../scripts/lib/address-test-service'
import { envelopeCorrelation, peakEnvelope } from '../support/speech-check'
import { ENERGY_PROBE, type EnergySample } from '../support/energy-probe'
import { type Rtpengine, startRtpengine } from '../support/rtpengine'
import { type TrialLine, trialLine } from '../support/service-flows'
import { type SipStack, startSipStack } from '../support/sip-stack'
import type { TestApp } from '../support/test-app'
import { type PhonePage, openPhonePage } from '../support/phone-page'
import { settleWithin } from '../../src/shared/settle-within'

const DAY = 24 * 60 * 60_000

let stack: SipStack
let rtpe: Rtpengine
let browser: Browser
let psapPort: number
let addressTest: AddressTestService
let opened: { t: TestApp; host: WebHost; page: Page } | null = null

beforeAll(async () => {
  assertIsolatedNetwork(Object.keys(networkInterfaces()))
  psapPort = await freePort()
  const testPort = await freePort()
  addressTest = await startAddressTestService({ port: testPort })
  // 911 and 933 from the app (WebRTC) are relayed to the PSAP's plain RTP, like carrier calls.
  rtpe = await startRtpengine()
  stack = await startSipStack({
    rtpengineSock: rtpe.sock,
    emergencyUri: `sip:127.0.0.1:${psapPort}`,
    addressTestUri: `sip:127.0.0.1:${testPort}`
  })
  browser = await launchBrowser()
}, 60_000)

async function close(): Promise<void> {
  if (!opened) return
  await call(opened.t.app.dispatch, 'device.virtual.handset', { offHook: false }).catch(() => undefined)
  // Bounded like the app's dispose below: once, under load, closing took the hook past its 60 s.
  await settleWithin(opened.page.close(), 10_000)
  await settleWithin(opened.host.close(), 10_000)
  await disposeWithin(opened.t.app, 10_000, 'emergency-app')
  opened = null
}

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail' && opened)
    await screenshot(opened.page, `failed-emergency-${task.name.slice(0, 20)}`).catch(() => undefined)
  await close()
})

afterAll(async () => {
  await close()
  await browser?.close()
  await stack?.close()
  await rtpe?.stop()
  await addressTest?.close()
})

/** The app signed in to the line, on the Phone page, its SIP line registered, with the virtual dongle's phone. */
const openApp = (line: TrialLine): Promise<PhonePage> =>
  openPhonePage(browser, stack, line, (o) => (opened = o))

/** Lifts the virtual handset and keys the digits, as a person on the analog phone. */
async function dial(t: TestApp, digits: string): Promise<void> {
  await call(t.app.dispatch, 'device.virtual.handset', { offHook: true })
  await phaseOf(t, 'dialTone')
  for (const k of digits) await call(t.app.dispatch, 'device.virtual.press', { key: k as '1' })
}

async function hangUp(t: TestApp): Promise<void> {
  await call(t.app.dispatch, 'device.virtual.handset', { offHook: false })
  await phaseOf(t, 'idle')
}

/** 911 from the app: the PSAP must receive the line's location and callback number. */
async function emergencyFromApp(t: TestApp, number: string, located = true): Promise<void> {
  const psap = startPsap({ port: psapPort, calls: 1, located, hangUp: 'atOnce', timeoutS: 20 })
  await psap.ready
  await dial(t, '911')
  await until(
    async () => psap.invites().length,
    (n) => n > 0,
    10_000
  ).catch((err: unknown) => {
    throw new Error(
      `${String(err)}\nPSAP: ${psap.errors().slice(-1000)}\nKamailio: ${stack.kam.output().slice(-3000)}`
    )
  })
  const inv = parseEmergencyInvite(psap.invites()[0] ?? '')
  expect(inv.callback).toBe(number)
  if (located) expect(inv.location?.civic).toMatchObject({ A3: 'Hoboken', RD: 'Washington St', PC: '07030' })
  else expect([inv.location, inv.flaggedNoLocation]).toEqual([null, true])
  expect(inv.sdp).toMatch(/^v=0/)
  // The SDP part inside the multipart body is the relay's plain RTP (G.711), not the app's WebRTC offer.
  expect(inv.sdp).toMatch(/^m=audio \d+ RTP\/AVP [0-9 ]+$/m)
  expect(inv.sdp).not.toMatch(/a=(fingerprint|ice-ufrag|candidate|setup):/)
  expect(inv.sdp).not.toMatch(/opus/i)
  // The PSAP's own BYE reaches the app down the record-routed dialog and the PSAP ends its scenario; a BYE still
  // in flight would otherwise reach the next test's PSAP on the same port.
  expect(await psap.exited, psap.errors().slice(-1000)).toBe(0)
  await hangUp(t)
  // The call's relay session is gone once it ends (the PSAP's BYE, record-routed with the relay's mark).
  await until(
    () => rtpe.calls(),
    (c) => c.length === 0,
    5000
  )
}

describe('the app and the SIP server’s line policy', () => {
  it(
    'words the server’s “calls held” refusal, shows the 911 address on 933, and still sends 911',
    { timeout: 90_000 },
    async () => {
      const line = await trialLine(stack.svc)
      const promise = await stack.svc.api(
        'POST',
        '/v1/balance/promised-payment',
        { idempotencyKey: key() },
        line.token
      )
      expect(promise.status, JSON.stringify(promise.body)).toBe(200)
      stack.svc.clock.advance(4 * DAY + 1000)
      await stack.svc.service.runJobs()
      const { t, page } = await openApp(line)
      const number = (await call(t.app.dispatch, 'phone.status', undefined)).number ?? ''

      await dial(t, '2015550999')
      const refused = await phaseOf(t, 'reorder')
      expect(refused.why).toBe('callsHeld')
      await until(
        async () => (await call(t.app.dispatch, 'media.status', undefined)).report?.tone,
        (tone) => tone === 'reorder'
      )
      for (const [language, words] of [
        // i18next isolates every interpolated value (bidi), as the page shows it.
        ['en', en.phone.callFailed.replace('{{why}}', isolate(en.phone.failure.callsHeld))],
        ['fa', fa.phone.callFailed.replace('{{why}}', isolate(fa.phone.failure.callsHeld))]
      ] as const) {
        await call(t.app.dispatch, 'app.settings.set', { language })
        await page.locator(`html[lang="${language}"]`).waitFor()
        await page
          .getByTestId('call-reason')
          .filter({ hasText: words })
          .waitFor({ timeout: 5000 })
          .catch(async (err: unknown) => {
            throw new Error(
              `${String(err)}\nshown: ${await page
                .getByTestId('call-reason')
                .textContent()
                .catch(() => 'nothing')}`
            )
          })
        await screenshot(page, `calls-held-${language}`)
        expect(await audit(page), language).toEqual([])
      }
      await call(t.app.dispatch, 'app.settings.set', { language: 'en' })
      await hangUp(t)

      // 933: the address on record, on the call screen.
      await dial(t, '933')
      await page
        .getByTestId('address-on-record')
        .filter({ hasText: '12 Washington St, Apt 4, Hoboken, NJ, 07030, US' })
        .waitFor({ timeout: 10_000 })
      await screenshot(page, 'address-test-en')
      await hangUp(t)

      await emergencyFromApp(t, number)
    }
  )

  it(
    'keeps a lapsed line registered: the Phone page says so, other numbers get reorder, 911 goes out',
    { timeout: 90_000 },
    async () => {
      const line = await trialLine(stack.svc)
      stack.svc.clock.advance(31 * DAY)
      await stack.svc.service.runJobs()
      const { t, page } = await openApp(line)
      const number = (await call(t.app.dispatch, 'phone.status', undefined)).number ?? ''
      await page
        .getByTestId('line-problem-reason')
        .filter({ hasText: en.line.problem.serviceLapsed })
        .waitFor({ timeout: 10_000 })

      await dial(t, '2015550999')
      expect((await phaseOf(t, 'reorder')).why).toBe('serviceLapsed')
      await page.getByTestId('call-reason').filter({ hasText: en.phone.why.serviceLapsed }).waitFor()
      await screenshot(page, 'lapsed-en')
      expect(await audit(page)).toEqual([])
      await hangUp(t)

      await emergencyFromApp(t, number)
    }
  )

  it(
    'keeps a line that activated and then lost its 911 address registered: it says so, and 911 reaches the PSAP flagged',
    { timeout: 90_000 },
    async () => {
      const line = await trialLine(stack.svc)
      const ctx = stack.svc.service.ctx
      // The address on record is gone (as when the line moves to a number in another country, whose address must
      // be registered anew): the line is no longer in service but keeps its credentials.
      await ctx.db
        .updateTable('e911_addresses')
        .set({ superseded_at: ctx.clock.now().toISOString() })
        .where('line_id', '=', line.lineId)
        .execute()
      await syncLine(ctx, line.lineId)
      const { t, page } = await openApp(line)
      const number = (await call(t.app.dispatch, 'phone.status', undefined)).number ?? ''
      await page
        .getByTestId('line-problem-reason')
        .filter({ hasText: en.line.problem.addressMissing })
        .waitFor({ timeout: 10_000 })
      expect(await page.getByTestId('line-problem-todo').textContent()).toBe(en.line.todo.addressMissing)
      await dial(t, '2015550999')
      expect((await phaseOf(t, 'reorder')).why).toBe('serviceLapsed')
      await hangUp(t)

      await emergencyFromApp(t, number, false)
    }
  )

  it(
    'keeps a line suspended by support registered for 911: the Phone page says who suspended it, not "renew"',
    { timeout: 90_000 },
    async () => {
      const line = await trialLine(stack.svc)
      const ctx = stack.svc.service.ctx
      const { operator } = await bootstrapAdmin(ctx, { email: 'admin@ops.dialtone.test', name: 'Admin' })
      await suspendLine(ctx, line.lineId, operator.id, 'chargeback fraud report #4411')
      const { t, page } = await openApp(line)
      const number = (await call(t.app.dispatch, 'phone.status', undefined)).number ?? ''
      await page
        .getByTestId('line-problem-reason')
        .filter({ hasText: en.line.problem.serviceSuspended })
        .waitFor({ timeout: 10_000 })
      expect(await page.getByTestId('line-problem-todo').textContent()).toBe(en.line.todo.serviceSuspended)
      expect(await page.getByTestId('line-open-account').count()).toBe(1)
      await screenshot(page, 'suspended-en')
      expect(await audit(page)).toEqual([])
      await dial(t, '2015550999')
      expect((await phaseOf(t, 'reorder')).why).toBe('serviceLapsed')
      await hangUp(t)

      await emergencyFromApp(t, number)
    }
  )
  it(
    'learns of a suspension made while the app runs when the server refuses a call, and says who suspended it',
    { timeout: 90_000 },
    async () => {
      const line = await trialLine(stack.svc)
      const ctx = stack.svc.service.ctx
      const { t, page } = await openApp(line)
      const status = () => call(t.app.dispatch, 'phone.status', undefined)
      expect((await until(status, (s) => s.state === 'registered')).problem).toBeNull()
      // Support suspends the line on the service; nothing tells the running app.
      const admin = await ctx.db
        .selectFrom('operators')
        .select('id')
        .where('role', '=', 'admin')
        .executeTakeFirst()
      const operatorId =
        admin?.id ??
        (await bootstrapAdmin(ctx, { email: 'admin@ops.dialtone.test', name: 'Admin' })).operator.id
      await suspendLine(ctx, line.lineId, operatorId, 'chargeback fraud report #4412')
      await dial(t, '2015550999')
      expect((await phaseOf(t, 'reorder')).why).toBe('notInService')
      await hangUp(t)
      // The refusal made the app read its lines: the status bar and the Phone page now say who and what to do.
      await page
        .getByTestId('line-problem-reason')
        .filter({ hasText: en.line.problem.serviceSuspended })
        .waitFor({ timeout: 10_000 })
      expect(await page.getByTestId('line-problem-todo').textContent()).toBe(en.line.todo.serviceSuspended)
      expect((await status()).problem).toBe('serviceSuspended')
    }
  )
  it(
    'relays 911 media: the app’s WebRTC audio reaches the PSAP’s plain RTP through the relay and comes back',
    { timeout: 90_000 },
    async () => {
      const { t } = await openApp(await trialLine(stack.svc))
      // The PSAP echoes what it hears (sipp -rtp_echo); sipp cannot follow an SDP inside a multipart body, so it
      // cannot play to the caller itself, but an echo needs no SDP: RTP only comes back if the relay carried the
      // app's audio to the PSAP's plain-RTP port and carries the PSAP's back to the app's DTLS-SRTP.
      const psap = startPsap({
        port: psapPort,
        calls: 1,
        located: true,
        timeoutS: 30,
        echoMediaPort: await freePort()
      })
      await psap.ready
      await dial(t, '911')
      await phaseOf(t, 'connected', 15_000)
      const session = await until(
        async () =>
          (await call(t.app.dispatch, 'media.status', undefined)).report?.sessions.find(
            (r) => r.connectionState === 'connected'
          ),
        (r) => (r?.packetsReceived ?? 0) > 50,
        10_000
      )
      console.info(
        `911 through the relay: ${session?.packetsSent} RTP packets sent, ${session?.packetsReceived} received (${session?.codec})`
      )
      expect(session?.codec).toBe('audio/PCMU')
      await hangUp(t)
      expect(await psap.exited, psap.errors().slice(-1000)).toBe(0)
      await until(
        () => rtpe.calls(),
        (c) => c.length === 0,
        5000
      )
    }
  )

  it(
    'reads the 911 address aloud on 933: the speech reaches the app’s MediaEngine through the relay',
    { timeout: 90_000 },
    async () => {
      const { t, page } = await openApp(await trialLine(stack.svc))
      const before = addressTest.calls.length
      await dial(t, '933')
      await phaseOf(t, 'connected', 15_000)
      await page
        .getByTestId('address-on-record')
        .filter({ hasText: '12 Washington St, Apt 4, Hoboken, NJ, 07030, US' })
        .waitFor({ timeout: 10_000 })
      const session = await until(
        async () =>
          (await call(t.app.dispatch, 'media.status', undefined)).report?.sessions.find(
            (r) => r.connectionState === 'connected'
          ),
        (r) => (r?.packetsReceived ?? 0) > 10,
        10_000
      )
      expect(session?.codec).toBe('audio/PCMU')
      // What the app's MediaEngine receives, as energy over time (WebRTC's own audio-level statistics).
      const samples = (await page.evaluate(ENERGY_PROBE(7000))) as EnergySample[]
      const said = addressTest.calls[before]
      expect(said?.speech.text).toContain('12 Washington Street, Apartment 4, Hoboken')
      const heard = energyFrames(samples)
      // The service leads with 300 ms of silence: the rendered speech as sent, in 100 ms frames, measured as
      // WebRTC measures a level (the peak of each 100 ms, squared).
      const sent = peakEnvelope([...new Array<number>(2400).fill(0), ...(said?.speech.pcm ?? [])], 800)
      const match = envelopeCorrelation(sent, heard, 40)
      const loud = heard.filter((e) => e > 0.1).length
      console.info(
        `933 speech at the MediaEngine: ${heard.length} frames of 100 ms, ${loud} loud, envelope r=${match.r.toFixed(2)} at ${match.shift}`
      )
      // Speech, not silence or a steady tone: loud and quiet frames, rising and falling as the words were said.
      expect(loud).toBeGreaterThan(heard.length / 3)
      expect(loud).toBeLessThan(heard.length)
      expect(match.r).toBeGreaterThan(0.6)
      // The service hangs up once it has said it: the call ends at the app and the relay lets it go.
      await until(
        () => callState(t),
        (c) => c.phase !== 'connected',
        15_000
      )
      expect(said?.ended).toBe('said')
      await until(
        () => rtpe.calls(),
        (c) => c.length === 0,
        5000
      )
      await hangUp(t)
    }
  )
})

/** Energy per 100 ms of received audio, from cumulative totals (interpolated on the audio's own clock). */
function energyFrames(samples: readonly EnergySample[]): number[] {
  const out: number[] = []
  const first = samples[0]
  const last = samples[samples.length - 1]
  if (!first || !last) return out
  const at = (d: number): number => {
    const i = samples.findIndex((s) => s.d >= d)
    const b = samples[i]
    const a = samples[i - 1]
    if (!b) return last.e
    if (!a || b.d === a.d) return b.e
    return a.e + ((b.e - a.e) * (d - a.d)) / (b.d - a.d)
  }
  for (let d = Math.ceil(first.d * 10) / 10; d + 0.1 <= last.d; d += 0.1) out.push(at(d + 0.1) - at(d))
  const max = Math.max(...out, 1e-12)
  return out.map((e) => e / max)
}
