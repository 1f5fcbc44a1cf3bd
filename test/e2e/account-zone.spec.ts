/**
 * The account's dates drawn in the account's time zone whichever answer comes first. A line's subscription often
 * answers before the account's profile (which carries the zone); the paid-through day was then drawn in UTC (the
 * app's zone until a profile says otherwise) and stayed so (a journey on a loaded machine showed "Jan 3" for an
 * account in Los Angeles whose day was Jan 2). Here the profile's answers are held back while every other call is
 * answered, in a zone chosen so that the account's day and UTC's differ for the line's paid-through instant: no
 * day is drawn meanwhile, and the account zone's once the profile comes. The same on the Help page, whose support
 * requests are dated too, after signing out and in again with the account's zone changed meanwhile: the zone the
 * Account page had put in place goes when it does, so Help waits for the profile rather than use the former zone.
 */
import { expect, type Page, test } from '@playwright/test'
import { callMain } from './bridge'
import { E2E } from './env'
import { leaveSignedOut, startFromDefaultSettings } from './fresh-state'
import { shownText } from './shown-text'
import { TRIAL_ACCOUNT, signedInTrialLine } from './trial-line'

startFromDefaultSettings()
leaveSignedOut()

const value = <T>(e: unknown): T => {
  const envelope = e as { ok: boolean; value?: T }
  expect(envelope.ok, JSON.stringify(e)).toBe(true)
  return envelope.value as T
}

/** UTC+14 is the next day from 10:00 UTC on; UTC-11 the day before until 11:00 UTC: one of them always differs. */
const zoneAwayFromUtc = (instant: Date): string =>
  instant.getUTCHours() >= 10 ? 'Pacific/Kiritimati' : 'Pacific/Pago_Pago'
const otherZone = (zone: string): string =>
  zone === 'Pacific/Kiritimati' ? 'Pacific/Pago_Pago' : 'Pacific/Kiritimati'
const dayIn = (instant: Date, timeZone: string): string =>
  new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone }).format(instant)

/** Holds the page's `account.profile` answers (every other answer passes) until the returned function is called. */
async function holdProfileAnswers(page: Page): Promise<() => void> {
  let release: () => void = () => undefined
  const released = new Promise<void>((resolve) => (release = resolve))
  await page.routeWebSocket(/\/ipc/, (ws) => {
    const server = ws.connectToServer()
    const channels = new Map<number, string>()
    ws.onMessage((message) => {
      const frame = JSON.parse(String(message)) as { id?: number; channel?: string }
      if (frame.id !== undefined && frame.channel) channels.set(frame.id, frame.channel)
      server.send(message)
    })
    server.onMessage((message) => {
      const frame = JSON.parse(String(message)) as { kind?: string; id?: number }
      const channel = frame.kind === 'result' && frame.id !== undefined ? channels.get(frame.id) : undefined
      if (channel === 'account.profile') void released.then(() => ws.send(message)).catch(() => undefined)
      else ws.send(message)
    })
  })
  return release
}

test('the paid-through day is the account zone’s even when the profile answers last', async ({ page }) => {
  await signedInTrialLine()
  const lineId = value<{ lines: { id: string }[] }>(await callMain('account.lines')).lines[0]?.id
  const sub = value<{ coverage: { paidThrough: string | null } }>(
    await callMain('billing.subscription', { lineId })
  )
  const through = sub.coverage.paidThrough
  expect(through, JSON.stringify(sub)).toBeTruthy()
  const instant = new Date(through ?? '')
  const zone = zoneAwayFromUtc(instant)
  expect(dayIn(instant, zone)).not.toBe(dayIn(instant, 'UTC'))
  const before = value<{ timeZone: string }>(await callMain('account.profile')).timeZone
  value(await callMain('account.updateTimeZone', { timeZone: zone }))

  try {
    const release = await holdProfileAnswers(page)
    await page.goto(`/?token=${E2E.token}#/account`)
    await page.getByTestId('dashboard').waitFor({ timeout: 20_000 })
    const coverage = page.getByTestId('renewal-coverage')
    // Time for every other answer (a line's subscription answers in milliseconds): no date is drawn in UTC's day
    // meanwhile, the parts wait for the zone.
    await page.waitForTimeout(3000)
    await expect(coverage).toHaveCount(0)
    release()
    await expect(coverage).toContainText(dayIn(instant, zone), { timeout: 20_000 })
  } finally {
    value(await callMain('account.updateTimeZone', { timeZone: before }))
  }
})

test('support requests wait for the account’s zone as it is now, not the one the Account page put in place before signing out', async ({
  page
}) => {
  await signedInTrialLine()
  const asked = value<{ request: { createdAt: string } }>(
    await callMain('help.create', { topic: 'line', text: 'Which day is it where I am?' })
  )
  const instant = new Date(asked.request.createdAt)
  // The zone at the end differs from UTC's day and from the zone the Account page puts in place first.
  const zone = zoneAwayFromUtc(instant)
  const former = otherZone(zone)
  expect(dayIn(instant, zone)).not.toBe(dayIn(instant, 'UTC'))
  expect(dayIn(instant, zone)).not.toBe(dayIn(instant, former))
  const before = value<{ timeZone: string }>(await callMain('account.profile')).timeZone
  value(await callMain('account.updateTimeZone', { timeZone: former }))

  try {
    await page.goto(`/?token=${E2E.token}#/account`)
    await expect(page.getByTestId('renewal-coverage')).toBeVisible({ timeout: 20_000 })
    await page.getByTestId('signout').click()
    await page.getByTestId('signin').waitFor()
    const { email, password } = TRIAL_ACCOUNT
    value(await callMain('account.signIn', { identifier: email, password }))
    await page.getByTestId('dashboard').waitFor({ timeout: 20_000 })
    value(await callMain('account.updateTimeZone', { timeZone: zone }))

    const release = await holdProfileAnswers(page)
    await page.goto(`/?token=${E2E.token}#/help`)
    await page.getByTestId('help-form').waitFor({ timeout: 20_000 })
    const request = page.getByTestId('help-request')
    await page.waitForTimeout(3000)
    await expect(request).toHaveCount(0)
    release()
    await expect(request.first()).toContainText(shownText(`Opened ${dayIn(instant, zone)}`), {
      timeout: 20_000
    })
  } finally {
    value(await callMain('account.updateTimeZone', { timeZone: before }))
  }
})
