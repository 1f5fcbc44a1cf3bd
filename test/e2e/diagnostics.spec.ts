/**
 * A technician's visit: the Diagnostics page checks the ports, shows the verdict first and the USB tree with the
 * dongle's path, lists plug and unplug events live, and exports the report. With the virtual dongle on, its
 * USB facts come from the sysfs tree the real kernel showed for the TigerJet profile in the rig. Everything on the
 * page is in the person's language (the tree, a device's failure in the log), the system's own text folded away,
 * and a report "for the ticket" leads to Help, where the support form sends it.
 */
import { readFileSync } from 'node:fs'
import { expect, test, type Page } from '@playwright/test'
import { callMain } from './bridge'
import { E2E } from './env'
import { screenshot } from './screenshot'
import { shownText } from './shown-text'
import { startFromDefaultSettings } from './fresh-state'

startFromDefaultSettings()

test('with no dongle, the check says so (not "healthy") and to plug one in', async ({ page }) => {
  await page.goto(`/?token=${E2E.token}#/diagnostics`)
  await page.getByTestId('diag-check').click()
  await expect(page.getByTestId('diag-health')).toHaveText('Problems found')
  await expect(page.getByTestId('verdict-NOT_FOUND')).toContainText('No dongle is plugged in')
})

test('the virtual dongle: verdict, USB tree with need vs budget, live log, and the exported report', async ({
  page
}) => {
  await page.goto(`/?token=${E2E.token}#/diagnostics`)
  expect((await callMain('app.settings.set', { virtualDongle: true })).ok).toBe(true)
  await expect(page.getByTestId('diag-events')).toContainText('plugged in virtual')

  await page.getByTestId('diag-check').click()
  const verdict = page.getByTestId('verdict-POWER_AT_LIMIT')
  await expect(verdict).toContainText('The port gives the dongle all it needs, with nothing to spare')
  await expect(verdict).toContainText('Fix:')
  await expect(page.getByTestId('tree-usb1')).toContainText(shownText('Root hub usb1 (USB 2.00)'))
  await expect(page.getByTestId('tree-virtual')).toContainText(shownText('needs 500 mA · port gives 500 mA'))
  await screenshot(page, `${E2E.screenshots}/diagnostics-en.png`)

  const download = page.waitForEvent('download')
  await page.getByTestId('diag-export-html').click()
  const file = await download
  expect(file.suggestedFilename()).toMatch(/^dialtone-usb-.*\.html$/)
  const html = readFileSync((await file.path()) as string, 'utf8')
  expect(html).toContain('<h1>Dialtone USB diagnostics</h1>')
  expect(html).toContain('magicJack USB phone line (virtual)')
  expect(html).not.toContain('>VIRTUAL<') // the serial is masked by default

  const json = page.waitForEvent('download')
  await page.getByTestId('diag-export-json').click()
  const report = JSON.parse(readFileSync((await (await json).path()) as string, 'utf8')) as {
    schema: string
    health: string
  }
  expect(report).toMatchObject({ schema: 'dialtone.diagnostics/1', health: 'healthy' })

  expect((await callMain('app.settings.set', { virtualDongle: false })).ok).toBe(true)
  await expect(page.getByTestId('diag-events')).toContainText('unplugged virtual')
})

test('the Device page shows the compact power check', async ({ page }) => {
  expect((await callMain('app.settings.set', { virtualDongle: true })).ok).toBe(true)
  await page.goto(`/?token=${E2E.token}`)
  await expect(page.getByTestId('power-verdict')).toContainText(
    'Power check: The port gives the dongle all it needs'
  )
})

