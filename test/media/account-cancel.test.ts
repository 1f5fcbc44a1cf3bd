/**
 * Cancelling and resuming a subscription as a person meets it (issue 19 item 4), in Chromium against the real
 * service, on SQLite (JOURNEY_BACKENDS). A line renewed by card with half price for life: "Cancel the subscription"
 * says first what happens (nothing renews, the line stops on the paid-through day, the discount is lost then
 * unless resumed before); "Keep" changes nothing; confirmed, the line shows "stops on DATE" with Resume, and
 * resuming keeps the discount. Bad input: cancelling a subscription another window already canceled is refused
 * in words (nothing changes), and resuming after the paid period ended is refused in words (nothing changes).
 */
import { describe, expect, it } from 'vitest'
import { grantHalfPriceForLife } from '../../src/server/billing/discounts'
import { expectText } from '../support/browser'
import { CARDS, renew, signIn, subscription } from '../support/billing-flows'
import { JOURNEY_BACKENDS, journeySuite } from '../support/journey'
import { trialLine } from '../support/service-flows'

const DAY = 86_400_000

describe.each(JOURNEY_BACKENDS)('cancel and resume a subscription (%s)', (backend) => {
  const j = journeySuite(backend)

  it(
    'says the consequence before cancelling, shows the end date and resumes with the discount kept; refuses a second cancel and a late resume',
    { timeout: 180_000 },
    async () => {
      const line = await trialLine(j.svc)
      const paid = await renew(
        j.svc,
        line.token,
        line.lineId,
        'line-1m@1',
        { card: CARDS.ok, save: true },
        {
          autoRenew: true
        }
      )
      expect(paid.status, JSON.stringify(paid.body)).toBe(201)
      const ctx = j.svc.service.ctx
      const row = await ctx.db
        .selectFrom('subscriptions')
        .select('id')
        .where('line_id', '=', line.lineId)
        .executeTakeFirstOrThrow()
      await grantHalfPriceForLife(ctx, line.accountId, row.id)
      const before = await subscription(j.svc, line.token, line.lineId)
      expect(before).toMatchObject({ status: 'active', discount: { status: 'active' } })
      const through = new Date(before.coverage.paidThrough ?? '')

      const app = await j.signedIn(line.email, line.password)
      const { page } = app
      await page.getByTestId('subscription-cancel').click()
      const ask = page.getByTestId('subscription-cancel-ask')
      await ask.waitFor()
      // Said before confirming: the day it stops and that half price for life goes then, unless resumed.
      await expectText(page, 'subscription-cancel-discount', 'unless you resume before then')
      await expectText(page, 'subscription-cancel-ask', 'Nothing renews any more')
      await j.inBothLanguages(app, `cancel-ask-${backend}`, 'subscription-cancel-ask')
      await page.getByTestId('subscription-keep').click()
      await ask.waitFor({ state: 'detached' })
      expect((await subscription(j.svc, line.token, line.lineId)).status).toBe('active')

      await page.getByTestId('subscription-cancel').click()
      await page.getByTestId('subscription-cancel-confirm').click()
      await expectText(page, 'subscription-canceled', 'the line stops on')
      await expectText(page, 'subscription-canceled', 'Resume before')
      await j.inBothLanguages(app, `canceled-${backend}`, 'subscription-canceled')
      const canceled = await subscription(j.svc, line.token, line.lineId)
      expect(canceled).toMatchObject({
        status: 'canceled',
        cancelReason: 'voluntary',
        autoRenew: { enabled: false },
        discount: { status: 'ending', reinstatableUntil: through.toISOString() }
      })

      // Resumed in time: the discount is kept.
      await page.getByTestId('subscription-resume').click()
      await page.getByTestId('subscription-resumed').waitFor()
      const resumed = await subscription(j.svc, line.token, line.lineId)
      expect(resumed).toMatchObject({ status: 'active', discount: { status: 'active', endsAt: null } })

      // Cancelled meanwhile in another window: this page's cancel is refused in words; nothing changes.
      const other = await signIn(j.svc, line)
      const elsewhere = await j.svc.api('POST', `/v1/lines/${line.lineId}/cancel`, undefined, other)
      expect(elsewhere.status, JSON.stringify(elsewhere.body)).toBe(200)
      const once = await subscription(j.svc, other, line.lineId)
      await page.getByTestId('subscription-cancel').click()
      await page.getByTestId('subscription-cancel-confirm').click()
      await expectText(page, 'subscription-cancel-error', 'already canceled')
      expect(await subscription(j.svc, other, line.lineId)).toEqual(once)

      // The paid period passes (the page stays open; the session is used on the way, as an open app does).
      await page.reload()
      await page.getByTestId('subscription-resume').waitFor()
      for (let at = Date.now() + 25 * DAY; at < through.getTime() - DAY; at += 25 * DAY) {
        j.svc.clock.set(new Date(at))
        await page.reload()
        await page.getByTestId('subscription-resume').waitFor()
      }
      j.svc.clock.set(new Date(through.getTime() + DAY))
      const late = await subscription(j.svc, await signIn(j.svc, line), line.lineId)
      await page.getByTestId('subscription-resume').click()
      await expectText(page, 'subscription-resume-error', 'The paid period ended on')
      expect(await subscription(j.svc, await signIn(j.svc, line), line.lineId)).toEqual(late)
      expect(late).toMatchObject({ status: 'canceled', discount: { status: 'ended' } })
      // Looked at again, the line says the period is over and points to renewing, not to Resume.
      await page.reload()
      await expectText(page, 'subscription-ended', 'Renew the line below')
      expect(await page.getByTestId('subscription-resume').count()).toBe(0)
    }
  )
})
