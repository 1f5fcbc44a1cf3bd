/**
 * Password and sessions as a person meets them (issue 19 item 1), in Chromium against the real service, on SQLite
 * (JOURNEY_BACKENDS). Forgot password: "Forgot password?" sends a reset code (the same answer for an unknown
 * address), "I have a reset code" takes the code from the email and a new password with its rules said first;
 * an unknown, a reused and an expired code and a weak password are each refused beside their field with nothing
 * typed lost, and the account keeps its password until a good one is set. The Security tab: changing the
 * password (a wrong current one and a weak new one refused beside their fields, the account unchanged), the
 * session list with each app and network address, "Sign out" for one session and "Sign out everywhere else";
 * the other app brain, revoked, returns to the sign-in form. An account taken over: support's recovery (the ops
 * API) signs the owner's app out, and the owner sets a new password with the code support sent to their address.
 * Every new screen in English and Persian, axe clean.
 */
import { describe, expect, it } from 'vitest'
import en from '../../src/renderer/src/i18n/locales/en.json'
import { expectText } from '../support/browser'
import { fieldError, fill, JOURNEY_BACKENDS, journeySuite } from '../support/journey'
import { latestSecret, trialLine } from '../support/service-flows'
import { firstAdmin, makeOperator } from '../support/ops'

