/**
 * The account's dates drawn in the account's time zone whichever answer comes first. A line's subscription often
 * answers before the account's profile (which carries the zone); the paid-through day was then drawn in UTC (the
 * app's zone until a profile says otherwise) and stayed so (a journey on a loaded machine showed "Jan 3" for an
 * account in Los Angeles whose day was Jan 2). Here the profile's answers are held back while every other call is
 * answered, in a zone chosen so that the account's day and UTC's differ for the line's paid-through instant: no
 * day is drawn meanwhile, and the account zone's once the profile comes.
 */
import { expect, test } from '@playwright/test'
import { callMain } from './bridge'
import { E2E } from './env'
import { leaveSignedOut, startFromDefaultSettings } from './fresh-state'
import { signedInTrialLine } from './trial-line'

startFromDefaultSettings()
leaveSignedOut()

const value = <T>(e: unknown): T => {
  const envelope = e as { ok: boolean; value?: T }
  expect(envelope.ok, JSON.stringify(e)).toBe(true)
  return envelope.value as T
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
  // UTC+14 is the next day from 10:00 UTC on; UTC-11 the day before until 11:00 UTC: one of them always differs.
  const zone = instant.getUTCHours() >= 10 ? 'Pacific/Kiritimati' : 'Pacific/Pago_Pago'
  const day = (timeZone: string) =>
    new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone }).format(instant)
  expect(day(zone)).not.toBe(day('UTC'))
  const before = value<{ timeZone: string }>(await callMain('account.profile')).timeZone
  value(await callMain('account.updateTimeZone', { timeZone: zone }))

  try {
    // The profile's answers wait until the rest of the page's calls have been answered.
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
    await page.goto(`/?token=${E2E.token}#/account`)
    await page.getByTestId('dashboard').waitFor({ timeout: 20_000 })
    const coverage = page.getByTestId('renewal-coverage')
    // Time for every other answer (a line's subscription answers in milliseconds): no date is drawn in UTC's day
    // meanwhile, the parts wait for the zone.
    await page.waitForTimeout(3000)
    await expect(coverage).toHaveCount(0)
    release()
    await expect(coverage).toContainText(day(zone), { timeout: 20_000 })
  } finally {
    value(await callMain('account.updateTimeZone', { timeZone: before }))
  }
})
