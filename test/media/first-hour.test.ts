/**
 * The first hour, as a newcomer lives it: from a fresh data folder, `npm start` is the only command (the account
 * service, Kamailio, the update server with its signed dev release and the web host, all started by
 * scripts/start.mjs); the printed address opened in Chromium; the virtual dongle turned on in Settings with a
 * click; the setup wizard through the trial form, the code read from the service's dev mailbox, the 911 address,
 * to a registered line; the handset lifted and the dial tone heard by the MediaEngine. Every screen on the way is
 * screenshotted in English and Persian and audited with axe. Ctrl-C then stops everything `npm start` started.
 * Runs in the media suite's loopback-only namespace, so the default ports are free.
 */
import { mkdtempSync } from 'node:fs'
import { networkInterfaces, tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { Envelope } from '../../src/shared/ipc/errors'
import { audit, launchBrowser, screenshot } from '../support/browser'
import { assertIsolatedNetwork, until } from '../support/phone-app'
import { assertBuilt, type Launched, launch, processTree, stillRunning } from '../support/start-stack'
import { tcpPortFree, udpPortFree } from '../../src/server/port-check'

const SERVICE = 'http://127.0.0.1:4780'
let browser: Browser
let start: Launched | null = null
let page: Page | null = null

/** Calls the contract over the web host's socket, as a second window of the app would. */
function bridge<T>(appUrl: string, channel: string, payload?: unknown): Promise<T> {
  const url = new URL(appUrl)
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://${url.host}/ipc?token=${url.searchParams.get('token') ?? ''}`, {
      headers: { Origin: url.origin }
    })
    ws.once('error', reject)
    ws.once('open', () => ws.send(JSON.stringify({ kind: 'call', id: 1, channel, payload })))
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as { kind: string; result?: Envelope<T> }
      if (frame.kind !== 'result' || !frame.result) return
      ws.close()
      if (frame.result.ok) resolve(frame.result.value)
      else reject(new Error(`${channel}: ${JSON.stringify(frame.result.error)}`))
    })
  })
}

/** Screenshots and axe in English and in Persian, then back to English. */
async function inBothLanguages(appUrl: string, p: Page, name: string, ready: string): Promise<void> {
  for (const language of ['en', 'fa'] as const) {
    await bridge(appUrl, 'app.settings.set', { language })
    await p.locator(`html[lang="${language}"]`).waitFor()
    await p.getByTestId(ready).first().waitFor()
    await screenshot(p, `first-hour-${name}-${language}`)
    expect(await audit(p), `${name} (${language})`).toEqual([])
  }
  await bridge(appUrl, 'app.settings.set', { language: 'en' })
  await p.locator('html[lang="en"]').waitFor()
}

/** The newest activation code to an address, read off the dev mailbox page as a person would read it. */
async function codeFromMailbox(to: string): Promise<string> {
  const mailbox = await browser.newPage()
  try {
    let code: string | undefined
    await until(
      async () => {
        await mailbox.goto(`${SERVICE}/dev/mailbox`)
        const letter = mailbox.locator('article').filter({ hasText: to }).first()
        code = /\b(\d{6})\b/.exec((await letter.textContent({ timeout: 2000 }).catch(() => '')) ?? '')?.[1]
        return code
      },
      (c) => c !== undefined,
      15_000
    )
    await screenshot(mailbox, 'first-hour-dev-mailbox-en')
    return code ?? ''
  } finally {
    await mailbox.close()
  }
}

beforeAll(async () => {
  assertIsolatedNetwork(Object.keys(networkInterfaces()))
  assertBuilt()
  browser = await launchBrowser()
}, 60_000)

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail' && page)
    await screenshot(page, 'failed-first-hour').catch(() => undefined)
})

afterAll(async () => {
  if (start && start.proc.exitCode === null) {
    start.proc.kill('SIGINT')
    await start.exit().catch(() => start?.killAll())
  }
  await browser?.close()
})

