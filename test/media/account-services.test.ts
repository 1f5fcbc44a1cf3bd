/**
 * Connected services as a person meets them (issue 25 part 1), in Chromium against the real service, on SQLite
 * (JOURNEY_BACKENDS): the Account overview lists what is on with the fees and every service with its fee, conditions
 * and state; switching "Caller ID withheld by default" on says first what is charged now for the rest of the
 * month and what it costs from the next, then the line has it (and Kamailio's view says so); switching it off
 * says what comes back; the Billing tab's statement shows the fee and the refund in words. English and Persian,
 * with axe, at the confirmation and on the list.
 */
import { describe, expect, it } from 'vitest'
import { CARDS, key } from '../support/billing-flows'
import { expectText } from '../support/browser'
import { JOURNEY_BACKENDS, journeySuite } from '../support/journey'
import { lineNumber, trialLine } from '../support/service-flows'

const ZONE = 'America/New_York'

/** This month's share of a fee (the seed's fixed 30 days): the 1st pays it whole, else the days left of 30. */
function share(feeMinor: number, now: Date): number {
  const [y, m, d] = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(now).split('-').map(Number)
  const daysInMonth = new Date(Date.UTC(y ?? 0, m ?? 0, 0)).getUTCDate()
  const days = d === 1 ? 30 : Math.min(30, daysInMonth - (d ?? 0) + 1)
  return Math.floor((feeMinor * days * 2 + 30) / 60)
}
const dollars = (minor: number) => `$${(minor / 100).toFixed(2)}`

describe.each(JOURNEY_BACKENDS)('connected services (%s)', (backend) => {
  const j = journeySuite(backend)

  it(
    'switches a paid service on and off with the amounts said first and the fee on the statement',
    { timeout: 180_000 },
    async () => {
      const line = await trialLine(j.svc, { timeZone: ZONE })
      const topUp = await j.svc.api(
        'POST',
        '/v1/balance/top-up',
        { idempotencyKey: key(), amountMinor: 1000, payment: { card: CARDS.ok } },
        line.token
      )
      expect(topUp.status).toBe(200)
      const charge = dollars(share(150, new Date()))
      const username = (await lineNumber(j.svc, line.token, line.lineId)).slice(1)
      const withheld = async () =>
        Number(
          (
            await j.svc.service.ctx.db
              .selectFrom('kamailio_services')
              .select('caller_id_withheld')
              .where('username', '=', username)
              .executeTakeFirstOrThrow()
          ).caller_id_withheld
        )

      const app = await j.signedIn(line.email, line.password)
      const { page } = app
      const card = page.getByTestId(`services-${line.lineId}`)
      const row = card.getByTestId('service-caller-id-withheld')
      await expectText(page, 'services-total', '$0.00')
      await expectText(page, 'services-on-voicemail', 'Voicemail: Free')
      expect((await row.getByTestId('service-fee').innerText()).replace(/[\u2066-\u2069]/g, '')).toBe(
        '$1.50 a month'
      )
      await expectText(page, 'service-state', 'Off')

      await row.getByTestId('service-switch').click()
      await expectText(page, 'service-confirm-amount', `${charge} is charged to your balance now`)
      await expectText(page, 'service-confirm-monthly', 'Then $1.50 a month')
      await expectText(page, 'service-confirm-balance', 'Your balance: $10.00')
      await j.inBothLanguages(app, `services-confirm-${backend}`, 'service-confirm-amount')
      await page.getByTestId('service-confirm-yes').click()
      await expectText(page, 'service-done', 'Caller ID withheld by default is on.')
      await expectText(page, 'services-on-caller-id-withheld', 'Caller ID withheld by default: $1.50 a month')
      await expectText(page, 'services-total', '$1.50')
      expect(await withheld()).toBe(1)
      await j.inBothLanguages(app, `services-on-${backend}`, 'services-on-caller-id-withheld')

      await row.getByTestId('service-switch').click()
      await expectText(page, 'service-confirm-amount', `${charge} comes back to your balance`)
      await page.getByTestId('service-confirm-yes').click()
      await expectText(page, 'service-done', 'Caller ID withheld by default is off.')
      await expectText(page, 'services-total', '$0.00')
      expect(await withheld()).toBe(0)
      await page.getByTestId('service-history').locator('summary').click()
      await expect.poll(() => page.getByTestId('service-history-item').count()).toBe(2)

      await page.getByTestId('account-tab-billing').click()
      const rows = page.getByTestId('statement').getByTestId('statement-entry')
      await expect.poll(() => rows.count()).toBe(3)
      const texts = (await rows.allInnerTexts()).map((s) =>
        s.replace(/[\u2066-\u2069]/g, '').replace(/\s+/g, ' ')
      )
      const fee = new RegExp(`Service fee Caller ID withheld by default, \\w+ \\d{4} -\\${charge} `)
      const refund = new RegExp(
        `Service refund Caller ID withheld by default: unused days of \\w+ \\d{4} \\${charge} `
      )
      expect(
        texts.filter((s) => fee.test(s)),
        texts.join('\n')
      ).toHaveLength(1)
      expect(
        texts.filter((s) => refund.test(s)),
        texts.join('\n')
      ).toHaveLength(1)
    }
  )
})
