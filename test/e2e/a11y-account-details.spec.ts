/**
 * The accessibility review's low findings on the signed-in account (/work/notes/a11y-review-34.md, L2, L4, L6,
 * L10), in Chromium, on the run's trial line: the struck-out regular price is read with what it is; the repeated
 * buttons of a list ("Remove", "Download (PDF)", "Order for this line"…) are each described by their row, so a
 * screen reader's list of buttons tells them apart; the folded shop finder's shops are h4 under its h3
 * (a11y-prices.spec.ts has the prices said). What the trial line does not have (a business's people and invoices,
 * saved cards, voicemail) is given by the test on the page's socket (answered.ts).
 */
import { expect, test } from '@playwright/test'
import { answered, ok, usd as money } from './answered'
import { description, descriptions } from './heard'
import { E2E } from './env'
import { leaveSignedOut, startFromDefaultSettings } from './fresh-state'
import { shownText } from './shown-text'
import { signedInTrialLine } from './trial-line'

startFromDefaultSettings()
leaveSignedOut()

test('the offer’s regular price is read as the regular price, and each line’s order button names its line', async ({
  page
}) => {
  await signedInTrialLine()
  await answered(page, {
    rewrites: {
      'billing.upgradeOffers': (v) => ({
        offers: (v.offers as { lines: Record<string, unknown>[] }[]).map((o) => ({
          ...o,
          lines: o.lines.map((l) => ({ ...l, eligible: true, why: null, reason: null, availableFrom: null }))
        }))
      })
    }
  })
  await page.goto(`/?token=${E2E.token}#/account/overview`)
  const offers = page.getByTestId('offers')
  const regular = offers.getByTestId('offer-regular').first()
  await expect(regular).toBeVisible({ timeout: 20_000 })
  // Naming a deletion is not read: the words are inside it, hidden from the eye; the price shown, from the ear.
  await expect(regular).not.toHaveAttribute('aria-label')
  await expect(regular.locator('.visually-hidden')).toHaveText(
    /^regular price [\u2066-\u2069]*\$\d+\.\d\d[\u2066-\u2069]*$/
  )
  await expect(regular.locator('[aria-hidden="true"]')).toHaveText(/^\$\d+\.\d\d$/)
  expect(await regular.locator('.visually-hidden').evaluate((el) => el.getBoundingClientRect().width)).toBe(1)
  const order = offers.getByRole('button', { name: 'Order for this line' }).first()
  expect(await description(order)).toMatch(/^\(201\) \d{3}-\d{4}$/)
})

test('a pack’s “Buy” and a saved card’s buttons are described by their pack and card', async ({ page }) => {
  await signedInTrialLine()
  const card = (id: string, brand: string, last4: string) => ({
    id,
    brand,
    last4,
    expMonth: 4,
    expYear: 2031,
    isDefault: false,
    autoRenewFor: []
  })
  await answered(page, {
    answers: {
      'billing.paymentMethods': () =>
        ok({
          paymentMethods: [
            card('pm_e2e0000000000000001', 'visa', '4242'),
            card('pm_e2e0000000000000002', 'mastercard', '4444')
          ]
        })
    }
  })
  await page.goto(`/?token=${E2E.token}#/account/overview`)
  const buy = page.getByRole('button', { name: 'Buy from balance' })
  await expect(buy.first()).toBeVisible({ timeout: 20_000 })
  expect(await descriptions(buy)).toContainEqual(
    expect.stringMatching(/^International minutes: 100 for 30 days: 100 minutes for \$/)
  )

  await page.getByTestId('account-tab-billing').click()
  const remove = page.getByTestId('card-remove')
  await expect(remove).toHaveCount(2)
  expect(await descriptions(remove)).toEqual([
    expect.stringMatching(/^Visa ending 4242, expires /),
    expect.stringMatching(/^Mastercard ending 4444, expires /)
  ])
  expect(await descriptions(page.getByTestId('card-replace'))).toEqual(await descriptions(remove))
})

test('an address’s buttons are described by the address', async ({ page }) => {
  await signedInTrialLine()
  const email = (id: string, address: string) => ({
    id,
    address,
    role: 'secondary',
    verified: true,
    preferred: false
  })
  await answered(page, {
    rewrites: {
      'account.profile': (p) => ({
        ...p,
        emails: [
          ...(p.emails as unknown[]),
          email('em_e2e0000000000000001', 'ada@work.example.test'),
          email('em_e2e0000000000000002', 'ada@home.example.test')
        ]
      })
    }
  })
  await page.goto(`/?token=${E2E.token}#/account/profile`)
  const emails = page.getByTestId('emails')
  await expect(emails.getByRole('button', { name: 'Remove' })).toHaveCount(2, { timeout: 20_000 })
  expect(await descriptions(emails.getByRole('button', { name: 'Remove' }))).toEqual([
    'ada@work.example.test',
    'ada@home.example.test'
  ])
  expect(await descriptions(emails.getByRole('button', { name: 'Send notices here' }))).toEqual([
    'ada@work.example.test',
    'ada@home.example.test'
  ])
})

