/**
 * The accessibility review's L10 on the signed-in account (/work/notes/a11y-review-34.md), in Chromium, on the run's
 * trial line: a plan change's, a tariff change's and a renewal's price is said when the person changes what it
 * prices (with a discount lost or a balance short), once: not the price a card opened on, not one passing by while
 * a price or the balance is still read, not at every render. The plan the trial line does not have, and the
 * previews, are given by the test on the page's socket (answered.ts).
 */
import { expect, test, type Page } from '@playwright/test'
import { answered, ok, usd as money } from './answered'
import { listen, plain } from './heard'
import { callMain } from './bridge'
import { E2E } from './env'
import { leaveSignedOut, startFromDefaultSettings } from './fresh-state'
import { shownText } from './shown-text'
import { signedInTrialLine } from './trial-line'

startFromDefaultSettings()
leaveSignedOut()

interface Plan {
  id: string
  code: string
  kind: string
  price: { amountMinor: number; currency: string }
}
async function plans(): Promise<Plan[]> {
  const list = (await callMain('billing.plans')) as { ok: boolean; value: { plans: Plan[] } }
  expect(list.ok).toBe(true)
  return list.value.plans
}

/** The trial line as if it were on `plan` (the run's service has it on none). */
async function onPlan(page: Page, plan: Plan, answers: Parameters<typeof answered>[1] = {}) {
  return answered(page, {
    ...answers,
    rewrites: { ...answers.rewrites, 'billing.subscription': (sub) => ({ ...sub, plan }) }
  })
}

test('a plan change’s price and a lost discount are said when they change, once', async ({ page }) => {
  await signedInTrialLine()
  const all = await plans()
  const monthly = all.find((p) => p.code === 'line-1m')
  const yearly = all.find((p) => p.code === 'line-1y')
  const fiveYears = all.find((p) => p.code === 'line-5y')
  expect(monthly && yearly && fiveYears).toBeTruthy()
  if (!monthly) return
  await onPlan(page, monthly, {
    answers: {
      'billing.previewPlanChange': (p) => {
        const to = all.find((x) => x.id === p.toPlanId)
        const toYearly = to?.code === 'line-1y'
        return ok({
          fromPlan: monthly,
          toPlan: to,
          effectiveDate: (p.effectiveDate as string | undefined) ?? '2027-01-01',
          direction: 'upgrade',
          proration: {
            convention: 'actual_days',
            fraction: { num: 10, den: 31 },
            credit: money(-300),
            charge: money(toYearly ? 4000 : 15000),
            net: money(toYearly ? 3700 : 14700)
          },
          discountEffect: toYearly ? 'lost-at-switch' : 'kept',
          notices: []
        })
      }
    }
  })
  await page.goto(`/?token=${E2E.token}#/account/overview`)
  const form = page.getByTestId('plan-change')
  const choose = form.getByTestId('change-plan')
  await expect(choose).toBeVisible({ timeout: 20_000 })
  await expect(form.getByTestId('change-preview-said')).toHaveAttribute('role', 'status')
  const heard = await listen(page, 'change-preview-said')
  await choose.selectOption(yearly?.id ?? '')
  await expect(form.getByTestId('change-net')).toHaveText(shownText('$37.00', true))
  await choose.selectOption(fiveYears?.id ?? '')
  await expect(form.getByTestId('change-net')).toHaveText(shownText('$147.00', true))
  // Renders that change nothing the preview says (a language switch redraws every word) say nothing.
  expect((await callMain('app.settings.set', { language: 'fr' })).ok).toBe(true)
  await expect(form.getByTestId('change-confirm')).toHaveText('Confirmer le changement')
  await page.waitForTimeout(300)
  expect(plain(await heard())).toEqual([
    'To pay now: $37.00. You will lose your discount on the day of the change.',
    'To pay now: $147.00.'
  ])
})

test('a tariff change’s net and a balance too short for it are said when they change', async ({ page }) => {
  await signedInTrialLine()
  const all = await plans()
  const basic = all.find((p) => p.code === 'home-basic')
  const plus = all.find((p) => p.code === 'home-plus')
  expect(basic && plus).toBeTruthy()
  if (!basic || !plus) return
  await onPlan(page, basic, {
    rewrites: { 'billing.balance': (b) => ({ ...b, balance: money(100) }) },
    answers: {
      'billing.previewPlanChange': (p) =>
        ok({
          fromPlan: basic,
          toPlan: plus,
          effectiveDate: p.effectiveDate,
          direction: 'upgrade',
          proration: {
            convention: 'fixed_30',
            fraction: { num: 12, den: 30 },
            credit: money(-200),
            charge: money(440),
            net: money(240)
          },
          discountEffect: 'none',
          notices: []
        })
    }
  })
  await page.goto(`/?token=${E2E.token}#/account/overview`)
  const form = page.getByTestId('tariff-change')
  await expect(form.getByTestId('tariff-plan')).toBeVisible({ timeout: 20_000 })
  const heard = await listen(page, 'tariff-preview-said')
  await form.getByTestId('tariff-plan').selectOption(plus.id)
  await expect(form.getByTestId('tariff-net')).toHaveText(shownText('$2.40', true))
  await expect(form.getByTestId('tariff-balance')).toContainText('top up')
  await page.waitForTimeout(300)
  // One sentence for one preview: the net with what the balance lacks, never the net alone first.
  const said = plain(await heard())
  expect(said).toHaveLength(1)
  expect(said[0]).toMatch(/^Net for this change: \$2\.40\. Your balance is \$1\.00: top up \$3\.40 before /)
})

test('a renewal’s total is said when the person changes it, not when the card opens', async ({ page }) => {
  await signedInTrialLine()
  await page.goto(`/?token=${E2E.token}#/account/overview`)
  const form = page.getByTestId('renew-now')
  const total = form.getByTestId('quote-total')
  const said = form.getByTestId('quote-said')
  await expect(total).toBeVisible({ timeout: 20_000 })
  // The total the card opened on is not news (an account's every line has a card): nothing said.
  await page.waitForTimeout(300)
  await expect(said).toHaveText('')
  const heard = await listen(page, 'quote-said')
  const before = await total.textContent()
  const other = await form.getByTestId('renew-plan').locator('option').nth(1).getAttribute('value')
  await form.getByTestId('renew-plan').selectOption(other ?? '')
  await expect(total).not.toHaveText(before ?? '')
  const after = await total.textContent()
  // Said as shown ("Total: $…"), once: nothing more once the price has settled.
  await expect.poll(heard).toEqual([after])
  await page.waitForTimeout(300)
  expect(await heard()).toEqual([after])
})
