/**
 * Statement and receipts as a person meets them (issue 19 item 7), in Chromium against the real service, on SQLite
 * and PostgreSQL. An account renewed its line by card three months ago; this month it took a promised payment,
 * topped up by card (which repaid it), bought a minutes pack from the balance and ordered a device upgrade with
 * another card. On the Billing tab the statement shows each balance entry in words with the opening and closing
 * balance, downloads as CSV and PDF that read back the same, and the past orders (renewal, top-up, device) each
 * open a receipt naming what was bought, for which line, the card and the seller. Both screens are screenshotted
 * and audited with axe in English and Persian. A reversed, too long or future period is refused next to its field,
 * what was typed stays, the statement on screen and the account stay as they were.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { DAY } from '../../src/server/clock'
import { localDay } from '../../src/renderer/src/format'
import { CARDS, key, renew, signIn } from '../support/billing-flows'
import { expectText } from '../support/browser'
import { parseCsv, pdfText } from '../support/file-text'
import { journeySuite } from '../support/journey'
import { BACKENDS } from '../support/service'
import { trialLine } from '../support/service-flows'
import { formatPhoneNumber } from '../../src/shared/numbers/phone-format'

const MASTERCARD = { ...CARDS.ok, number: '5555 5555 5555 4444' }

/** The file a click downloads, as bytes. */
async function downloaded(page: Page, testId: string): Promise<{ name: string; bytes: Buffer }> {
  const download = page.waitForEvent('download')
  await page.getByTestId(testId).click()
  const file = await download
  // Read through the connection: the journeys' shared Chromium (browser-setup.ts) keeps the file on its side.
  const chunks: Buffer[] = []
  for await (const chunk of await file.createReadStream()) chunks.push(chunk as Buffer)
  return { name: file.suggestedFilename(), bytes: Buffer.concat(chunks) }
}

/** The message under the field with this test id, isolation marks removed ('' when none). */
const fieldError = async (page: Page, testId: string): Promise<string> => {
  const shown = page.getByTestId(testId).locator('xpath=..').locator('.field-error')
  if ((await shown.count()) === 0) return ''
  return ((await shown.textContent()) ?? '').replace(/[\u2066-\u2069]/g, '')
}

