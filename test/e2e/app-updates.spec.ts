/**
 * The app's own updates, as a person meets them in Chromium: the sentences that say "Update Dialtone" lead to
 * Settings, where the About card says how this copy updates. Here the service address is pointed at a server that
 * is not the account service (the web host itself), so signing in gets an answer the app cannot read, a real one
 * and not a scripted refusal; the sentence links to Settings. The web host has no updater (only an installed
 * Electron app does), so the card says how to update this copy (install the newest the same way) and offers no
 * button; the updater's states themselves are walked in test/unit/main/app-updates.test.ts over electron-updater's
 * recorded events.
 */
import { expect, test } from '@playwright/test'
import { callMain } from './bridge'
import { E2E } from './env'
import { leaveSignedOut, startFromDefaultSettings } from './fresh-state'

startFromDefaultSettings()

leaveSignedOut()

test.afterEach(async () => {
  expect((await callMain('app.settings.set', { serviceUrl: E2E.serviceUrl })).ok).toBe(true)
})

test('an answer the app cannot read leads to Settings, which says how this copy updates', async ({
  page
}) => {
  expect((await callMain('app.settings.set', { serviceUrl: E2E.webUrl })).ok).toBe(true)
  await page.goto(`/?token=${E2E.token}#/account`)
  await page.getByTestId('signin-identifier').fill('someone@example.test')
  await page.getByTestId('signin-password').fill('correct horse battery')
  await page.getByTestId('signin-submit').click()
  const refusal = page.getByTestId('signin-error')
  await expect(refusal).toContainText('Update Dialtone', { timeout: 20_000 })
  const toUpdates = page.getByTestId('signin-error-remedy')
  await expect(toUpdates).toHaveText('Check for updates in Settings')
  await toUpdates.click()

  await expect(page).toHaveURL(/#\/settings$/)
  const updates = page.getByTestId('app-updates')
  await expect(updates.getByRole('heading', { level: 3 })).toHaveText('Updates')
  await expect(page.getByTestId('app-updates-state')).toHaveText(
    'This copy of Dialtone does not update itself. To update, install the newest Dialtone the way you installed this one; your settings and line stay as they are.'
  )
  await expect(page.getByTestId('app-updates-check')).toHaveCount(0)
  await updates.screenshot({ path: `${E2E.screenshots}/app-updates-web-host.png` })

  // In Persian the card reads in Persian, right to left.
  expect((await callMain('app.settings.set', { language: 'fa' })).ok).toBe(true)
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl')
  await expect(page.getByTestId('app-updates-state')).toHaveText(
    'این نسخه از Dialtone خودش به‌روز نمی‌شود. برای به‌روزرسانی، تازه‌ترین Dialtone را همان‌طور که این نسخه را نصب کردید نصب کنید؛ تنظیمات و خط شما همان‌طور که هستند می‌مانند.'
  )
})
