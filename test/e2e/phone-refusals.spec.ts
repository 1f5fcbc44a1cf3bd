/**
 * The newcomer's walk through the Phone page, in Chromium, signed in to a trial line of the run's own service:
 * "hello" typed as a forwarding number stays in the field with a sentence saying only digits go there, and saving
 * is refused (no "saved", the rule still off); "555" is said to be incomplete, not abroad, and the note goes once
 * the number is edited; "12" to block is said to be too short; the rings list reads "1 ring" and "2 rings" (and
 * French "1 sonnerie").
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
