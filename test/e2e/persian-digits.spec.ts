/**
 * A person whose keyboard types Persian digits (۰-۹), on the Persian page, in Chromium against the run's own
 * service: a phone number typed ۴۱۵۵۵۵۰۱۹۹ is grouped and taken (main is sent 4155550199 and the SMS step
 * follows); an SMS code keeps the digits the person typed and is sent as 0-9; a card typed ۴۲۴۲… with expiry
 * ۱۲/۳۰ and CVC ۱۲۳ is saved, and the saved card reads back in Persian digits (۴۲۴۲, ۱۲/۳۰), written by Intl.
 * Without the normalisation (src/shared/numbers/latin-digits.ts) the phone field says only digits go there and
 * the service refuses the card.
 *
 * It signs in to the run's trial line (trial-line.ts), which playwright.config.ts has walked by then, and it removes
 * the card it saved.
 */
import { expect, test } from '@playwright/test'
import type { Envelope } from '../../src/shared/ipc/errors'
import { callMain } from './bridge'
import { E2E } from './env'
import { screenshot } from './screenshot'
import { signedInTrialLine } from './trial-line'
import { leaveSignedOut, startFromDefaultSettings } from './fresh-state'

startFromDefaultSettings()

leaveSignedOut()

const inPersian = async (): Promise<void> =>
  expect((await callMain('app.settings.set', { language: 'fa' })).ok).toBe(true)

test('a phone number and an SMS code typed in Persian digits go to main as 0-9', async ({ page }) => {
  const sent: unknown[] = []
  page.on('websocket', (ws) =>
    ws.on('framesent', (f) => {
      const frame = JSON.parse(String(f.payload)) as { channel?: string; payload?: unknown }
      if (frame.channel?.endsWith('PhoneSignup')) sent.push(frame.payload)
    })
  )
  await inPersian()
  await page.goto(`/?token=${E2E.token}#/account`)
  await expect(page.locator('html')).toHaveAttribute('lang', 'fa')
  await page.getByTestId('signin-phone').click()
  const field = page.getByTestId('phone-number')
  await field.pressSequentially('۴۱۵۵۵۵۰۱۹۹')
  await expect(field).toHaveValue('(415) 555-0199')
  await expect(field).not.toHaveAttribute('aria-invalid', 'true')
  await page.getByTestId('phone-send').click()
  await expect(page.getByTestId('phone-sent')).toBeVisible({ timeout: 20_000 })
  // With the app's language, the one the SMS and the account's messages are in.
  expect(sent).toEqual([{ phone: '4155550199', language: 'fa' }])

  // The code field keeps what the person typed, Arabic-Indic digits too, and main is sent 0-9.
  const code = page.getByTestId('phone-code')
  await code.pressSequentially('۱۲۳٤٥٦')
  await expect(code).toHaveValue('۱۲۳٤٥٦')
  await screenshot(page, `${E2E.screenshots}/persian-digits-phone.png`)
  await page.getByTestId('phone-name').fill('Shirin')
  await page.getByTestId('phone-email').fill('e2e-persian-digits@example.test')
  await page.getByTestId('phone-password').fill('correct horse battery staple')
  await page.getByTestId('phone-submit').click()
  await expect.poll(() => sent.length).toBe(2)
  expect(sent[1]).toMatchObject({ phone: '4155550199', code: '123456' })
})

test('a card typed in Persian digits is saved, and reads back in Persian digits', async ({ page }) => {
  await signedInTrialLine()
  await inPersian()
  await page.goto(`/?token=${E2E.token}#/account/billing`)
  const number = page.getByTestId('card-add-number')
  await expect(number).toBeVisible({ timeout: 20_000 })
  await number.pressSequentially('۴۲۴۲ ۴۲۴۲ ۴۲۴۲ ۴۲۴۲')
  await page.getByTestId('card-add-exp').pressSequentially('۱۲/۳۰')
  await page.getByTestId('card-add-cvc').pressSequentially('۱۲۳')
  // The fields show what was typed.
  await expect(number).toHaveValue('۴۲۴۲ ۴۲۴۲ ۴۲۴۲ ۴۲۴۲')
  await expect(page.getByTestId('card-add-exp')).toHaveValue('۱۲/۳۰')
  await page.getByTestId('card-add-submit').click()

  await expect(page.getByTestId('cards-done')).toContainText('۴۲۴۲', { timeout: 20_000 })
  await expect(page.getByTestId('card-add-error')).toHaveCount(0)
  const row = page.locator('[data-testid="card-row"][data-last4="4242"]')
  await expect(row).toContainText('۴۲۴۲')
  await expect(row).toContainText('۱۲/۳۰')
  await expect(row).not.toContainText(/[0-9]/)
  // The form was emptied for the next card.
  await expect(number).toHaveValue('')
  await screenshot(page, `${E2E.screenshots}/persian-digits-card.png`)

  // What the service keeps: the card in Latin digits, expiring December 2030. Then it goes again.
  const cards = (await callMain('billing.paymentMethods')) as Envelope<{
    paymentMethods: { id: string; last4: string; expMonth: number; expYear: number }[]
  }>
  expect(cards.ok, JSON.stringify(cards)).toBe(true)
  const saved = cards.ok ? cards.value.paymentMethods.find((c) => c.last4 === '4242') : undefined
  expect(saved).toMatchObject({ expMonth: 12, expYear: 2030 })
  const removed = await callMain('billing.removePaymentMethod', { paymentMethodId: saved?.id })
  expect(removed.ok, JSON.stringify(removed)).toBe(true)
})
