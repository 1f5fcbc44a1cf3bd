/**
 * The account's dates drawn in the account's time zone whichever answer comes first. A line's subscription often
 * answers before the account's profile (which carries the zone); the paid-through day was then drawn in UTC (the
 * app's zone until a profile says otherwise) and stayed so (a journey on a loaded machine showed "Jan 3" for an
 * account in Los Angeles whose day was Jan 2). Here the profile's answers are held back while every other call is
 * answered, in a zone chosen so that the account's day and UTC's differ for the line's paid-through instant: no
 * day is drawn meanwhile, and the account zone's once the profile comes. Then, in one page (no reload, which would
 * start the app's zone afresh): the zone an Account page put in place goes when it goes, on signing out and on
 * moving to Help (whose support requests are dated too), so what is drawn next waits for the profile of the
 * account as it is now instead of using the zone from before.
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
/** The other of the two: 25 hours apart, so the two never share a day. */
const otherZone = (zone: string): string =>
  zone === 'Pacific/Kiritimati' ? 'Pacific/Pago_Pago' : 'Pacific/Kiritimati'
const dayIn = (instant: Date, timeZone: string): string =>
  new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone }).format(instant)

interface ProfileGate {
  /** From now on the page's `account.profile` answers wait (every other answer passes). */
  hold(): void
  /** The waiting answers go, and later ones pass again. */
  release(): void
}

async function profileGate(page: Page): Promise<ProfileGate> {
  let held = false
  let waiting: (() => void)[] = []
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
      if (channel === 'account.profile' && held) waiting.push(() => ws.send(message))
      else ws.send(message)
    })
  })
  return {
    hold: () => {
      held = true
    },
    release: () => {
      held = false
      const go = waiting
      waiting = []
      for (const send of go) send()
    }
  }
}

/**
 * Holds the profile, lets `shown` happen, then sees nothing of `dated` drawn for 3 s (time for every other answer:
 * a line's subscription answers in milliseconds), releases the profile and waits for `text` in it.
 */
async function drawnOnlyWithTheZone(
  gate: ProfileGate,
  shown: () => Promise<unknown>,
  dated: ReturnType<Page['getByTestId']>,
  text: string
): Promise<void> {
  gate.hold()
  await shown()
  await dated.page().waitForTimeout(3000)
  await expect(dated).toHaveCount(0)
  gate.release()
  await expect(dated.first()).toContainText(shownText(text), { timeout: 20_000 })
}

/** The line's paid-through instant and the account's zone before the test (restored after it). */
async function trialLineDates(): Promise<{ through: Date; before: string }> {
  await signedInTrialLine()
  const lineId = value<{ lines: { id: string }[] }>(await callMain('account.lines')).lines[0]?.id
  const sub = value<{ coverage: { paidThrough: string | null } }>(
    await callMain('billing.subscription', { lineId })
  )
  expect(sub.coverage.paidThrough, JSON.stringify(sub)).toBeTruthy()
  const before = value<{ timeZone: string }>(await callMain('account.profile')).timeZone
  return { through: new Date(sub.coverage.paidThrough ?? ''), before }
}

const setZone = async (timeZone: string): Promise<void> =>
  void value(await callMain('account.updateTimeZone', { timeZone }))

test('the paid-through day is the account zone’s even when the profile answers last', async ({ page }) => {
  const { through, before } = await trialLineDates()
  const zone = zoneAwayFromUtc(through)
  expect(dayIn(through, zone)).not.toBe(dayIn(through, 'UTC'))
  await setZone(zone)
  try {
    const gate = await profileGate(page)
    await drawnOnlyWithTheZone(
      gate,
      async () => {
        await page.goto(`/?token=${E2E.token}#/account`)
        await page.getByTestId('dashboard').waitFor({ timeout: 20_000 })
      },
      page.getByTestId('renewal-coverage'),
      dayIn(through, zone)
    )
  } finally {
    await setZone(before)
  }
})

test('signed out and in, and on Help, dates wait for the account’s zone as it is now, not the one before', async ({
  page
}) => {
  const { through, before } = await trialLineDates()
  const asked = value<{ request: { createdAt: string } }>(
    await callMain('help.create', { topic: 'line', text: 'Which day is it where I am?' })
  )
  const opened = new Date(asked.request.createdAt)
  const first = 'Pacific/Kiritimati'
  const second = otherZone(first)
  await setZone(first)
  try {
    const gate = await profileGate(page)
    await page.goto(`/?token=${E2E.token}#/account`)
    const coverage = page.getByTestId('renewal-coverage')
    await expect(coverage).toContainText(shownText(dayIn(through, first)), { timeout: 20_000 })

    // The account's zone changes elsewhere; this page still has the first in place until it reads the profile.
    await setZone(second)
    await page.getByTestId('signout').click()
    await page.getByTestId('signin').waitFor()
    const { email, password } = TRIAL_ACCOUNT
    await drawnOnlyWithTheZone(
      gate,
      async () => {
        value(await callMain('account.signIn', { identifier: email, password }))
        await page.getByTestId('dashboard').waitFor({ timeout: 20_000 })
      },
      coverage,
      dayIn(through, second)
    )

    // And again, moving to Help within the page: its requests wait for the profile too.
    await setZone(first)
    await drawnOnlyWithTheZone(
      gate,
      async () => {
        await page.evaluate(() => {
          window.location.hash = '#/help'
        })
        await page.getByTestId('help-form').waitFor({ timeout: 20_000 })
      },
      page.getByTestId('help-request'),
      `Opened ${dayIn(opened, first)}`
    )
  } finally {
    await setZone(before)
  }
})
