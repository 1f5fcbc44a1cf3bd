/**
 * What the newcomer's README run left, as a person sees it in Chromium: the setup wizard's step that needs them
 * is in view at 1280x800 beside the virtual dongle (no scrolling past the virtual handset), and a phone number on
 * a screen reads as people write it ("(800) 555-0199", not "+18005550199"), isolated inside right-to-left text;
 * the trial form does not move under the pointer when the area code's answer arrives from the service (a refusal of
 * the code before it shown or not), its answer is said once and again when the same code is typed again; and the
 * 911 disclosure the person acknowledges is read in their language, or in English said to be English. The trial
 * form sent empty puts the focus on its first refused field, and each box to tick carries its own refusal.
 */
import { expect, test } from '@playwright/test'
import { callMain } from './bridge'
import { E2E } from './env'
import { screenshot } from './screenshot'
import { shownText } from './shown-text'
import { startFromDefaultSettings } from './fresh-state'
import { description } from './heard'

startFromDefaultSettings()

test('the setup wizard’s step that needs the person is in view at 1280x800, beside the virtual dongle', async ({
  page
}) => {
  await page.setViewportSize({ width: 1280, height: 800 })
  expect((await callMain('app.settings.set', { virtualDongle: true })).ok).toBe(true)
  await page.goto(`/?token=${E2E.token}`)
  await expect(page.getByTestId('virtual-handset')).toBeVisible()
  const choice = page.getByTestId('activate-trial')
  await expect(choice).toBeVisible({ timeout: 20_000 })
  // Wholly on screen without scrolling: the wizard's title, its steps and the choice to start.
  await expect(page.getByTestId('setup-wizard').locator('h2').first()).toBeInViewport({ ratio: 1 })
  await expect(choice).toBeInViewport({ ratio: 1 })
  await expect(page.getByTestId('activate-purchased')).toBeInViewport({ ratio: 1 })
  expect(await page.evaluate(() => document.scrollingElement?.scrollTop ?? 0)).toBe(0)
  await screenshot(page, `${E2E.screenshots}/newcomer-wizard-1280x800.png`)
})

test('a phone number on a screen reads as people write it, isolated in right-to-left text', async ({
  page
}) => {
  await page.goto(`/?token=${E2E.token}#/help`)
  const phone = page.getByTestId('help-contact-phone')
  await expect(phone).toHaveText(shownText('(800) 555-0199', true))
  expect(await phone.textContent()).not.toContain('+18005550199')
  // Dialling it still uses the number itself.
  await expect(phone).toHaveAttribute('href', 'tel:+18005550199')

  expect((await callMain('app.settings.set', { language: 'fa' })).ok).toBe(true)
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl')
  await expect(phone).toHaveText('\u2068(800) 555-0199\u2069')
  await screenshot(page, `${E2E.screenshots}/newcomer-number-fa.png`)
})

test('the trial form stays put when the area code’s answer arrives', async ({ page }) => {
  expect((await callMain('app.settings.set', { virtualDongle: true })).ok).toBe(true)
  await page.goto(`/?token=${E2E.token}`)
  const choice = page.getByTestId('activate-trial')
  await expect(choice).toBeVisible({ timeout: 20_000 })
  await choice.click()
  const terms = page.getByTestId('contact-terms')
  await expect(terms).toBeVisible()
  await page.getByTestId('contact-areaCode').fill('201')
  const before = await terms.boundingBox()
  // The service's answer ("201 ... is free"), a moment after typing.
  await expect(page.getByTestId('area-code').locator('.hint')).toContainText('201', { timeout: 10_000 })
  expect(await terms.boundingBox()).toEqual(before)
  // The answer is said too: the hint is not read when it changes, so a status region unseen says it.
  const said = page.getByTestId('area-code-said')
  await expect(said).toHaveAttribute('role', 'status')
  const answer = await page.getByTestId('area-code').locator('.hint').innerText()
  await expect(said).toHaveText(answer)
  // Said once, then gone from the unseen region (about 5 s); the same code typed again is said again.
  await expect(said).toHaveText('', { timeout: 10_000 })
  await page.getByTestId('contact-areaCode').fill('')
  await expect(page.getByTestId('area-code').locator('.hint')).not.toContainText('201')
  await page.getByTestId('contact-areaCode').fill('201')
  await expect(said).toHaveText(answer, { timeout: 10_000 })
})

