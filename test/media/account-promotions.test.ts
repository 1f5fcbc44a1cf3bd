/**
 * A promotion code as a person meets it (issue 20, seed 004), in Chromium against the real service, on SQLite
 * (JOURNEY_BACKENDS). An operator's campaign (half price for life at a trial's conversion); the person on a trial
 * opens the line's renewal, types a code that does not exist: refused in words beside the field, the price unchanged,
 * nothing charged. Then the campaign's code (in lower case): the price halves before paying, with what loses the
 * discount said next to it; paid, the line shows "Half price for life" and what ends it. English and Persian, axe.
 */
import { describe, expect, it } from 'vitest'
import { createPromotion } from '../../src/server/ops/promotions-ops'
import { expectText } from '../support/browser'
import { CARDS, subscription } from '../support/billing-flows'
import { fieldError, fill, JOURNEY_BACKENDS, journeySuite } from '../support/journey'
import { trialLine } from '../support/service-flows'

const DAY = 86_400_000

describe.each(JOURNEY_BACKENDS)('a promotion code at a trial’s conversion (%s)', (backend) => {
  const j = journeySuite(backend)

  it(
    'refuses an unknown code beside the field and charges nothing; a good one halves the price and shows half price for life',
    { timeout: 150_000 },
    async () => {
      const ctx = j.svc.service.ctx
      const now = ctx.clock.now().getTime()
      await createPromotion(
        ctx,
        {
          code: 'HALF-FOR-LIFE',
          kind: 'half_price_for_life',
          startsAt: new Date(now - DAY).toISOString(),
          endsAt: new Date(now + 30 * DAY).toISOString(),
          eligible: 'conversion',
          audience: 'any',
          limit: 10
        },
        {
          kind: 'operator',
          id: 'op_journey',
          label: 'journey@ops.dialtone.test',
          name: 'Journey Operator',
          role: 'billing',
          partnerId: null,
          sessionId: null,
          expiresAt: null
        }
      )
      const line = await trialLine(j.svc)
      const app = await j.signedIn(line.email, line.password)
      const { page } = app
      await page.getByTestId('trial-choose').click()
      await expectText(page, 'quote-total', '$4.99')

      // A code that does not exist: worded beside the field; the price stays; nothing is ordered or charged.
      await fill(page, { 'promo-code': 'NOT-A-REAL-CODE' })
      await page.getByTestId('promo-apply').click()
      expect(await fieldError(page, 'promo-code')).toContain('This code is not valid')
      await expectText(page, 'quote-total', '$4.99')
      expect(await page.getByTestId('promo-accepted').count()).toBe(0)
      await j.inBothLanguages(app, `promo-refused-${backend}`, 'promo')
      expect(await fieldError(page, 'promo-code')).toContain('This code is not valid')
      const orders = () =>
        ctx.db.selectFrom('checkout_orders').select('id').where('account_id', '=', line.accountId).execute()
      expect(await orders()).toHaveLength(0)

      // The campaign's code, typed in lower case: half the price, and what loses it, before paying.
      await fill(page, { 'promo-code': 'half-for-life' })
      await page.getByTestId('promo-code').press('Enter')
      await expectText(page, 'promo-accepted', 'half price for life')
      await expectText(page, 'quote-total', '$2.49')
      await expectText(page, 'quote-notice', 'You lose it by changing to a cheaper plan')
      await expectText(page, 'renew-pay', '$2.49')
      expect(await orders()).toHaveLength(0)
      await j.inBothLanguages(app, `promo-priced-${backend}`, 'promo-accepted')

      await fill(page, {
        'renew-card-number': CARDS.ok.number,
        'renew-card-exp': '12/34',
        'renew-card-cvc': '123'
      })
      await page.getByTestId('renew-pay').click()
      await page.getByTestId('renew-done').waitFor()
      const paid = await ctx.db
        .selectFrom('checkout_orders')
        .select(['total_minor', 'status'])
        .where('account_id', '=', line.accountId)
        .execute()
      expect(paid).toEqual([{ total_minor: 249, status: 'paid' }])
      expect((await subscription(j.svc, line.token, line.lineId)).discount).toMatchObject({
        status: 'active',
        endsAt: null
      })
      // Afterwards the line says what it has and what would end it.
      await expectText(page, 'renewal-discount', 'Half price for life')
      await expectText(page, 'renewal-discount-loses', 'switching from monthly to yearly')
      await j.inBothLanguages(app, `promo-granted-${backend}`, 'renewal-discount')
    }
  )
})
