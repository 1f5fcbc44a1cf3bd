/**
 * Right to left, as a Persian reader sees it: every page of a signed-in app with a working line (its number, an
 * answered and a missed call in the history, a blocked number, a topped-up balance, a second line, the virtual
 * dongle and its diagnostics; the Account page's billing, profile and security tabs with the saved card, the
 * statement, the contact phone and the sessions' network addresses) is opened in Persian, and every number on screen must read left to right with its
 * "+" in front — judged by where Chromium actually draws each character (test/support/bidi-check.ts), not by the
 * markup. The check is shown to catch a number that is not isolated, so an empty result means something.
 */
import { randomUUID } from 'node:crypto'
import { networkInterfaces } from 'node:os'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call } from '../../src/main/ipc/dispatcher'
import type { WebHost } from '../../src/main/web/server'
import { ACCOUNT_SECTIONS, PAGES } from '../../src/shared/ipc/app'
import { CARDS } from '../support/billing-flows'
import { misorderedNumbers } from '../support/bidi-check'
import { appUrl, closeSides, hostPage, launchBrowser, screenshot } from '../support/browser'
import { assertIsolatedNetwork, phaseOf, phoneApp, type PhoneApp, until } from '../support/phone-app'
import { addRetailLine } from '../support/service-flows'
import { type SipStack, startSipStack } from '../support/sip-stack'
import { formatPhoneNumber } from '../../src/shared/numbers/phone-format'

let stack: SipStack
let browser: Browser
const opened: { app: PhoneApp; host: WebHost; page: Page }[] = []

async function open(app: PhoneApp): Promise<{ host: WebHost; page: Page }> {
  const side = await hostPage(browser, app.t)
  opened.push({ app, ...side })
  await side.page.goto(appUrl(side.host, '#/phone'))
  await until(
    () => call(app.t.app.dispatch, 'media.status', undefined),
    (m) => m.engineId !== null
  )
  return side
}

/** Every page, and the Account page's other tabs, as addresses after '#/'. */
const PLACES = [
  ...PAGES,
  ...ACCOUNT_SECTIONS.filter((x) => x !== 'overview').map((x) => `account/${x}` as const)
] as const

/** What must be on each page before it is read, so the check never passes on a page still loading. */
const READY: Record<(typeof PLACES)[number], string[]> = {
  device: ['virtual-handset'],
  phone: ['phone-number', 'call-history', 'blocked-row'],
  account: ['dashboard', 'balance-amount'],
  'account/billing': ['card-row', 'statement'],
  // An individual account has no business part: the tab is not offered (account-business.test.ts walks it).
  'account/business': ['dashboard'],
  'account/profile': ['contact-view'],
  'account/security': ['session-row'],
  diagnostics: ['diag-report'],
  help: ['help-form', 'help-requests', 'shop-finder'],
  settings: ['page-settings']
}

beforeAll(async () => {
  assertIsolatedNetwork(Object.keys(networkInterfaces()))
  stack = await startSipStack()
  browser = await launchBrowser()
}, 60_000)

afterAll(async () => {
  await closeSides(
    opened,
    opened.map((s) => s.app.t.app),
    'rtl'
  )
  await browser?.close()
  await stack?.close()
})

describe('every page in Persian shows its numbers in reading order', () => {
  it(
    'reads the number, the calls, the balance and the lines of a working account left to right',
    { timeout: 120_000 },
    async () => {
      const owner = await phoneApp(stack, true)
      const caller = await phoneApp(stack)
      const { page, host } = await open(owner)
      await open(caller)
      const d = owner.t.app.dispatch

      // An answered call, then a missed one: both in the owner's history with the caller's number.
      await call(caller.t.app.dispatch, 'phone.dial', { number: owner.number })
      await phaseOf(owner.t, 'ringing')
      await call(d, 'phone.answer', undefined)
      await phaseOf(caller.t, 'connected')
      await call(d, 'phone.hangup', undefined)
      await phaseOf(owner.t, 'idle')
      await phaseOf(caller.t, 'reorder')
      await call(caller.t.app.dispatch, 'phone.hangup', undefined)
      await phaseOf(caller.t, 'idle')
      await call(caller.t.app.dispatch, 'phone.dial', { number: owner.number })
      await phaseOf(owner.t, 'ringing')
      await call(caller.t.app.dispatch, 'phone.hangup', undefined)
      await phaseOf(owner.t, 'idle')
      await until(
        () => call(d, 'phone.history', undefined),
        (h) => h.calls.length >= 2
      )

      // A blocked number, money on the balance, and a second line (so the lines overview shows numbers).
      await call(d, 'billing.block', { number: '+1 (201) 555-0199', label: 'Robocaller' })
      await call(d, 'billing.topUp', {
        idempotencyKey: randomUUID(),
        amountMinor: 1250,
        payment: { card: CARDS.ok, save: true }
      })
      await addRetailLine(stack.svc, owner.line.token)

      await call(d, 'app.settings.set', { language: 'fa' })
      let numbersRead = 0
      for (const name of PLACES) {
        await page.goto(appUrl(host, `#/${name}`))
        await page.locator('html[lang="fa"]').waitFor()
        await page.getByTestId(`page-${name.split('/')[0] ?? name}`).waitFor()
        if (name === 'diagnostics') await page.getByTestId('diag-check').click()
        for (const id of READY[name]) await page.getByTestId(id).first().waitFor({ timeout: 15_000 })
        await screenshot(page, `rtl-${name.replace('/', '-')}-fa`)
        expect(await misorderedNumbers(page), `${name} (fa)`).toEqual([])
        numbersRead += await page.evaluate<number>(
          `(document.body.innerText.match(/[+]?\\p{Nd}{3,}/gu) ?? []).length`
        )
      }
      // The pages had numbers to read: the line's own, the caller's, the blocked one, amounts.
      expect(numbersRead).toBeGreaterThan(10)
      await page.goto(appUrl(host, '#/phone'))
      await page.getByTestId('call-history').waitFor()
      for (const n of [owner.number, caller.number, '+12015550199'])
        await expect.poll(() => page.getByTestId('page-phone').textContent()).toContain(formatPhoneNumber(n))
      await call(d, 'app.settings.set', { language: 'en' })
    }
  )

  it('catches a number that is not isolated (so the check above can fail)', async () => {
    const { page } = opened[0] ?? { page: undefined }
    if (!page) throw new Error('the first test opened no page')
    await page.evaluate(`(() => {
      const p = document.createElement('p')
      p.dataset.testid = 'planted'
      p.textContent = 'شمارهٔ شما: +1 212 555 0100'
      document.getElementById('content').prepend(p)
      document.documentElement.dir = 'rtl'
    })()`)
    const findings = await misorderedNumbers(page)
    const planted = findings.find((f) => f.where === 'planted')
    expect(planted?.text).toBe('+1 212 555 0100')
    expect(planted?.shown).not.toBe('+12125550100')
  })
})
