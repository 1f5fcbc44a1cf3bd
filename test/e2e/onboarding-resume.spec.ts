/**
 * A reload while the trial's code is on its way, in Chromium against the run's own service: the wizard comes
 * back at the code step for the same trial request (the email said), the answers are there behind "Change the
 * details" (all but the password, typed again), and the code from the dev mailbox finishes it. The window's
 * storage never holds the password or the code, and holds nothing once the trial is activated.
 *
 * It takes the run's one trial of the virtual dongle (trial-line.ts) for TRIAL_ACCOUNT, so it runs after
 * newcomer-fixes.spec.ts (which needs the trial still offered) and before the specs that sign in to that line.
 */
import { type Page, expect, test } from '@playwright/test'
import { E2E } from './env'
import { screenshot } from './screenshot'
import { TRIAL_ACCOUNT, trialAvailable, trialCodeFor, virtualDonglePlugged } from './trial-line'
import { startFromDefaultSettings, leaveSignedOut } from './fresh-state'

const a = TRIAL_ACCOUNT

startFromDefaultSettings()

leaveSignedOut()

/** Everything the page keeps in sessionStorage, as one text. */
const stored = (page: Page): Promise<string> =>
  page.evaluate(() => JSON.stringify(Object.entries(sessionStorage)))

test('a reload at the trial’s code step resumes there, with the answers and without the password', async ({
  page
}) => {
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
  const sent = page.getByTestId('trial-code-sent')
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
})