describe('the first hour: npm start, the virtual dongle, a trial, a dial tone', () => {
  it(
    'goes from a fresh data folder to a dial tone with npm start as the only command, and Ctrl-C stops it all',
    { timeout: 120_000 },
    async () => {
      const fresh = mkdtempSync(join(tmpdir(), 'dialtone-first-hour-'))
      start = launch('start', {
        DIALTONE_DATA_DIR: join(fresh, 'app'),
        DIALTONE_SERVICE_DATA_DIR: join(fresh, 'service')
      })
      const [appUrl] = await start.waitFor(/http:\/\/127\.0\.0\.1:4781\/\?token=[\w-]+/, 60_000)
      await start.waitFor(/Ctrl-C stops everything/)
      const started = processTree(start.proc.pid ?? 0)

      const p = await (await browser.newContext({ bypassCSP: true })).newPage()
      page = p
      await p.goto(appUrl)
      // No dongle yet: the person turns on the virtual one in Settings.
      await p.getByTestId('nav-settings').click()
      await p.getByTestId('settings-virtual').click()
      await expect.poll(() => p.getByTestId('settings-virtual').isChecked()).toBe(true)
      await inBothLanguages(appUrl, p, 'settings', 'settings-virtual')
      await p.getByTestId('nav-device').click()

      // The device steps run by themselves, the update step against the stack's signed dev release.
      await p.locator('[data-testid="setup-waiting"][data-step="activate"]').waitFor({ timeout: 30_000 })
      for (const step of ['detect', 'power', 'update', 'initialise'])
        expect(await p.getByTestId(`setup-step-${step}`).getAttribute('data-state'), step).toBe('done')
      await inBothLanguages(appUrl, p, 'setup-activate', 'trial-form')

      const email = `first-hour-${Date.now().toString(36)}@example.test`
      const fields: Record<string, string> = {
        'contact-name': 'Katherine Johnson',
        'contact-email': email,
        'contact-password': 'correct horse battery',
        'contact-street': '12 Washington St',
        'contact-city': 'Hoboken',
        'contact-region': 'NJ',
        'contact-postalCode': '07030',
        'contact-country': 'US',
        'contact-areaCode': '201'
      }
      for (const [testId, value] of Object.entries(fields)) await p.getByTestId(testId).fill(value)
      await p.getByTestId('contact-terms').check()
      await p.getByTestId('contact-e911').check()
      await p.getByTestId('trial-start').click()

      // The code the service emailed, from its dev mailbox.
      await p.getByTestId('trial-code-form').waitFor({ timeout: 15_000 })
      await inBothLanguages(appUrl, p, 'setup-code', 'trial-code-form')
      await p.getByTestId('trial-code').fill(await codeFromMailbox(email))
      await p.getByTestId('trial-activate').click()

      // The 911 address, prefilled from the billing address.
      await p.getByTestId('e911-form').waitFor({ timeout: 15_000 })
      expect(await p.getByTestId('e911-street').inputValue()).toBe('12 Washington St')
      await inBothLanguages(appUrl, p, 'setup-e911', 'e911-form')
      await p.getByTestId('e911-save').click()

      // Registered with the stack's Kamailio.
      await p.getByTestId('setup-done').waitFor({ timeout: 30_000 })
      await until(
        () => bridge<{ state: string }>(appUrl, 'phone.status'),
        (s) => s.state === 'registered',
        15_000
      )
      await inBothLanguages(appUrl, p, 'setup-done', 'setup-done')

      // Lift the virtual handset: the MediaEngine in this page plays the dial tone.
      await p.getByTestId('virtual-handset').click()
      await until(
        () => bridge<{ report: { tone: string | null } | null }>(appUrl, 'media.status'),
        (m) => m.report?.tone === 'dial'
      )
      await inBothLanguages(appUrl, p, 'dial-tone', 'virtual-phone')
      await p.getByTestId('virtual-handset').click()
      await p.close()
      page = null

      // Ctrl-C: everything npm start started is gone, and its ports are free again.
      start.proc.kill('SIGINT')
      expect(await start.exit()).toBe(0)
      expect(stillRunning(started).map((s) => `${s.pid} ${s.cmd}`)).toEqual([])
      for (const port of [4780, 4781, 4783, 5066]) expect(await tcpPortFree(port), `tcp ${port}`).toBe(true)
      expect(await udpPortFree(5060), 'udp 5060').toBe(true)
    }
  )
})
