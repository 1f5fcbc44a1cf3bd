/**
 * The person's language is on the page from its first render, not after main's settings answer (in the web host
 * main's brain answers most of a second after the first paint): the page remembers the language it last applied.
 * Main's answer is held back here with a socket that never answers, so whatever the page shows is its first render.
 */
import { expect, test } from '@playwright/test'
import { callMain } from './bridge'
import { E2E } from './env'

const settings = (language: string | null): Promise<unknown> =>
  callMain('app.settings.set', { language, theme: 'light', virtualDongle: false })

test.afterEach(async () => {
  await settings('en')
})

test('the chosen language is in place at the first paint, before main answers', async ({ page }) => {
  expect(await settings('fa')).toMatchObject({ ok: true })
  await page.goto(`/?token=${E2E.token}`)
  await expect(page.getByTestId('nav-device')).toHaveText('دستگاه') // learnt from main's settings

  // The next start: main has not answered yet (and never will here); the locale files still load.
  await page.routeWebSocket(/\/ipc/, () => undefined)
  await page.goto(`/?token=${E2E.token}`)
  await expect(page.getByTestId('nav-device')).toHaveText('دستگاه')
  await expect(page.locator('html')).toHaveAttribute('lang', 'fa')
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl')
})

test("main's settings still win: a choice changed elsewhere replaces the remembered one", async ({
  page
}) => {
  expect(await settings('fr')).toMatchObject({ ok: true })
  await page.goto(`/?token=${E2E.token}`)
  await expect(page.getByTestId('nav-device')).toHaveText('Appareil')
  expect(await settings(null)).toMatchObject({ ok: true }) // the system's language (en-US here), set from afar
  await expect(page.getByTestId('nav-device')).toHaveText('Device')
  await page.routeWebSocket(/\/ipc/, () => undefined)
  await page.goto(`/?token=${E2E.token}`)
  await expect(page.getByTestId('nav-device')).toHaveText('Device')
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')
})
