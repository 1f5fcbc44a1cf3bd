/**
 * The newcomer's walk through the Phone page, in Chromium, signed in to a trial line of the run's own service:
 * "hello" typed as a forwarding number stays in the field with a sentence saying only digits go there, and saving
 * is refused (no "saved", the rule still off); "555" is said to be incomplete, not abroad; "12" to block is said to
 * be too short; the rings list reads "1 ring" and "2 rings" (and French "1 sonnerie").
 */
import { expect, test } from '@playwright/test'
import type { Envelope } from '../../src/shared/ipc/errors'
import { callMain } from './bridge'
import { E2E } from './env'
import { screenshot } from './screenshot'
import { shownText } from './shown-text'

/**
 * A trial line on the run's service, started as a person does: the virtual dongle (serial VIRTUAL, which a
 * development service trusts) proves itself through main, the code comes from the dev mailbox, and activating it
 * signs this app in.
 */
async function signedInTrialLine(): Promise<void> {
  expect((await callMain('app.settings.set', { virtualDongle: true })).ok).toBe(true)
  const email = `e2e-${Date.now().toString(36)}@example.test`
  const request = {
    serial: 'VIRTUAL',
    model: '06e6:c200',
    name: 'Ada Lovelace',
    billingAddress: {
      street: '1 Main St',
      city: 'Hoboken',
      region: 'NJ',
      postalCode: '07030',
      country: 'US'
    },
    email,
    password: 'correct horse battery',
    areaCode: '201',
    acceptances: { termsVersion: '2026-11', e911DisclosureVersion: '2026-11' }
  }
  let started: Envelope<unknown> = await callMain('account.startTrial', request)
  // The virtual dongle is plugged in a moment after the setting.
  for (let i = 0; i < 40 && !started.ok; i++) {
    await new Promise((r) => setTimeout(r, 250))
    started = await callMain('account.startTrial', request)
  }
  expect(started.ok, JSON.stringify(started)).toBe(true)
  const { trialId } = (started as { value: { trialId: string } }).value
  const mail = (await (
    await fetch(`${E2E.serviceUrl}/dev/mailbox.json?to=${encodeURIComponent(email)}`)
  ).json()) as { messages: { purpose: string; body: string | null }[] }
  const code = /\b(\d{6})\b/.exec(mail.messages.find((m) => m.purpose === 'trial-code')?.body ?? '')?.[1]
  expect(code, JSON.stringify(mail)).toBeTruthy()
  const activated = await callMain('account.activateTrial', { trialId, code })
  expect(activated.ok, JSON.stringify(activated)).toBe(true)
}

// The later files start signed out, without the virtual dongle, as they expect.
test.afterEach(async () => {
  await callMain('account.signOut')
  expect((await callMain('app.settings.set', { language: 'en', virtualDongle: false })).ok).toBe(true)
})

test.beforeEach(async () => {
  const reset = await callMain('app.settings.set', { language: 'en', theme: 'light', virtualDongle: false })
  expect(reset.ok).toBe(true)
})

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
  await expect(note).not.toHaveText(/Only digits/)
  await page.getByTestId('forwarding-save').click()
  await expect(note).toHaveText(
    'This number is incomplete: enter all 10 digits of a US or Canadian number, area code included.'
  )
  await expect(page.getByTestId('forwarding-saved')).toHaveCount(0)

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
