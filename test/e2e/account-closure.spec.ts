/**
 * The account's own data, walked on the Account page's Profile tab (src/renderer/src/components/account/
 * YourData.tsx, ClosingBanner.tsx): "Download my data" saves one JSON file of the account; "Close my account" says
 * what closing does before the password, refuses a wrong password in words, then schedules the closure, which the
 * banner on top of every part of the page shows with its date and "Keep my account" undoes. The run's trial line
 * is left as it was found (kept open), for the specs after this one.
 */
import { readFile } from 'node:fs/promises'
import { expect, test } from '@playwright/test'
import { E2E } from './env'
import { leaveSignedOut, startFromDefaultSettings } from './fresh-state'
import { TRIAL_ACCOUNT, signedInTrialLine } from './trial-line'

startFromDefaultSettings()

leaveSignedOut()

test('downloads the account’s data, and closing it is scheduled with the password and undone with “Keep my account”', async ({
  page
}) => {
  await signedInTrialLine()
  await page.goto(`/?token=${E2E.token}#/account/profile`)
  const data = page.getByTestId('your-data')
  await data.waitFor({ timeout: 20_000 })

  // Download my data: one JSON file, the account's, with its email and its line.
  const download = page.waitForEvent('download')
  await data.getByTestId('download-data-submit').click()
  const file = await download
  expect(file.suggestedFilename()).toMatch(/^dialtone-data-\d{4}-\d\d-\d\d\.json$/)
  const exported = JSON.parse(await readFile(await file.path(), 'utf8')) as {
    format: string
    emails: { address: string }[]
    lines: { deviceSerial: string }[]
  }
  expect(exported.format).toBe('dialtone-account-export')
  expect(exported.emails.map((e) => e.address)).toContain(TRIAL_ACCOUNT.email)
  expect(exported.lines.map((l) => l.deviceSerial)).toContain(TRIAL_ACCOUNT.serial)
  await expect(data.getByTestId('download-data-done')).toBeVisible()

  // Close my account: the consequences first, then the password.
  await data.getByTestId('close-account').locator('summary').click()
  const consequences = data.getByTestId('close-consequences')
  await expect(data.getByTestId('close-form')).toContainText('If you confirm now, your account closes on')
  await expect(consequences).toContainText('On that day these lines close')
  await expect(consequences).toContainText('not even 911, and their numbers are released')
  await expect(consequences).toContainText('each line works until its paid time ends or until that day')
  await expect(consequences).toContainText('Invoices and payment records are kept')
  await expect(consequences).toContainText('there is no undo')
  await data.getByTestId('close-password').fill('not the password')
  await data.getByTestId('close-submit').click()
  await expect(data.getByText('The password is not right.')).toBeVisible()
  await expect(page.getByTestId('closing-banner')).toHaveCount(0)

  await data.getByTestId('close-password').fill(TRIAL_ACCOUNT.password)
  await data.getByTestId('close-submit').click()
  const banner = page.getByTestId('closing-banner')
  await expect(banner).toContainText('Your account closes on')
  await expect(data.getByTestId('close-scheduled')).toBeVisible()
  // The banner is on every part of the Account page, and the closure survives a reload.
  await page.getByTestId('account-tab-overview').click()
  await expect(banner).toBeVisible()
  await page.reload()
  await expect(page.getByTestId('closing-banner')).toBeVisible({ timeout: 20_000 })

  // Keep my account: the closure is undone, the form is back.
  await page.getByTestId('keep-account').click()
  await expect(page.getByTestId('account-kept')).toHaveText('Your account stays open.')
  await expect(page.getByTestId('closing-banner')).toHaveCount(0)
  await page.getByTestId('account-tab-profile').click()
  await expect(page.getByTestId('close-account')).toBeVisible()
})