/** Changes the answer to `channel` on the page's socket with `change`, passing everything else through. */
async function amend(
  page: Page,
  channel: string,
  change: (value: Record<string, unknown>) => void
): Promise<void> {
  await page.routeWebSocket(/\/ipc/, (ws) => {
    const server = ws.connectToServer()
    const asked = new Set<number>()
    ws.onMessage((message) => {
      const frame = JSON.parse(String(message)) as { id?: number; channel?: string }
      if (frame.channel === channel && frame.id !== undefined) asked.add(frame.id)
      server.send(message)
    })
    server.onMessage((message) => {
      const frame = JSON.parse(String(message)) as {
        kind: string
        id?: number
        result?: { ok: boolean; value?: Record<string, unknown> }
      }
      if (frame.kind !== 'result' || !asked.has(frame.id ?? -1) || !frame.result?.value)
        return ws.send(message)
      change(frame.result.value)
      ws.send(JSON.stringify(frame))
    })
  })
}

test('the USB tree reads in the person’s language, not the printable report’s English', async ({ page }) => {
  expect((await callMain('app.settings.set', { virtualDongle: true, language: 'fa' })).ok).toBe(true)
  await page.goto(`/?token=${E2E.token}#/diagnostics`)
  await page.getByTestId('diag-check').click()
  const root = page.getByTestId('tree-usb1')
  await expect(root).toContainText(shownText('هاب ریشهٔ usb1 (\u200eUSB 2.00\u200e)'))
  const tree = page.getByTestId('usb-tree')
  for (const english of ['Root hub', 'self-powered', 'bus-powered'])
    await expect(tree).not.toContainText(english)
  await expect(root.locator(':scope > .tree-power')).toHaveText('دارای منبع تغذیهٔ خود')
  await expect(page.getByTestId('tree-virtual').locator(':scope > .tree-power')).toHaveText(
    shownText('۵۰۰ میلی‌آمپر اعلام می‌کند', true)
  )
  await screenshot(page, `${E2E.screenshots}/diagnostics-fa.png`)
})

test('a dongle that failed, in the plug and unplug log: why in words, the system’s text folded', async ({
  page
}) => {
  const raw = 'OPEN_FAILED: Error: cannot open device with path /dev/hidraw3'
  await amend(page, 'diagnostics.events', (value) => {
    value.events = [
      { time: new Date().toISOString(), kind: 'attach', deviceId: '1-4', detail: null },
      { time: new Date().toISOString(), kind: 'error', deviceId: '1-4', problem: 'OPEN_FAILED', detail: raw }
    ]
  })
  await page.goto(`/?token=${E2E.token}#/diagnostics`)
  const failed = page.getByTestId('diag-event-error')
  await expect(failed.getByTestId('diag-event-problem')).toContainText('The device could not be opened')
  await expect(failed.getByTestId('diag-event-detail')).toBeHidden()
  expect(await failed.innerText()).not.toContain('cannot open device')
  await failed.locator('summary').click()
  await expect(failed.getByTestId('diag-event-detail')).toHaveText(raw)

  expect((await callMain('app.settings.set', { language: 'fa' })).ok).toBe(true)
  await expect(failed.getByTestId('diag-event-problem')).toContainText('دستگاه باز نشد')
})

test('a verdict that asks for the report leads to Help; signed out, the report goes to support by email', async ({
  page
}) => {
  // Signed out, Help has support's address but no form to attach the report to: the link says to email it.
  await callMain('account.signOut')
  await amend(page, 'diagnostics.inspect', (value) => {
    ;(value.verdicts as unknown[]).unshift({
      code: 'NOT_INSPECTED',
      severity: 'problem',
      deviceId: null,
      title: 'Could not inspect the USB ports',
      cause: 'access denied',
      fix: 'attach the report to the ticket',
      evidence: ['EACCES: /sys/bus/usb/devices']
    })
  })
  await page.goto(`/?token=${E2E.token}#/diagnostics`)
  await page.getByTestId('diag-check').click()
  const verdict = page.getByTestId('verdict-NOT_INSPECTED')
  await expect(verdict).toContainText('attach the report to the ticket')
  await expect(page.getByTestId('diag-to-help')).toHaveText(
    'Export the report above, then email the file to support (their address is on Help)'
  )
  const toHelp = verdict.getByTestId('verdict-to-help')
  await expect(toHelp).toHaveText('Contact support')
  await toHelp.click()
  await expect(page).toHaveURL(/#\/help$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Help')
  await expect(page.getByTestId('help-contact-email')).toBeVisible()
})
