/**
 * The Device page with the virtual dongle: chosen in Settings, detected with its picture and a clear
 * "virtual" label, driven by the real TigerJet descriptor and driver. Lifting the on-screen handset is seen
 * by main; main ringing the phone lights the on-screen lamp.
 */
import { expect, test } from '@playwright/test'
import { callMain } from './bridge'
import { E2E } from './env'
import { screenshot } from './screenshot'
import { shownText } from './shown-text'
import { startFromDefaultSettings } from './fresh-state'

startFromDefaultSettings()

test('the virtual dongle is never there unless chosen, and then shows as Device Detected', async ({
  page
}) => {
  await page.goto(`/?token=${E2E.token}`)
  await expect(page.getByTestId('device-empty')).toBeVisible()
  await expect(page.getByTestId('virtual-badge')).toHaveCount(0)

  await page.getByTestId('nav-settings').click()
  await page.getByTestId('settings-virtual').check()
  await page.getByTestId('nav-device').click()
  const card = page.getByTestId('device-virtual')
  await expect(card).toBeVisible()
  await expect(page.getByTestId('device-empty')).toHaveCount(0)
  await expect(page.getByText('Device detected')).toBeVisible()
  // The dongle works; "ready" is kept for a line that is (signed out here, there is none).
  await expect(page.locator('[data-testid="device-virtual"] [data-testid="device-state"]')).toHaveText(
    'Working'
  )
  await expect(page.locator('[data-testid="device-virtual"] [data-testid="device-power"]')).toContainText(
    shownText('needs 500 mA')
  )
  const picture = page.locator('[data-testid="device-virtual"] img')
  await expect(picture).toBeVisible()
  expect(await picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true)
  await expect(page.getByTestId('status-device')).toHaveText(shownText('1 phone device', true))
  // The firmware it runs (its flash is in hand at plug-in), and the USB release on a line of its own.
  await expect(card.getByTestId('device-firmware')).toHaveText(
    /^[\u2066-\u2069]*\d+\.\d+\.\d+[\u2066-\u2069]*$/
  )
  await expect(card.getByTestId('device-usb-release')).toHaveText(shownText('0.08', true))
  await screenshot(page, `${E2E.screenshots}/device-virtual-en.png`)
})

test('lifting the on-screen handset is seen by main, and main ringing is seen on screen', async ({
  page
}) => {
  expect((await callMain('app.settings.set', { virtualDongle: true })).ok).toBe(true)
  await page.goto(`/?token=${E2E.token}`)
  await page.getByTestId('virtual-handset').click()
  await expect(page.getByTestId('virtual-hook')).toHaveText('Off hook')
  const list = await callMain('device.list')
  if (!list.ok) throw new Error(list.error.message)
  const virtual = (list.value as { devices: { id: string; line: { offHook: boolean } }[] }).devices.find(
    (d) => d.id === 'virtual'
  )
  expect(virtual?.line.offHook).toBe(true)

  expect((await callMain('device.ring', { id: 'virtual', on: true })).ok).toBe(true)
  await expect(page.getByTestId('virtual-ringing')).toHaveText('Ringing')
  expect((await callMain('device.ring', { id: 'virtual', on: false })).ok).toBe(true)
  await expect(page.getByTestId('virtual-ringing')).toHaveText('Not ringing')
  await page.getByTestId('virtual-handset').click()
  await expect(page.getByTestId('virtual-hook')).toHaveText('On hook')
})

test('Persian: the Device page reads right to left, the keypad stays in phone order', async ({ page }) => {
  expect((await callMain('app.settings.set', { virtualDongle: true, language: 'fa' })).ok).toBe(true)
  await page.goto(`/?token=${E2E.token}`)
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl')
  await expect(page.getByText('دستگاه شناسایی شد')).toBeVisible()
  // Keypads are laid out 1-2-3 from the left in every language; compare positions once layout settles.
  await expect
    .poll(async () => {
      const box = (k: string) => page.getByTestId(`virtual-key-${k}`).boundingBox()
      const [one, three, star, zero] = await Promise.all(['1', '3', 'star', '0'].map(box))
      return one && three && star && zero
        ? [one.y === three.y, one.x < three.x, star.y === zero.y, star.x === one.x]
        : null
    })
    .toEqual([true, true, true, true])
  await screenshot(page, `${E2E.screenshots}/device-virtual-fa.png`)
})
