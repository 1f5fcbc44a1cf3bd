/**
 * What an action just did is said, not only drawn (WCAG 4.1.3; src/renderer/src/components/Said.tsx): each card
 * keeps one status region, in the page from the start and empty, whose words change when a number is blocked or
 * unblocked or an address is added or removed; the status bar says a change of the line's state on any page (main's
 * line events sent to the page as main sends them); words only said (the status bar's, an update's) leave their
 * region about 5 s later, so a language switch leaves none to browse in the old language. Walked in Chromium,
 * signed in to the run's trial line.
 */
import { type Page, expect, test } from '@playwright/test'
import { callMain } from './bridge'
import { E2E } from './env'
import { leaveSignedOut, startFromDefaultSettings } from './fresh-state'
import { shownText } from './shown-text'
import { signedInTrialLine } from './trial-line'
import { answered, ok } from './answered'
import { listen, listenFromStart } from './heard'

startFromDefaultSettings()
leaveSignedOut()

test('blocking and unblocking a number is said in the card’s one status region', async ({ page }) => {
  await signedInTrialLine()
  await page.goto(`/?token=${E2E.token}#/phone`)
  const said = page.getByTestId('blocked-said')
  // There from the start, empty and out of the way.
  await expect(said).toHaveAttribute('role', 'status')
  await expect(said).toHaveText('', { timeout: 20_000 })
  await page.getByTestId('blocked-number').pressSequentially('2125550177')
  await page.getByTestId('blocked-add').click()
  await expect(said).toHaveText(shownText('(212) 555-0177 is blocked: this line no longer rings for it.'))
  const row = page.getByTestId('blocked-row').filter({ hasText: '555-0177' })
  await row.getByRole('button', { name: /Unblock/ }).click()
  await expect(said).toHaveText(shownText('(212) 555-0177 is no longer blocked.'))
  await expect(page.getByTestId('blocked-row')).toHaveCount(0)
  await expectFocusKeptOffTheWordsSaid(page)
})

test('adding and removing an email address is said', async ({ page }) => {
  await signedInTrialLine()
  await page.goto(`/?token=${E2E.token}#/account/profile`)
  const said = page.getByTestId('emails-said')
  await expect(said).toHaveAttribute('role', 'status', { timeout: 20_000 })
  const address = `e2e-said-${Date.now()}@example.test`
  await page.getByTestId('email-add').fill(address)
  await page.getByTestId('email-add-submit').click()
  await expect(said).toHaveText(shownText(`${address} was added. Enter the code sent to it to confirm it.`))
  const row = page.getByTestId('email-row').filter({ hasText: address })
  await row.getByRole('button', { name: 'Remove' }).click()
  await expect(said).toHaveText(shownText(`${address} was removed.`))
  await expect(page.getByTestId('email-row').filter({ hasText: address })).toHaveCount(0)
  await expectFocusKeptOffTheWordsSaid(page)
})

/** The focus, lost with a removed row's button, is kept in the page, but never on words said (read twice, unseen). */
async function expectFocusKeptOffTheWordsSaid(page: Page): Promise<void> {
  const focused = await page.evaluate(() => {
    const a = document.activeElement
    return { inRegion: (a?.closest('[role="status"]') ?? null) !== null, onBody: a === document.body }
  })
  expect(focused).toEqual({ inRegion: false, onBody: false })
}

