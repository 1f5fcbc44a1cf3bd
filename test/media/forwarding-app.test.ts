/**
 * Setting call forwarding on the Phone page as a person does (issue 23), in Chromium against the real service, on
 * SQLite (JOURNEY_BACKENDS): the page shows the rules off; the line's own number, a number that would loop back
 * through another Dialtone line and a number outside North America are refused in words under the field and
 * change nothing; then "when busy" and "when nobody answers after 2 rings" are saved, shown again after a reload,
 * and stored by the service as Kamailio reads them; what a star code did (set, refused, nothing to do) is said at
 * the top of the page, signed out too (with the way to sign in); finally they are cleared. English and Persian screenshots.
 */
import { describe, expect, it } from 'vitest'
import { appUrl, expectText } from '../support/browser'
import { fieldError, fill, JOURNEY_BACKENDS, journeySuite } from '../support/journey'
import { lineNumber, trialLine } from '../support/service-flows'

describe.each(JOURNEY_BACKENDS)('call forwarding on the Phone page (%s)', (backend) => {
  const j = journeySuite(backend)

  it(
    'refuses the own number, a loop and a foreign number in words, then saves, shows and clears the rules',
    { timeout: 120_000 },
    async () => {
      const line = await trialLine(j.svc)
      const other = await trialLine(j.svc)
      const mine = await lineNumber(j.svc, line.token, line.lineId)
      const theirs = await lineNumber(j.svc, other.token, other.lineId)
      // The other line already forwards its unanswered calls here: forwarding here to it would loop.
      const set = await j.svc.api(
        'PATCH',
        `/v1/lines/${other.lineId}/forwarding`,
        { noAnswer: mine },
        other.token
      )
      expect(set.status).toBe(200)
      const rules = () =>
        j.svc.api<Record<string, unknown>>(
          'GET',
          `/v1/lines/${line.lineId}/forwarding`,
          undefined,
          line.token
        )

      const app = await j.signedIn(line.email, line.password)
      const { page } = app
      await page.goto(appUrl(app.host, '#/phone'))
      await page.getByTestId('forwarding-save').waitFor()
      for (const c of ['always', 'busy', 'noAnswer', 'unavailable'])
        expect(await page.getByTestId(`forwarding-${c}`).inputValue()).toBe('')

      await fill(page, { 'forwarding-busy': mine })
      await page.getByTestId('forwarding-save').click()
      expect(await fieldError(page, 'forwarding-busy')).toContain('its own number')

      await fill(page, { 'forwarding-busy': theirs })
      await page.getByTestId('forwarding-save').click()
      await expect
        .poll(() => fieldError(page, 'forwarding-busy'), { timeout: 10_000 })
        .toContain('forwards its calls here')

      await fill(page, { 'forwarding-busy': '', 'forwarding-always': '+44 20 7123 4567' })
      await page.getByTestId('forwarding-save').click()
      expect(await fieldError(page, 'forwarding-always')).toContain('US or Canada')
      expect((await rules()).body).toMatchObject({ always: null, busy: null, noAnswer: null })

      await fill(page, {
        'forwarding-always': '',
        'forwarding-busy': '(212) 867-5309',
        'forwarding-noAnswer': '2128675310'
      })
      await page.getByTestId('forwarding-rings').selectOption('2')
      await page.getByTestId('forwarding-save').click()
      await page.getByTestId('forwarding-saved').waitFor()
      expect((await rules()).body).toMatchObject({
        always: null,
        busy: '+12128675309',
        noAnswer: '+12128675310',
        noAnswerRings: 2,
        unavailable: null
      })
      const view = await j.svc.service.ctx.db
        .selectFrom('kamailio_forwarding')
        .selectAll()
        .where('username', '=', mine.slice(1))
        .executeTakeFirstOrThrow()
      expect(view).toMatchObject({ busy_to: '12128675309', no_answer_to: '12128675310' })
      expect(Number(view.no_answer_s)).toBe(12)
      await j.inBothLanguages(app, `forwarding-${backend}`, 'forwarding-saved')

      await page.reload()
      await page.getByTestId('forwarding-save').waitFor()
      await expect.poll(() => page.getByTestId('forwarding-busy').inputValue()).toBe('(212) 867-5309')
      expect(await page.getByTestId('forwarding-rings').inputValue()).toBe('2')

      // What a star code dialled on the handset did is said on the card (the event main sends after *72 / *69;
      // test/media/star-codes-app.test.ts dials them for real).
      const at = new Date().toISOString()
      app.t.app.events.emit('forwarding.starCode', {
        feature: 'forwardOn',
        ok: true,
        number: '+12128675309',
        failure: null,
        reason: null,
        at
      })
      await expectText(page, 'star-code-outcome', 'Every call now goes to')
      await expectText(page, 'star-code-outcome', '*72')
      app.t.app.events.emit('forwarding.starCode', {
        feature: 'forwardOn',
        ok: false,
        number: theirs,
        failure: 'serviceRefused',
        reason: 'forward-loop',
        at
      })
      await expectText(page, 'star-code-outcome', 'forwards its calls here')
      app.t.app.events.emit('forwarding.starCode', {
        feature: 'callBack',
        ok: false,
        number: null,
        failure: 'noCallToReturn',
        reason: null,
        at
      })
      await expectText(page, 'star-code-outcome', 'There is no caller to call back')

      await fill(page, { 'forwarding-busy': '', 'forwarding-noAnswer': '' })
      await page.getByTestId('forwarding-save').click()
      await page.getByTestId('forwarding-saved').waitFor()
      expect((await rules()).body).toMatchObject({ busy: null, noAnswer: null })

      // Signed out there is no forwarding card; a star code's outcome is still said, with the way to sign in.
      await page.getByTestId('nav-account').click()
      await page.getByTestId('signout').click()
      await page.getByTestId('signin-identifier').waitFor()
      await page.evaluate("window.location.hash = '#/phone'")
      await page.getByTestId('phone-no-line').waitFor()
      app.t.app.events.emit('forwarding.starCode', {
        feature: 'forwardOn',
        ok: false,
        number: null,
        failure: 'notSignedIn',
        reason: null,
        at
      })
      await expectText(page, 'star-code-outcome', 'sign in to your account first')
      expect(await page.getByTestId('forwarding').count()).toBe(0)
      expect(await page.getByTestId('star-code-sign-in').getAttribute('href')).toBe('#/account')
    }
  )
})