describe.each(JOURNEY_BACKENDS)('password and sessions in the app (%s)', (backend) => {
  const j = journeySuite(backend)

  const signInStatus = async (identifier: string, password: string): Promise<number> =>
    (await j.svc.api('POST', '/v1/auth/sign-in', { identifier, password, client: 'journey-check' })).status

  it(
    'resets a forgotten password with the emailed code; refuses unknown, reused and expired codes and weak passwords beside their fields',
    { timeout: 180_000 },
    async () => {
      const line = await trialLine(j.svc)
      const app = await j.open('#/account')
      const { page } = app

      // Forgot password: nothing typed is refused beside the field; an unknown address gets the same answer.
      await page.getByTestId('signin-forgot').click()
      await page.getByTestId('forgot').waitFor()
      await j.inBothLanguages(app, `forgot-${backend}`, 'forgot')
      await page.getByTestId('forgot-submit').click()
      expect(await fieldError(page, 'forgot-identifier')).toBe(en.errors.field.required)
      await fill(page, { 'forgot-identifier': 'nobody-here@example.test' })
      await page.getByTestId('forgot-submit').click()
      await page.getByTestId('forgot-sent').waitFor()
      const unknownAnswer = await page.getByTestId('forgot-sent').textContent()
      await page.getByTestId('forgot-identifier').fill(line.email)
      await page.getByTestId('forgot-submit').click()
      await page.getByTestId('forgot-sent').waitFor()
      expect(await page.getByTestId('forgot-sent').textContent()).toBe(unknownAnswer)
      const token = await latestSecret(j.svc, line.email, 'password-reset')

      // "I have a reset code", with the rules said before typing.
      await page.getByTestId('forgot-have-code').click()
      await page.getByTestId('reset').waitFor()
      await expectText(page, 'password-rules', en.account.passwordRules['password-common'])
      await j.inBothLanguages(app, `reset-${backend}`, 'reset')

      // A code we never sent: said beside the code field; the password typed stays.
      await fill(page, { 'reset-code': `dtr_${'x'.repeat(43)}`, 'reset-password': 'a sound new passphrase' })
      await page.getByTestId('reset-submit').click()
      expect(await fieldError(page, 'reset-code')).toBe(en.errors.reason['token-unknown'])
      expect(await page.getByTestId('reset-password').inputValue()).toBe('a sound new passphrase')
      expect(await page.getByTestId('reset-error').count()).toBe(0)

      // The real code with a common password: said beside the password; the code stays typed and usable.
      await fill(page, { 'reset-code': ` ${token} `, 'reset-password': 'password1' })
      await page.getByTestId('reset-submit').click()
      expect(await fieldError(page, 'reset-password')).toBe(en.errors.reason['password-common'])
      expect(await page.getByTestId('reset-code').inputValue()).toBe(` ${token} `)
      expect(await signInStatus(line.email, line.password)).toBe(200)

      // A good password: back to sign-in with the confirmation; every session ended, the new password signs in.
      await page.getByTestId('reset-password').fill('a sound new passphrase')
      await page.getByTestId('reset-submit').click()
      await page.getByTestId('signin-reset-done').waitFor()
      await j.inBothLanguages(app, `reset-done-${backend}`, 'signin-reset-done')
      expect((await j.svc.api('GET', '/v1/account', undefined, line.token)).status).toBe(401)
      expect(await signInStatus(line.email, line.password)).toBe(401)
      expect(await signInStatus(line.email, 'a sound new passphrase')).toBe(200)

      // The same code again: already used.
      await page.getByTestId('signin-reset').click()
      await fill(page, { 'reset-code': token, 'reset-password': 'yet another passphrase' })
      await page.getByTestId('reset-submit').click()
      expect(await fieldError(page, 'reset-code')).toBe(en.errors.reason['token-used'])

      // A fresh code, too late: expired; the password stays what the first code set.
      await page.getByTestId('reset-new-code').click()
      await page.getByTestId('forgot-identifier').fill(line.email)
      j.svc.clock.advance(1000)
      await page.getByTestId('forgot-submit').click()
      await page.getByTestId('forgot-sent').waitFor()
      const fresh = await latestSecret(j.svc, line.email, 'password-reset')
      expect(fresh).not.toBe(token)
      j.svc.clock.advance(31 * 60_000)
      await page.getByTestId('forgot-have-code').click()
      await fill(page, { 'reset-code': fresh, 'reset-password': 'yet another passphrase' })
      await page.getByTestId('reset-submit').click()
      expect(await fieldError(page, 'reset-code')).toBe(en.errors.reason['token-expired'])
      expect(await page.getByTestId('reset-password').inputValue()).toBe('yet another passphrase')
      expect(await signInStatus(line.email, 'yet another passphrase')).toBe(401)
      expect(await signInStatus(line.email, 'a sound new passphrase')).toBe(200)
    }
  )

  it(
    'changes the password, lists the sessions, signs one out and then every other; the revoked app returns to sign-in',
    { timeout: 180_000 },
    async () => {
      const line = await trialLine(j.svc)
      const a = await j.signedIn(line.email, line.password)
      const b = await j.signedIn(line.email, line.password)
      const { page } = a
      await page.getByTestId('account-tab-security').click()
      await page.getByTestId('sessions').waitFor()
      await page.getByTestId('session-current').waitFor()
      await j.inBothLanguages(a, `security-${backend}`, 'sessions')

      // The list: this app marked, the other app brain, and the session the trial's activation opened; each says
      // which app and which network address.
      const rows = page.getByTestId('session-row')
      expect(await rows.count()).toBe(3)
      expect(await page.locator('[data-testid="session-row"][data-current="true"]').count()).toBe(1)
      const current = await page.locator('[data-testid="session-row"][data-current="true"]').textContent()
      expect(current).toMatch(/Dialtone \S+ on \S*(Linux|macOS|Windows|another system)/)
      expect(current).toContain('127.0.0.1')
      await expectText(page, 'sessions', en.account.security.sessions.unknownDevice)

      // Changing the password: a wrong current one and a weak new one, each beside its field, nothing lost.
      await expect.poll(() => page.getByTestId('password-signout-others').isChecked()).toBe(true)
      await fill(page, { 'password-current': 'not my password', 'password-new': 'a sound new passphrase' })
      await page.getByTestId('password-submit').click()
      expect(await fieldError(page, 'password-current')).toBe(en.errors.reason['wrong-password'])
      expect(await page.getByTestId('password-new').inputValue()).toBe('a sound new passphrase')
      await fill(page, { 'password-current': line.password, 'password-new': 'ada lovelace 1815' })
      await page.getByTestId('password-submit').click()
      expect(await fieldError(page, 'password-new')).toBe(en.errors.reason['password-personal'])
      expect(await page.getByTestId('password-current').inputValue()).toBe(line.password)
      // Nothing changed: the old password still signs in (that opens a fourth session, "journey-check").
      expect(await signInStatus(line.email, line.password)).toBe(200)
      await page.getByTestId('account-tab-overview').click()
      await page.getByTestId('account-tab-security').click()
      await expectText(page, 'sessions', 'journey-check')

      // "Sign out" on one session: that one only.
      expect(await rows.count()).toBe(4)
      await rows.filter({ hasText: 'journey-check' }).getByTestId('session-signout').click()
      await expectText(page, 'sessions-done', en.account.security.sessions.doneOne)
      await expect.poll(() => rows.count()).toBe(3)
      expect((await j.svc.api('GET', '/v1/account', undefined, line.token)).status).toBe(200)

      // "Sign out everywhere else": the other app brain and the activation's session.
      await page.getByTestId('sessions-signout-all').click()
      await expectText(page, 'sessions-done', en.account.security.sessions.doneAll)
      await expect.poll(() => rows.count()).toBe(1)
      await page.getByTestId('sessions-none').waitFor()
      expect((await j.svc.api('GET', '/v1/account', undefined, line.token)).status).toBe(401)
      // The revoked app learns it at its next request and shows the sign-in form.
      await b.page.getByTestId('account-tab-security').click()
      await b.page.getByTestId('signin').waitFor()
      expect(await b.page.getByTestId('dashboard').count()).toBe(0)

      // A good new password (the tab was left and opened again, so the form starts empty): said so; this app
      // stays signed in, the new password signs in elsewhere.
      await fill(page, { 'password-current': line.password, 'password-new': 'a sound new passphrase' })
      await page.getByTestId('password-submit').click()
      await expectText(page, 'password-done', en.account.security.password.doneOthers)
      expect(await page.getByTestId('password-current').inputValue()).toBe('')
      expect(await signInStatus(line.email, line.password)).toBe(401)
      expect(await signInStatus(line.email, 'a sound new passphrase')).toBe(200)
      await page.getByTestId('dashboard').waitFor()
    }
  )

  it(
    "an account taken over: support gives it back, the owner's app is signed out and the owner sets a new password with support's code",
    { timeout: 180_000 },
    async () => {
      const owner = await trialLine(j.svc)
      const app = await j.signedIn(owner.email, owner.password)
      const { page } = app
      // Someone with the password adds their address, confirms it and makes it the one notices go to.
      const taker = 'taker@evil.example.test'
      const signIn = await j.svc.api<{ token: string }>('POST', '/v1/auth/sign-in', {
        identifier: owner.email,
        password: owner.password
      })
      const added = await j.svc.api<{ emails: { id: string; address: string }[] }>(
        'POST',
        '/v1/account/emails',
        { address: taker },
        signIn.body.token
      )
      const id = added.body.emails.find((e) => e.address === taker)?.id
      const code = await latestSecret(j.svc, taker, 'email-verify')
      await j.svc.api('POST', `/v1/account/emails/${id}/verify`, { code }, signIn.body.token)
      await j.svc.api('POST', `/v1/account/emails/${id}/preferred`, undefined, signIn.body.token)

      // Support, satisfied who the owner is, gives the account back to the owner's address.
      const admin = await firstAdmin(j.svc)
      const support = await makeOperator(j.svc, admin.token, 'support')
      const recovered = await j.svc.api(
        'POST',
        `/ops/v1/accounts/${owner.accountId}/recover`,
        { email: owner.email, reason: 'owner verified by the serial and the card on file' },
        support.token
      )
      expect(recovered.status, JSON.stringify(recovered.body)).toBe(200)

      // The owner's app finds its session ended (the next look at the account) and shows sign-in.
      await page.reload()
      await page.getByTestId('signin-reset').click()
      await page.getByTestId('reset').waitFor()
      const token = await latestSecret(j.svc, owner.email, 'password-reset')
      await fill(page, { 'reset-code': token, 'reset-password': 'my account, my passphrase' })
      await page.getByTestId('reset-submit').click()
      await page.getByTestId('signin-reset-done').waitFor()
      expect(await signInStatus(owner.email, 'my account, my passphrase')).toBe(200)
      expect(await signInStatus(taker, 'my account, my passphrase')).toBe(401)
      expect((await j.svc.api('GET', '/v1/account', undefined, signIn.body.token)).status).toBe(401)

      // Signed in again: the taker's address is gone from the account's emails.
      await fill(page, { 'signin-identifier': owner.email, 'signin-password': 'my account, my passphrase' })
      await page.getByTestId('signin-submit').click()
      await page.getByTestId('dashboard').waitFor()
      await page.getByTestId('account-tab-profile').click()
      await page.getByTestId('email-row').first().waitFor()
      const rows = await page.getByTestId('email-row').allTextContents()
      expect(rows).toHaveLength(1)
      expect(rows[0]).toContain(owner.email)
    }
  )
})
