/**
 * Monthly tariffs as a person meets them (issue 19 item 5, seed 003), in Chromium against the real service on
 * SQLite (JOURNEY_BACKENDS). A trial line in Los Angeles is put on Home Plus in the evening of 19 December (already
 * the 20th in UTC; refused until the balance holds the month's share, beside the balance's Top up), so the earliest change day is the 20th there. "Change tariff" shows the current tariff, says
 * the 10-day rule before anything is refused, starts its picker at the 20th, and previews the move to Home Basic
 * ($11 a month) with 12 days left: charge 1100 / 30 x 12 = 440, credit 600, net -160, and what the balance must
 * hold. Refused, next to the field and changing nothing: no tariff chosen, a day too early, a balance that cannot
 * hold it (until the person accepts), a second change inside 10 days. A scheduled change is shown and cancelled.
 * A tariff cancelled and joined again in a month it paid goes on at no charge; another is refused with the way to
 * it (Resume, then Change tariff). A company is told the written-request rule and the next 1st, offered no form, and
 * led to Help to write it.
 */
import type { Locator } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { applyDueChanges, schedulePlanChange } from '../../src/server/billing/plan-changes'
import { expectText } from '../support/browser'
import { JOURNEY_BACKENDS, journeySuite } from '../support/journey'
import { topUp } from '../support/billing-flows'
import { trialLine } from '../support/service-flows'

/** A field's message without the isolation marks around its numbers. */
const shown = async (l: Locator): Promise<string> =>
  ((await l.textContent()) ?? '').replace(/[\u2066-\u2069]/g, '')

interface Sub {
  plan: { id: string } | null
  pendingChange: { toPlanId: string; effectiveDate: string; status: string } | null
}

