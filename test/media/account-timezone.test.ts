/**
 * The account's time zone as a person meets it (issue 19 item 10), in Chromium against the real service on
 * SQLite and PostgreSQL. A trial started in Los Angeles at 20:00 (already tomorrow in UTC) keeps that zone; the
 * line's paid-through day shows as Los Angeles has it. On the Profile tab the zone is shown (screenshots and axe
 * in English and Persian); a zone that is not one is refused next to the field, what was typed is kept and the
 * account keeps its zone; America/Santiago is then saved, and the same instant shows as Santiago's day.
 */
import { describe, expect, it } from 'vitest'
import { expectText } from '../support/browser'
import { journeySuite } from '../support/journey'
import { BACKENDS } from '../support/service'
import { trialLine } from '../support/service-flows'

describe.each(BACKENDS)('the account’s time zone (%s)', (backend) => {
  const j = journeySuite(backend)

  it(
    'shows dates in the account’s zone, refuses a zone that is not one, and changes it',
    { timeout: 120_000 },
    async () => {
      j.svc.clock.set('2026-12-04T04:00:00.000Z') // 20:00 on 3 December in Los Angeles
      const line = await trialLine(j.svc, { timeZone: 'America/Los_Angeles' })
      const zoneOf = async () =>
        (await j.svc.api<{ timeZone: string }>('GET', '/v1/account', undefined, line.token)).body.timeZone
      const app = await j.signedIn(line.email, line.password)
      const { page } = app
      // The 30-day trial runs to 2027-01-03T04:00Z: the evening of 2 January in Los Angeles.
      await expectText(page, 'renewal-coverage', 'paid through Jan 2, 2027')

      await page.getByTestId('account-tab-profile').click()
      const card = page.getByTestId('time-zone')
      await card.waitFor()
      await expectText(page, 'time-zone-current', 'America/Los_Angeles')
      await j.inBothLanguages(app, `account-timezone-${backend}`, 'time-zone')

      // Not a zone: refused next to the field, the text kept, the account unchanged.
      const input = card.getByTestId('time-zone-input')
      await input.fill('Mars/Olympus')
      await card.getByTestId('time-zone-save').click()
      await card.locator('.field-error').waitFor()
      expect(await card.locator('.field-error').textContent()).toBe('Choose one of the options offered.')
      expect(await input.getAttribute('aria-invalid')).toBe('true')
      expect(await input.inputValue()).toBe('Mars/Olympus')
      expect(await zoneOf()).toBe('America/Los_Angeles')

      // Santiago: saved, said, and the same instant is now 3 January there.
      await input.fill('America/Santiago')
      await card.getByTestId('time-zone-save').click()
      await expectText(page, 'time-zone-saved', 'America/Santiago')
      await expectText(page, 'time-zone-current', 'America/Santiago')
      expect(await zoneOf()).toBe('America/Santiago')
      await page.getByTestId('account-tab-overview').click()
      await expectText(page, 'renewal-coverage', 'paid through Jan 3, 2027')
    }
  )
})