test('the status bar says a change of the line’s state on any page, not each “Connecting…”', async ({
  page
}) => {
  // Main's line events, sent to the page as main sends them (the run's service has no SIP server to register to).
  const socket = await answered(page, {})
  const lineIs = (state: string, problem: string | null = null): void =>
    socket.event('phone.statusChanged', {
      state,
      number: '+12015550100',
      problem,
      retryAt: null,
      reason: null
    })
  await page.goto(`/?token=${E2E.token}#/settings`)
  const line = page.getByTestId('status-line')
  const said = page.getByTestId('status-said')
  await expect(line).not.toHaveText('Checking…', { timeout: 20_000 })
  await expect(said).toHaveAttribute('role', 'status')
  // Every sentence the region takes, in order, from here on.
  const heard = await listen(page, 'status-said')
  lineIs('registering')
  await expect(line).toHaveText('Connecting…')
  lineIs('registered')
  await expect(line).toHaveText('Line ready')
  lineIs('registering')
  lineIs('unregistered', 'noNetwork')
  await expect(line).toHaveText('Line offline: no network')
  // Connecting again, then ready again: said, since it differs from the last state said.
  lineIs('registering')
  lineIs('registered')
  await expect(line).toHaveText('Line ready')
  await expect.poll(heard).toEqual(['Line ready', 'Line offline: no network', 'Line ready'])
  // The app's language changed: the same state in other words is not news.
  expect((await callMain('app.settings.set', { language: 'fr' })).ok).toBe(true)
  await expect(line).toHaveText('Ligne prête')
  // On the Phone page a problem is said by the page's own alert: not a second time by the status bar.
  expect((await callMain('app.settings.set', { language: 'en' })).ok).toBe(true)
  await page.evaluate(() => (window.location.hash = '#/phone'))
  await expect(page.getByTestId('page-phone')).toBeVisible()
  lineIs('unregistered', 'serverUnreachable')
  await expect(line).toHaveText('Line offline: server unreachable')
  await page.waitForTimeout(300)
  expect(await heard()).toEqual(['Line ready', 'Line offline: no network', 'Line ready'])
})

test('words only said leave their region about 5 s later: after a language switch none are read in the old one', async ({
  page
}) => {
  const socket = await answered(page, {
    answers: { 'app.update.state': () => ok({ status: 'idle', checkedAt: null }) },
    quiet: ['app.updateChanged']
  })
  await page.goto(`/?token=${E2E.token}#/settings`)
  const state = page.getByTestId('app-updates-state')
  await expect(state).toHaveText('Not looked yet since Dialtone started.', { timeout: 20_000 })
  const update = page.getByTestId('app-updates-said')
  const status = page.getByTestId('status-said')
  socket.event('app.updateChanged', { status: 'ready', version: '2.0.0' })
  const line = { number: '+12015550100', problem: null, retryAt: null, reason: null }
  socket.event('phone.statusChanged', { ...line, state: 'registering' })
  socket.event('phone.statusChanged', { ...line, state: 'registered' })
  await expect(update).toHaveText(
    shownText('Version 2.0.0 is downloaded. It installs the next time Dialtone starts.', true)
  )
  await expect(status).toHaveText('Line ready')
  const saidAt = Date.now()
  // The person switches to French on this page: the card and the status bar read French at once.
  expect((await callMain('app.settings.set', { language: 'fr' })).ok).toBe(true)
  await expect(page.getByTestId('status-line')).toHaveText('Ligne prête')
  await expect(state).not.toContainText('is downloaded')
  // The English sentences go a few seconds after they were said, not at the switch and not never.
  await page.waitForTimeout(2000)
  await expect(update).not.toHaveText('')
  await expect(update).toHaveText('', { timeout: 10_000 })
  await expect(status).toHaveText('')
  const keptFor = Date.now() - saidAt
  expect(keptFor).toBeGreaterThan(4000)
  expect(keptFor).toBeLessThan(9000)
  expect((await callMain('app.settings.set', { language: 'en' })).ok).toBe(true)
})

test('the update state a page opens on is shown, not said; what changes after is said', async ({ page }) => {
  const socket = await answered(page, {
    answers: { 'app.update.state': () => ok({ status: 'ready', version: '2.0.0' }) },
    quiet: ['app.updateChanged']
  })
  // Every sentence from the page's first paint on: the state it opened on must not be among them.
  const heard = await listenFromStart(page, 'app-updates-said')
  await page.goto(`/?token=${E2E.token}#/settings`)
  await expect(page.getByTestId('app-updates-install')).toBeVisible({ timeout: 20_000 })
  await page.waitForTimeout(500)
  expect(await heard()).toEqual([])
  socket.event('app.updateChanged', { status: 'failed', at: '2026-12-07T10:00:00.000Z' })
  await expect.poll(async () => (await heard()).length).toBe(1)
})
