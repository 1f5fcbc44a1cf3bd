/**
 * A phone number typed into a field, in Chromium (components/PhoneField.tsx): grouped as it is typed, the caret
 * where the person left it when editing in the middle or deleting a ')' or '-', a paste of "+44 20 7946 0958" or
 * a tel: link grouped, the number itself (not its grouping) sent to main, and the field left to right on a
 * Persian page. The phone sign-up form is the field a person reaches without an account; every phone field uses
 * the same component.
 */
import { expect, test, type Locator } from '@playwright/test'
import { callMain } from './bridge'
import { E2E } from './env'
import { screenshot } from './screenshot'
import { startFromDefaultSettings } from './fresh-state'

startFromDefaultSettings()

const caret = (field: Locator): Promise<number | null> =>
  field.evaluate((el) => (el as HTMLInputElement).selectionStart)

test('a phone number is grouped as it is typed, without fighting the caret, and sent as the number', async ({
  page,
  context
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'])
  const sent: unknown[] = []
  page.on('websocket', (ws) =>
    ws.on('framesent', (f) => {
      const frame = JSON.parse(String(f.payload)) as { channel?: string; payload?: unknown }
      if (frame.channel === 'account.startPhoneSignup') sent.push(frame.payload)
    })
  )
  await page.goto(`/?token=${E2E.token}#/account`)
  await page.getByTestId('signin-phone').click()
  const field = page.getByTestId('phone-number')
  await expect(field).toHaveAttribute('dir', 'ltr')

  await field.pressSequentially('2125550100')
  await expect(field).toHaveValue('(212) 555-0100')
  expect(await caret(field)).toBe('(212) 555-0100'.length)

  // Backspace right after the '-' takes the 5 before it; the caret stays where the person is.
  await field.press('End')
  for (let i = 0; i < 4; i++) await field.press('ArrowLeft')
  await field.press('Backspace')
  await expect(field).toHaveValue('(212) 550-100')
  expect(await caret(field)).toBe('(212) 55'.length)
  // Typing in the middle puts the digit there, the caret after it.
  await field.press('5')
  await expect(field).toHaveValue('(212) 555-0100')
  expect(await caret(field)).toBe('(212) 555'.length)
  // Delete before the '-' takes the 0 after it.
  await field.press('Delete')
  await expect(field).toHaveValue('(212) 555-100')
  expect(await caret(field)).toBe('(212) 555'.length)

  const paste = async (text: string): Promise<void> => {
    await field.press('ControlOrMeta+a')
    await field.press('Delete')
    await expect(field).toHaveValue('')
    await page.evaluate((t) => navigator.clipboard.writeText(t), text)
    await field.press('ControlOrMeta+v')
  }
  await paste('+44 20 7946 0958')
  await expect(field).toHaveValue('+44 20 7946 0958')
  await paste('tel:+1-212-555-0100')
  await expect(field).toHaveValue('+1 212 555 0100')

  // What goes to main is the number, as before formatting.
  await page.getByTestId('phone-send').click()
  await expect(page.getByTestId('phone-finish')).toBeVisible()
  expect(sent).toEqual([{ phone: '+12125550100', language: 'en' }])
})

test('a phone field stays left to right, its number whole, on a right-to-left page', async ({ page }) => {
  expect((await callMain('app.settings.set', { language: 'fa' })).ok).toBe(true)
  await page.goto(`/?token=${E2E.token}#/account`)
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl')
  await page.getByTestId('signin-phone').click()
  const field = page.getByTestId('phone-number')
  await field.pressSequentially('4155550134')
  await expect(field).toHaveValue('(415) 555-0134')
  const style = await field.evaluate((el) => {
    const s = getComputedStyle(el)
    return { direction: s.direction, unicodeBidi: s.unicodeBidi }
  })
  expect(style).toEqual({ direction: 'ltr', unicodeBidi: 'isolate' })
  await screenshot(page, `${E2E.screenshots}/phone-typing-fa.png`)
})