describe.each(JOURNEY_BACKENDS)('monthly tariffs (%s)', (backend) => {
  const j = journeySuite(backend)
  /** A line in Los Angeles put on Home Plus through the API at 20:00 on 19 December there (its share paid). */
  const onHomePlus = async () => {
    j.svc.clock.set('2026-12-20T04:00:00.000Z')
    const line = await trialLine(j.svc, { timeZone: 'America/Los_Angeles' })
    await topUp(j.svc, line.token, 650)
    const joined = await j.svc.api(
      'POST',
      `/v1/lines/${line.lineId}/tariff`,
      { planId: 'home-plus@1' },
      line.token
    )
    expect(joined.status, JSON.stringify(joined.body)).toBe(200)
    return line
  }
  const sub = async (token: string, lineId: string) =>
    (await j.svc.api<Sub>('GET', `/v1/lines/${lineId}/subscription`, undefined, token)).body

  it(
    'puts a line on a tariff, previews 1100 / 30 x 12 = 440, refuses bad dates and schedules and cancels a change',
    { timeout: 150_000 },
    async () => {
      j.svc.clock.set('2026-12-20T04:00:00.000Z') // 20:00 on 19 December in Los Angeles
      const line = await trialLine(j.svc, { timeZone: 'America/Los_Angeles' })
      const app = await j.signedIn(line.email, line.password)
      const { page } = app

      // Put the line on a tariff: nothing chosen is refused next to the list, then Home Plus.
      const subscribe = page.getByTestId('tariff-subscribe')
      await subscribe.waitFor()
      await j.inBothLanguages(app, `tariff-subscribe-${backend}`, 'tariff-subscribe')
      await subscribe.getByTestId('tariff-subscribe-submit').click()
      await expectText(page, 'tariff-subscribe-missing', 'Choose a tariff first')
      expect((await sub(line.token, line.lineId)).plan).toBeNull()
      await subscribe.getByTestId('tariff-subscribe-plan').selectOption('home-plus@1')
      // Joining is paid from the balance, which holds nothing yet: said, beside the balance's Top up, nothing changed.
      await subscribe.getByTestId('tariff-subscribe-submit').click()
      await expectText(page, 'tariff-subscribe-error', 'The balance is too low. Top up first.')
      await page.getByTestId('balance').waitFor()
      expect((await sub(line.token, line.lineId)).plan).toBeNull()
      // Topped up with December's share (13 of 30 days of $15.00), it joins.
      await topUp(j.svc, line.token, 650)
      await subscribe.getByTestId('tariff-subscribe-submit').click()
      await expectText(page, 'renewal-plan', 'Home Plus')
      expect((await sub(line.token, line.lineId)).plan?.id).toBe('home-plus@1')

      // Change tariff: the current one, the rules first, the picker at the earliest day in Los Angeles.
      const form = page.getByTestId('tariff-change')
      await form.waitFor()
      await expectText(page, 'tariff-current', 'Home Plus')
      await expectText(page, 'tariff-rules', 'at most once in 10 days')
      await form.getByTestId('tariff-plan').selectOption('home-basic@1')
      const date = form.getByTestId('tariff-date')
      expect(await date.getAttribute('min')).toBe('2026-12-20')
      expect(await date.inputValue()).toBe('2026-12-20')
      await expectText(page, 'tariff-charge', '$4.40')
      await expectText(page, 'tariff-credit', '$6.00')
      await expectText(page, 'tariff-net', '-$1.60')
      await expectText(page, 'tariff-must-hold', 'On Dec 20, 2026 your balance must hold $4.40')
      await j.inBothLanguages(app, `tariff-change-${backend}`, 'tariff-preview')

      // A day too early: said next to the date, with the earliest day; nothing scheduled.
      await date.fill('2026-12-19')
      await expect
        .poll(() => shown(form.locator('.field-error').first()))
        .toMatch(/earliest date for this plan is Dec 20, 2026/)
      await form.getByTestId('tariff-schedule').click()
      await page.waitForTimeout(500)
      expect(await date.inputValue()).toBe('2026-12-19')
      expect((await sub(line.token, line.lineId)).pendingChange).toBeNull()

      // The balance cannot hold it (the month's share took all of it): said, and scheduled only when accepted.
      await date.fill('2026-12-20')
      await expectText(page, 'tariff-balance', 'top up')
      await form.getByTestId('tariff-schedule').click()
      await expectText(page, 'tariff-accept-error', 'tick the box')
      expect((await sub(line.token, line.lineId)).pendingChange).toBeNull()
      await form.getByTestId('tariff-accept-short').check()
      await form.getByTestId('tariff-schedule').click()
      await page.getByTestId('tariff-done').waitFor()
      await expectText(page, 'renewal-pending', 'Dec 20, 2026')
      expect((await sub(line.token, line.lineId)).pendingChange).toMatchObject({
        toPlanId: 'home-basic@1',
        effectiveDate: '2026-12-20',
        status: 'scheduled'
      })

      // The scheduled change is cancelled from where it is shown.
      await page.getByTestId('renewal-pending').getByRole('button').click()
      await page.getByTestId('renewal-pending').waitFor({ state: 'detached' })
      expect((await sub(line.token, line.lineId)).pendingChange).toBeNull()

      // Scheduled again and applied at midnight in Los Angeles; a second change inside 10 days is refused.
      const again = await j.svc.api(
        'POST',
        `/v1/lines/${line.lineId}/plan-change`,
        { toPlanId: 'home-basic@1', effectiveDate: '2026-12-20' },
        line.token
      )
      expect(again.status, JSON.stringify(again.body)).toBe(200)
      j.svc.clock.set('2026-12-20T08:00:01.000Z')
      expect(await applyDueChanges(j.svc.service.ctx)).toBe(1)
      await page.reload()
      await expectText(page, 'tariff-current', 'Home Basic')
      const next = page.getByTestId('tariff-change')
      await next.getByTestId('tariff-plan').selectOption('home-plus@1')
      await next.getByTestId('tariff-date').fill('2026-12-25')
      await expect
        .poll(() => shown(next.locator('.field-error').first()))
        .toMatch(/at most once in 10 days; the last change took effect on Dec 20, 2026/)
      // The balance box shows only when the balance falls short: tick it if it is there, without waiting for it.
      const acceptShort = next.getByTestId('tariff-accept-short')
      if (await acceptShort.isVisible()) await acceptShort.check()
      await next.getByTestId('tariff-schedule').click()
      await page.waitForTimeout(500)
      expect(await next.getByTestId('tariff-date').inputValue()).toBe('2026-12-25')
      const after = await sub(line.token, line.lineId)
      expect(after.plan?.id).toBe('home-basic@1')
      expect(after.pendingChange?.status ?? null).not.toBe('scheduled')
      // Ten days after the last change is allowed again.
      await next.getByTestId('tariff-date').fill('2026-12-30')
      await next.getByTestId('tariff-preview').waitFor()
    }
  )

  it(
    'takes a tariff cancelled and joined again this month back at no charge, and leads to Resume for another',
    { timeout: 90_000 },
    async () => {
      const line = await onHomePlus()
      const app = await j.signedIn(line.email, line.password)
      const { page } = app
      const cancel = async () => {
        await page.getByTestId('subscription-cancel').click()
        await page.getByTestId('subscription-cancel-confirm').click()
        await page.getByTestId('subscription-canceled').waitFor()
      }
      await cancel()
      // Another tariff in a month paid on this one: said with the way (Resume above), nothing changed.
      const subscribe = page.getByTestId('tariff-subscribe')
      await subscribe.getByTestId('tariff-subscribe-plan').selectOption('home-basic@1')
      await subscribe.getByTestId('tariff-subscribe-submit').click()
      await expectText(page, 'tariff-subscribe-error', 'This month is already paid on this line’s tariff.')
      await expectText(page, 'tariff-subscribe-error', 'Resume the subscription above')
      expect((await sub(line.token, line.lineId)).plan?.id).toBe('home-plus@1')
      await j.inBothLanguages(app, `tariff-month-paid-${backend}`, 'tariff-subscribe')
      // The same tariff again: it goes on, December being paid (it was "The balance is too low. Top up first.").
      await subscribe.getByTestId('tariff-subscribe-plan').selectOption('home-plus@1')
      await subscribe.getByTestId('tariff-subscribe-submit').click()
      await page.getByTestId('subscription-active').waitFor()
      await page.getByTestId('tariff-change').waitFor()
      // Cancelled again, Resume (where the refusal sent the person) brings it back with Change tariff beside it.
      await cancel()
      await page.getByTestId('subscription-resume').click()
      await page.getByTestId('subscription-resumed').waitFor()
      await page.getByTestId('tariff-change').waitFor()
      const fees = await j.svc.service.ctx.db
        .selectFrom('balance_entries')
        .select('amount_minor')
        .where('account_id', '=', line.accountId)
        .where('kind', '=', 'recurring_fee')
        .execute()
      expect(fees.map((f) => f.amount_minor)).toEqual([-650])
    }
  )

  it(
    'tells a company the written-request rule and the next 1st, offers no form, shows the change an operator took without a cancel button, and links both to the request on Help',
    { timeout: 90_000 },
    async () => {
      const line = await onHomePlus()
      await j.svc.service.ctx.db
        .updateTable('accounts')
        .set({ type: 'legal_entity' })
        .where('id', '=', line.accountId)
        .execute()
      const app = await j.signedIn(line.email, line.password)
      await expectText(app.page, 'written-request-date', 'The next possible date is Jan 1, 2027')
      expect(await app.page.getByTestId('written-request-write').getAttribute('href')).toBe(
        `#/help?draft=plan-change&line=${line.lineId}&date=2027-01-01`
      )
      expect(await app.page.getByTestId('tariff-change').count()).toBe(0)
      await j.inBothLanguages(app, `tariff-company-${backend}`, 'written-request')

      // The company's letter, taken by an operator (`dialtone-ops accounts plan-change`): the change is shown,
      // and withdrawing it is a written request too, so there is no cancel button.
      await schedulePlanChange(
        j.svc.service.ctx,
        line.accountId,
        line.lineId,
        'home-basic@1',
        '2027-01-01',
        'staff'
      )
      await app.page.reload()
      await expectText(
        app.page,
        'renewal-pending-written',
        'To withdraw it, send a written request to support too.'
      )
      const pending = app.page.getByTestId('renewal-pending')
      expect(await pending.textContent()).toContain('Jan 1, 2027')
      expect(await pending.getByRole('button').count()).toBe(0)
      // The way to write it: the support form on Help, begun for this line and that day.
      expect(await pending.getByTestId('renewal-pending-write').getAttribute('href')).toBe(
        `#/help?draft=withdraw-change&line=${line.lineId}&date=2027-01-01`
      )
    }
  )
})
