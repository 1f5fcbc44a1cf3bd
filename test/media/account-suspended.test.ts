/**
 * A line suspended by Dialtone support, as its owner meets it (issue 20), in Chromium against the real service, on
 * SQLite (JOURNEY_BACKENDS). An operator (support, signed in with TOTP) suspends the line over the ops API: the app
 * says it in words on the overview ("The line <number> was suspended by Dialtone support on <date>") and on the
 * line's card, in English and Persian (axe clean); restored, the words go and the line is in service again. The
 * page is never reloaded: the app hears both changes from the service within seconds (the line-changes long poll,
 * src/main/account/line-change-watch.ts), where it used to learn of them only in 5 minutes. (A
 * company's contact invited by an operator joins in account-business.test.ts, beside the other invitation.)
 */
import { describe, expect, it } from 'vitest'
import en from '../../src/renderer/src/i18n/locales/en.json'
import { expectText } from '../support/browser'
import { JOURNEY_BACKENDS, journeySuite } from '../support/journey'
import { firstAdmin, makeOperator } from '../support/ops'
import { type TestService } from '../support/service'
import { lineNumber, trialLine } from '../support/service-flows'
import { formatPhoneNumber } from '../../src/shared/numbers/phone-format'

/** A support operator (made by the first admin), signed in over the ops API. */
async function supportOperator(svc: TestService): Promise<string> {
  return (await makeOperator(svc, (await firstAdmin(svc)).token, 'support')).token
}

describe.each(JOURNEY_BACKENDS)('a line suspended by support (%s)', (backend) => {
  const j = journeySuite(backend)
  let made: Promise<string> | undefined
  const support = () => (made ??= supportOperator(j.svc))

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
        await support()
      )
      expect(suspend.status, JSON.stringify(suspend.body)).toBe(200)
      // No reload, no command of the person's: the app hears it from the service (line-change-watch.ts).
      const day = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' }).format(
        j.svc.clock.now()
      )
      await expectText(page, 'suspended-notice', 'was suspended by Dialtone support on')
      await expectText(page, 'suspended-notice', formatPhoneNumber(number))
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
        await support()
      )
      expect(restore.status, JSON.stringify(restore.body)).toBe(200)
      await expectText(page, 'line-status', en.lines.status.in_service)
      expect(await page.getByTestId('suspended-notice').count()).toBe(0)
      expect(await page.getByTestId('line-suspended').count()).toBe(0)
    }
  )
})