test('a business’s people, invoices and documents: each row’s buttons are described by the row', async ({
  page
}) => {
  await signedInTrialLine()
  const at = '2026-11-01T10:00:00.000Z'
  const member = (id: string, name: string, email: string) => ({
    id,
    name,
    email,
    role: 'billing',
    lineId: null,
    joined: false,
    createdAt: at
  })
  const invoice = (id: string, number: string, period: string) => ({
    id,
    number,
    period,
    total: money(2500),
    issuedAt: at
  })
  const statement = (id: string, from: string, to: string) => ({
    id,
    kind: 'signed-statement',
    from,
    to,
    note: null,
    status: 'fulfilled',
    createdAt: at,
    fulfilledAt: at
  })
  await answered(page, {
    rewrites: {
      'account.profile': (p) => ({ ...p, type: 'legal_entity' }),
      'business.me': (m) => ({ ...m, role: 'owner', accountType: 'legal_entity' })
    },
    answers: {
      'business.members': () =>
        ok({
          members: [
            member('mem_e2e000000000000001', 'Grace Hopper', 'grace@example.test'),
            member('mem_e2e000000000000002', 'Alan Turing', 'alan@example.test')
          ]
        }),
      'business.invoices': () =>
        ok({
          invoices: [
            invoice('inv_e2e000000000000001', 'INV-2026-0011', '2026-11'),
            invoice('inv_e2e000000000000002', 'INV-2026-0010', '2026-10')
          ]
        }),
      'business.documents': () =>
        ok({
          requests: [
            statement('doc_e2e000000000000001', '2026-10-01', '2026-10-31'),
            statement('doc_e2e000000000000002', '2026-09-01', '2026-09-30')
          ]
        })
    }
  })
  await page.goto(`/?token=${E2E.token}#/account/business`)
  const remove = page.getByTestId('business-member-remove')
  await expect(remove).toHaveCount(2, { timeout: 20_000 })
  expect(await descriptions(remove)).toEqual([
    'Grace Hopper grace@example.test',
    'Alan Turing alan@example.test'
  ])
  expect(await descriptions(page.getByTestId('business-member-resend'))).toEqual(await descriptions(remove))
  const pdf = page.getByTestId('business-invoice-pdf')
  expect(await descriptions(pdf)).toEqual([
    'Invoice INV-2026-0011 November 2026',
    'Invoice INV-2026-0010 October 2026'
  ])
  expect(await descriptions(page.getByTestId('business-invoice-email'))).toEqual(await descriptions(pdf))
  expect(await descriptions(page.getByTestId('business-document-download'))).toEqual([
    expect.stringMatching(/^Signed statement, Oct 1, 2026 to Oct 31, 2026$/),
    expect.stringMatching(/^Signed statement, Sep 1, 2026 to Sep 30, 2026$/)
  ])
})

test('a voicemail’s buttons are described by its caller and time', async ({ page }) => {
  await signedInTrialLine()
  const message = (id: string, caller: string, receivedAt: string) => ({
    id,
    caller,
    callerName: null,
    reason: 'no-answer',
    receivedAt,
    durationMs: 12_000,
    heard: false
  })
  await answered(page, {
    answers: {
      'voicemail.box': () =>
        ok({
          messages: [
            message('vm_e2e00000000000000001', '+12125550177', '2026-11-30T15:04:00.000Z'),
            message('vm_e2e00000000000000002', '+13125550123', '2026-11-29T09:30:00.000Z')
          ],
          greeting: null,
          limits: { maxMessages: 50, maxMessageS: 180, maxAgeDays: 30, maxGreetingS: 30 },
          full: false
        })
    }
  })
  await page.goto(`/?token=${E2E.token}#/phone`)
  const remove = page.getByTestId('voicemail-delete')
  await expect(remove).toHaveCount(2, { timeout: 20_000 })
  expect(await descriptions(remove)).toEqual([
    expect.stringMatching(/^\(212\) 555-0177 .*12 s/),
    expect.stringMatching(/^\(312\) 555-0123 .*12 s/)
  ])
  for (const testId of ['voicemail-play', 'voicemail-heard'])
    expect(await descriptions(page.getByTestId(testId))).toEqual(await descriptions(remove))
})

test('the folded shop finder in the renewal area has its shops as h4 under its h3', async ({ page }) => {
  await signedInTrialLine()
  await answered(page, {
    answers: {
      'help.shops': () =>
        ok({
          outcome: 'found',
          place: { city: 'Hoboken', state: 'NJ', zip: '07030' },
          states: [],
          shops: [
            {
              id: 'shop-1',
              partner: 'Corner Mart',
              name: 'Washington St Deli',
              street: '1 Washington St',
              city: 'Hoboken',
              state: 'NJ',
              zip: '07030',
              timeZone: 'America/New_York',
              hours: { mon: null, tue: null, wed: null, thu: null, fri: null, sat: null, sun: null },
              distanceMiles: 0.3,
              openNow: false
            }
          ]
        })
    }
  })
  await page.goto(`/?token=${E2E.token}#/account/overview`)
  const finder = page.getByTestId('shop-finder')
  await finder.locator('summary').first().click({ timeout: 20_000 })
  await finder.getByTestId('shop-query').fill('07030')
  await finder.getByTestId('shop-search').click()
  await expect(finder.getByTestId('shop-said')).toHaveText(shownText('1 shop near 07030.', true))
  await expect(finder.getByRole('heading', { level: 3 })).toHaveText('Where to buy Re-Up cards')
  await expect(finder.getByRole('heading', { level: 4 })).toHaveText('Washington St Deli')
})
