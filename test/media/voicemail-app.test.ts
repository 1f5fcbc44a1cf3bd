/**
 * Voicemail in the app (issue 23), in Chromium against the real service, Kamailio and the voicemail server (baresip
 * lines) inside the media suite's loopback-only namespace. A caller leaves a message playing a 700 Hz tone (sipp
 * per the Kamailio -> voicemail contract); the line's own message-summary subscription, relayed by Kamailio, lights
 * the lamp (the app's call state says voicemail is waiting); the Phone page lists the message (caller, length, new),
 * Play fetches it through the account API and plays it on the MediaEngine, where the tone is found; the lamp goes
 * out; Delete removes it; a greeting recorded with the computer's (fake) microphone is kept. Kamailio's own routes:
 * a line that dials `deposit-…` is refused, and `*98` reaches its own box.
 */
import { spawn } from 'node:child_process'
import { networkInterfaces } from 'node:os'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServiceClient } from '../../src/main/account/service-client'
import { call } from '../../src/main/ipc/dispatcher'
import { memoryVault } from '../../src/main/store/secret-vault'
import type { WebHost } from '../../src/main/web/server'
import type { SipCredentials } from '../../src/shared/api/devices'
import { appUrl, audit, hostPage, launchBrowser, screenshot } from '../support/browser'
import { disposeWithin } from '../support/dispose-within'
import { assertIsolatedNetwork, until } from '../support/phone-app'
import { freePort } from '../support/postgres'
import { type TrialLine, trialLine } from '../support/service-flows'
import { type SipStack, startSipStack } from '../support/sip-stack'
import { callScenario, sippRun } from '../support/sipp'
import { type TestApp, testApp } from '../support/test-app'
import { callVoicemail } from '../support/voicemail-caller'

let stack: SipStack
let browser: Browser
let line: TrialLine
let creds: SipCredentials
let opened: { t: TestApp; host: WebHost; page: Page } | null = null
let voicemailPort: number

beforeAll(async () => {
  assertIsolatedNetwork(Object.keys(networkInterfaces()))
  voicemailPort = await freePort()
  stack = await startSipStack({
    voicemail: { host: '127.0.0.1', port: voicemailPort, lines: 2, rtpPort: 35000, trusted: ['127.0.0.1'] }
  })
  line = await trialLine(stack.svc)
  creds = (await stack.svc.api<SipCredentials>('GET', `/v1/lines/${line.lineId}/sip`, undefined, line.token))
    .body
  browser = await launchBrowser()
}, 60_000)

afterAll(async () => {
  if (opened) {
    await opened.page.close().catch(() => undefined)
    await opened.host.close()
    await disposeWithin(opened.t.app, 10_000, 'voicemail-app')
  }
  await browser?.close()
  await stack?.close()
})

/** The line's voicemail waiting state as main knows it from the NOTIFYs. */
const waiting = async (t: TestApp): Promise<boolean> =>
  (await call(t.app.dispatch, 'phone.callState', undefined)).voicemailWaiting

/** Where the renderer is playing a recording now: the strongest frequency of window.__dialtonePlayback. */
const PLAYBACK_PROBE = `(async () => {
  const deadline = Date.now() + 5000
  while (!window.__dialtonePlayback && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
  const analyser = window.__dialtonePlayback
  if (!analyser) throw new Error('nothing played')
  await new Promise((r) => setTimeout(r, 900))
  const db = new Float32Array(analyser.frequencyBinCount)
  analyser.getFloatFrequencyData(db)
  const binHz = analyser.context.sampleRate / analyser.fftSize
  const lo = Math.ceil(300 / binHz), hi = Math.floor(3400 / binHz)
  let peak = lo
  for (let i = lo; i <= hi; i++) if (db[i] > db[peak]) peak = i
  let signal = 0, noise = 0
  for (let i = lo; i <= hi; i++) {
    const p = Math.pow(10, db[i] / 10)
    if (Math.abs(i - peak) <= 6) signal += p; else noise += p
  }
  return { hz: peak * binHz, snrDb: 10 * Math.log10(signal / Math.max(noise, 1e-20)) }
})()`

