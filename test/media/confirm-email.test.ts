/**
 * "Confirm this email" as a person meets it (issue 21), in Chromium against the real service: a dongle bought at a
 * shop was activated on a new account, so its email is unconfirmed and does not sign in. The person signs in with
 * the line's number, the Account page asks for the code that was emailed at activation (screenshotted and audited
 * with axe in English and Persian), a wrong code is refused in words, the right one confirms the address, and from
 * then on the email signs in. On SQLite (JOURNEY_BACKENDS).
 */
import { describe, expect, it } from 'vitest'
import { expectText } from '../support/browser'
import { fill, JOURNEY_BACKENDS, journeySuite } from '../support/journey'
import { ACCEPT, BILLING, MODEL, latestSecret, newSerial } from '../support/service-flows'

describe.each(JOURNEY_BACKENDS)('an account whose email waits for its code (%s)', (backend) => {
  const j = journeySuite(backend)

  it(
    'signs in by number, confirms the email with the emailed code, then signs in by email',
    { timeout: 90_000 },
    async () => {
      const serial = newSerial()
      const email = `shop-${serial.toLowerCase()}@example.test`
      const password = 'enigma machine 1912'
      const made = await j.svc.api<{ lineId: string; session: { token: string } }>(
        'POST',
        '/v1/devices/activate',
        {
          serial,
          model: MODEL,
          areaCode: '617',
          acceptances: ACCEPT,
          purchase: { channel: 'retail' },
          account: { mode: 'new', name: 'Alan Turing', email, password, billingAddress: BILLING }
        }
      )
      expect(made.status, JSON.stringify(made.body)).toBe(201)
      const line = await j.svc.api<{ number: string }>(
        'GET',
        `/v1/lines/${made.body.lineId}`,
        undefined,
        made.body.session.token
      )

      const app = await j.open('#/account')
      const { page } = app
      // The unconfirmed email is refused like a wrong password; the line's number signs in.
      await fill(page, { 'signin-identifier': email, 'signin-password': password })
      await page.getByTestId('signin-submit').click()
      await page.getByTestId('signin-error').waitFor()
      await page.getByTestId('signin-identifier').fill(line.body.number)
      await page.getByTestId('signin-submit').click()
      await page.getByTestId('dashboard').waitFor()

      const prompt = page.getByTestId('confirm-email')
      await prompt.waitFor()
      await expectText(page, 'confirm-email', email)
      await j.inBothLanguages(app, `confirm-email-${backend}`, 'confirm-email')

      // A wrong code is refused in the locale's words; the emailed one confirms the address.
      const code = await latestSecret(j.svc, email, 'email-verify')
      await prompt.getByTestId('email-code').fill(code === '000000' ? '111111' : '000000')
      await prompt.getByTestId('email-verify').click()
      await expectText(page, 'email-verify-error', 'code')
      await prompt.getByTestId('email-code').fill(code)
      await prompt.getByTestId('email-verify').click()
      await prompt.waitFor({ state: 'detached' })
      await page.getByTestId('account-tab-profile').click()
      await expectText(page, 'emails', 'confirmed')

      // Signed out, the email now signs in.
      await page.getByTestId('signout').click()
      await fill(page, { 'signin-identifier': email, 'signin-password': password })
      await page.getByTestId('signin-submit').click()
      await page.getByTestId('dashboard').waitFor()
      expect(await page.getByTestId('confirm-email').count()).toBe(0)
    }
  )
})
