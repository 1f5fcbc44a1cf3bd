/**
 * A dongle that cannot prove itself, as its buyer lives it, in Chromium against the real service (JOURNEY_BACKENDS).
 * The virtual dongle's factory key was revoked (an admin, through the ops API, after a leak): the buyer who bought
 * it in a shop chooses "I bought this dongle", fills the form and is refused in words that say to send the receipt
 * to support, with a link to Help, where the support form is, and a field for the code of support's email. Support
 * accepts the receipt for the buyer's email (the ops API `dialtone-ops registry accept-proof` calls), and the
 * service emails the buyer a code; a mistyped code is said beside the field, the right one (with everything typed
 * still there) makes the line on the buyer's new account. The refusal is screenshotted in English and
 * Persian and audited with axe.
 */
import { describe, expect, it } from 'vitest'
import { call } from '../../src/main/ipc/dispatcher'
import { VIRTUAL_SERIAL } from '../../src/main/device/virtual-tigerjet'
import en from '../../src/renderer/src/i18n/locales/en.json'
import { appUrl, expectText } from '../support/browser'
import { fieldError, fill, JOURNEY_BACKENDS, journeySuite } from '../support/journey'
import { firstAdmin, makeOperator } from '../support/ops'
import { MODEL, mailbox } from '../support/service-flows'

describe.each(JOURNEY_BACKENDS)('a proof of purchase accepted by support (%s)', (backend) => {
  const j = journeySuite(backend)

  it(
    'refused with a way to support, accepted by support, activated with what was typed',
    { timeout: 180_000 },
    async () => {
      const admin = await firstAdmin(j.svc)
      const support = await makeOperator(j.svc, admin.token, 'support')
      const revoked = await j.svc.api(
        'POST',
        `/ops/v1/registry/${VIRTUAL_SERIAL}/revoke`,
        { reason: 'development key published' },
        admin.token
      )
      expect(revoked.status, JSON.stringify(revoked.body)).toBe(200)

      const email = `shop-buyer-${backend}@example.test`
      const app = await j.open('#/account')
      const page = app.page
      await call(app.t.app.dispatch, 'app.settings.set', { virtualDongle: true })
      await page.goto(appUrl(app.host, '#/device'))
      await page.locator('[data-testid="setup-waiting"][data-step="activate"]').waitFor({ timeout: 20_000 })
      await page.getByTestId('activate-purchased').click()
      await page.getByTestId('purchased-form').waitFor()
      await fill(page, {
        'contact-name': 'Sam Shopper',
        'contact-email': email,
        'contact-password': 'correct horse battery',
        'contact-street': '1 Main St',
        'contact-city': 'Boston',
        'contact-region': 'MA',
        'contact-postalCode': '02110',
        'contact-country': 'US',
        'contact-areaCode': '617'
      })
      await page.getByTestId('contact-terms').check()
      await page.getByTestId('contact-e911').check()
      await page.getByTestId('purchased-activate').click()

      // Refused in words, with the place to go: Help, where the support form is.
      await expectText(page, 'purchased-error', 'send your proof of purchase to Dialtone support')
      const remedy = page.getByTestId('purchased-error-remedy')
      expect(await remedy.getAttribute('href')).toBe('#/help')
      expect(await remedy.textContent()).toBe(en.remedy.support)
      await j.inBothLanguages(app, `proof-refused-${backend}`, 'purchased-error')
      const noAccount = j.svc.service.ctx.db
        .selectFrom('account_emails')
        .select('id')
        .where('address', '=', email)
      expect(await noAccount.execute()).toEqual([])

      // Support has seen the receipt: accepted for the buyer's email.
      const accepted = await j.svc.api(
        'POST',
        `/ops/v1/registry/${VIRTUAL_SERIAL}/proofs`,
        {
          model: MODEL,
          email,
          proof: 'receipt 4471, Corner Shop',
          reason: 'receipt seen on a video call'
        },
        support.token
      )
      expect(accepted.status, JSON.stringify(accepted.body)).toBe(201)

      // The code of support's email goes in the field the refusal brought (what was typed is still there): a
      // mistyped one is said beside the field; the right one makes the line.
      expect(await page.getByTestId('contact-email').inputValue()).toBe(email)
      const mail = (await mailbox(j.svc, email)).find((m) => m.purpose === 'device-proof')
      expect(mail?.subject).toBe(`Your proof of purchase for the dongle ${VIRTUAL_SERIAL}`)
      expect(mail?.body).toContain(`"${en.activate.modes.purchased}"`)
      const code = /^ {4}([0-9A-Z]{10})$/m.exec(mail?.body ?? '')?.[1] ?? ''
      const wrong = code.startsWith('0') ? `1${code.slice(1)}` : `0${code.slice(1)}`
      await page.getByTestId('proof-code').fill(wrong)
      await page.getByTestId('purchased-activate').click()
      expect(await fieldError(page, 'proof-code')).toBe(en.errors.reason['proof-code-invalid'])
      await j.inBothLanguages(app, `proof-code-${backend}`, 'proof-code')
      await page.getByTestId('proof-code').fill(code)
      await page.getByTestId('purchased-activate').click()
      // On the account now: the step goes on to what the line still needs (the email's code, its 911 address).
      await expect
        .poll(() => page.getByTestId('activate-intro').getAttribute('data-next'), { timeout: 20_000 })
        .toBe('line')
      const proof = await j.svc.service.ctx.db
        .selectFrom('device_proofs')
        .select(['used_at', 'used_by_account'])
        .where('serial', '=', VIRTUAL_SERIAL)
        .executeTakeFirstOrThrow()
      expect(proof.used_at).not.toBeNull()
      const owner = await j.svc.service.ctx.db
        .selectFrom('account_emails')
        .select('account_id')
        .where('address', '=', email)
        .executeTakeFirstOrThrow()
      expect(proof.used_by_account).toBe(owner.account_id)
    }
  )
})
