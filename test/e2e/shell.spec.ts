/**
 * The shell as a person meets it in a browser: opened with the printed address, the five areas, the live
 * device list, settings that main validates, Persian laid out right to left, and the dark theme.
 */
import { expect, test, type Page } from '@playwright/test'
import { callMain } from './bridge'
import { E2E } from './env'
import { screenshot } from './screenshot'
import { shownText } from './shown-text'
import { startFromDefaultSettings } from './fresh-state'

const open = async (page: Page, hash = ''): Promise<void> => {
  await page.goto(`/?token=${E2E.token}${hash}`)
  await expect(page.getByTestId('status-device')).not.toHaveText(/Checking/)
}

startFromDefaultSettings()

test('without its token the page says what to do, and main stays closed', async ({ page }) => {
  await page.goto('/')
  await expect(page.getByTestId('missing-token')).toContainText('Open Dialtone from its own address')
  await expect(page.getByRole('navigation')).toHaveCount(0)
})

test('a wrong token is refused and said so', async ({ page }) => {
  await page.goto('/?token=e2e-token-000000000000000')
  await expect(page.getByTestId('refused')).toContainText('Dialtone refused this page')
  await expect(page.getByTestId('refused')).toHaveAttribute('data-reason', 'refused')
  await expect(page.getByTestId('page-device')).not.toContainText('USB')
  // It stays said while the page retries (it used to flicker away to an empty page), and no "Service online".
  await page.waitForTimeout(1500)
  await expect(page.getByTestId('refused')).toBeVisible()
  await expect(page.getByTestId('status-service')).toHaveText('Not connected to Dialtone')
})

test('a tab left open across a restart says its key is old, also after a reload', async ({ page }) => {
  await open(page, '#/settings')
  await expect(page.getByTestId('status-service')).toHaveText('Service online')
  // What a restart does to this tab: the key it keeps (session storage) is no longer Dialtone's.
  await page.evaluate(() => sessionStorage.setItem('dialtone.token', 'e2e-token-from-the-last-start'))
  await page.reload()
  const refused = page.getByTestId('refused')
  await expect(refused).toContainText('Dialtone was restarted')
  await expect(refused).toContainText('Open the new address Dialtone printed in the terminal')
  await expect(refused).toHaveAttribute('data-reason', 'stale')
  await page.waitForTimeout(1500)
  await expect(refused).toBeVisible()
  await expect(page.getByTestId('status-service')).not.toHaveText('Service online')
})

test('the empty Device page points to the virtual dongle in Settings', async ({ page }) => {
  // The e2e host has no USB dongle and the virtual one is off: the page must be empty, never skipped.
  const answer = await callMain('device.list')
  if (!answer.ok) throw new Error(`device.list refused: ${answer.error.code}`)
  expect((answer.value as { devices: unknown[] }).devices).toEqual([])
  await open(page)
  await expect(page.getByTestId('device-empty')).toBeVisible()
  await page.getByTestId('device-open-virtual').click()
  await expect(page.getByTestId('nav-settings')).toHaveAttribute('aria-current', 'page')
  await expect(page.getByTestId('settings-virtual')).toBeVisible()
})

test('the shell shows the five areas, the status bar and the live device list', async ({ page }) => {
  await open(page)
  await expect(page).toHaveURL(`${E2E.webUrl}/`) // the token left the address bar
  for (const [id, label] of [
    ['device', 'Device'],
    ['phone', 'Phone'],
    ['account', 'Account'],
    ['diagnostics', 'Diagnostics'],
    ['settings', 'Settings']
  ] as const) {
    await expect(page.getByTestId(`nav-${id}`)).toHaveText(label)
  }
  await expect(page.getByTestId('nav-device')).toHaveAttribute('aria-current', 'page')

  const answer = await callMain('device.list')
  if (!answer.ok) throw new Error(answer.error.message)
  const { devices } = answer.value as { devices: unknown[] }
  await expect(page.getByTestId('usb-table')).toHaveAttribute('data-count', String(devices.length))
  if (devices.length === 0) {
    await expect(page.getByTestId('device-empty')).toContainText('No device — plug in your dongle')
    await expect(page.getByTestId('status-device')).toHaveText('No device')
  }
  await expect(page.getByTestId('status-line')).toHaveText('No line set up')
  await expect(page.getByTestId('status-service')).toHaveText('Service online')
  await screenshot(page, `${E2E.screenshots}/shell-en.png`)
})

test('every area opens from the navigation', async ({ page }) => {
  await open(page)
  await page.getByTestId('nav-account').click()
  await expect(page.getByTestId('service-state')).toContainText('Online, version')
  await page.getByTestId('nav-diagnostics').click()
  await expect(page.getByTestId('diag-usb')).not.toBeEmpty()
  await expect(page.getByTestId('diag-perms')).not.toBeEmpty()
  await page.getByTestId('nav-phone').click()
  await expect(page.getByTestId('phone-state')).toHaveText('No line set up')
  await page.getByTestId('nav-settings').click()
  await expect(page.getByTestId('about')).toContainText('the browser (web host)')
  await expect(page.getByTestId('about-datadir')).toHaveText(process.env.DIALTONE_E2E_DATA ?? '')
})

test('Persian turns the whole layout right to left', async ({ page }) => {
  await open(page, '#/settings')
  await page.getByTestId('settings-language').selectOption('fa')
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl')
  await expect(page.locator('html')).toHaveAttribute('lang', 'fa')
  await expect(page.getByTestId('nav-device')).toHaveText('دستگاه')
  const nav = await page.getByRole('navigation').boundingBox()
  const content = await page.locator('#content').boundingBox()
  expect(nav && content && nav.x > content.x).toBe(true) // the rail moved to the right-hand side
  await screenshot(page, `${E2E.screenshots}/shell-fa.png`)
  await page.reload()
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl') // kept by main, not by the tab
})

test('a setting main refuses shows why and changes nothing', async ({ page }) => {
  await open(page, '#/settings')
  const field = page.getByTestId('settings-service-url')
  await expect(field).toHaveValue(E2E.serviceUrl)
  await field.fill('not a url')
  await page.getByTestId('settings-save').click()
  // The app's own words for the field's code, never main's English.
  await expect(page.getByTestId('settings-error')).toHaveText(
    shownText('Enter an address starting with http:// or https://.', true)
  )
  await expect(field).toHaveAttribute('aria-invalid', 'true')
  const stored = await callMain('app.settings.get')
  expect(stored.ok && (stored.value as { serviceUrl: string }).serviceUrl).toBe(E2E.serviceUrl)
})

test('the dark theme applies at once and follows every open page', async ({ page, context }) => {
  await open(page, '#/settings')
  const other = await context.newPage()
  await open(other)
  await page.getByTestId('settings-theme-dark').check()
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  await expect(other.locator('html')).toHaveAttribute('data-theme', 'dark') // via app.settingsChanged
  await screenshot(page, `${E2E.screenshots}/settings-dark.png`)
})
