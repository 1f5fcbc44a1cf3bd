/**
 * A person's own data as they meet it, in Chromium against the real service (JOURNEY_BACKENDS): on the Profile tab,
 * "Download my data" saves the account's JSON file; "Close my account" says what closing does (the date, the line
 * and its number, the balance with the way to support, what is erased and kept) before the password; a wrong
 * password is refused beside the field; the right one schedules the closure, and the banner on top of the Account
 * page says the day and offers "Keep my account", which undoes it. Asked again and left to run out, the job closes
 * the account: the app is signed out and the old password no longer signs in. Screens in English and Persian,
 * axe clean.
 */
import { describe, expect, it } from 'vitest'
import en from '../../src/renderer/src/i18n/locales/en.json'
import { CLOSURE_GRACE_DAYS } from '../../src/shared/api/privacy'
import { expectText } from '../support/browser'
import { fieldError, fill, JOURNEY_BACKENDS, journeySuite } from '../support/journey'
import { trialLine } from '../support/service-flows'

describe.each(JOURNEY_BACKENDS)('a person’s own data in the app (%s)', (backend) => {
  const j = journeySuite(backend)

  it(
    'downloads the data, schedules the closure with the password, keeps the account, then lets it close',
    { timeout: 180_000 },
    async () => {
      const line = await trialLine(j.svc)
      const top = await j.svc.api(
        'POST',
        '/v1/balance/top-up',
        {
          idempotencyKey: `journey-${Date.now()}`,
          amountMinor: 1500,
          payment: { card: { number: '4242 4242 4242 4242', expMonth: 12, expYear: 2040, cvc: '123' } }
        },
        line.token
      )
      expect(top.status, JSON.stringify(top.body)).toBe(200)
      const app = await j.signedIn(line.email, line.password)
      const { page } = app
      await page.getByTestId('account-tab-profile').click()
      const card = page.getByTestId('your-data')
      await card.waitFor()

      // Download my data: the account's own file.
      const download = page.waitForEvent('download')
      await card.getByTestId('download-data-submit').click()
      const file = await download
      expect(file.suggestedFilename()).toMatch(/^dialtone-data-\d{4}-\d\d-\d\d\.json$/)
      // Read through the connection: the journeys' shared Chromium keeps the file on its side.
      const chunks: Buffer[] = []
      for await (const chunk of await file.createReadStream()) chunks.push(chunk as Buffer)
      const data = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        account: { id: string }
        emails: { address: string }[]
      }
      expect(data.account.id).toBe(line.accountId)
      expect(data.emails.map((e) => e.address)).toEqual([line.email])

      // Close my account: what it does, said before the password.
      await card.getByTestId('close-account').locator('summary').click()
      await card.getByTestId('close-consequences').waitFor()
      await expectText(page, 'close-balance', '$15.00')
      expect(await card.getByTestId('close-balance').locator('a[href="#/help"]').count()).toBe(1)
      await j.inBothLanguages(app, `account-data-${backend}`, 'your-data')

      await fill(page, { 'close-password': 'not my password at all' })
      await page.getByTestId('close-submit').click()
      expect(await fieldError(page, 'close-password')).toBe(en.errors.reason['wrong-password'])
      expect(await page.getByTestId('closing-banner').count()).toBe(0)

      await fill(page, { 'close-password': line.password })
      await page.getByTestId('close-submit').click()
      await page.getByTestId('closing-banner').waitFor()
      await j.inBothLanguages(app, `account-closing-${backend}`, 'closing-banner')

      // Keep my account: undone, and said.
      await page.getByTestId('keep-account').click()
      await expectText(page, 'account-kept', en.privacy.keep.done)
      expect(await page.getByTestId('closing-banner').count()).toBe(0)

      // Asked again and left to run out: the job closes the account, and the app is signed out.
      await card.getByTestId('close-account').locator('summary').click()
      await fill(page, { 'close-password': line.password })
      await page.getByTestId('close-submit').click()
      await page.getByTestId('closing-banner').waitFor()
      j.svc.clock.advance(CLOSURE_GRACE_DAYS * 24 * 60 * 60_000 + 60_000)
      await j.svc.service.runJobs()
      await page.reload()
      await page.getByTestId('signin-submit').waitFor({ timeout: 30_000 })
      await fill(page, { 'signin-identifier': line.email, 'signin-password': line.password })
      await page.getByTestId('signin-submit').click()
      await page.getByTestId('signin-error').waitFor()
      expect(await page.getByTestId('dashboard').count()).toBe(0)
    }
  )
})
