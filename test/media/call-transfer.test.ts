/**
 * Blind call transfer from the screen (issue 23 item 5) with the real stack: the app in Chromium talks to B, a
 * carrier's party (baresip behind a carrier gateway, through rtpengine, sending 1000 Hz); the person transfers B
 * to T, another Dialtone line (baresip registered with Kamailio, sending 1500 Hz). The app sends REFER through
 * Kamailio; B follows it with a new INVITE through Kamailio (an allowed carrier source) to T's number; B's NOTIFY
 * says it got through; the app leaves (BYE) and goes idle; B and T stay connected and hear each other.
 * Attended: the app holds B and consults T (the app's WebRTC toward T's plain-RTP phone goes through the relay),
 * then transfers (REFER with Replaces); B calls T, the app leaves, and B and T hear each other's tones (what each
 * baresip recorded of its new call).
 * One stack for the file; runs in the loopback-only namespace.
 */
import { networkInterfaces } from 'node:os'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call } from '../../src/main/ipc/dispatcher'
import type { WebHost } from '../../src/main/web/server'
import { saveGateway, savePrefix } from '../../src/server/carriers/routes'
import type { SipCredentials } from '../../src/shared/api/devices'
import type { MediaStatus } from '../../src/shared/ipc/media'
import { type BaresipGateway, startBaresipGateway } from '../support/baresip-gateway'
import { appUrl, hostPage, launchBrowser } from '../support/browser'
import { assertIsolatedNetwork, callState, phaseOf, phoneApp, until } from '../support/phone-app'
import { freePort } from '../support/postgres'
import { type Rtpengine, startRtpengine } from '../support/rtpengine'
import { trialLine } from '../support/service-flows'
import { type SipStack, startSipStack } from '../support/sip-stack'
import type { TestApp } from '../support/test-app'
import { disposeWithin } from '../support/dispose-within'

const B = { number: '12128675309', hz: 1000 }
const T_HZ = 1500
/** A tone is heard when this share of the band's power is near its frequency; absent below ABSENT. */
const PRESENT = 0.05
const ABSENT = 0.01

let rtpe: Rtpengine
let stack: SipStack
let browser: Browser
let t: TestApp
let host: WebHost
let page: Page
let b: BaresipGateway
let target: BaresipGateway
let targetNumber: string
const ports: Record<string, number> = {}

const media = (): Promise<MediaStatus> => call(t.app.dispatch, 'media.status', undefined)

/** Waits until what `p` recorded of its newest call in the last second has tone `hz` and not `not`. */
async function hears(p: BaresipGateway, hz: number, not: number): Promise<void> {
  await until(
    async () => p.heard([hz, not], 1),
    ([h = 0, n = 1]) => h >= PRESENT && n <= ABSENT,
    8000
  ).catch((err: Error) => {
    throw new Error(`${p.port} should hear ${hz} Hz: ${err.message}\n${p.output().slice(-1500)}`)
  })
}

beforeAll(async () => {
  assertIsolatedNetwork(Object.keys(networkInterfaces()))
  for (const k of ['b', 'bSip']) ports[k] = await freePort()
  rtpe = await startRtpengine()
  stack = await startSipStack({
    rtpengineSock: rtpe.sock,
    async beforeKamailio(svc) {
      const db = svc.service.database.db
      const now = new Date()
      const gw = { routeSet: 1, host: '127.0.0.1', priority: 10 }
      await saveGateway(db, { ...gw, name: 'party-b', port: ports.b ?? 0, direction: 'out' }, now)
      // B's own requests (its INVITE after the REFER) come from its SIP port.
      await saveGateway(db, { ...gw, name: 'party-b-in', port: ports.bSip ?? 0, direction: 'in' }, now)
      await savePrefix(db, { prefix: '1212867', routeSet: 1 })
    }
  })
  b = await startBaresipGateway({
    number: B.number,
    port: ports.b ?? 0,
    sipPort: ports.bSip ?? 0,
    toneHz: B.hz,
    outboundPort: stack.plan.sipPort
  })
  const line = await trialLine(stack.svc)
  const creds = (
    await stack.svc.api<SipCredentials>('GET', `/v1/lines/${line.lineId}/sip`, undefined, line.token)
  ).body
  targetNumber = `+${creds.username}`
  target = await startBaresipGateway({
    number: creds.username,
    port: await freePort(),
    sipPort: await freePort(),
    toneHz: T_HZ,
    outboundPort: stack.plan.sipPort,
    line: { aor: `${creds.username}@${creds.domain}`, password: creds.password }
  })
  await target.waitFor(/200 OK .*\[1 binding\]/)
  browser = await launchBrowser()
  t = (await phoneApp(stack)).t
  ;({ host, page } = await hostPage(browser, t))
  await page.goto(appUrl(host, '#/phone'))
  await until(media, (m) => m.engineId !== null && m.report !== null)
}, 90_000)

