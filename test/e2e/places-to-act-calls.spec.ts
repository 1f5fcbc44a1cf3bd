/**
 * No dead ends on the Phone page, as a person meets them in Chromium (places-to-act.spec.ts has the rest): a call
 * refused because international calling is off, held until a promised payment is repaid, or without credit for an
 * international call, links to Connected services or the balance (with its minutes packs), in the person's
 * language; so does a call the phone service ended when its credit abroad ran out; a business's line user, who
 * cannot act on either, is told who can, with no link they cannot follow. The line's state is main's, sent to the
 * page as main sends it (this run has no SIP server).
 *
 * It signs in to the run's one trial line (trial-line.ts), which playwright.config.ts has the wizard walk first.
 */
import { expect, test } from '@playwright/test'
import { callMain } from './bridge'
import { E2E } from './env'
import { signedInTrialLine } from './trial-line'
import { answered } from './answered'
import { leaveSignedOut, startFromDefaultSettings } from './fresh-state'

/** A recent call abroad that the SIP server refused with `failure`, `minutes` ago. */
const failed = (failure: string, minutes: number) => ({
  id: `call-${failure}`,
  direction: 'out',
  remote: '+442079460958',
  startedAt: new Date(Date.now() - minutes * 60_000).toISOString(),
  answeredAt: null,
  endedAt: new Date(Date.now() - minutes * 60_000).toISOString(),
  outcome: 'failed',
  failure
})

/** The line's status as a registered line's (this run has no SIP server). */
const registered = (status: Record<string, unknown>) => ({
  ...status,
  state: 'registered',
  number: '+12015550100',
  problem: null,
  retryAt: null,
  reason: null
})

startFromDefaultSettings()

leaveSignedOut()

