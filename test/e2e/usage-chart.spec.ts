/**
 * The account's usage chart as a newcomer sees it, in Chromium, on a trial line of the run's own service that has
 * made no call: words saying that nothing was spent in the period shown (30 days, or 12 months) and what will
 * appear, instead of an empty frame; in French too. And when the figures cannot be had, the reason, a retry and
 * the way to Help, the retry bringing the chart's answer back. A period with spending still draws its bars.
 */
import { expect, test } from '@playwright/test'
import { callMain } from './bridge'
import { E2E } from './env'
import { screenshot } from './screenshot'
import { signedInTrialLine } from './trial-line'
import { startFromDefaultSettings, leaveSignedOut } from './fresh-state'

startFromDefaultSettings()

leaveSignedOut()

test('no usage yet reads as words for the period shown, and a failed load says what to do', async ({
  page
}) => {
  await signedInTrialLine()
  // The page's calls go through this socket; while `failing`, the usage figures are answered as unavailable.
  let answer: 'unavailable' | 'service' | 'spent' = 'unavailable'
  await page.routeWebSocket(/\/ipc/, (ws) => {
    const server = ws.connectToServer()
    ws.onMessage((message) => {
      const frame = JSON.parse(String(message)) as { id?: number; channel?: string }
      if (answer === 'unavailable' && frame.channel === 'billing.usageSeries') {
        const error = { code: 'UNAVAILABLE', message: 'the service is unreachable' }
        ws.send(JSON.stringify({ kind: 'result', id: frame.id, result: { ok: false, error } }))
      } else if (answer === 'spent' && frame.channel === 'billing.usageSeries') {
        const points = [
          { period: '2026-11-30', usageMinor: 0, feesMinor: 0, minutes: 0 },
          { period: '2026-12-01', usageMinor: 120, feesMinor: 500, minutes: 12 }
        ]
        const value = { granularity: 'day', currency: 'USD', points }
        ws.send(JSON.stringify({ kind: 'result', id: frame.id, result: { ok: true, value } }))
      } else server.send(message)
    })
  })
  await page.goto(`/?token=${E2E.token}#/account`)
  const usage = page.getByTestId('usage')

  await expect(usage.getByTestId('usage-error')).toHaveText(
    'This is not available right now. Try again in a moment.',
    { timeout: 20_000 }
  )
  await expect(usage.getByTestId('usage-failed')).toContainText(
    'If trying again does not help, the Help page says how to reach support.'
  )
  await expect(usage.getByRole('link', { name: 'Open Help' })).toHaveAttribute('href', '#/help')
  await expect(usage.locator('svg')).toHaveCount(0)

  answer = 'service'
  await usage.getByTestId('usage-retry').click()
  const empty = usage.getByTestId('usage-empty')
  await expect(empty).toHaveText(
    "No calls and no fees in the last 30 days. Once you make calls, each day's spending appears here as a bar."
  )
  await expect(usage.getByTestId('usage-failed')).toHaveCount(0)
  // Words, not a blank drawing, and no table of zeros.
  await expect(usage.locator('svg')).toHaveCount(0)
  await expect(usage.getByTestId('usage-table')).toHaveCount(0)
  await screenshot(page, `${E2E.screenshots}/usage-empty-en.png`)

  await usage.getByTestId('usage-month').click()
  await expect(empty).toHaveText(
    "No calls and no fees in the last 12 months. Once you make calls, each month's spending appears here as a bar."
  )

  expect((await callMain('app.settings.set', { language: 'fr' })).ok).toBe(true)
  await expect(empty).toHaveText(
    'Aucun appel ni frais au cours des 12 derniers mois. Dès vos premiers appels, les dépenses de chaque mois s’afficheront ici sous forme de barres.'
  )

  // With spending, the bars and their table, not the words.
  expect((await callMain('app.settings.set', { language: 'en' })).ok).toBe(true)
  answer = 'spent'
  await usage.getByTestId('usage-day').click()
  await expect(usage.getByRole('img', { name: 'Spending per period: calls and fees' })).toBeVisible()
  await expect(usage.locator('svg g')).toHaveCount(2)
  await expect(empty).toHaveCount(0)
  await expect(usage.getByTestId('usage-table').locator('tbody tr')).toHaveCount(2)
})
