/**
 * A refund as the person meets it (issue 20), in Chromium against the real service, on SQLite (JOURNEY_BACKENDS). A
 * line renewed for a year by card; an operator of the billing team refunds 12.50 of it to the account's balance
 * and 10.00 to the card (through the ops API, as `dialtone-ops refunds create` does). Signed in, the person sees
 * the new balance on the overview, and on the Billing tab the refunds in words ("Refund to your balance",
 * "Refund to your card ending 4242") with what they refunded, and the balance refund in the statement with the
 * balance after it (and in the statement's CSV). Screenshotted and audited with axe in English and Persian.
 */
import { describe, expect, it } from 'vitest'
import { call } from '../../src/main/ipc/dispatcher'
import { bootstrapAdmin } from '../../src/server/ops/operators'
import { CARDS, key, renew } from '../support/billing-flows'
import { expectText } from '../support/browser'
import { JOURNEY_BACKENDS, journeySuite } from '../support/journey'
import { enrolAndSignIn, makeOperator } from '../support/ops'
import { trialLine } from '../support/service-flows'

const plain = (s: string): string => s.replace(/[\u2066-\u2069]/g, '').replace(/\s+/g, ' ')

describe.each(JOURNEY_BACKENDS)('a refund on the Billing tab (%s)', (backend) => {
  const j = journeySuite(backend)

  it(
    'shows the refunds in words, the statement entry and the new balance',
    { timeout: 150_000 },
    async () => {
      const svc = j.svc
      const line = await trialLine(svc)
      const paid = await renew(svc, line.token, line.lineId, 'line-1y@1', { card: CARDS.ok })
      expect(paid.status, JSON.stringify(paid.body)).toBe(201)

      const boot = await bootstrapAdmin(svc.service.ctx, { email: 'admin@ops.dialtone.test', name: 'Admin' })
      const admin = await enrolAndSignIn(svc, 'admin@ops.dialtone.test', boot.enrolmentToken)
      const billing = await makeOperator(svc, admin.token, 'billing')
      const refund = async (amountMinor: number, to: 'card' | 'balance') => {
        svc.clock.advance(60_000)
        const r = await svc.api(
          'POST',
          '/ops/v1/refunds',
          {
            accountId: line.accountId,
            chargeId: paid.body.orderId,
            amountMinor,
            to,
            reason: 'the line was down for two days',
            idempotencyKey: key()
          },
          billing.token
        )
        expect(r.status, JSON.stringify(r.body)).toBe(201)
      }
      await refund(1250, 'balance')
      await refund(1000, 'card')

      const app = await j.signedIn(line.email, line.password)
      const { page } = app
      await expectText(page, 'balance-amount', '$12.50')
      await page.getByTestId('account-tab-billing').click()

      const refunds = page.getByTestId('refunds')
      await expect.poll(() => refunds.getByTestId('refund').count()).toBe(2)
      const rows = (await refunds.getByTestId('refund').allInnerTexts()).map(plain)
      // Newest first: the card refund, then the balance refund; each names the renewal it refunded.
      expect(rows[0]).toMatch(
        /Refund to your card ending 4242 Line service, 1 year for .+, paid .+ \$10\.00$/
      )
      expect(rows[1]).toMatch(/Refund to your balance Line service, 1 year for .+, paid .+ \$12\.50$/)

      const statement = page.getByTestId('statement')
      const entry = statement.locator('[data-testid="statement-entry"][data-kind="refund"]')
      await entry.waitFor()
      expect(plain(await entry.innerText())).toMatch(/Refund Refund to your balance \$12\.50 \$12\.50$/)
      await expectText(page, 'statement-closing', '$12.50')
      // The statement file lists it too (the period around today, whatever the account's zone).
      const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)
      const file = await svc.api<{ contentBase64: string }>(
        'GET',
        `/v1/balance/statement/export?from=${day(Date.now() - 86_400_000)}&to=${day(Date.now() + 86_400_000)}&format=csv`,
        undefined,
        line.token
      )
      expect(file.status, JSON.stringify(file.body)).toBe(200)
      const csv = Buffer.from(file.body.contentBase64, 'base64').toString('utf8')
      expect(csv).toMatch(/,refund,Refund to your balance,12\.50,USD,12\.50/)
      await j.inBothLanguages(app, `account-refund-${backend}`, 'refunds-table')
      // In Persian the rows are worded in Persian, not left in English.
      await call(app.t.app.dispatch, 'app.settings.set', { language: 'fa' })
      await page.locator('html[lang="fa"]').waitFor()
      await expectText(page, 'refunds-table', 'بازپرداخت به موجودی شما')
      await expectText(page, 'refunds-table', 'بازپرداخت به کارت شما که به')
    }
  )
})
