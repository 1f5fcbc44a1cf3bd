/**
 * Sign-up with a phone number as a person meets it (issue 19 item 1), in Chromium against the real service, on
 * SQLite (JOURNEY_BACKENDS): "Sign up with a phone number" on the sign-in card, a number that is not one refused
 * beside its field, the SMS code read from the dev mailbox (channel sms), then a wrong code, a weak password and
 * an expired code each refused beside its field with nothing typed lost and no account made; a fresh code signs
 * the app in, with this app named in the session list. A second app brain that already has the code ("I already
 * have a code") is told it was used. Both screens in English and Persian, axe clean. When others have spent the
 * day's codes to an area code (an SMS pumper), a person's first try is told that, and until when.
 */
import { describe, expect, it } from 'vitest'
import en from '../../src/renderer/src/i18n/locales/en.json'
import { fieldError, fill, JOURNEY_BACKENDS, journeySuite } from '../support/journey'
import { latestSecret, mailbox } from '../support/service-flows'

/** What the bidi isolation around interpolated values looks like removed. */
const plain = (s: string): string => s.replace(/[\u2066-\u2069]/g, '')

describe.each(JOURNEY_BACKENDS)('sign-up with a phone number in the app (%s)', (backend) => {
  const j = journeySuite(backend)

  it(
    'signs up with the SMS code; refuses a bad number, a wrong, an expired and a used code and a weak password',
    { timeout: 180_000 },
    async () => {
      const phone = '+13125550177'
      const typed = '(312) 555-0177'
      const password = 'wind tunnel 1958'
      const app = await j.open('#/account')
      const { page } = app
      const signInStatus = async (pw: string): Promise<number> =>
        (await j.svc.api('POST', '/v1/auth/sign-in', { identifier: phone, password: pw })).status

      await page.getByTestId('signin-phone').click()
      await page.getByTestId('phone-signup').waitFor()
      await j.inBothLanguages(app, `phone-signup-${backend}`, 'phone-signup')

      // Not a phone number: said beside the field, kept (grouped as typed: PhoneField.tsx); no SMS.
      await fill(page, { 'phone-number': '555-01' })
      await page.getByTestId('phone-send').click()
      expect(plain(await fieldError(page, 'phone-number'))).toBe(
        en.errors.field['bad-format'].replace('{{format}}', en.errors.format['nanp-phone'])
      )
      expect(await page.getByTestId('phone-number').inputValue()).toBe('(555) 01')
      expect(await mailbox(j.svc, phone)).toEqual([])
      // A number outside the US and Canada: said beside the field, with the way to an account by email (activating
      // the dongle on the Device page); no SMS.
      await page.getByTestId('phone-number').fill('876 555 0123')
      await page.getByTestId('phone-send').click()
      expect(await fieldError(page, 'phone-number')).toBe(en.errors.reason['phone-not-included'])
      expect(await page.getByTestId('phone-error-remedy').getAttribute('href')).toBe('#/device')
      expect(await mailbox(j.svc, '+18765550123')).toEqual([])

      await page.getByTestId('phone-number').fill(typed)
      await page.getByTestId('phone-send').click()
      await page.getByTestId('phone-sent').waitFor()
      // Grouped once the formatter's chunk has come (a moment after the sentence shows).
      await expect
        .poll(async () => plain((await page.getByTestId('phone-sent').textContent()) ?? ''))
        .toContain(typed)
      await j.inBothLanguages(app, `phone-finish-${backend}`, 'phone-finish')
      const [sms] = await mailbox(j.svc, phone)
      expect(sms).toMatchObject({ channel: 'sms', purpose: 'phone-signup' })
      const stale = await latestSecret(j.svc, phone, 'phone-signup')

      // A wrong code, then a weak password: each beside its field, everything typed kept, no account.
      const fields = {
        'phone-code': stale === '000000' ? '111111' : '000000',
        'phone-name': 'Mary Jackson',
        'phone-email': 'mary.jackson@example.test',
        'phone-password': password
      }
      await fill(page, fields)
      await page.getByTestId('phone-submit').click()
      expect(plain(await fieldError(page, 'phone-code'))).toBe(
        en.errors.reason['code-wrong'].replace('{{left}}', '4')
      )
      for (const [testId, value] of Object.entries(fields))
        expect(await page.getByTestId(testId).inputValue(), testId).toBe(value)
      await fill(page, { 'phone-code': stale, 'phone-password': 'mary jackson rules' })
      await page.getByTestId('phone-submit').click()
      expect(await fieldError(page, 'phone-password')).toBe(en.errors.reason['password-personal'])
      expect(await page.getByTestId('phone-code').inputValue()).toBe(stale)

      // Ten minutes later the code has expired.
      j.svc.clock.advance(10 * 60_000 + 1)
      await page.getByTestId('phone-password').fill(password)
      await page.getByTestId('phone-submit').click()
      expect(await fieldError(page, 'phone-code')).toBe(en.errors.reason['code-expired'])
      expect(await signInStatus(password)).toBe(401)
      // The refusal says to ask for a new code: "Text me a new code" is beside it.
      j.svc.clock.advance(1000)
      await page.getByTestId('phone-resend').click()
      await page.getByTestId('phone-resent').waitFor()
      expect(await latestSecret(j.svc, phone, 'phone-signup')).not.toBe(stale)
      await j.inBothLanguages(app, `phone-resent-${backend}`, 'phone-resent')

      // "Use another number" keeps the number; a new code signs this app in.
      await page.getByTestId('phone-other-number').click()
      expect(await page.getByTestId('phone-number').inputValue()).toBe(typed)
      j.svc.clock.advance(1000)
      await page.getByTestId('phone-send').click()
      await page.getByTestId('phone-sent').waitFor()
      const code = await latestSecret(j.svc, phone, 'phone-signup')
      expect(code).not.toBe(stale)
      await fill(page, { ...fields, 'phone-code': code })
      await page.getByTestId('phone-submit').click()
      await page.getByTestId('dashboard').waitFor()
      expect(await signInStatus(password)).toBe(200)
      await page.getByTestId('account-tab-security').click()
      const current = page.locator('[data-testid="session-row"][data-current="true"]')
      await current.waitFor()
      expect(plain((await current.textContent()) ?? '')).toMatch(/Dialtone \S+ on /)

      // Someone else with the same code, straight to "I already have a code": it was used; nothing changes.
      const other = await j.open('#/account')
      await other.page.getByTestId('signin-phone').click()
      await other.page.getByTestId('phone-have-code').click()
      await fill(other.page, {
        'phone-finish-number': phone,
        'phone-code': code,
        'phone-name': 'Someone Else',
        'phone-email': 'someone.else@example.test',
        'phone-password': 'another good passphrase'
      })
      await other.page.getByTestId('phone-submit').click()
      expect(await fieldError(other.page, 'phone-code')).toBe(en.errors.reason['code-used'])
      expect(await other.page.getByTestId('phone-name').inputValue()).toBe('Someone Else')
      expect(await signInStatus('another good passphrase')).toBe(401)
      expect(await signInStatus(password)).toBe(200)
    }
  )

  it('says the area code’s codes are paused when others have spent its day, not "too many attempts"', async () => {
    // 02:00 of a later day: the day's windows start at midnight UTC. Others (an SMS pumper from many addresses)
    // ask codes for 30 numbers of area code 415, each hour within an address's own budget.
    const day = new Date(j.svc.clock.now().getTime() + 3 * 24 * 60 * 60_000)
    j.svc.clock.set(`${day.toISOString().slice(0, 10)}T02:00:00.000Z`)
    for (let i = 0; i < 30; i++) {
      if (i > 0 && i % 15 === 0) j.svc.clock.advance(61 * 60_000)
      const r = await j.svc.api('POST', '/v1/signup/phone', { phone: `+1 415 555 ${String(2000 + i)}` })
      expect(r.status).toBe(202)
    }
    j.svc.clock.advance(61 * 60_000)
    const app = await j.open('#/account')
    const { page } = app
    await page.getByTestId('signin-phone').click()
    await fill(page, { 'phone-number': '(415) 555-0188' })
    await page.getByTestId('phone-send').click()
    // The first attempt of this person: the day's codes to the area code ran out, until midnight UTC (19 h 58 min).
    await page.getByTestId('phone-error').waitFor()
    expect(plain((await page.getByTestId('phone-error').textContent()) ?? '')).toBe(
      en.errors.reason['sms-area-paused'].replace('{{delay}}', '20 hours')
    )
    expect(await page.getByTestId('phone-number').inputValue()).toBe('(415) 555-0188')
    expect(await mailbox(j.svc, '+14155550188')).toEqual([])
    await j.inBothLanguages(app, `phone-sms-paused-${backend}`, 'phone-error')
  })
})
