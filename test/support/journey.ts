/**
 * One Chromium journey suite against the real service, set up once per file: `journeySuite(backend)` registers
 * the hooks (service on SQLite or PostgreSQL, Chromium, a picture of every open page when a test fails, everything
 * closed after) and hands back what a journey needs: `open()` an app brain pointed at the service with its page,
 * `signedIn()` the same already signed in, and `inBothLanguages()` (screenshot + axe in English and Persian, on the
 * SQLite run only).
 * Account journeys need no Kamailio: the phone's line simply stays down. Suites that ring the phone keep using
 * startSipStack. Runs in the media suite's loopback-only namespace (Chromium gathers ICE on every interface).
 */
import { networkInterfaces } from 'node:os'
import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import { createServiceClient } from '../../src/main/account/service-client'
import { call } from '../../src/main/ipc/dispatcher'
import { memoryVault } from '../../src/main/store/secret-vault'
import type { WebHost } from '../../src/main/web/server'
import { appUrl, audit, closeSides, hostPage, launchBrowser, screenshot } from './browser'
import { assertIsolatedNetwork } from './phone-app'
import { type Backend, type TestService, startTestService } from './service'
import { type TestApp, testApp } from './test-app'

/**
 * The databases most journeys walk on: SQLite alone. A journey is the app's path through its screens, the same on
 * either database; what differs is the service's answers, and the integration suites check those on both (every
 * route the journeys use, each answer held to the contract's schema by the service's own serializer). The journeys
 * whose screens show what PostgreSQL computes its own way (sums and running balances on the statement, days in the
 * account's zone, a trial's money becoming a paid line's, a line's history in order) walk on both (`BACKENDS`).
 * Measured on 2026-12-06: the PostgreSQL walks were 88 of the journeys' 334 test-seconds (a quarter of the media
 * suite's CPU-bound half, run on both cores), of which these four keep 11.
 */
export const JOURNEY_BACKENDS: readonly Backend[] = ['sqlite']

export interface OpenApp {
  readonly t: TestApp
  readonly host: WebHost
  readonly page: Page
}

export interface JourneySuite {
  /** The running service (valid inside tests). */
  readonly svc: TestService
  /** A fresh app brain pointed at the service, its page opened at `hash` (e.g. '#/account'). */
  open(hash?: string): Promise<OpenApp>
  /** The same, signed in through the sign-in form, with the dashboard shown. */
  signedIn(identifier: string, password: string): Promise<OpenApp>
  /** Screenshots `<name>-en` / `<name>-fa` and axe in both, once `ready` (a test id) shows; back to English. */
  inBothLanguages(app: OpenApp, name: string, ready: string): Promise<void>
}

/** The words under a field: the element its input names in aria-describedby as its error. */
export async function fieldError(page: Page, testId: string): Promise<string> {
  const input = page.getByTestId(testId)
  await expect.poll(() => input.getAttribute('aria-invalid'), { timeout: 10_000 }).toBe('true')
  const ids = ((await input.getAttribute('aria-describedby')) ?? '').split(' ')
  const errorId = ids.find((id) => id.endsWith('-error'))
  if (!errorId) throw new Error(`${testId} has no error`)
  return (await page.locator(`[id="${errorId}"]`).textContent()) ?? ''
}

/** Fills inputs by test id; a picker (a select) gets the option with that value. */
export async function fill(page: Page, fields: Record<string, string>): Promise<void> {
  for (const [testId, value] of Object.entries(fields)) {
    const field = page.getByTestId(testId)
    if ((await page.locator(`select[data-testid="${testId}"]`).count()) > 0) await field.selectOption(value)
    else await field.fill(value)
  }
}

export function journeySuite(backend: Backend = 'sqlite'): JourneySuite {
  let svc: TestService | undefined
  let browser: Browser | undefined
  const opened: OpenApp[] = []

  beforeAll(async () => {
    assertIsolatedNetwork(Object.keys(networkInterfaces()))
    svc = await startTestService(backend)
    browser = await launchBrowser()
  }, 60_000)

  // A failed journey leaves a picture of where each page stood, next to the other screenshots.
  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail') return
    for (const [i, s] of opened.entries())
      await screenshot(s.page, `failed-${backend}-${task.name.slice(0, 40).replace(/\W+/g, '-')}-${i}`).catch(
        () => undefined
      )
  })

  afterAll(async () => {
    // An app brain whose setup keeps bringing up a line this Kamailio-less suite cannot register has, in CI
    // runs, taken over a minute to dispose (dispose-within.ts): the suite waits 10 s for each and says so on the log.
    await closeSides(
      opened,
      opened.map((s) => s.t.app),
      'journeySuite'
    )
    await browser?.close()
    await svc?.close()
  })

  const suite: JourneySuite = {
    get svc(): TestService {
      if (!svc) throw new Error('journeySuite: the service is not started yet (use it inside a test)')
      return svc
    },
    async open(hash = '#/account') {
      if (!browser) throw new Error('journeySuite: no browser yet (use it inside a test)')
      const t = testApp({
        service: createServiceClient(),
        vault: memoryVault(),
        settingsDefaults: { serviceUrl: suite.svc.base }
      })
      t.app.start()
      const { host, page } = await hostPage(browser, t)
      const app = { t, host, page }
      opened.push(app)
      await page.goto(appUrl(host, hash))
      return app
    },
    async signedIn(identifier, password) {
      const app = await suite.open('#/account')
      await fill(app.page, { 'signin-identifier': identifier, 'signin-password': password })
      await app.page.getByTestId('signin-submit').click()
      await app.page.getByTestId('dashboard').waitFor()
      return app
    },
    async inBothLanguages({ t, page }, name, ready) {
      // The pictures and the audit are of the renderer, which draws the same page whichever database the service
      // runs on (the pictures have one name for both): the SQLite run takes them, the others check the screen shows.
      if (backend !== 'sqlite') {
        await page.getByTestId(ready).first().waitFor()
        return
      }
      for (const language of ['en', 'fa'] as const) {
        await call(t.app.dispatch, 'app.settings.set', { language })
        await page.locator(`html[lang="${language}"]`).waitFor()
        await page.getByTestId(ready).first().waitFor()
        await screenshot(page, `${name}-${language}`)
        expect(await audit(page), `${name} (${language})`).toEqual([])
      }
      await call(t.app.dispatch, 'app.settings.set', { language: 'en' })
      await page.locator('html[lang="en"]').waitFor()
    }
  }
  return suite
}
