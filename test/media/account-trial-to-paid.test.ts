/**
 * Trial to paid as a person meets it (issue 19 item 8), in Chromium against the real service, on SQLite and
 * PostgreSQL. A line on its free trial: the overview says when the trial ends (days left, the date) and offers the
 * plans; "Choose a plan" goes to the line's renewal; a card that declines is refused and changes nothing; paying
 * converts the line and keeps its number (and the trial's days: paid time starts when the trial ends). A week
 * before a trial ends the service emails the person where in the app to choose a plan, once.
 */
import { describe, expect, it } from 'vitest'
import { noticeTrialsEnding } from '../../src/server/billing/trial-notices'
import { expectText } from '../support/browser'
import { CARDS, subscription } from '../support/billing-flows'
import { fill, journeySuite } from '../support/journey'
import { BACKENDS } from '../support/service'
import { lineNumber, mailbox, trialLine } from '../support/service-flows'
import { formatPhoneNumber } from '../../src/shared/numbers/phone-format'

const DAY = 86_400_000

describe.each(BACKENDS)('a trial line becomes a paid one (%s)', (backend) => {
  const j = journeySuite(backend)

  it(
    'tells the days left, offers the plans, refuses a declining card and keeps the number when paid',
    {
      timeout: 150_000
    },
    async () => {
      const line = await trialLine(j.svc)
      const number = await lineNumber(j.svc, line.token, line.lineId)
      const trial = await subscription(j.svc, line.token, line.lineId)
      const trialEnd = trial.coverage.trialEndsAt ?? ''
      expect(trialEnd).toBe(trial.coverage.paidThrough)

      const app = await j.signedIn(line.email, line.password)
      const { page } = app
      const notice = page.getByTestId('trial-notice')
      await expectText(page, 'trial-days', formatPhoneNumber(number))
      await expectText(page, 'trial-days', '30 days')
      await expectText(page, 'trial-plans', 'year')
      await j.inBothLanguages(app, `trial-notice-${backend}`, 'trial-notice')

      // "Choose a plan" lands on the line's plan list.
      await page.getByTestId('trial-choose').click()
      await expect
        .poll(() => page.evaluate('document.activeElement && document.activeElement.id'))
        .toBe(`renew-plan-${line.lineId}`)

      // A card that declines: refused in words, what was typed stays, the line is still on its trial.
      await page.getByTestId('quote').waitFor()
      await fill(page, {
        'renew-card-number': CARDS.declined.number,
        'renew-card-exp': '12/34',
        'renew-card-cvc': '123'
      })
      await page.getByTestId('renew-pay').click()
      await expectText(page, 'renew-error', 'declined')
      expect(await page.getByTestId('renew-card-number').inputValue()).toBe(CARDS.declined.number)
      expect(await subscription(j.svc, line.token, line.lineId)).toEqual(trial)

      await fill(page, { 'renew-card-number': CARDS.ok.number })
      await page.getByTestId('renew-pay').click()
      await page.getByTestId('renew-done').waitFor()
      await notice.waitFor({ state: 'detached' })

      // Converted: the same line and number, on a plan, paid from the trial's end.
      const paid = await subscription(j.svc, line.token, line.lineId)
      expect(paid.status).toBe('active')
      expect(paid.plan?.id).toBe('line-1m@1')
      expect(
        (paid as unknown as { coverage: { trialEndsAt: string | null } }).coverage.trialEndsAt
      ).toBeNull()
      expect(new Date(paid.coverage.paidThrough ?? '').getTime()).toBeGreaterThan(
        new Date(trialEnd).getTime()
      )
      expect(await lineNumber(j.svc, line.token, line.lineId)).toBe(number)
      await expectText(page, 'line-card', formatPhoneNumber(number))
    }
  )

  it(
    'emails a week before a trial ends, once, with where in the app to choose a plan',
    {
      timeout: 60_000
    },
    async () => {
      const line = await trialLine(j.svc)
      const number = await lineNumber(j.svc, line.token, line.lineId)
      const end = new Date((await subscription(j.svc, line.token, line.lineId)).coverage.paidThrough ?? '')
      const ctx = j.svc.service.ctx
      const ending = async () =>
        (await mailbox(j.svc, line.email)).filter((m) => m.purpose === 'trial-ending')
      j.svc.clock.set(new Date(end.getTime() - 8 * DAY))
      await noticeTrialsEnding(ctx)
      expect(await ending()).toHaveLength(0)
      j.svc.clock.set(new Date(end.getTime() - 6 * DAY))
      await noticeTrialsEnding(ctx)
      await noticeTrialsEnding(ctx)
      const mails = await ending()
      expect(mails).toHaveLength(1)
      expect(mails[0]?.subject).toContain(number)
      expect(mails[0]?.body).toContain('Account → Overview')
      expect(mails[0]?.body).toContain('Choose a plan')
      expect(mails[0]?.body).toContain('The number stays the same')
    }
  )
})