afterAll(async () => {
  await page?.close().catch(() => undefined)
  await host?.close()
  if (t) await disposeWithin(t.app, 10_000, 'call-transfer')
  await browser?.close()
  await b?.stop()
  await target?.stop()
  await stack?.close()
  await rtpe?.stop()
})

describe('call transfer from the screen', () => {
  it('refuses with a code when there is no call, or the number cannot be dialled', async () => {
    expect(await call(t.app.dispatch, 'phone.transfer', { number: targetNumber })).toEqual({
      outcome: 'noCall'
    })
    expect(await call(t.app.dispatch, 'phone.transfer', {})).toEqual({ outcome: 'noCall' })
  })

  it('transfers the call blind: B reaches T and the app leaves', async () => {
    await call(t.app.dispatch, 'phone.dial', { number: `+${B.number}` })
    await phaseOf(t, 'connected', 15_000)
    await b.waitFor(/Call established/)
    // On the Phone page, as the person does it. 911 is never a transfer target, and bad input changes nothing.
    const field = page.getByTestId('transfer-number')
    const outcome = page.getByTestId('transfer-outcome')
    // Laid out: the label above its input (not touching it), the two buttons apart.
    const box = async (testId: string) => {
      const b = await page.getByTestId(testId).boundingBox()
      if (!b) throw new Error(`${testId} is not shown`)
      return b
    }
    const label = await page.locator('label', { has: field }).boundingBox()
    // The label's words take a line of their own above the input (they were on the input's line, touching it).
    expect((await box('transfer-number')).y - (label?.y ?? Infinity)).toBeGreaterThanOrEqual(14)
    const [blind, consult] = [await box('transfer-blind'), await box('transfer-consult')]
    expect(Math.abs(consult.x - (blind.x + blind.width))).toBeGreaterThanOrEqual(4)
    await field.fill('911')
    await page.getByTestId('transfer-blind').click()
    await expect.poll(() => outcome.getAttribute('data-outcome')).toBe('badNumber')
    expect(await outcome.textContent()).toBe('That number cannot be called. Check it and try again.')
    expect((await callState(t)).phase).toBe('connected')
    const from = target.output().length
    await field.fill(targetNumber)
    await page.getByTestId('transfer-blind').click()
    await expect.poll(() => outcome.getAttribute('data-outcome'), { timeout: 15_000 }).toBe('transferred')
    expect((await phaseOf(t, 'idle')).call).toBeNull()
    // T's new call is B's: the transferee's INVITE went through Kamailio and T answered it.
    expect(await target.waitFor(/Call established/, 8000, from)).toContain(`sip:${B.number}@`)
    // A carrier's call to a plain-RTP line is plain RTP on both sides of the relay: B and T hear each other.
    await hears(target, B.hz, T_HZ)
    await hears(b, T_HZ, B.hz)
    // The app's leg is gone: B's remaining call is the one with T, and the history has the transferred call.
    const history = await call(t.app.dispatch, 'phone.history', undefined)
    expect(history.calls[0]).toMatchObject({ remote: `+${B.number}`, outcome: 'answered' })
    b.command('/hangup')
    await until(
      () => rtpe.calls(),
      (l) => l.length === 0
    )
  })

  it('transfers the call attended: holds B, consults T, transfers; B and T then hear each other', async () => {
    await call(t.app.dispatch, 'phone.dial', { number: `+${B.number}` })
    await phaseOf(t, 'connected', 15_000)
    await b.waitFor(/Call established/, 8000, b.output().length - 2000)
    // Consult: B waits on hold, a second dial tone, T is called and answers.
    await page.getByTestId('transfer-consult').click()
    expect(await phaseOf(t, 'dialTone')).toMatchObject({ threeWay: true, other: { held: true } })
    const from = target.output().length
    await call(t.app.dispatch, 'phone.dial', { number: targetNumber })
    await phaseOf(t, 'connected', 15_000)
    await target.waitFor(/Call established/, 8000, from)
    // Both of the app's calls go through the relay: B's (a carrier) and T's (a line whose phone is plain RTP).
    expect(await rtpe.calls()).toHaveLength(2)
    const fromB = b.output().length
    await page.getByTestId('transfer-attended').click()
    const outcome = page.getByTestId('transfer-outcome')
    await expect.poll(() => outcome.getAttribute('data-outcome'), { timeout: 15_000 }).not.toBeNull()
    // B followed the REFER to T's address of record (its Contact is no address B could reach).
    expect(await outcome.getAttribute('data-outcome'), b.output().slice(fromB)).toBe('transferred')
    expect((await phaseOf(t, 'idle')).call).toBeNull()
    // B's new call reached T through Kamailio; the app's two legs are gone, and B and T hear each other.
    await until(
      () => rtpe.calls(),
      (l) => l.length === 1
    )
    await hears(target, B.hz, T_HZ)
    await hears(b, T_HZ, B.hz)
    b.command('/hangup')
    await until(
      () => rtpe.calls(),
      (l) => l.length === 0
    )
  })
})
