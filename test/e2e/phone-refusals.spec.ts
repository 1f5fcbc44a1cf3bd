/**
 * The newcomer's walk through the Phone page, in Chromium, signed in to a trial line of the run's own service:
 * "hello" typed as a forwarding number stays in the field with a sentence saying only digits go there, and saving
 * is refused (no "saved", the rule still off); "555" is said to be incomplete, not abroad, and the note goes once
 * the number is edited; "12" to block is said to be too short; the rings list reads "1 ring" and "2 rings" (and
 * French "1 sonnerie"). And recent calls are the signed-in account's: a call is listed, gone from the page the
 * moment the account signs out (elsewhere: the page follows main), back when it signs in again, and "Clear
 * history" asks first (in Persian too, right to left), then clears it for good.
 */
import { expect, test } from '@playwright/test'
import { callMain } from './bridge'
import { E2E } from './env'
import { screenshot } from './screenshot'
import { shownText } from './shown-text'
import { signedInTrialLine } from './trial-line'
import { startFromDefaultSettings, leaveSignedOut } from './fresh-state'

leaveSignedOut()

startFromDefaultSettings()

test('forwarding and blocked numbers say what is wrong with a number, and save nothing', async ({ page }) => {
  await signedInTrialLine()
  await page.goto(`/?token=${E2E.token}#/phone`)

  const forwarding = page.getByTestId('forwarding')
  const noAnswer = page.getByTestId('forwarding-noAnswer')
  await expect(noAnswer).toBeVisible({ timeout: 20_000 })
  const note = forwarding.locator('.field').filter({ has: noAnswer }).locator('.field-error')

  // Letters stay, are named, and saving is refused: no "saved", and the rule is still off at the service.
  await noAnswer.pressSequentially('hello')
  await expect(noAnswer).toHaveValue('hello')
  await expect(note).toHaveText(shownText('Only digits go in a phone number: remove “hello”.'))
  await expect(noAnswer).toHaveAttribute('aria-invalid', 'true')
  await page.getByTestId('forwarding-save').click()
  await expect(note).toBeVisible()
  await expect(page.getByTestId('forwarding-saved')).toHaveCount(0)
  const lines = (await callMain('account.lines')) as { ok: boolean; value?: { lines: { id: string }[] } }
  const lineId = lines.value?.lines[0]?.id
  expect(lineId, JSON.stringify(lines)).toBeTruthy()
  const rules = (await callMain('forwarding.get', { lineId })) as {
    ok: boolean
    value?: { noAnswer: unknown }
  }
  expect(rules.ok, JSON.stringify(rules)).toBe(true)
  expect(rules.value?.noAnswer).toBeNull()

  // Incomplete is said as incomplete.
  await noAnswer.fill('')
  await noAnswer.pressSequentially('555')
  // The refusal of "hello" went with it: nothing is said under "555" before it is saved.
  await expect(note).toHaveCount(0)
  await page.getByTestId('forwarding-save').click()
  await expect(note).toHaveText(
    'This number is incomplete: enter all 10 digits of a US or Canadian number, area code included.'
  )
  await expect(page.getByTestId('forwarding-saved')).toHaveCount(0)

  // The refusal is about "555": editing the number takes it away (no stale "incomplete" under a new number),
  // and restoring the very number refused brings it back, before another save.
  await noAnswer.press('End')
  await noAnswer.press('0')
  await expect(note).toHaveCount(0)
  await expect(noAnswer).not.toHaveAttribute('aria-invalid', 'true')
  await noAnswer.press('Backspace')
  await expect(note).toHaveText(
    'This number is incomplete: enter all 10 digits of a US or Canadian number, area code included.'
  )

  // The rings list counts.
  const rings = page.getByTestId('forwarding-rings')
  await expect(rings.locator('option[value="1"]')).toHaveText(shownText('1 ring (about 6 seconds)', true))
  await expect(rings.locator('option[value="2"]')).toHaveText(shownText('2 rings (about 12 seconds)', true))

  // A complete number saves, and says so.
  await noAnswer.fill('')
  await noAnswer.pressSequentially('2125550100')
  await page.getByTestId('forwarding-save').click()
  await expect(page.getByTestId('forwarding-saved')).toHaveText('Call forwarding is saved.')
  await expect(noAnswer).toHaveValue('(212) 555-0100')

  // "12" to block is too short, in words.
  const block = page.getByTestId('blocked-number')
  await block.pressSequentially('12')
  await page.getByTestId('blocked-add').click()
  const blockNote = page
    .getByTestId('blocked')
    .locator('.field')
    .filter({ has: block })
    .locator('.field-error')
  await expect(blockNote).toHaveText('This number is too short to be a phone number. Enter the whole number.')
  await expect(page.getByTestId('blocked-row')).toHaveCount(0)
  await screenshot(page, `${E2E.screenshots}/phone-refusals-en.png`)

  // French: "1 sonnerie", and the refusals in French.
  expect((await callMain('app.settings.set', { language: 'fr' })).ok).toBe(true)
  await expect(rings.locator('option[value="1"]')).toHaveText(
    shownText('1 sonnerie (environ 6 secondes)', true)
  )
  await expect(blockNote).toHaveText(
    'Ce numéro est trop court pour être un numéro de téléphone. Saisissez le numéro complet.'
  )
  await expect(rings.locator('option[value="3"]')).toHaveText(
    shownText('3 sonneries (environ 18 secondes)', true)
  )
})

