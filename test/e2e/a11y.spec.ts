/**
 * Accessibility: axe-core (the engine behind Lighthouse's accessibility audit) on every page, in English and in
 * Persian, with the virtual dongle on so the Device page has its full content (its setup wizard included); each
 * page is screenshotted in both languages. Serious and critical findings fail.
 */
import { createRequire } from 'node:module'
import { expect, test, type Page } from '@playwright/test'
import { PAGES } from '../../src/shared/ipc/app'
import { callMain } from './bridge'
import { E2E } from './env'
import { screenshot } from './screenshot'

// The app's CSP (rightly) refuses injected scripts; the audit tool is let in for this file only.
test.use({ bypassCSP: true })

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js')

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[]
}

async function audit(page: Page): Promise<string[]> {
  // Once per loaded document: the pages change by their hash, and adding axe again cost more than its audit.
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: axePath })
  const result = await page.evaluate(() =>
    (window as unknown as { axe: { run(): Promise<AxeResult> } }).axe.run()
  )
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
}

for (const language of ['en', 'fa'] as const) {
  for (const theme of ['light', 'dark'] as const) {
    test(`no serious accessibility findings on any page (${language}, ${theme})`, async ({ page }) => {
      expect((await callMain('app.settings.set', { language, theme, virtualDongle: true })).ok).toBe(true)
      for (const name of PAGES) {
        await page.goto(`/?token=${E2E.token}#/${name}`)
        await expect(page.getByTestId(`page-${name}`)).toBeVisible()
        await expect(page.getByTestId('status-service')).not.toHaveText(/Checking|در حال بررسی/)
        if (name === 'diagnostics') {
          await page.getByTestId('diag-check').click()
          await expect(page.getByTestId('diag-report')).toBeVisible()
        }
        if (theme === 'light') await screenshot(page, `${E2E.screenshots}/page-${name}-${language}.png`)
        expect(await audit(page), `${name} (${language}, ${theme})`).toEqual([])
      }
      expect(
        (await callMain('app.settings.set', { language: 'en', theme: 'light', virtualDongle: false })).ok
      ).toBe(true)
    })
  }
}

test('the audit catches a deliberate violation (so the checks above are not empty)', async ({ page }) => {
  await page.goto(`/?token=${E2E.token}#/device`)
  await expect(page.getByTestId('page-device')).toBeVisible()
  await page.evaluate(() => {
    const img = document.createElement('img')
    img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw='
    // Into the body, outside React's tree: React re-rendering the page cannot take it away before the audit runs
    // (appended to #content it was once gone by then, and `?.` would hide a missing #content).
    document.body.append(img)
  })
  expect((await audit(page)).some((v) => v.startsWith('image-alt (critical)'))).toBe(true)
})
