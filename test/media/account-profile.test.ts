/**
 * Personal details and notices (issue 19 item 2) as a person meets them, in Chromium against the real service on
 * SQLite (JOURNEY_BACKENDS): the new owner of a second-hand dongle (seed 001) opens Profile, tries bad details (an
 * empty name, a malformed phone, a postal code the country does not use) and is told next to each field without
 * losing what was typed or changing the account, finds a field takes no more than the service accepts, cancels,
 * then puts their own details on the account; switches notices on and off; and after a reload the page and the
 * service both hold the choices. The screens are screenshotted and audited with axe in English and Persian.
 */
import type { Page } from 'playwright'
import { describe, expect, it } from 'vitest'
import { expectText } from '../support/browser'
import { fill, JOURNEY_BACKENDS, journeySuite } from '../support/journey'
import { SENT_TOPICS } from '../../src/shared/api/notice-topics'
import { trialLine } from '../support/service-flows'

interface ProfileBody {
  contact: {
    name: string
    company: string | null
    phone: string | null
    billingAddress: {
      street: string
      city: string
      region: string
      postalCode: string
      country: string
    } | null
  }
  notifications: Record<string, boolean>
}

/** The refusal written under one field (its .field wrapper holds the input and the message). */
const fieldError = (page: Page, testId: string) =>
  page.locator('.field', { has: page.getByTestId(testId) }).locator('.field-error')

describe.each(JOURNEY_BACKENDS)('personal details and notices (%s)', (backend) => {
  const j = journeySuite(backend)

  it(
    'edits the details and the notices, refuses bad input by field, and keeps them after a reload',
    { timeout: 150_000 },
    async () => {
      const line = await trialLine(j.svc, { name: 'Previous Owner' })
      const profile = async () =>
        (await j.svc.api<ProfileBody>('GET', '/v1/account', undefined, line.token)).body
      const before = await profile()

      const app = await j.signedIn(line.email, line.password)
      const { page } = app
      await page.getByTestId('account-tab-profile').click()
      await expectText(page, 'contact-view-name', 'Previous Owner')
      await j.inBothLanguages(app, `account-profile-${backend}`, 'notice-settings')

      // The new owner's details, with mistakes one at a time.
      await page.getByTestId('contact-edit').click()
      const mine = {
        'profile-name': 'Grace Hopper',
        'profile-company': 'Hopper Analytics',
        'profile-phone': '(415) 555-0134',
        'profile-street': '5 Elm St',
        'profile-city': 'Springfield',
        'profile-region': 'IL',
        'profile-postalCode': '62701',
        'profile-country': 'US'
      }
      const mistakes: [Record<string, string>, string, RegExp][] = [
        [{ 'profile-name': '' }, 'profile-name', /Fill this in/],
        [{ 'profile-phone': '12' }, 'profile-phone', /phone number/],
        [{ 'profile-postalCode': 'K1A 0B1' }, 'profile-postalCode', /ZIP code/]
      ]
      for (const [wrong, field, said] of mistakes) {
        await fill(page, { ...mine, ...wrong })
        await page.getByTestId('contact-save').click()
        await expect.poll(() => fieldError(page, field).textContent()).toMatch(said)
        await expect(page.getByTestId(field).getAttribute('aria-invalid')).resolves.toBe('true')
        // Nothing typed is lost.
        for (const [id, value] of Object.entries({ ...mine, ...wrong }))
          expect(await page.getByTestId(id).inputValue(), id).toBe(value)
        if (field === 'profile-postalCode')
          await j.inBothLanguages(app, `account-profile-refused-${backend}`, 'contact-form')
      }
      // Oversized: the field takes no more than the service accepts (its refusal of more is in
      // test/integration/service/notification-settings.test.ts).
      await page.getByTestId('profile-company').fill('x'.repeat(101))
      expect(await page.getByTestId('profile-company').inputValue()).toHaveLength(100)
      expect((await profile()).contact, 'refusals changed nothing').toEqual(before.contact)

      // Cancel puts back what the account holds.
      await page.getByTestId('contact-cancel').click()
      await expectText(page, 'contact-view-name', 'Previous Owner')
      await page.getByTestId('contact-edit').click()
      expect(await page.getByTestId('profile-name').inputValue()).toBe('Previous Owner')
      expect(await page.locator('.field-error').count(), 'a fresh form shows no old refusal').toBe(0)

      await fill(page, mine)
      await page.getByTestId('contact-save').click()
      await page.getByTestId('contact-saved').waitFor()
      await expectText(page, 'contact-view-name', 'Grace Hopper')
      await expectText(page, 'contact-view-phone', '(415) 555-0134')

      // Notices: one switch per kind the service sends; card warnings off, then renewal reminders off, each
      // saved and said.
      expect(await page.locator('[data-testid^="notice-toggle-"]').count()).toBe(SENT_TOPICS.length)
      await page.getByTestId('notice-toggle-cardExpiring').uncheck()
      await expectText(page, 'notice-saved', 'Card expiring: off')
      await page.getByTestId('notice-toggle-billing').uncheck()
      await expectText(page, 'notice-saved', 'Renewal reminders: off')
      await expectText(page, 'notice-always', 'security')

      // After a reload the screen and the service hold it all.
      await page.reload()
      await page.getByTestId('contact-details').waitFor()
      await expectText(page, 'contact-view-name', 'Grace Hopper')
      await expectText(page, 'contact-view-company', 'Hopper Analytics')
      await expectText(page, 'contact-view-address', '5 Elm St, Springfield, IL, 62701, US')
      expect(await page.getByTestId('notice-toggle-cardExpiring').isChecked()).toBe(false)
      expect(await page.getByTestId('notice-toggle-billing').isChecked()).toBe(false)
      expect(await page.getByTestId('notice-toggle-paymentProblems').isChecked()).toBe(true)
      const after = await profile()
      expect(after.contact).toEqual({
        name: 'Grace Hopper',
        company: 'Hopper Analytics',
        phone: '+14155550134',
        billingAddress: {
          street: '5 Elm St',
          city: 'Springfield',
          region: 'IL',
          postalCode: '62701',
          country: 'US'
        }
      })
      expect(after.notifications).toMatchObject({
        billing: false,
        cardExpiring: false,
        paymentProblems: true,
        security: true
      })
    }
  )
})
