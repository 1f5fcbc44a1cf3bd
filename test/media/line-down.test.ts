/**
 * The second first-hour journey (issue 18): a set-up line whose SIP server is down. With Kamailio stopped, the
 * setup wizard's Connect step and the Phone page say why in the person's language (the exact locale sentences,
 * English and Persian, screenshots and axe), the countdown to the next try counts down, and lifting the handset
 * gives no dial tone (the MediaEngine plays nothing, the page says the line is not connected). Then Kamailio
 * starts again and the line recovers by itself: registered, the setup finished, and a dial tone in the earpiece.
 * In Chromium against the real service and a real Kamailio, inside the media suite's loopback-only namespace.
 */
import { networkInterfaces } from 'node:os'
import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createServiceClient } from '../../src/main/account/service-client'
import { call } from '../../src/main/ipc/dispatcher'
import { memoryVault } from '../../src/main/store/secret-vault'
import type { WebHost } from '../../src/main/web/server'
import en from '../../src/renderer/src/i18n/locales/en.json'
import fa from '../../src/renderer/src/i18n/locales/fa.json'
import { appUrl, audit, hostPage, launchBrowser, screenshot } from '../support/browser'
import { assertIsolatedNetwork, phaseOf, until } from '../support/phone-app'
import { trialLine } from '../support/service-flows'
import { type SipStack, startSipStack } from '../support/sip-stack'
import { type TestApp, testApp } from '../support/test-app'
import { disposeWithin } from '../support/dispose-within'
import { formatPhoneNumber } from '../../src/shared/numbers/phone-format'

/** A retry every 4 s: long enough to watch the countdown fall, short enough for the recovery to be quick. */
const RETRY_MS = 4000

let stack: SipStack
let browser: Browser
let opened: { t: TestApp; host: WebHost; page: Page } | null = null

beforeAll(async () => {
  assertIsolatedNetwork(Object.keys(networkInterfaces()))
  stack = await startSipStack()
  browser = await launchBrowser()
}, 60_000)

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail' && opened)
    await screenshot(opened.page, 'failed-line-down').catch(() => undefined)
})

afterAll(async () => {
  if (opened) {
    await opened.page.close().catch(() => undefined)
    await opened.host.close()
    await disposeWithin(opened.t.app, 10_000, 'line-down')
  }
  await browser?.close()
  await stack?.close()
})

/** The page in each language: the sentence a test id shows must be the locale's own, then screenshot and axe. */
async function inBothLanguages(
  t: TestApp,
  page: Page,
  name: string,
  expected: Record<'en' | 'fa', Record<string, string>>
): Promise<void> {
  for (const language of ['en', 'fa'] as const) {
    await call(t.app.dispatch, 'app.settings.set', { language })
    await page.locator(`html[lang="${language}"]`).waitFor()
    for (const [testId, text] of Object.entries(expected[language]))
      await page.getByTestId(testId).filter({ hasText: text }).first().waitFor({ timeout: 5000 })
    await screenshot(page, `${name}-${language}`)
    expect(await audit(page), `${name} (${language})`).toEqual([])
  }
  await call(t.app.dispatch, 'app.settings.set', { language: 'en' })
  await page.locator('html[lang="en"]').waitFor()
}

/** The countdown's seconds, sampled for a while: it must fall by itself between two looks. */
async function countdownFalls(page: Page): Promise<number[]> {
  const seen: number[] = []
  const deadline = Date.now() + RETRY_MS * 2
  while (Date.now() < deadline) {
    const value = await page
      .getByTestId('line-countdown')
      .first()
      .getAttribute('data-seconds', { timeout: 500 })
      .catch(() => null)
    if (value !== null) seen.push(Number(value))
    if (seen.length >= 2 && (seen.at(-1) as number) < (seen.at(-2) as number)) return seen
    await new Promise((r) => setTimeout(r, 300))
  }
  throw new Error(`the countdown never fell; saw ${JSON.stringify(seen)}`)
}