test('recent calls are the signed-in account’s, gone at sign-out, and cleared after asking', async ({
  page
}) => {
  await signedInTrialLine()
  const session = (await callMain('account.session')) as { ok: boolean; value?: { accountId: string | null } }
  expect(session.value?.accountId, JSON.stringify(session)).toBeTruthy()
  // This run has no SIP server: the line is down, so the call fails at once and is in the history (no line).
  expect((await callMain('phone.dial', { number: '+12125550142' })).ok).toBe(true)
  expect((await callMain('phone.hangup')).ok).toBe(true)
  await page.goto(`/?token=${E2E.token}#/phone`)
  const ours = page.getByTestId('call-history-row').filter({ hasText: '555-0142' })
  await expect(ours).toHaveCount(1, { timeout: 20_000 })

  // Signed out (as from another window): the page drops the list at once, and says whose calls it lists now.
  expect((await callMain('account.signOut')).ok).toBe(true)
  await expect(page.getByTestId('call-history-signed-out')).toBeVisible()
  await expect(ours).toHaveCount(0)
  await page.reload()
  await expect(page.getByTestId('call-history-signed-out')).toBeVisible({ timeout: 20_000 })
  await expect(ours).toHaveCount(0)

  // Signed in again: the account's calls are back.
  await signedInTrialLine()
  await expect(ours).toHaveCount(1, { timeout: 20_000 })
  await expect(page.getByTestId('call-history-signed-out')).toHaveCount(0)

  // Asked first; "Cancel" keeps everything and gives the focus back.
  await page.getByTestId('call-history-clear').click()
  const ask = page.getByTestId('call-history-clear-ask')
  await expect(ask).toContainText('Clear the call history?')
  await expect(page.getByTestId('call-history-clear-keep')).toBeFocused()
  await page.getByTestId('call-history-clear-keep').click()
  await expect(ask).toHaveCount(0)
  await expect(page.getByTestId('call-history-clear')).toBeFocused()
  await expect(ours).toHaveCount(1)

  // In Persian, right to left, then cleared.
  expect((await callMain('app.settings.set', { language: 'fa' })).ok).toBe(true)
  await page.locator('html[dir="rtl"]').waitFor({ timeout: 20_000 })
  await page.getByTestId('call-history-clear').click()
  await expect(ask).toContainText('سابقهٔ تماس‌ها پاک شود؟')
  await screenshot(page, `${E2E.screenshots}/phone-clear-history-fa.png`)
  await page.getByTestId('call-history-clear-confirm').click()
  await expect(page.getByTestId('call-history-row')).toHaveCount(0)
  await expect(page.getByTestId('call-history-clear')).toHaveCount(0)
  await page.reload()
  await expect(page.getByRole('heading', { level: 2, name: 'تماس‌های اخیر' })).toBeVisible({
    timeout: 20_000
  })
  await expect(page.getByTestId('call-history-row')).toHaveCount(0)
  const after = (await callMain('phone.history')) as { ok: boolean; value?: { calls: unknown[] } }
  expect(after.value?.calls).toEqual([])
})
