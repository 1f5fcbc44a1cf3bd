/**
 * The trial form in Chromium against the real service (the media suite's namespace): the area code is checked
 * while it is typed and again before anything is sent (a full one offers the nearest codes that have numbers, and
 * one click takes one), the terms of service open in full from the link beside their checkbox (Persian in
 * Persian, English said so in Croatian), and an activation code locked by wrong tries says to send a new one —
 * "Send a new code" says a new code went out, the lock message goes, and the new code activates.
 */
import { networkInterfaces } from 'node:os'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call } from '../../src/main/ipc/dispatcher'
import type { WebHost } from '../../src/main/web/server'
import { misorderedNumbers } from '../support/bidi-check'
import { appUrl, audit, expectText, hostPage, launchBrowser, screenshot } from '../support/browser'
import { assertIsolatedNetwork, stackApp, until } from '../support/phone-app'
import { latestSecret, mailbox, newSerial } from '../support/service-flows'
import { type SipStack, startSipStack } from '../support/sip-stack'
import type { TestApp } from '../support/test-app'
import { disposeWithin } from '../support/dispose-within'

let stack: SipStack
let browser: Browser
let side: { t: TestApp; host: WebHost; page: Page } | undefined

beforeAll(async () => {
  assertIsolatedNetwork(Object.keys(networkInterfaces()))
  stack = await startSipStack()
  browser = await launchBrowser()
}, 60_000)

afterAll(async () => {
  if (side) {
    await side.page.close().catch(() => undefined)
    await side.host.close()
    await disposeWithin(side.t.app, 10_000, 'trial-form')
  }
  await browser?.close()
  await stack?.close()
})

const fillAll = async (page: Page, fields: Record<string, string>): Promise<void> => {
  for (const [testId, value] of Object.entries(fields)) await page.getByTestId(testId).fill(value)
}

