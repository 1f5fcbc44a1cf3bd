/**
 * A technician's visit: the Diagnostics page checks the ports, shows the verdict first and the USB tree with the
 * dongle's path, lists plug and unplug events live, and exports the report. With the virtual dongle on, its
 * USB facts come from the sysfs tree the real kernel showed for the TigerJet profile in the rig.
 */
import { readFileSync } from 'node:fs'
import { expect, test } from '@playwright/test'
import { callMain } from './bridge'
import { E2E } from './env'
import { screenshot } from './screenshot'
import { shownText } from './shown-text'
import { startFromDefaultSettings } from './fresh-state'

startFromDefaultSettings()

test('with no dongle, the check says so (not "healthy") and to plug one in', async ({ page }) => {
  await page.goto(`/?token=${E2E.token}#/diagnostics`)
  await page.getByTestId('diag-check').click()
  await expect(page.getByTestId('diag-health')).toHaveText('Problems found')
  await expect(page.getByTestId('verdict-NOT_FOUND')).toContainText('No dongle is plugged in')
})

test('the virtual dongle: verdict, USB tree with need vs budget, live log, and the exported report', async ({
  page
}) => {
  await page.goto(`/?token=${E2E.token}#/diagnostics`)
  expect((await callMain('app.settings.set', { virtualDongle: true })).ok).toBe(true)
  await expect(page.getByTestId('diag-events')).toContainText('plugged in virtual')

  await page.getByTestId('diag-check').click()
  const verdict = page.getByTestId('verdict-POWER_AT_LIMIT')
  await expect(verdict).toContainText('The port gives the dongle all it needs, with nothing to spare')
  await expect(verdict).toContainText('Fix:')
  await expect(page.getByTestId('tree-usb1')).toContainText('Root hub usb1 (USB 2.00)')
  await expect(page.getByTestId('tree-virtual')).toContainText(shownText('needs 500 mA · port gives 500 mA'))
  await screenshot(page, `${E2E.screenshots}/diagnostics-en.png`)

  const download = page.waitForEvent('download')
  await page.getByTestId('diag-export-html').click()
  const file = await download
  expect(file.suggestedFilename()).toMatch(/^dialtone-usb-.*\.html$/)
  const html = readFileSync((await file.path()) as string, 'utf8')
  expect(html).toContain('<h1>Dialtone USB diagnostics</h1>')
  expect(html).toContain('magicJack USB phone line (virtual)')
  expect(html).not.toContain('>VIRTUAL<') // the serial is masked by default

  const json = page.waitForEvent('download')
  await page.getByTestId('diag-export-json').click()
  const report = JSON.parse(readFileSync((await (await json).path()) as string, 'utf8')) as {
    schema: string
    health: string
  }
  expect(report).toMatchObject({ schema: 'dialtone.diagnostics/1', health: 'healthy' })

  expect((await callMain('app.settings.set', { virtualDongle: false })).ok).toBe(true)
  await expect(page.getByTestId('diag-events')).toContainText('unplugged virtual')
})

test('the Device page shows the compact power check', async ({ page }) => {
  expect((await callMain('app.settings.set', { virtualDongle: true })).ok).toBe(true)
  await page.goto(`/?token=${E2E.token}`)
  await expect(page.getByTestId('power-verdict')).toContainText(
    'Power check: The port gives the dongle all it needs'
  )
})
