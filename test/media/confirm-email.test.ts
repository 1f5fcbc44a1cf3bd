/**
 * "Confirm this email" as a person meets it (issue 21), in Chromium against the real service: a dongle bought at a
 * shop was activated on a new account, so its email is unconfirmed and does not sign in. The person signs in with
 * the line's number, the Account page asks for the code that was emailed at activation (screenshotted and audited
 * with axe in English and Persian), a wrong code is refused in words, the right one confirms the address, and from
 * then on the email signs in.
 */
import { networkInterfaces } from 'node:os'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call } from '../../src/main/ipc/dispatcher'
import type { WebHost } from '../../src/main/web/server'
import { appUrl, audit, expectText, hostPage, launchBrowser, screenshot } from '../support/browser'
import { assertIsolatedNetwork, stackApp } from '../support/phone-app'
import { ACCEPT, BILLING, MODEL, latestSecret, newSerial } from '../support/service-flows'
import { type SipStack, startSipStack } from '../support/sip-stack'
import type { TestApp } from '../support/test-app'

let stack: SipStack
let browser: Browser
const opened: { t: TestApp; host: WebHost; page: Page }[] = []

beforeAll(async () => {
  assertIsolatedNetwork(Object.keys(networkInterfaces()))
  stack = await startSipStack()
  browser = await launchBrowser()
}, 60_000)

afterAll(async () => {
  for (const s of opened) {
    await s.page.close().catch(() => undefined)
    await s.host.close()
    await s.t.app.dispose()
  }
  await browser?.close()
  await stack?.close()
})

describe('an account whose email waits for its code', () => {
  it(
    'signs in by number, confirms the email with the emailed code, then signs in by email',
    { timeout: 90_000 },
    async () => {
      const serial = newSerial()
      const email = `shop-${serial.toLowerCase()}@example.test`
      const password = 'enigma machine 1912'
      const made = await stack.svc.api<{ lineId: string; session: { token: string } }>(
        'POST',
        '/v1/devices/activate',
        {
          serial,
          model: MODEL,
          areaCode: '617',
          acceptances: ACCEPT,
          purchase: { channel: 'retail' },
          account: { mode: 'new', name: 'Alan Turing', email, password, billingAddress: BILLING }
        }
      )
      expect(made.status, JSON.stringify(made.body)).toBe(201)
      const line = await stack.svc.api<{ number: string }>(
        'GET',
        `/v1/lines/${made.body.lineId}`,
        undefined,
        made.body.session.token
      )

      const t = stackApp(stack, false)
      const { host, page } = await hostPage(browser, t)
      opened.push({ t, host, page })
      await page.goto(appUrl(host, '#/account'))
      // The unconfirmed email is refused like a wrong password; the line's number signs in.
      await page.getByTestId('signin-identifier').fill(email)
      await page.getByTestId('signin-password').fill(password)
      await page.getByTestId('signin-submit').click()
      await page.getByTestId('signin-error').waitFor()
      await page.getByTestId('signin-identifier').fill(line.body.number)
      await page.getByTestId('signin-submit').click()
      await page.getByTestId('dashboard').waitFor()

      const prompt = page.getByTestId('confirm-email')
      await prompt.waitFor()
      await expectText(page, 'confirm-email', email)
      for (const language of ['en', 'fa'] as const) {
        await call(t.app.dispatch, 'app.settings.set', { language })
        await page.locator(`html[lang="${language}"]`).waitFor()
        await prompt.waitFor()
        await screenshot(page, `confirm-email-${language}`)
        expect(await audit(page), `confirm-email (${language})`).toEqual([])
      }
      await call(t.app.dispatch, 'app.settings.set', { language: 'en' })

      // A wrong code is refused in the locale's words; the emailed one confirms the address.
      const code = await latestSecret(stack.svc, email, 'email-verify')
      await prompt.getByTestId('email-code').fill(code === '000000' ? '111111' : '000000')
      await prompt.getByTestId('email-verify').click()
      await expectText(page, 'email-verify-error', 'code')
      await prompt.getByTestId('email-code').fill(code)
      await prompt.getByTestId('email-verify').click()
      await prompt.waitFor({ state: 'detached' })
      await expectText(page, 'emails', 'confirmed')

      // Signed out, the email now signs in.
      await page.getByTestId('signout').click()
      await page.getByTestId('signin-identifier').fill(email)
      await page.getByTestId('signin-password').fill(password)
      await page.getByTestId('signin-submit').click()
      await page.getByTestId('dashboard').waitFor()
      expect(await page.getByTestId('confirm-email').count()).toBe(0)
    }
  )
})
