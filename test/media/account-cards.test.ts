/**
 * Saved cards as a person meets them (issue 19 item 3), in Chromium against the real service, on SQLite
 * (JOURNEY_BACKENDS). A line renews automatically on a card; on the Billing tab the person sees it (brand, last 4,
 * expiry, "auto-renew charges this card", the line it renews), adds a card (a declining one is refused beside the
 * fields with what was typed kept), sees a card that expires soon marked (and the overview's banner leading
 * back here), replaces the auto-renew card in one step (the line's auto-renew moves to the new card), is told
 * before removing a card that auto-renew needs what happens (and keeping it changes nothing), and chooses the
 * card auto-renew charges. A second journey: a renewal fails on the card; the email and the overview both say
 * where to fix it, the card is replaced there, and the retry charges the new card.
 */
import { describe, expect, it } from 'vitest'
import { runAutoRenew } from '../../src/server/billing/auto-renew'
import { cardExpiry } from '../../src/shared/billing/card-expiry'
import { expectText } from '../support/browser'
import { CARDS, renew, saveCard, signIn, subscription } from '../support/billing-flows'
import { fill, JOURNEY_BACKENDS, journeySuite } from '../support/journey'
import { type TestService } from '../support/service'
import { lineNumber, mailbox, trialLine } from '../support/service-flows'
import { formatPhoneNumber } from '../../src/shared/numbers/phone-format'

const DAY = 86_400_000
/** A Visa the sandbox accepts, other than 4242 (so the replacement shows its own last 4). */
const OTHER_VISA = '4000 0566 5566 5556'

interface Card {
  id: string
  last4: string
  isDefault: boolean
  autoRenewFor: { lineId: string; number: string | null }[]
}
async function cards(svc: TestService, token: string): Promise<Card[]> {
  const r = await svc.api<{ paymentMethods: Card[] }>('GET', '/v1/payment-methods', undefined, token)
  expect(r.status, JSON.stringify(r.body)).toBe(200)
  return r.body.paymentMethods
}

