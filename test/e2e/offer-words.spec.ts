/**
 * What the service names in English stays off the screen: an ordered device upgrade is named in the person's
 * language by its offer's id (catalog.offer.<id>.name), as the offer's heading and the orders are, never by the
 * order's `name`, the service's English product name. In French, in Chromium, on the run's trial line: the line is
 * too new for the offer, so the offer's answer says it may take it, and the order's answer is main's as the
 * service gives it (English name and all); the card is never charged.
 */
import { expect, test } from '@playwright/test'
import { callMain } from './bridge'
import { E2E } from './env'
import { leaveSignedOut, startFromDefaultSettings } from './fresh-state'
import { signedInTrialLine } from './trial-line'

startFromDefaultSettings()

leaveSignedOut()

test('an ordered upgrade is named in the person’s language, not in the service’s English', async ({
  page
}) => {
  await signedInTrialLine()
  const offersNow = (await callMain('billing.upgradeOffers')) as {
    ok: boolean
    value: { offers: { id: string; name: string; lines: { lineId: string }[] }[] }
  }
  expect(offersNow.ok, JSON.stringify(offersNow)).toBe(true)
  const offer = offersNow.value.offers[0]
  const lineId = offer?.lines[0]?.lineId ?? ''
  expect(offer?.name).toBe('Dialtone USB-C dongle')

  await page.routeWebSocket(/\/ipc/, (ws) => {
    const server = ws.connectToServer()
    const offers = new Set<number>()
    ws.onMessage((message) => {
      const frame = JSON.parse(String(message)) as { id?: number; channel?: string }
      if (frame.channel === 'billing.upgradeOffers' && frame.id !== undefined) offers.add(frame.id)
      if (frame.channel !== 'billing.orderUpgrade') return server.send(message)
      // The order as the service answers it: its product name in English.
      const value = {
        id: 'dor_e2e00000000000000000',
        offerId: offer?.id,
        lineId,
        name: offer?.name,
        amountMinor: 1995,
        currency: 'USD',
        shipTo: { street: '1 Main St', city: 'Hoboken', region: 'NJ', postalCode: '07030', country: 'US' },
        status: 'paid',
        createdAt: new Date().toISOString()
      }
      ws.send(JSON.stringify({ kind: 'result', id: frame.id, result: { ok: true, value } }))
    })
    server.onMessage((message) => {
      const frame = JSON.parse(String(message)) as {
        kind: string
        id?: number
        result?: { ok: boolean; value?: { offers: { lines: Record<string, unknown>[] }[] } }
      }
      if (frame.kind !== 'result' || !offers.has(frame.id ?? -1) || !frame.result?.value)
        return ws.send(message)
      for (const o of frame.result.value.offers)
        o.lines = o.lines.map((l) => ({ ...l, eligible: true, why: null, reason: null, availableFrom: null }))
      ws.send(JSON.stringify(frame))
    })
  })
  expect((await callMain('app.settings.set', { language: 'fr' })).ok).toBe(true)
  await page.goto(`/?token=${E2E.token}#/account/overview`)
  await page.locator('html[lang="fr"]').waitFor({ timeout: 20_000 })
  const item = page.getByTestId(`offer-${offer?.id ?? ''}`)
  await expect(item.getByRole('heading', { level: 3 })).toHaveText('Boîtier Dialtone USB-C', {
    timeout: 20_000
  })
  await item.getByTestId(`offer-choose-${lineId}`).click()
  await item.getByTestId('offer-submit').click()
  const done = item.getByTestId('offer-done')
  await expect(done).toContainText('Boîtier Dialtone USB-C')
  await expect(done).toContainText('Hoboken')
  await expect(done).not.toContainText('Dialtone USB-C dongle')
})
