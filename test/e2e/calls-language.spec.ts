/**
 * The itemised calls' files as a person gets them from the account's overview, with the app in Persian: the app
 * sends its language with the CSV, the PDF and the emailed PDF (src/renderer/src/components/account/CallDetails.tsx),
 * so the CSV's header and the PDF's title and header are Persian, and no bidi mark sits in a CSV cell.
 */
import { readFile } from 'node:fs/promises'
import { expect, test } from '@playwright/test'
import { BIDI_MARKS, parseCsv } from '../support/file-text'
import { pdfToText, plainText } from '../support/pdftotext'
import { callMain } from './bridge'
import { E2E } from './env'
import { leaveSignedOut, startFromDefaultSettings } from './fresh-state'
import { signedInTrialLine } from './trial-line'

startFromDefaultSettings()

leaveSignedOut()

test('the itemised calls come in the app’s language, downloaded or emailed', async ({ page }) => {
  await signedInTrialLine()
  expect((await callMain('app.settings.set', { language: 'fa' })).ok).toBe(true)
  // What the page asks of main for the files, as sent.
  const asked = new Map<string, unknown>()
  await page.routeWebSocket(/\/ipc/, (ws) => {
    const server = ws.connectToServer()
    ws.onMessage((message) => {
      const frame = JSON.parse(String(message)) as { channel?: string; payload?: unknown }
      if (frame.channel?.endsWith('CallDetails')) asked.set(frame.channel, frame.payload)
      server.send(message)
    })
  })
  await page.goto(`/?token=${E2E.token}#/account/overview`)
  await page.locator('html[lang="fa"]').waitFor({ timeout: 20_000 })
  const calls = page.getByTestId('call-details')
  await calls.waitFor({ timeout: 20_000 })

  const download = async (testId: string) => {
    const next = page.waitForEvent('download')
    await calls.getByTestId(testId).click()
    return readFile(await (await next).path())
  }
  const csvText = (await download('calls-csv')).toString('utf8')
  expect(csvText).not.toMatch(BIDI_MARKS)
  expect(parseCsv(csvText)[0]).toEqual([
    'شروع به وقت UTC',
    'مقصد',
    'منطقه',
    'ثانیه',
    'دقیقه‌های محاسبه‌شده',
    'دقیقه‌های بسته',
    'مبلغ',
    'واحد پول',
    'بازارسال‌شده از'
  ])
  const pdf = pdfToText(await download('calls-pdf')).join('\n')
  for (const words of ['ریز تماس‌ها', 'شروع به وقت UTC', 'مقصد', 'تعداد تماس‌ها'])
    expect(pdf).toContain(plainText(words))
  expect(pdf).not.toMatch(/Itemised|Started|Destination/)

  await calls.getByTestId('calls-email').click()
  await expect.poll(() => asked.get('billing.emailCallDetails')).toMatchObject({ language: 'fa' })
  expect(asked.get('billing.exportCallDetails')).toMatchObject({ format: 'pdf', language: 'fa' })
})
