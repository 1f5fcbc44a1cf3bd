/**
 * A reload, and a restart of the app, while the trial's code is on its way, in Chromium against the run's own
 * service: the wizard comes back at the code step for the same trial request (the email said), the answers are
 * there behind "Change the details" (all but the password, typed again), and the code from the dev mailbox
 * finishes it. A restart a day later starts over, the stale draft gone. The page's storage never holds the
 * password or the code, and holds nothing once the trial is activated.
 *
 * The restart, as far as this test bed goes (no Electron here; main runs in the web host for the whole run): a
 * new browser context given only what outlives the app's window (storageState: its localStorage, cookies), so
 * nothing of the window's memory or sessionStorage. Main keeps nothing of a pending trial (activation-draft.ts),
 * so what the new window has is what a restarted app has.
 *
 * It takes the run's one trial of the virtual dongle (trial-line.ts) for TRIAL_ACCOUNT, so playwright.config.ts
 * runs it after newcomer-fixes.spec.ts (which needs the trial still offered) and before every other spec.
 */
import { type Browser, type BrowserContext, type Page, expect, test } from '@playwright/test'
import { E2E } from './env'
import { screenshot } from './screenshot'
import { TRIAL_ACCOUNT, trialAvailable, trialCodeFor, virtualDonglePlugged } from './trial-line'
import { startFromDefaultSettings, leaveSignedOut } from './fresh-state'

const a = TRIAL_ACCOUNT

startFromDefaultSettings()

leaveSignedOut()

/** Everything the page keeps in its storage (localStorage, where the draft lives, and sessionStorage), as one text. */
const stored = (page: Page): Promise<string> =>
  page.evaluate(() => JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)]))

/** The app started again: a new window with what the last one left on disk, `later` ms from now by its clock. */
async function restarted(browser: Browser, before: BrowserContext, later = 0): Promise<Page> {
  const context = await browser.newContext({ baseURL: E2E.webUrl, storageState: await before.storageState() })
  const page = await context.newPage()
  if (later) await page.clock.setFixedTime(Date.now() + later)
  await page.goto(`/?token=${E2E.token}`)
  return page
}

test('a reload or a restart at the trial’s code step resumes there, with the answers, never the password', async ({
  page: first,
  browser
}) => {
  let page = first
  await virtualDonglePlugged()
  expect(await trialAvailable(), 'the virtual dongle’s trial was taken by an earlier spec').toBe(true)
  await page.goto(`/?token=${E2E.token}`)
  const choice = page.getByTestId('activate-trial')
  await expect(choice).toBeVisible({ timeout: 20_000 })
  await choice.click()

  for (const k of ['name', 'email', 'password', 'street', 'city', 'region', 'postalCode'] as const)
    await page.getByTestId(`contact-${k}`).fill(a[k])
  await page.getByTestId('contact-areaCode').fill(a.areaCode)
  await page.getByTestId('contact-terms').check()
  await page.getByTestId('contact-e911').check()
  await page.getByTestId('trial-start').click()
  let sent = page.getByTestId('trial-code-sent')
  await expect(sent).toContainText(a.email, { timeout: 20_000 })
  // A code half typed is not kept either.
  await page.getByTestId('trial-code').fill('123456')
  expect(await stored(page)).toContain(a.street)
  expect(await stored(page)).not.toContain(a.password)
  expect(await stored(page)).not.toContain('123456')

  // The reload comes back at the code step, for the same request, with an empty code field.
  await page.reload()
  await expect(sent).toContainText(a.email, { timeout: 20_000 })
  await expect(page.getByTestId('trial-code')).toHaveValue('')
  expect(await stored(page)).not.toContain(a.password)
  await screenshot(page, `${E2E.screenshots}/trial-code-resumed.png`)

  // A restart: a new window with only what outlives one. Back at the code step for the same request.
  const firstContext = page.context()
  page = await restarted(browser, firstContext)
  await firstContext.close()
  sent = page.getByTestId('trial-code-sent')
  await expect(sent).toContainText(a.email, { timeout: 20_000 })
  await expect(page.getByTestId('trial-code')).toHaveValue('')
  expect(await stored(page)).toContain('activation-draft')
  expect(await stored(page)).not.toContain(a.password)
  expect(await stored(page)).not.toContain('123456')

  // The answers are there to change, all but the password.
  await page.getByTestId('trial-change-details').click()
  await expect(page.getByTestId('contact-name')).toHaveValue(a.name)
  await expect(page.getByTestId('contact-email')).toHaveValue(a.email)
  await expect(page.getByTestId('contact-street')).toHaveValue(a.street)
  await expect(page.getByTestId('contact-postalCode')).toHaveValue(a.postalCode)
  await expect(page.getByTestId('contact-areaCode')).toHaveValue(a.areaCode)
  await expect(page.getByTestId('contact-terms')).toBeChecked()
  await expect(page.getByTestId('contact-e911')).toBeChecked()
  await expect(page.getByTestId('contact-password')).toHaveValue('')
  await page.getByTestId('contact-password').fill(a.password)
  await page.getByTestId('trial-start').click()
  await expect(sent).toContainText(a.email, { timeout: 20_000 })

  // Restarted a day later by the window's clock, the draft is stale: the form, empty, and the draft gone.
  const dayLater = await restarted(browser, page.context(), 25 * 60 * 60 * 1000)
  await expect(dayLater.getByTestId('trial-form')).toBeVisible({ timeout: 20_000 })
  await expect(dayLater.getByTestId('trial-code-form')).toHaveCount(0)
  await expect(dayLater.getByTestId('contact-name')).toHaveValue('')
  await expect(dayLater.getByTestId('contact-street')).toHaveValue('')
  expect(await stored(dayLater)).not.toContain('activation-draft')
  expect(await stored(dayLater)).not.toContain(a.street)
  await dayLater.context().close()

  // Reloaded once more, the code from the email finishes it, and nothing is left in the window's storage.
  await page.reload()
  await expect(sent).toContainText(a.email, { timeout: 20_000 })
  await page.getByTestId('trial-code').fill(await trialCodeFor(a.email))
  await page.getByTestId('trial-activate').click()
  await expect(page.locator('[data-testid="activate-intro"][data-next="line"]')).toBeVisible({
    timeout: 20_000
  })
  expect(await stored(page)).not.toContain('activation-draft')
  expect(await trialAvailable()).toBe(false)
  await page.context().close()
})
