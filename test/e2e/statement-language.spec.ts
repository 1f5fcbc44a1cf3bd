/**
 * The statement's CSV as a person downloads it from the Billing tab, with the app in Persian: the app sends its
 * language for the CSV as for the PDF (src/renderer/src/components/account/Statement.tsx), so the file's headings
 * and balance rows are Persian, while the dates, kind codes and amounts are what a spreadsheet reads in any
 * language, and no bidi mark sits in a cell (a CSV is plain text).
 */
import { randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { expect, test } from '@playwright/test'
import { BIDI_MARKS, parseCsv } from '../support/file-text'
import { callMain } from './bridge'
import { E2E } from './env'
import { leaveSignedOut, startFromDefaultSettings } from './fresh-state'
import { signedInTrialLine } from './trial-line'

startFromDefaultSettings()

leaveSignedOut()

test('the statement CSV comes in the app’s language, with dates, codes and amounts as a spreadsheet reads them', async ({
  page
}) => {
  await signedInTrialLine()
  // An entry between the balance rows, whose words must be Persian too: a top-up by the sandbox's test card.
  const topUp = await callMain('billing.topUp', {
    idempotencyKey: randomUUID(),
    amountMinor: 500,
    payment: { card: { number: '4242424242424242', expMonth: 12, expYear: 2040, cvc: '123' } }
  })
  expect(topUp.ok, JSON.stringify(topUp)).toBe(true)
  expect((await callMain('app.settings.set', { language: 'fa' })).ok).toBe(true)
  await page.goto(`/?token=${E2E.token}#/account`)
  await page.locator('html[lang="fa"]').waitFor({ timeout: 20_000 })
  await page.getByTestId('account-tab-billing').click()
  const statement = page.getByTestId('statement')
  await statement.getByTestId('statement-table').waitFor({ timeout: 20_000 })

  const download = page.waitForEvent('download')
  await statement.getByTestId('statement-csv').click()
  const file = await download
  expect(file.suggestedFilename()).toMatch(/^dialtone-statement-\d{4}-\d\d-\d\d-to-\d{4}-\d\d-\d\d\.csv$/)
  const text = await readFile(await file.path(), 'utf8')
  expect(text).not.toMatch(BIDI_MARKS)
  const rows = parseCsv(text)
  expect(rows[0]).toEqual(['تاریخ', 'نوع', 'شرح', 'مبلغ', 'واحد پول', 'موجودی'])
  const opening = rows[1] ?? []
  const closing = rows[rows.length - 1] ?? []
  expect(opening).toEqual([
    expect.stringMatching(/^\d{4}-\d\d-\d\d$/),
    'opening_balance',
    'موجودی در آغاز دوره',
    '',
    'USD',
    expect.stringMatching(/^-?\d+\.\d\d$/)
  ])
  expect(closing).toEqual([
    expect.stringMatching(/^\d{4}-\d\d-\d\d$/),
    'closing_balance',
    'موجودی در پایان دوره',
    '',
    'USD',
    expect.stringMatching(/^-?\d+\.\d\d$/)
  ])
  // Every entry between them (the top-up at least): its local time, its kind's code, words without a Latin letter,
  // plain decimals.
  const entries = rows.slice(2, -1)
  expect(entries.map((r) => r[1])).toContain('top_up')
  for (const row of entries) {
    expect(row[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/)
    expect(row[1]).toMatch(/^[a-z_]+$/)
    expect(row[2]).not.toMatch(/[a-z]/i)
    expect([row[3], row[5]]).toEqual([
      expect.stringMatching(/^-?\d+\.\d\d$/),
      expect.stringMatching(/^-?\d+\.\d\d$/)
    ])
  }
})
