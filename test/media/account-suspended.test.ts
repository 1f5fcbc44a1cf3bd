/**
 * A line suspended by Dialtone support, as its owner meets it (issue 20), in Chromium against the real service, on
 * SQLite and PostgreSQL. An operator (support, signed in with TOTP) suspends the line over the ops API: the app
 * says it in words on the overview ("The line <number> was suspended by Dialtone support on <date>") and on the
 * line's card, in English and Persian (axe clean); restored, the words go and the line is in service again. And a
 * company's contact invited by an operator walks the invitation through the app's own "I have a reset code"
 * screen, which the invitation's words name, to the first sign-in.
 */
import { describe, expect, it } from 'vitest'
import en from '../../src/renderer/src/i18n/locales/en.json'
import { bootstrapAdmin } from '../../src/server/ops/operators'
import { expectText } from '../support/browser'
import { fill, journeySuite } from '../support/journey'
import { enrolAndSignIn, makeOperator } from '../support/ops'
import { BACKENDS, type TestService } from '../support/service'
import { BILLING, latestSecret, lineNumber, mailbox, trialLine } from '../support/service-flows'

/** An admin and a support operator, signed in over the ops API. */
async function operators(svc: TestService): Promise<{ admin: string; support: string }> {
  const boot = await bootstrapAdmin(svc.service.ctx, { email: 'admin@ops.dialtone.test', name: 'Admin' })
  const admin = (await enrolAndSignIn(svc, 'admin@ops.dialtone.test', boot.enrolmentToken)).token
  const support = (await makeOperator(svc, admin, 'support')).token
  return { admin, support }
}

describe.each(BACKENDS)('a line suspended by support, and an invited company (%s)', (backend) => {
  const j = journeySuite(backend)
  let made: Promise<{ admin: string; support: string }> | undefined
  const ops = () => (made ??= operators(j.svc))

  it(
    'says a suspended line in words on the overview and its card, and the words go when support restores it',
    { timeout: 180_000 },
    async () => {
      const line = await trialLine(j.svc)
      const number = await lineNumber(j.svc, line.token, line.lineId)
      const app = await j.signedIn(line.email, line.password)
      const { page } = app
      await expectText(page, 'line-status', en.lines.status.in_service)
      expect(await page.getByTestId('suspended-notice').count()).toBe(0)

      const suspend = await j.svc.api(
        'POST',
        `/ops/v1/lines/${line.lineId}/suspend`,
        { reason: 'chargeback under review' },
        (await ops()).support
      )
      expect(suspend.status, JSON.stringify(suspend.body)).toBe(200)
      await page.reload()
      const day = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' }).format(
        j.svc.clock.now()
      )
      await expectText(page, 'suspended-notice', 'was suspended by Dialtone support on')
      await expectText(page, 'suspended-notice', number)
      await expectText(page, 'suspended-notice', day)
      await expectText(page, 'line-suspended', `Suspended by Dialtone support on ${day}`)
      await expectText(page, 'line-status', en.lines.status.suspended)
      // The line is out of service, not waiting for the person: no "still needs" banner.
      expect(await page.getByTestId('line-missing').count()).toBe(0)
      await j.inBothLanguages(app, `line-suspended-${backend}`, 'suspended-notice')
      await page.getByTestId('line-suspended').waitFor()

      const restore = await j.svc.api(
        'POST',
        `/ops/v1/lines/${line.lineId}/restore`,
        { reason: 'chargeback withdrawn' },
        (await ops()).support
      )
      expect(restore.status, JSON.stringify(restore.body)).toBe(200)
      await page.reload()
      await expectText(page, 'line-status', en.lines.status.in_service)
      expect(await page.getByTestId('suspended-notice').count()).toBe(0)
      expect(await page.getByTestId('line-suspended').count()).toBe(0)
    }
  )

  it(
    "walks a company's invitation through the app's reset-code screen to the first sign-in",
    { timeout: 120_000 },
    async () => {
      const email = `contact-${backend}@acme-legal.test`
      const created = await j.svc.api(
        'POST',
        '/ops/v1/accounts',
        {
          type: 'legal_entity',
          company: 'Acme Legal LLC',
          contactName: 'Dana Office',
          email,
          billingAddress: BILLING
        },
        (await ops()).admin
      )
      expect(created.status, JSON.stringify(created.body)).toBe(201)
      const invitation = (await mailbox(j.svc, email)).find((m) => m.purpose === 'account-invitation')
      // The invitation names the app's own words for where to paste its code.
      expect(invitation?.body).toContain(`"${en.account.title}"`)
      expect(invitation?.body).toContain(`"${en.account.reset.open}"`)
      const code = await latestSecret(j.svc, email, 'account-invitation')

      const app = await j.open('#/account')
      const { page } = app
      await page.getByTestId('signin-reset').click()
      await page.getByTestId('reset').waitFor()
      await fill(page, { 'reset-code': code, 'reset-password': 'Acme ledger 2027 spring' })
      await page.getByTestId('reset-submit').click()
      await page.getByTestId('signin-reset-done').waitFor()
      await fill(page, { 'signin-identifier': email, 'signin-password': 'Acme ledger 2027 spring' })
      await page.getByTestId('signin-submit').click()
      await page.getByTestId('dashboard').waitFor()
      await j.inBothLanguages(app, `invited-company-${backend}`, 'dashboard')
    }
  )
})
