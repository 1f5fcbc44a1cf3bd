/**
 * Connected services as a person meets them (issue 25 part 1), in Chromium against the real service, on SQLite
 * (JOURNEY_BACKENDS): the Account overview lists what is on with the fees and every service with its fee, conditions
 * and state; switching "Caller ID withheld by default" on says first what is charged now for the rest of the
 * month and what it costs from the next, then the line has it (and Kamailio's view says so); switching it off
 * says what comes back; the Billing tab's statement shows the fee and the refund in words. A month the balance
 * did not cover leaves the service off with the reason beside it and a link to top up, and the person switches it
 * on again. English and Persian, with axe, at the confirmation and on the list.
 */
import { describe, expect, it } from 'vitest'
import { chargeServiceFees } from '../../src/server/services/service-fees'
import { CARDS, key, topUp } from '../support/billing-flows'
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
      await topUp(j.svc, line.token, 1000)
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

  it(
    'a service the balance did not pay for is off with the reason beside it, the way to top up, and back on',
    { timeout: 180_000 },
    async () => {
      j.svc.clock.set(new Date())
      const line = await trialLine(j.svc, { timeZone: ZONE })
      const pay = (amountMinor: number) =>
        j.svc.api(
          'POST',
          '/v1/balance/top-up',
          { idempotencyKey: key(), amountMinor, payment: { card: CARDS.ok } },
          line.token
        )
      // 1.50 paid in, this month's share of the 1.50 fee taken: less than next month's whole fee is left.
      expect((await pay(150)).status).toBe(200)
      const on = await j.svc.api(
        'POST',
        `/v1/lines/${line.lineId}/services/caller-id-withheld`,
        { enabled: true, idempotencyKey: key() },
        line.token
      )
      expect(on.status).toBe(200)
      // The next month's first day in the account's zone: its fee is due, and the balance holds nothing.
      const [y, m] = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE })
        .format(new Date())
        .split('-')
        .map(Number)
      const next = new Date(Date.UTC(m === 12 ? (y ?? 0) + 1 : (y ?? 0), m === 12 ? 0 : (m ?? 0), 1, 17))
      j.svc.clock.set(next)
      await chargeServiceFees(j.svc.service.ctx)

      const app = await j.signedIn(line.email, line.password)
      const { page } = app
      const row = page.getByTestId(`services-${line.lineId}`).getByTestId('service-caller-id-withheld')
      await row.getByTestId('service-state').filter({ hasText: 'Off' }).waitFor({ timeout: 20_000 })
      const day = new Intl.DateTimeFormat('en-US', { timeZone: ZONE, dateStyle: 'medium' }).format(next)
      // Read after the state: "Off since Jan 1, 2027: …".
      await expectText(page, 'service-off-reason', `since ${day}: the balance did not cover its monthly fee.`)
      await page.getByTestId('service-history').locator('summary').click()
      await expectText(
        page,
        'service-history-item',
        'Caller ID withheld by default switched off by Dialtone, as the balance did not cover its monthly fee'
      )
      await j.inBothLanguages(app, `services-unpaid-${backend}`, 'service-off-reason')

      // The way to top up: the Balance card, brought into view and focused.
      const toTopUp = row.getByTestId('service-off-top-up')
      expect(await toTopUp.innerText()).toBe('Top up the balance on the Overview')
      await toTopUp.click()
      await page.waitForFunction("document.activeElement?.id === 'balance-title'")
      expect((await pay(150)).status).toBe(200)
      await page.reload()
      await row.getByTestId('service-switch').click()
      await expectText(
        page,
        'service-confirm-amount',
        `${dollars(share(150, next))} is charged to your balance now`
      )
      await page.getByTestId('service-confirm-yes').click()
      await expectText(page, 'service-done', 'Caller ID withheld by default is on.')
      await expect.poll(() => row.getByTestId('service-off-reason').count()).toBe(0)
    }
  )

  it(
    'charges only what was shown: a price changed before the confirm is said, shown anew, and confirmed again',
    { timeout: 120_000 },
    async () => {
      j.svc.clock.set(new Date())
      const line = await trialLine(j.svc, { timeZone: ZONE })
      await topUp(j.svc, line.token, 5000)
      const app = await j.signedIn(line.email, line.password)
      const { page } = app
      const row = page.getByTestId(`services-${line.lineId}`).getByTestId('service-caller-id-withheld')
      await row.getByTestId('service-switch').click()
      const now = new Date()
      await expectText(
        page,
        'service-confirm-amount',
        `${dollars(share(150, now))} is charged to your balance now`
      )
      // An operator reprices the service while the question is open.
      const reprice = (price: number) =>
        j.svc.service.ctx.db
          .updateTable('service_catalog')
          .set({ price_minor: price })
          .where('code', '=', 'caller-id-withheld')
          .execute()
      await reprice(3000)
      try {
        await page.getByTestId('service-confirm-yes').click()
        await expectText(page, 'service-switch-error', 'The amounts changed since they were shown.')
        // The new amounts in place of the old; nothing charged until the person confirms them.
        await expectText(
          page,
          'service-confirm-amount',
          `${dollars(share(3000, now))} is charged to your balance now`
        )
        await expectText(page, 'service-confirm-balance', 'Your balance: $50.00')
        await j.inBothLanguages(app, `services-price-changed-${backend}`, 'service-switch-error')
        await page.getByTestId('service-confirm-yes').click()
        await expectText(page, 'service-done', 'Caller ID withheld by default is on.')
      } finally {
        await reprice(150)
      }
    }
  )
})