describe('a set-up line whose SIP server is down', () => {
  it(
    'says why in the person’s language, counts down, gives no dial tone, and recovers by itself',
    { timeout: 90_000 },
    async () => {
      // The line exists and is in service; then its SIP server goes away.
      const line = await trialLine(stack.svc)
      await stack.kam.stop()

      const t = testApp({
        service: createServiceClient(),
        vault: memoryVault(),
        settingsDefaults: { serviceUrl: stack.svc.base },
        sipBackoff: { initialMs: RETRY_MS, maxMs: RETRY_MS, jitter: 0 },
        forceVirtualDongle: true
      })
      t.app.start()
      const { host, page } = await hostPage(browser, t)
      opened = { t, host, page }
      await call(t.app.dispatch, 'account.signIn', { identifier: line.email, password: line.password })
      await page.goto(appUrl(host, '#/device'))

      // The wizard runs to the Connect step and waits there, saying why, with what to do and a way to do it.
      const connect = page.locator('[data-testid="setup-waiting"][data-step="registered"]')
      await connect.getByTestId('line-problem').waitFor({ timeout: 20_000 })
      expect(await connect.getByTestId('line-problem').getAttribute('data-problem')).toBe('serverUnreachable')
      expect(await connect.getByTestId('line-problem-reason').textContent()).toBe(
        en.line.problem.serverUnreachable
      )
      expect(await connect.getByTestId('line-problem-todo').textContent()).toBe(
        en.line.todo.serverUnreachable
      )
      await connect.getByTestId('line-try-now').waitFor()
      // main's English sentence is there only as folded technical detail.
      expect(await connect.getByTestId('line-problem-detail').isVisible()).toBe(false)
      expect(await connect.getByTestId('line-problem-detail').textContent()).toContain(
        'cannot reach the SIP server'
      )
      // The new number is shown as soon as the line has one, registered or not.
      const assigned = (await call(t.app.dispatch, 'phone.status', undefined)).number ?? ''
      await expect
        .poll(() => page.getByTestId('setup-number').textContent())
        .toContain(formatPhoneNumber(assigned))
      const seconds = await countdownFalls(page)
      expect(Math.max(...seconds)).toBeLessThanOrEqual(RETRY_MS / 1000)
      await inBothLanguages(t, page, 'line-down-connect', {
        en: { 'line-problem-reason': en.line.problem.serverUnreachable },
        fa: {
          'line-problem-reason': fa.line.problem.serverUnreachable,
          'line-problem-todo': fa.line.todo.serverUnreachable
        }
      })
      // "Try now" retries at once: pressed with four seconds shown (over two to go, whatever the tick), a new
      // try (and a new countdown) comes well before the scheduled one would have.
      await page
        .locator('[data-testid="line-countdown"][data-seconds="4"]')
        .first()
        .waitFor({ timeout: RETRY_MS * 2 })
      const before = (await call(t.app.dispatch, 'phone.status', undefined)).retryAt
      await connect.getByTestId('line-try-now').click()
      await until(
        () => call(t.app.dispatch, 'phone.status', undefined),
        (s) => s.state === 'unregistered' && s.problem === 'serverUnreachable' && s.retryAt !== before,
        1500
      )

      // Lifting the handset gives no dial tone: silence in the earpiece, and the page says why.
      await page.getByTestId('virtual-handset').click()
      await phaseOf(t, 'noLine')
      await page.getByTestId('virtual-line').filter({ hasText: en.virtual.hearsNothing }).waitFor()
      await new Promise((r) => setTimeout(r, 1000))
      expect((await call(t.app.dispatch, 'media.status', undefined)).report?.tone ?? null).toBeNull()

      // The Phone page says the same: the reason, and no dial tone.
      await page.goto(appUrl(host, '#/phone'))
      await page.getByTestId('line-problem').waitFor()
      await inBothLanguages(t, page, 'line-down-phone', {
        en: {
          'line-problem-reason': en.line.problem.serverUnreachable,
          'call-phase': en.phone.phase.noLine
        },
        fa: { 'line-problem-reason': fa.line.problem.serverUnreachable, 'call-phase': fa.phone.phase.noLine }
      })
      expect(await page.getByTestId('call-phase').textContent()).not.toBe(en.phone.phase.dialTone)

      // Kamailio comes back: the line registers by itself and the lifted handset gets its dial tone.
      await stack.restartKamailio()
      await until(
        () => call(t.app.dispatch, 'phone.status', undefined),
        (s) => s.state === 'registered',
        RETRY_MS * 3
      )
      await phaseOf(t, 'dialTone')
      await until(
        async () => (await call(t.app.dispatch, 'media.status', undefined)).report?.tone,
        (tone) => tone === 'dial'
      )
      await page.getByTestId('call-phase').filter({ hasText: en.phone.phase.dialTone }).waitFor()
      expect(await page.getByTestId('line-problem').count()).toBe(0)

      // And the wizard finished the Connect step by itself.
      await page.goto(appUrl(host, '#/device'))
      await page.getByTestId('setup-done').waitFor({ timeout: 15_000 })
      await screenshot(page, 'line-down-recovered-en')
      expect(await audit(page)).toEqual([])
      await call(t.app.dispatch, 'device.virtual.handset', { offHook: false })
    }
  )
})