describe('voicemail in the app', () => {
  it('lights the lamp, lists and plays a message on the MediaEngine, clears the lamp, deletes it', async () => {
    const deposit = await callVoicemail({
      vmPort: voicemailPort,
      user: `deposit-no-answer-${creds.username}`,
      from: '+12125550142',
      fromName: 'Grace',
      holdMs: 11_000,
      hz: 700
    })
    expect(await deposit.ended, deposit.trace()).toBe(0)

    const t = testApp({
      service: createServiceClient(),
      vault: memoryVault(),
      settingsDefaults: { serviceUrl: stack.svc.base },
      sipBackoff: { initialMs: 200, maxMs: 1000, jitter: 0.2 },
      forceVirtualDongle: true
    })
    t.app.start()
    const { host, page } = await hostPage(browser, t)
    opened = { t, host, page }
    await call(t.app.dispatch, 'account.signIn', { identifier: line.email, password: line.password })
    await until(
      () => call(t.app.dispatch, 'phone.status', undefined),
      (s) => s.state === 'registered',
      15_000
    )
    // The subscription went through Kamailio to the voicemail server, whose NOTIFY came back: the lamp is lit.
    await until(() => waiting(t), Boolean, 10_000)
    await page.goto(appUrl(host, '#/phone'))
    const row = page.getByTestId('voicemail-row')
    await row.first().waitFor({ timeout: 15_000 })
    expect(await row.count()).toBe(1)
    const rowText = async (): Promise<string> =>
      (await row.first().innerText()).replace(/[\u2066-\u2069]/g, '')
    // The caller's number as people read it (its formatter arrives with the first number shown).
    await expect.poll(rowText).toContain('Grace (212) 555-0142')
    const text = await rowText()
    expect(text).toContain('New')
    expect(text).toMatch(/No answer/)
    expect(await audit(page)).toEqual([])
    await page.getByTestId('voicemail-play').click()
    const heard = await page.evaluate<{ hz: number; snrDb: number }>(PLAYBACK_PROBE)
    expect(Math.abs(heard.hz - 700), JSON.stringify(heard)).toBeLessThan(10)
    expect(heard.snrDb).toBeGreaterThan(15)
    // Played means heard: the row says so and the lamp goes out.
    await until(
      () => waiting(t),
      (w) => !w,
      10_000
    )
    await page.locator('[data-testid="voicemail-row"][data-heard="yes"]').waitFor({ timeout: 5000 })
    await page.getByTestId('voicemail-delete').click()
    await page.getByTestId('voicemail-summary').filter({ hasText: 'No messages.' }).waitFor({ timeout: 5000 })
    expect(await row.count()).toBe(0)
  }, 60_000)

  it('keeps a greeting recorded with the computer’s microphone', async () => {
    const page = opened?.page
    if (!page) throw new Error('the app is not open')
    await page.getByTestId('greeting-record').click()
    await page.getByTestId('greeting-stop').waitFor({ timeout: 5000 })
    await new Promise((r) => setTimeout(r, 3000))
    await page.getByTestId('greeting-stop').click()
    await page.getByTestId('greeting-saved').waitFor({ timeout: 10_000 })
    expect(await page.getByTestId('greeting-state').innerText()).toMatch(/your own greeting/)
    const row = await stack.svc.service.ctx.db
      .selectFrom('voicemail_greetings')
      .selectAll()
      .executeTakeFirstOrThrow()
    expect(row.duration_ms).toBeGreaterThan(2000)
    await screenshot(page, 'voicemail-phone-page')
  }, 30_000)

  it('Kamailio: a dialled deposit- user is refused, *98 reaches the line’s own box', async () => {
    const run = (service: string, scenario: string): Promise<number | null> => {
      const args = sippRun(
        stack.plan.sipPort,
        scenario,
        { username: creds.username, password: creds.password },
        service
      )
      const p = spawn('sipp', args, { stdio: 'ignore' })
      return new Promise((r) => p.once('exit', (c) => r(c)))
    }
    const refused = callScenario('unknown').replace('response="404"', 'response="403"')
    expect(await run(`deposit-busy-${creds.username}`, refused)).toBe(0)
    expect(await run('*98', callScenario('answered'))).toBe(0)
  }, 30_000)
})