describe('the trial form checks before the email goes out', () => {
  it(
    'offers nearby area codes, shows the terms in full, and replaces a locked code',
    { timeout: 90_000 },
    async () => {
      const t = stackApp(stack, true)
      const { host, page } = await hostPage(browser, t)
      side = { t, host, page }
      const db = stack.svc.service.ctx.db
      await page.goto(appUrl(host, '#/device'))
      await page.locator('[data-testid="setup-waiting"][data-step="activate"]').waitFor({ timeout: 15_000 })
      const email = `${newSerial().toLowerCase()}@example.test`
      // Sent empty: every field says what is missing, the state too, and a field with nothing to say beside one
      // that does keeps its own height (the country beside the ZIP code).
      await page.getByTestId('trial-start').click()
      for (const k of ['name', 'street', 'city', 'region', 'postalCode'])
        await expect.poll(() => page.getByTestId(`contact-${k}`).getAttribute('aria-invalid')).toBe('true')
      const height = async (testId: string) => (await page.getByTestId(testId).boundingBox())?.height
      expect(await height('contact-country')).toBe(await height('contact-postalCode'))
      expect(await mailbox(stack.svc, email)).toEqual([])
      await fillAll(page, {
        'contact-name': 'Katherine Johnson',
        'contact-email': email,
        'contact-password': 'correct horse battery',
        'contact-street': '233 S Wacker Dr',
        'contact-city': 'Chicago',
        'contact-region': 'IL',
        'contact-postalCode': '60606',
        'contact-country': 'US'
      })
      await page.getByTestId('contact-terms').check()
      await page.getByTestId('contact-e911').check()

      // Chicago's 312 is full: said while typing, with the nearest codes that have numbers (none Canadian).
      await db.updateTable('number_pool').set({ status: 'assigned' }).where('area_code', '=', '312').execute()
      await page.getByTestId('contact-areaCode').fill('312')
      await expectText(page, 'area-code', 'No numbers are free in area code 312 (IL)')
      const offered = await page.getByTestId('area-nearby').locator('button').allTextContents()
      expect(offered.map((o) => o.replace(/\D/g, '')).sort()).toEqual(['201', '212', '617', '713'])
      // Sending anyway is stopped here: no trial, no email.
      await page.getByTestId('trial-start').click()
      await expectText(page, 'area-code', 'No numbers are free in area code 312 (IL)')
      expect(await mailbox(stack.svc, email)).toEqual([])
      expect(await page.getByTestId('trial-code-form').count()).toBe(0)
      for (const language of ['en', 'fa'] as const) {
        await call(t.app.dispatch, 'app.settings.set', { language })
        await page.locator(`html[lang="${language}"]`).waitFor()
        await page.getByTestId('area-nearby').waitFor()
        await screenshot(page, `trial-area-full-${language}`)
        expect(await audit(page), language).toEqual([])
        expect(await misorderedNumbers(page), language).toEqual([])
      }
      await call(t.app.dispatch, 'app.settings.set', { language: 'en' })
      await page.getByTestId('area-nearby-201').click()
      expect(await page.getByTestId('contact-areaCode').inputValue()).toBe('201')
      await expectText(page, 'area-code', 'Numbers are free in area code 201 (NJ)')

      // The terms: the link opens them in full where they are accepted, in the person's language when there is one.
      await page.getByTestId('terms-link').click()
      await expectText(page, 'terms-text', 'Dialtone Terms of Service')
      // Focus moves on the next animation frame, once the disclosure has opened.
      await expect
        .poll(() => page.evaluate<string | null>(`document.activeElement?.dataset.testid ?? null`))
        .toBe('terms-text')
      expect(await page.getByTestId('terms-text').textContent()).toContain('10. Changes to these terms')
      await call(t.app.dispatch, 'app.settings.set', { language: 'fa' })
      await expectText(page, 'terms-text', 'شرایط استفاده از خدمات Dialtone')
      expect(await page.getByTestId('terms-text').getAttribute('dir')).toBe('rtl')
      expect(await misorderedNumbers(page)).toEqual([])
      await screenshot(page, 'trial-terms-fa')
      expect(await audit(page)).toEqual([])
      await call(t.app.dispatch, 'app.settings.set', { language: 'hr' })
      await page.getByTestId('terms-fallback').waitFor()
      await expectText(page, 'terms-text', 'Dialtone Terms of Service')
      await call(t.app.dispatch, 'app.settings.set', { language: 'en' })
      await expect.poll(() => page.getByTestId('terms-fallback').count()).toBe(0)

      // Started in 201: the code form. Five wrong codes lock it; the lock says what to do next.
      await page.getByTestId('trial-start').click()
      await page.getByTestId('trial-code-form').waitFor()
      const trial = await db
        .selectFrom('trial_requests')
        .select('id')
        .where('email', '=', email)
        .executeTakeFirstOrThrow()
      const first = await latestSecret(stack.svc, email, 'trial-code')
      const wrong = first === '000000' ? '111111' : '000000'
      for (let i = 1; i <= 5; i++) {
        await page.getByTestId('trial-code').fill(wrong)
        await page.getByTestId('trial-activate').click()
        await until(
          () =>
            db.selectFrom('trial_requests').select('attempts').where('id', '=', trial.id).executeTakeFirst(),
          (r) => r?.attempts === i
        )
      }
      await page.getByTestId('trial-code').fill(first)
      await page.getByTestId('trial-activate').click()
      await expectText(page, 'trial-code-locked', 'Press “Send a new code”')
      await screenshot(page, 'trial-code-locked-en')
      expect(await audit(page)).toEqual([])

      // A new code: said so, the lock message gone, and the new code activates the line.
      stack.svc.clock.advance(1000) // the mailbox lists the newest first; the test service's clock stands still
      await page.getByTestId('trial-resend').click()
      await expectText(page, 'trial-code-resent', 'We sent a new 6-digit code')
      expect(await page.getByTestId('trial-code-locked').count()).toBe(0)
      expect(await page.getByTestId('trial-code').inputValue()).toBe('')
      const second = await latestSecret(stack.svc, email, 'trial-code')
      expect((await mailbox(stack.svc, email)).filter((m) => m.purpose === 'trial-code')).toHaveLength(2)
      await page.getByTestId('trial-code').fill(second)
      await page.getByTestId('trial-activate').click()
      await page.getByTestId('e911-form').waitFor({ timeout: 10_000 })
      // Activated: the step says what is next, no longer how to activate.
      await expect.poll(() => page.getByTestId('activate-intro').getAttribute('data-next')).toBe('line')
      expect(await page.getByTestId('activate-intro').textContent()).not.toContain('start a free trial')
      await db
        .updateTable('number_pool')
        .set({ status: 'available' })
        .where('area_code', '=', '312')
        .execute()
    }
  )
})