test('the trial form stays put when the answer arrives beside a refusal of the old area code', async ({
  page
}) => {
  expect((await callMain('app.settings.set', { virtualDongle: true })).ok).toBe(true)
  await page.goto(`/?token=${E2E.token}`)
  await page.getByTestId('activate-trial').click({ timeout: 20_000 })
  const field = page.getByTestId('contact-areaCode')
  // Refused by main (no area code starts with 1): the refusal shows beside the field until the form is sent again.
  await field.fill('123')
  await page.getByTestId('trial-start').click()
  await expect(field).toHaveAttribute('aria-invalid', 'true')
  await field.fill('201')
  const start = page.getByTestId('trial-start')
  const before = await start.boundingBox()
  await expect(page.getByTestId('area-code').locator('.hint')).toContainText('201', { timeout: 10_000 })
  await expect(field).toHaveAttribute('aria-invalid', 'true')
  expect(await start.boundingBox()).toEqual(before)
})

test('the 911 disclosure is read in the person’s language, or in English with a note saying so', async ({
  page
}) => {
  // Slovenian as a version without its translation would answer: the English text, marked as such.
  await page.routeWebSocket(/\/ipc/, (ws) => {
    const server = ws.connectToServer()
    ws.onMessage((message) => {
      const frame = JSON.parse(String(message)) as {
        id?: number
        channel?: string
        payload?: { language?: string }
      }
      if (frame.channel !== 'account.e911Disclosure' || frame.payload?.language !== 'sl')
        return server.send(message)
      const value = {
        version: '2026-11',
        language: 'en',
        fallback: true,
        text: '911 calls over this line may not work.'
      }
      ws.send(JSON.stringify({ kind: 'result', id: frame.id, result: { ok: true, value } }))
    })
  })
  expect((await callMain('app.settings.set', { virtualDongle: true, language: 'fr' })).ok).toBe(true)
  await page.goto(`/?token=${E2E.token}`)
  const choice = page.getByTestId('activate-trial')
  await expect(choice).toBeVisible({ timeout: 20_000 })
  await choice.click()
  await page.getByText('Lire l’avis sur le 911').click()
  const disclosure = page.getByTestId('e911-disclosure')
  await expect(disclosure).toContainText('Les appels au 911 sur cette ligne peuvent ne pas fonctionner')
  await expect(disclosure).toHaveAttribute('lang', 'fr')
  await expect(page.getByTestId('e911-fallback')).toHaveCount(0)
  await expect(page.getByTestId('contact-e911').locator('xpath=..')).toHaveText(
    'Je comprends comment fonctionne le 911 sur cette ligne'
  )
  await screenshot(page, `${E2E.screenshots}/newcomer-e911-fr.png`)

  expect((await callMain('app.settings.set', { language: 'sl' })).ok).toBe(true)
  await expect(page.getByTestId('e911-fallback')).toHaveText(
    'To obvestilo še ni prevedeno v vaš jezik; to je besedilo v angleščini.'
  )
  await expect(disclosure).toHaveAttribute('lang', 'en')
  await expect(disclosure).toHaveText('911 calls over this line may not work.')
})

test('a trial form sent empty focuses its first refused field, and each box carries its own refusal', async ({
  page
}) => {
  expect((await callMain('app.settings.set', { virtualDongle: true })).ok).toBe(true)
  await page.goto(`/?token=${E2E.token}`)
  await page.getByTestId('activate-trial').click({ timeout: 20_000 })
  await page.getByTestId('trial-start').click()
  // The focus leaves the button for the first field the refusal marked (focus-keeper.ts), which reads it out.
  await expect(page.locator('[aria-invalid="true"]').first()).toBeFocused()
  for (const box of ['contact-terms', 'contact-e911']) {
    const input = page.getByTestId(box)
    await expect(input).toHaveAttribute('aria-invalid', 'true')
    expect(await description(input)).toContain('Tick the box to accept')
  }
})
