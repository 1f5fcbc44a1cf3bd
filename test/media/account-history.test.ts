/**
 * A line's history (issue 19 item 9) as a person meets it, in Chromium against the real service on SQLite and
 * PostgreSQL: from the line's card, the numbers it has had and its 911 addresses; after changing the number and
 * the 911 address through the card's own forms, both histories show the old and the new, the new marked current,
 * dated in the person's language. Screenshotted and audited with axe in English and Persian.
 */
import { describe, expect, it } from 'vitest'
import { call } from '../../src/main/ipc/dispatcher'
import { expectText } from '../support/browser'
import { fill, journeySuite } from '../support/journey'
import { BACKENDS } from '../support/service'
import { trialLine } from '../support/service-flows'
import { formatPhoneNumber } from '../../src/shared/numbers/phone-format'

describe.each(BACKENDS)('a line’s history (%s)', (backend) => {
  const j = journeySuite(backend)

  it(
    'shows number and 911 address changes made from the line’s card, the current one marked',
    { timeout: 120_000 },
    async () => {
      const line = await trialLine(j.svc)
      const first = (
        await j.svc.api<{ number: string }>('GET', `/v1/lines/${line.lineId}`, undefined, line.token)
      ).body.number
      const app = await j.signedIn(line.email, line.password)
      const { page } = app
      const card = page.getByTestId('line-card').first()
      const history = card.getByTestId('line-history')
      await history.locator('summary').click()
      await expect.poll(() => history.getByTestId('number-history-row').count()).toBe(1)
      await expectText(page, 'number-history-row', formatPhoneNumber(first))
      await expect.poll(() => history.getByTestId('e911-history-row').count()).toBe(1)

      // A new number by area code, through the card's form (a moment later, so the order is the clock's).
      j.svc.clock.advance(1000)
      await card.locator('details', { hasText: 'Change the number' }).locator('summary').first().click()
      await card.getByTestId('number-area').fill('212')
      await card.locator(`input[type="radio"][name="number-${line.lineId}"]`).first().check()
      await card.locator('form button[type="submit"]', { hasText: 'Change the number' }).click()
      await expect.poll(() => history.getByTestId('number-history-row').count()).toBe(2)
      const rows = history.getByTestId('number-history-row')
      await expect.poll(() => rows.nth(1).textContent()).toContain(formatPhoneNumber(first))
      expect(await rows.nth(1).textContent()).not.toContain('current')
      expect(await rows.nth(0).textContent()).toContain('current')
      expect(await rows.nth(0).textContent()).toContain('by a number change')

      // A new 911 address, through the card's form.
      j.svc.clock.advance(1000)
      await card.getByTestId('line-e911').getByRole('button').click()
      await fill(page, {
        'e911-street': '350 Fifth Ave',
        'e911-city': 'New York',
        'e911-region': 'NY',
        'e911-postalCode': '10118'
      })
      await card.getByTestId('e911-save').click()
      await expect.poll(() => history.getByTestId('e911-history-row').count()).toBe(2)
      const places = history.getByTestId('e911-history-row')
      expect(await places.nth(0).textContent()).toContain('350 Fifth Ave')
      expect(await places.nth(0).textContent()).toContain('current')
      expect(await places.nth(1).textContent()).not.toContain('current')

      // The service agrees.
      const numbers = await j.svc.api<{ history: { number: string; releasedAt: string | null }[] }>(
        'GET',
        `/v1/lines/${line.lineId}/number-history`,
        undefined,
        line.token
      )
      expect(numbers.body.history.map((h) => h.releasedAt === null)).toEqual([true, false])
      expect(numbers.body.history[1]?.number).toBe(first)
      const e911 = await j.svc.api<{ current: { address: { street: string } } }>(
        'GET',
        `/v1/lines/${line.lineId}/e911`,
        undefined,
        line.token
      )
      expect(e911.body.current.address.street).toBe('350 Fifth Ave')

      await j.inBothLanguages(app, `account-history-${backend}`, 'number-history-row')
      // In Persian the dates are Persian's own (not the English month names).
      await call(app.t.app.dispatch, 'app.settings.set', { language: 'fa' })
      await page.locator('html[lang="fa"]').waitFor()
      await expect
        .poll(() => history.getByTestId('number-history-row').first().textContent())
        .not.toMatch(/\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b/)
    }
  )
})