describe.each(BACKENDS)('the statement and receipts (%s)', (backend) => {
  const j = journeySuite(backend)

  it(
    'shows the period in words, downloads it as CSV and PDF, opens each receipt, and refuses bad periods',
    { timeout: 150_000 },
    async () => {
      const svc = j.svc
      // Three months ago: a new line, renewed for a year by card (a past order, not a balance entry).
      const now = new Date()
      svc.clock.set(new Date(now.getTime() - 95 * DAY))
      const line = await trialLine(svc)
      expect((await renew(svc, line.token, line.lineId, 'line-1y@1', { card: CARDS.ok })).status).toBe(201)
      svc.clock.set(now)
      const token = await signIn(svc, line)
      // A minute between steps, so each has its own time (the test clock does not move by itself).
      svc.clock.set(new Date(now.getTime() - 10 * 60_000))
      const post = async (path: string, body: unknown) => {
        svc.clock.advance(60_000)
        const r = await svc.api('POST', path, body, token)
        expect(r.status, `${path} ${JSON.stringify(r.body)}`).toBeLessThan(300)
      }
      await post('/v1/balance/promised-payment', { idempotencyKey: key() })
      await post('/v1/balance/top-up', {
        idempotencyKey: key(),
        amountMinor: 2000,
        payment: { card: CARDS.ok }
      })
      await post('/v1/balance/minutes', { idempotencyKey: key(), planId: 'intl-100@1' })
      await post('/v1/offers/order', {
        idempotencyKey: key(),
        offerId: 'usb-c-2027',
        lineId: line.lineId,
        payment: { card: MASTERCARD }
      })
      const number = (await svc.api<{ number: string }>('GET', `/v1/lines/${line.lineId}`, undefined, token))
        .body.number

      const app = await j.signedIn(line.email, line.password)
      const { page } = app
      await page.getByTestId('account-tab-billing').click()
      const statement = page.getByTestId('statement')
      await statement.getByTestId('statement-table').waitFor()

      // Each entry in words, oldest first, with the balance after it; this month opened at 0 and closes at 15.
      const rows = statement.getByTestId('statement-entry')
      await expect.poll(() => rows.count()).toBe(4)
      const texts = (await rows.allInnerTexts()).map((s) =>
        s.replace(/[\u2066-\u2069]/g, '').replace(/\s+/g, ' ')
      )
      expect(texts[0]).toMatch(/Promised payment Promised payment \$5\.00 \$5\.00$/)
      expect(texts[1]).toMatch(/Top-up Top-up by card ending 4242 \$20\.00 \$25\.00$/)
      expect(texts[2]).toMatch(/Promised payment paid back Promised payment repaid -\$5\.00 \$20\.00$/)
      expect(texts[3]).toMatch(/Minutes pack International minutes: 100 for 30 days -\$5\.00 \$15\.00$/)
      await expectText(page, 'statement-opening', '$0.00')
      await expectText(page, 'statement-closing', '$15.00')
      await j.inBothLanguages(app, `account-statement-${backend}`, 'statement-table')

      // The same period as files.
      const csv = await downloaded(page, 'statement-csv')
      expect(csv.name).toMatch(/^dialtone-statement-\d{4}-\d\d-01-to-\d{4}-\d\d-\d\d\.csv$/)
      const table = parseCsv(csv.bytes.toString('utf8'))
      expect(table[0]).toEqual(['Date', 'Kind', 'Description', 'Amount', 'Currency', 'Balance'])
      expect(table.slice(1).map((r) => [r[1], r[2], r[3], r[5]])).toEqual([
        ['opening_balance', 'Opening balance', '', '0.00'],
        ['promised_credit', 'Promised payment', '5.00', '5.00'],
        ['top_up', 'Top-up by card ending 4242', '20.00', '25.00'],
        ['promised_repayment', 'Promised payment repaid', '-5.00', '20.00'],
        ['minutes_pack', expect.stringMatching(/100/), '-5.00', '15.00'],
        ['closing_balance', 'Closing balance', '', '15.00']
      ])
      const pdf = await downloaded(page, 'statement-pdf')
      expect(pdf.name).toMatch(/\.pdf$/)
      const words = await pdfText(pdf.bytes)
      expect(words[0]).toMatch(/^Statement, \d{4}-\d\d-01 to /)
      expect(words).toEqual(
        expect.arrayContaining([
          'Opening balance: 0.00 USD',
          'Top-up by card ending 4242',
          'promised_repayment',
          'Closing balance',
          '15.00 USD',
          '4 entries'
        ])
      )

      // Past card orders: the top-up, the device and the renewal, newest first, each with its receipt.
      const orders = page.getByTestId('orders')
      await expect.poll(() => orders.getByTestId('order').count()).toBe(3)
      const kinds: (string | null)[] = []
      for (let i = 0; i < 3; i++)
        kinds.push(await orders.getByTestId('order').nth(i).getAttribute('data-kind'))
      expect(kinds).toEqual(['device', 'top_up', 'checkout'])
      await expectText(page, 'device-orders', 'Dialtone USB-C dongle')
      await orders.getByTestId('device-order-receipt').click()
      const receipt = page.getByTestId('receipt')
      await expectText(page, 'receipt-provider', 'Dialtone')
      await expectText(page, 'receipt-card', 'Mastercard ending 4444')
      await expectText(page, 'receipt-total', '$19.95')
      const item = async (): Promise<string> =>
        (await receipt.getByTestId('receipt-item').innerText()).replace(/[\u2066-\u2069]/g, '')
      await expect.poll(item).toContain(`Dialtone USB-C dongle for ${formatPhoneNumber(number)}`)
      const orderIds = await svc.api<{ orders: { id: string; kind: string }[] }>(
        'GET',
        '/v1/orders',
        undefined,
        token
      )
      await expectText(
        page,
        'receipt-id',
        orderIds.body.orders.find((o) => o.kind === 'device')?.id ?? 'none'
      )
      await j.inBothLanguages(app, `account-receipt-${backend}`, 'receipt')
      await orders.getByTestId('order').nth(2).getByTestId('order-receipt').click()
      await expectText(page, 'receipt-card', 'Visa ending 4242')
      await expectText(page, 'receipt', `Line service, 1 year for ${formatPhoneNumber(number)}`)
      await expectText(page, 'receipt', 'paid through')
      await orders.getByTestId('order').nth(1).getByTestId('order-receipt').click()
      await expectText(page, 'receipt', 'Balance top-up')
      await expectText(page, 'receipt-total', '$20.00')
      await page.getByTestId('receipt-close').click()
      await receipt.waitFor({ state: 'detached' })

      // Bad periods: refused next to the field, what was typed stays, the statement and the account do not move.
      const entriesBefore = await svc.api('GET', '/v1/balance/entries?limit=500', undefined, token)
      const refuse = async (from: string, to: string, testId: string, sentence: RegExp) => {
        await page.getByTestId('statement-from').fill(from)
        await page.getByTestId('statement-to').fill(to)
        await page.getByTestId('statement-show').click()
        await expect.poll(() => fieldError(page, testId)).toMatch(sentence)
        expect(await page.getByTestId('statement-from').inputValue()).toBe(from)
        expect(await page.getByTestId('statement-to').inputValue()).toBe(to)
        await expectText(page, 'statement-closing', '$15.00')
        expect(await rows.count()).toBe(4)
      }
      const today = localDay()
      await refuse(today, localDay(-10), 'statement-to', /The start must not be after the end/)
      await refuse(localDay(-400), today, 'statement-to', /at most 366 days/)
      await refuse(localDay(3), localDay(5), 'statement-from', /starts after today/)
      // The CSV button reads the same fields and is refused the same way, with no file.
      await page.getByTestId('statement-csv').click()
      await expect.poll(() => fieldError(page, 'statement-from')).toMatch(/starts after today/)
      expect((await svc.api('GET', '/v1/balance/entries?limit=500', undefined, token)).body).toEqual(
        entriesBefore.body
      )
      const balance = await svc.api<{ balance: { amountMinor: number } }>(
        'GET',
        '/v1/balance',
        undefined,
        token
      )
      expect(balance.body.balance.amountMinor).toBe(1500)

      // A good period again replaces the message with the statement.
      await page.getByTestId('statement-from').fill(`${today.slice(0, 8)}01`)
      await page.getByTestId('statement-to').fill(today)
      await page.getByTestId('statement-show').click()
      await expect.poll(() => page.locator('[data-testid="statement"] .field-error').count()).toBe(0)
      await expectText(page, 'statement-closing', '$15.00')

      // When the account's calendar is behind the computer's (here: the service's today 40 days back), the
      // default period is the account's month so far, not a refusal.
      const back = new Date(now.getTime() - 40 * DAY)
      svc.clock.set(back)
      const accountToday = back.toISOString().slice(0, 10)
      await page.reload()
      await page.getByTestId('account-tab-billing').click()
      await expect.poll(() => page.getByTestId('statement-to').inputValue()).toBe(accountToday)
      expect(await page.getByTestId('statement-from').inputValue()).toBe(`${accountToday.slice(0, 8)}01`)
      await statement.getByTestId('statement-table').waitFor()
      expect(await page.locator('[data-testid="statement"] .field-error').count()).toBe(0)
      svc.clock.set(now)
    }
  )
})