describe.each(JOURNEY_BACKENDS)('saved cards on the Billing tab (%s)', (backend) => {
  const j = journeySuite(backend)

  it(
    'lists, adds (a decline refused), replaces, guards removal of the auto-renew card, and chooses it',
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
      const number = await lineNumber(j.svc, line.token, line.lineId)
      const [first] = await cards(j.svc, line.token)
      expect(first).toMatchObject({ last4: '4242', isDefault: true })

      const app = await j.signedIn(line.email, line.password)
      const { page } = app
      await page.getByTestId('account-tab-billing').click()
      await page.waitForURL(/#\/account\/billing$/)
      const row = (last4: string) => page.locator(`[data-testid="card-row"][data-last4="${last4}"]`)
      await row('4242').getByTestId('card-default').waitFor()
      // The brand's proper name, as receipts write it (not the processor's code "visa").
      expect((await row('4242').innerText()).replace(/[\u2066-\u2069]/g, '')).toContain('Visa ending 4242')
      await expectText(page, 'card-lines', formatPhoneNumber(number))
      await j.inBothLanguages(app, `cards-${backend}`, 'cards')

      // A card that declines is refused beside the fields; what was typed stays; nothing is saved.
      await fill(page, {
        'card-add-number': CARDS.declined.number,
        'card-add-exp': '12/34',
        'card-add-cvc': '123'
      })
      await page.getByTestId('card-add-submit').click()
      await expectText(page, 'card-add-error', 'declined')
      expect(await page.getByTestId('card-add-number').inputValue()).toBe(CARDS.declined.number)
      expect(await page.getByTestId('card-add-exp').inputValue()).toBe('12/34')
      expect(await cards(j.svc, line.token)).toHaveLength(1)

      // A good card whose expiry is this month: saved, and marked when it expires within the warning window.
      const now = new Date()
      const exp = `${String(now.getUTCMonth() + 1).padStart(2, '0')}/${String(now.getUTCFullYear()).slice(-2)}`
      await fill(page, {
        'card-add-number': '5555 5555 5555 4444',
        'card-add-exp': exp,
        'card-add-cvc': '321'
      })
      await page.getByTestId('card-add-submit').click()
      await expectText(page, 'cards-done', '4444')
      expect(await page.getByTestId('card-add-number').inputValue()).toBe('')
      await row('4444').waitFor()
      const soon = cardExpiry({ expMonth: now.getUTCMonth() + 1, expYear: now.getUTCFullYear() }, now)
      if (soon === 'expiring') {
        await expectText(page, 'card-expiry', 'Expires soon')
        // The overview says so too, and its link leads back to the cards.
        await page.getByTestId('account-tab-overview').click()
        await expectText(page, 'card-notice', '4444')
        await page.getByTestId('card-notice').getByRole('link').click()
        await page.waitForURL(/#\/account\/billing$/)
        await row('4444').waitFor()
      }
      // Adding a card leaves the card auto-renew charges as it was.
      await row('4242').getByTestId('card-default').waitFor()
      expect((await cards(j.svc, line.token)).find((c) => c.last4 === '4444')?.isDefault).toBe(false)
      let sub = await subscription(j.svc, line.token, line.lineId)
      expect(sub.autoRenew).toMatchObject({ enabled: true, paymentMethodId: first?.id })

      // Replace the auto-renew card: an expired-at-issuer card is refused first, changing nothing.
      await row('4242').getByTestId('card-replace').click()
      const form = page.getByTestId('card-replace-form')
      await form.waitFor()
      await expectText(page, 'card-replace-form', formatPhoneNumber(number))
      await j.inBothLanguages(app, `card-replace-${backend}`, 'card-replace-form')
      await fill(page, {
        'card-replace-number': CARDS.expired.number,
        'card-replace-exp': '11/33',
        'card-replace-cvc': '999'
      })
      await page.getByTestId('card-replace-submit').click()
      await expectText(page, 'card-replace-error', 'expired')
      expect(await page.getByTestId('card-replace-number').inputValue()).toBe(CARDS.expired.number)
      expect((await cards(j.svc, line.token)).map((c) => c.last4).sort()).toEqual(['4242', '4444'])
      expect((await subscription(j.svc, line.token, line.lineId)).autoRenew.paymentMethodId).toBe(first?.id)

      await fill(page, { 'card-replace-number': OTHER_VISA })
      await page.getByTestId('card-replace-submit').click()
      await expectText(page, 'cards-done', '5556')
      await row('4242').waitFor({ state: 'detached' })
      let list = await cards(j.svc, line.token)
      const replacement = list.find((c) => c.last4 === '5556')
      expect(list.map((c) => c.last4).sort()).toEqual(['4444', '5556'])
      expect(replacement?.autoRenewFor).toEqual([{ lineId: line.lineId, number }])
      sub = await subscription(j.svc, line.token, line.lineId)
      expect(sub.autoRenew).toMatchObject({ enabled: true, paymentMethodId: replacement?.id })

      // Removing the card auto-renew needs: what happens is said first; keeping it changes nothing.
      await row('5556').getByTestId('card-remove').click()
      await expectText(page, 'card-remove-warning', formatPhoneNumber(number))
      await j.inBothLanguages(app, `card-remove-${backend}`, 'card-remove-ask')
      await page.getByTestId('card-remove-keep').click()
      await page.getByTestId('card-remove-ask').waitFor({ state: 'detached' })
      expect(await cards(j.svc, line.token)).toHaveLength(2)
      expect((await subscription(j.svc, line.token, line.lineId)).autoRenew.enabled).toBe(true)

      // Choosing the card auto-renew charges moves the line onto it.
      await row('4444').getByTestId('card-make-default').click()
      await expectText(page, 'cards-done', 'charges the card ending')
      list = await cards(j.svc, line.token)
      expect(list.find((c) => c.last4 === '4444')).toMatchObject({ isDefault: true })
      expect((await subscription(j.svc, line.token, line.lineId)).autoRenew.paymentMethodId).toBe(
        list.find((c) => c.last4 === '4444')?.id
      )
      await j.svc.api('PUT', `/v1/payment-methods/${replacement?.id}/default`, undefined, line.token)

      // Confirmed, the removal switches auto-renew off on that line, as it said.
      await page.reload()
      await row('5556').getByTestId('card-remove').click()
      await page.getByTestId('card-remove-confirm').click()
      await expectText(page, 'cards-done', 'auto-renew is now off')
      expect((await cards(j.svc, line.token)).map((c) => c.last4)).toEqual(['4444'])
      expect((await subscription(j.svc, line.token, line.lineId)).autoRenew.enabled).toBe(false)
    }
  )

  it(
    'a failed renewal is reported where it is fixed: the card is replaced there and the retry charges it',
    { timeout: 120_000 },
    async () => {
      const line = await trialLine(j.svc)
      await renew(j.svc, line.token, line.lineId, 'line-1m@1', { card: CARDS.ok })
      const pm = await saveCard(j.svc, line.token, CARDS.failsLater)
      const on = await j.svc.api(
        'PUT',
        `/v1/lines/${line.lineId}/auto-renew`,
        { enabled: true, paymentMethodId: pm },
        line.token
      )
      expect(on.status, JSON.stringify(on.body)).toBe(200)
      const through = new Date(
        (await subscription(j.svc, line.token, line.lineId)).coverage.paidThrough ?? ''
      )
      j.svc.clock.set(new Date(through.getTime() - DAY + 1000))
      expect((await runAutoRenew(j.svc.service.ctx))[0]?.outcome).toBe('failed')
      const failed = (await mailbox(j.svc, line.email)).find((m) => m.purpose === 'renewal-failed')
      expect(failed?.body).toContain('Keep your payment method up to date')
      expect(failed?.body).toContain('Account → Billing → Saved cards')

      const app = await j.signedIn(line.email, line.password)
      const { page } = app
      const token = await signIn(j.svc, line)
      await expectText(
        page,
        'renewal-failed-notice',
        formatPhoneNumber(await lineNumber(j.svc, token, line.lineId))
      )
      await j.inBothLanguages(app, `renewal-failed-${backend}`, 'renewal-failed-notice')
      await page.getByTestId('renewal-failed-notice').getByRole('link').click()
      await page.waitForURL(/#\/account\/billing$/)
      await page.locator('[data-testid="card-row"][data-last4="0341"]').getByTestId('card-replace').click()
      await fill(page, {
        'card-replace-number': CARDS.ok.number,
        'card-replace-exp': '10/35',
        'card-replace-cvc': '456'
      })
      await page.getByTestId('card-replace-submit').click()
      await expectText(page, 'cards-done', '4242')

      const sub = await subscription(j.svc, token, line.lineId)
      const [card] = await cards(j.svc, token)
      expect(sub).toMatchObject({ status: 'past_due', autoRenew: { paymentMethodId: card?.id } })
      // The next pass retries at once, on the new card, and the line is renewed.
      expect((await runAutoRenew(j.svc.service.ctx))[0]?.outcome).toBe('renewed')
      const after = await subscription(j.svc, token, line.lineId)
      expect(after.status).toBe('active')
      expect(new Date(after.coverage.paidThrough ?? '').getTime()).toBeGreaterThan(through.getTime())
    }
  )
})