test('a call refused for a reason the account can change links to where it changes, in the person’s language', async ({
  page
}) => {
  await signedInTrialLine()
  // A registered line (this run has no SIP server) whose last call was refused by the SIP server's line policy.
  const refused = (state: Record<string, unknown>) => ({
    ...state,
    phase: 'reorder',
    offHook: true,
    why: 'internationalOff',
    reason: 'SIP 403 international-off'
  })
  await answered(page, {
    rewrites: {
      'phone.status': registered,
      'phone.callState': refused,
      'phone.history': () => ({
        calls: [failed('callsHeld', 5), failed('noCredit', 7), failed('premiumRate', 9)]
      })
    },
    events: { 'phone.statusChanged': registered, 'phone.callStateChanged': refused }
  })
  expect((await callMain('app.settings.set', { language: 'fr' })).ok).toBe(true)
  await page.goto(`/?token=${E2E.token}#/phone`)
  await page.locator('html[lang="fr"]').waitFor({ timeout: 20_000 })

  const reason = page.getByTestId('call-reason')
  await expect(reason).toContainText('les appels internationaux sont désactivés sur cette ligne', {
    timeout: 20_000
  })
  const toServices = reason.getByTestId('call-reason-remedy')
  await expect(toServices).toHaveText('Ouvrir les Services connectés dans Vue d’ensemble')

  // The recent calls: the held call links to the balance, the call without credit to the balance and its minutes
  // packs; a failure that names no place has no link.
  const rows = page.getByTestId('call-history-row')
  await expect(rows).toHaveCount(3)
  const toBalance = rows.nth(0).getByTestId('call-history-remedy')
  await expect(toBalance).toHaveText('Recharger le solde dans Vue d’ensemble')
  await expect(toBalance).toHaveAttribute('href', '#/account/overview?focus=balance')
  await expect(rows.nth(1).getByTestId('call-history-failure')).toContainText(
    'crédit insuffisant pour cet appel international'
  )
  const toCredit = rows.nth(1).getByTestId('call-history-remedy')
  await expect(toCredit).toHaveText('Recharger ou acheter des minutes dans Vue d’ensemble')
  await expect(toCredit).toHaveAttribute('href', '#/account/overview?focus=balance')
  await expect(rows.nth(2).getByTestId('call-history-remedy')).toHaveCount(0)
  await page.getByTestId('call-panel').screenshot({ path: `${E2E.screenshots}/dead-ends-call-failed-fr.png` })

  // Connected services, brought into view on the overview.
  await toServices.click()
  await expect(page).toHaveURL(/#\/account\/overview$/)
  await expect(page.getByRole('heading', { level: 2, name: /^Services connectés/ })).toBeFocused({
    timeout: 20_000
  })
})

test('a call the phone service ended when its credit abroad ran out says so and links to the balance', async ({
  page
}) => {
  await signedInTrialLine()
  // What the line shows after Kamailio's BYE with `Reason: SIP;cause=402;text="no-credit"` (test/media's
  // server-ends-call.test.ts walks the BYE itself to this state).
  const ended = (state: Record<string, unknown>) => ({
    ...state,
    phase: 'reorder',
    offHook: true,
    why: 'creditRanOut'
  })
  // And the recent calls keep why: an answered call the service ended, beside one that ended as calls do.
  const answeredCall = (id: string, minutes: number, ended?: string) => ({
    id,
    direction: 'out',
    remote: '+442079460958',
    startedAt: new Date(Date.now() - minutes * 60_000).toISOString(),
    answeredAt: new Date(Date.now() - minutes * 60_000 + 5_000).toISOString(),
    endedAt: new Date(Date.now() - 60_000).toISOString(),
    outcome: 'answered',
    failure: null,
    ...(ended ? { ended } : {})
  })
  await answered(page, {
    rewrites: {
      'phone.status': registered,
      'phone.callState': ended,
      'phone.history': () => ({ calls: [answeredCall('cut', 5, 'creditRanOut'), answeredCall('plain', 9)] })
    },
    events: { 'phone.statusChanged': registered, 'phone.callStateChanged': ended }
  })
  expect((await callMain('app.settings.set', { language: 'sl' })).ok).toBe(true)
  await page.goto(`/?token=${E2E.token}#/phone`)
  await page.locator('html[lang="sl"]').waitFor({ timeout: 20_000 })
  const reason = page.getByTestId('call-reason')
  await expect(reason).toContainText('dobroimetje za mednarodne klice je porabljeno', { timeout: 20_000 })
  const toCredit = reason.getByTestId('call-reason-remedy')
  await expect(toCredit).toHaveText('Napolni stanje ali kupi minute v Pregledu')
  const rows = page.getByTestId('call-history-row')
  await expect(rows).toHaveCount(2)
  await expect(rows.nth(0).getByTestId('call-history-ended')).toContainText(
    'dobroimetje za mednarodne klice je porabljeno'
  )
  await expect(rows.nth(0).getByTestId('call-history-remedy')).toHaveAttribute(
    'href',
    '#/account/overview?focus=balance'
  )
  await expect(rows.nth(1).getByTestId('call-history-ended')).toHaveCount(0)
  await toCredit.click()
  // The Balance card, brought into view and focused, the ask taken off the address.
  await expect(page).toHaveURL(/#\/account\/overview$/)
  await expect(page.locator('#balance-title')).toBeFocused()
})

test("a business's line user is told who can act on a call abroad without credit, with no link they cannot follow", async ({
  page
}) => {
  await signedInTrialLine()
  const refused = (state: Record<string, unknown>) => ({
    ...state,
    phase: 'reorder',
    offHook: true,
    why: 'noCredit'
  })
  // The signed-in person as a business's line user (the service's business.me): no top-up, no minutes for them.
  await answered(page, {
    rewrites: {
      'phone.status': registered,
      'phone.callState': refused,
      'phone.history': () => ({ calls: [failed('noCredit', 1)] }),
      'business.me': () => ({ role: 'line', company: 'Acme Ltd', lineId: null })
    },
    events: { 'phone.statusChanged': registered, 'phone.callStateChanged': refused }
  })
  await page.goto(`/?token=${E2E.token}#/phone`)
  const reason = page.getByTestId('call-reason')
  await expect(reason).toContainText('your account’s administrator can buy international minutes', {
    timeout: 20_000
  })
  await expect(reason).not.toContainText('(Account, Balance)')
  await expect(reason.getByTestId('call-reason-remedy')).toHaveCount(0)
  const row = page.getByTestId('call-history-row')
  await expect(row.getByTestId('call-history-failure')).toContainText('your account’s administrator can')
  await expect(row.getByTestId('call-history-remedy')).toHaveCount(0)
})
