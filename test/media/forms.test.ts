/**
 * No developer message reaches a person: every form the app shows — signed out (the trial in the setup wizard,
 * sign-in, forgotten password, reset code, phone sign-up, Settings) and signed in (the dialpad, renewal, Re-Up code, plan change, top-up,
 * upgrade offer, line names, number change, 911 address, emails, blocked numbers, Help's support request and shop
 * search) — is submitted empty, with malformed input and with oversized input, in English and in Persian, against
 * the real service. Every text in
 * an error or alert element must be one of the locale's own sentences (placeholders as wildcards); raw text
 * from zod, main or the service fails the test. Forms are found on the page, not listed, so a new form is
 * walked too.
 */
import { networkInterfaces } from 'node:os'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ACCOUNT_SECTIONS } from '../../src/renderer/src/pages'
import { call, type Dispatch } from '../../src/main/ipc/dispatcher'
import type { WebHost } from '../../src/main/web/server'
import { RESOURCES } from '../../src/renderer/src/i18n/resources'
import { appUrl, closeSides, hostPage, launchBrowser, screenshot } from '../support/browser'
import { assertIsolatedNetwork, stackApp } from '../support/phone-app'
import { addRetailLine, trialLine } from '../support/service-flows'
import { type SipStack, startSipStack } from '../support/sip-stack'
import type { TestApp } from '../support/test-app'

type Lang = 'en' | 'fa'
type Tree = { [k: string]: string | Tree }
const strings = (tree: Tree): string[] =>
  Object.values(tree).flatMap((v) => (typeof v === 'string' ? [v] : strings(v)))
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
/** Every sentence of a locale as a whole-text pattern, each {{placeholder}} a wildcard. */
const placeholder = /{{\s*\w+\s*}}/g
const patterns = (lang: Lang): RegExp[] =>
  strings(RESOURCES[lang] as Tree)
    // A string that is nearly all placeholders ("{{plan}}, {{month}}") would match anything: not a sentence.
    .filter((s) => (s.replace(placeholder, '').match(/\p{L}/gu) ?? []).length >= 3)
    .map((s) => {
      const literal = s.trim().split(placeholder).map(escape)
      return new RegExp(`^${literal.join('[^]{1,80}?')}$`, 'u')
    })
const PATTERNS: Record<Lang, RegExp[]> = { en: patterns('en'), fa: patterns('fa') }
/** Whether one of the messages is the locale's sentence at `key` (so codes and values arrived, not a fallback). */
const said = (messages: string[], lang: Lang, key: string): boolean => {
  const sentence = key.split('.').reduce<unknown>((n, k) => (n as Tree)[k], RESOURCES[lang]) as string
  const literal = sentence.trim().split(placeholder).map(escape)
  const p = new RegExp(`^${literal.join('[^]{1,80}?')}$`, 'u')
  return messages.some((m) => p.test(m))
}
/** Raw text this test exists to catch; none of it may pass for a locale sentence. */
const RAW = [
  'bad argument to account.startTrial: acceptances.termsVersion: Too small: expected string to have >=1 characters',
  'Invalid input: expected number, received null',
  'this line cannot take the offer: too soon'
]

const ERRORS = '[role="alert"], .field-error, .banner.error'
const TYPED =
  'input:not([type]), input[type="text"], input[type="email"], input[type="password"], input[type="tel"]'
const INPUTS = ['empty', 'malformed', 'oversized'] as const

let stack: SipStack
let browser: Browser
const opened: { t: TestApp; host: WebHost; page: Page }[] = []

/** Calls from the page that main has not answered yet, per page: a submit has settled when none is left. */
const pending = new WeakMap<Page, () => number>()

async function openApp(virtualDongle: boolean): Promise<{ t: TestApp; page: Page; host: WebHost }> {
  const t = stackApp(stack, virtualDongle)
  let inFlight = 0
  const dispatch: Dispatch = (channel, payload, from) => {
    inFlight++
    return t.app.dispatch(channel, payload, from).finally(() => inFlight--)
  }
  // The page's host dispatches through the counter; the test's own calls go to the app directly.
  const counted = new Proxy(t.app, {
    get: (app, key) => (key === 'dispatch' ? dispatch : Reflect.get(app, key))
  })
  const { host, page } = await hostPage(browser, { ...t, app: counted })
  await page.addInitScript(COUNT_CALLS)
  pending.set(page, () => inFlight)
  opened.push({ t, host, page })
  return { t, page, host }
}

/**
 * Installed in the page before the app loads: counts the contract calls the page has sent over the web host's
 * WebSocket and not yet had answered, and every send or answer (so a quiet moment can be told from a busy one).
 * A string: the page's DOM types are not in this Node project.
 */
const COUNT_CALLS = `(() => {
  const calls = { inFlight: 0, changes: 0 }
  window.__dialtoneCalls = calls
  const kind = (data, k) => { try { return JSON.parse(String(data)).kind === k } catch { return false } }
  const Native = window.WebSocket
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args)
      this.addEventListener('message', (m) => { if (kind(m.data, 'result')) { calls.inFlight--; calls.changes++ } })
      this.addEventListener('close', () => { calls.inFlight = 0; calls.changes++ })
    }
    send(data) {
      if (kind(data, 'call')) { calls.inFlight++; calls.changes++ }
      super.send(data)
    }
  }
})()`

/**
 * In the page: lets three frames pass (each an animation frame and the tasks queued behind it, where React
 * commits what an answer changed), then says how busy it was: calls still in flight, plus one if a call was sent
 * or answered meanwhile. 0 means the page sat quiet with nothing outstanding.
 */
const QUIET = `(async () => {
  const calls = window.__dialtoneCalls
  const before = calls.changes
  const frame = () => new Promise((r) => {
    const t = setTimeout(r, 100)
    requestAnimationFrame(() => setTimeout(() => (clearTimeout(t), r()), 0))
  })
  for (let i = 0; i < 3; i++) await frame()
  return calls.inFlight + (calls.changes === before ? 0 : 1)
})()`

/**
 * Waits for a submit's answer to be shown: the page sends its call at once (a refusal by the form itself shows
 * at once too), main answers, the page receives it and React renders. Waits on those events rather than a clock:
 * until main has no call left to answer AND the page has sat quiet for three frames with none of its own calls
 * outstanding (an answer that leads to another call starts the wait again). A fixed 300 ms per submit was more
 * than half of this suite's time.
 */
async function settled(page: Page): Promise<void> {
  const inFlight = pending.get(page) ?? (() => 0)
  await expect
    .poll(async () => inFlight() + (await page.evaluate<number>(QUIET)), { timeout: 10_000, interval: 0 })
    .toBe(0)
}

const valueFor = (kind: (typeof INPUTS)[number], max: number | null): string =>
  kind === 'empty' ? '' : kind === 'malformed' ? 'x!?' : 'x'.repeat(Math.max(max ?? 0, 4000) + 50)

/** Every message now shown in an error or alert element, isolation marks removed. */
async function shownMessages(page: Page): Promise<string[]> {
  const texts = await page.locator(ERRORS).evaluateAll((els) =>
    els
      // The page's DOM types are not in this Node project: read the two properties by shape.
      .map((e) => e as unknown as { offsetParent: unknown; textContent: string | null })
      .filter((e) => e.offsetParent !== null)
      .map((e) => (e.textContent ?? '').replace(/[\u2066-\u2069]/g, '').trim())
  )
  return texts.filter((s) => s !== '')
}

/**
 * Submits every visible form on the page with each kind of input and returns the messages it caused. A form
 * is found again by its index after each submit, as answers re-render the page.
 */
async function walkForms(page: Page, lang: Lang, where: string): Promise<string[]> {
  const seen: string[] = []
  const count = await page.locator('form:visible').count()
  for (let i = 0; i < count; i++)
    for (const kind of INPUTS) {
      const form = page.locator('form:visible').nth(i)
      if (!(await form.isVisible().catch(() => false))) continue
      expect(await form.getAttribute('novalidate'), `${where} form ${i} has noValidate`).not.toBeNull()
      const inputs = form.locator(TYPED)
      for (let j = 0; j < (await inputs.count()); j++) {
        const input = inputs.nth(j)
        if (!(await input.isVisible()) || !(await input.isEditable())) continue
        const max = Number((await input.getAttribute('maxlength')) ?? NaN)
        const value = valueFor(kind, Number.isFinite(max) ? max : null)
        await input.fill(value)
        // The input keeps to the service's limit: nothing longer than its maxLength is accepted.
        if (kind === 'oversized' && Number.isFinite(max))
          expect((await input.inputValue()).length, `${where} input ${j} maxLength`).toBeLessThanOrEqual(max)
      }
      await form.evaluate((f) => (f as unknown as { requestSubmit(): void }).requestSubmit())
      await settled(page)
      const messages = await shownMessages(page)
      for (const m of messages) {
        const ok = PATTERNS[lang].some((p) => p.test(m))
        if (!ok) await screenshot(page, `forms-failed-${where}-${lang}`)
        expect(ok, `${where} (${lang}, ${kind}): "${m}" is not from the ${lang} locale`).toBe(true)
      }
      seen.push(...messages)
    }
  return seen
}

/** The person's language, set before the pages open (each visit checks the page follows it). */
async function inLanguage(t: TestApp, lang: Lang): Promise<void> {
  await call(t.app.dispatch, 'app.settings.set', { language: lang })
}

async function visit(page: Page, host: WebHost, hash: string, ready: string, lang: Lang): Promise<void> {
  await page.goto(appUrl(host, hash))
  await page.locator(`html[lang="${lang}"]`).waitFor({ state: 'attached' })
  await page.locator(ready).first().waitFor({ timeout: 15_000 })
}

beforeAll(async () => {
  assertIsolatedNetwork(Object.keys(networkInterfaces()))
  stack = await startSipStack()
  browser = await launchBrowser()
}, 60_000)

afterAll(async () => {
  await closeSides(
    opened,
    opened.map((s) => s.t.app),
    'forms'
  )
  await browser?.close()
  await stack?.close()
})

describe('every form answers bad input in the locale’s own words', () => {
  it('tells raw text from a locale sentence', () => {
    for (const lang of ['en', 'fa'] as const)
      for (const raw of RAW)
        expect(
          PATTERNS[lang].some((p) => p.test(raw)),
          raw
        ).toBe(false)
    expect(PATTERNS.en.some((p) => p.test('Use at most 100 characters.'))).toBe(true)
  })

  for (const lang of ['en', 'fa'] as const)
    it(
      `signed out, in ${lang}: the trial, sign-in, forgotten password, reset code, phone sign-up and Settings`,
      { timeout: 120_000 },
      async () => {
        const { t, page, host } = await openApp(true)
        await inLanguage(t, lang)
        const seen: string[] = []
        await visit(page, host, '#/device', '[data-testid="trial-form"]', lang)
        seen.push(...(await walkForms(page, lang, 'trial')))
        await visit(page, host, '#/account', '[data-testid="signin"]', lang)
        seen.push(...(await walkForms(page, lang, 'signin')))
        // Every way in from the sign-in card: forgot password, "I have a reset code", phone sign-up and its code.
        for (const [open, where, back] of [
          ['signin-forgot', 'forgot', 'forgot-back'],
          ['signin-reset', 'reset', 'reset-back'],
          ['signin-phone', 'phone-signup', 'phone-back']
        ] as const) {
          await page.getByTestId(open).click()
          seen.push(...(await walkForms(page, lang, where)))
          await page.getByTestId(back).click()
        }
        await page.getByTestId('signin-phone').click()
        await page.getByTestId('phone-have-code').click()
        seen.push(...(await walkForms(page, lang, 'phone-finish')))
        await visit(page, host, '#/settings', 'form', lang)
        seen.push(...(await walkForms(page, lang, 'settings')))
        // Help, signed out: the Re-Up shop search (issue 25).
        await visit(page, host, '#/help', '[data-testid="shop-finder"]', lang)
        seen.push(...(await walkForms(page, lang, 'help-signed-out')))
        // The walk must have met refusals to judge, worded from their codes: an empty field and a bad email.
        expect(seen.length).toBeGreaterThan(10)
        expect(said(seen, lang, 'errors.field.required'), 'an empty field said so').toBe(true)
        expect(said(seen, lang, 'errors.field.bad-format'), 'a malformed field named its format').toBe(true)
        const settings = await call(t.app.dispatch, 'app.settings.get', undefined)
        expect(settings.serviceUrl, 'a refused Settings form changed nothing').toBe(stack.svc.base)
      }
    )

  for (const lang of ['en', 'fa'] as const)
    it(
      `signed in, in ${lang}: the account's forms, the dialpad and the blocked numbers`,
      { timeout: 150_000 },
      async () => {
        // A business account: every tab of the Account page shows for its owner, the Business tab's forms too.
        const line = await trialLine(stack.svc, { accountType: 'business', name: 'Ada Owner' })
        await addRetailLine(stack.svc, line.token)
        // Old enough for the device upgrade offer, so its order form shows too.
        await stack.svc.service.ctx.db
          .updateTable('lines')
          .set({ created_at: new Date(Date.now() - 100 * 86_400_000).toISOString() })
          .where('id', '=', line.lineId)
          .execute()
        const { t, page, host } = await openApp(false)
        await call(t.app.dispatch, 'account.signIn', { identifier: line.email, password: line.password })
        await inLanguage(t, lang)
        const seen: string[] = []
        await visit(page, host, '#/account', '[data-testid="dashboard"]', lang)
        await page.getByTestId('renewal').first().waitFor()
        // Open the forms that wait behind a button: the offer's order, a line's new name, the 911 address.
        await page.getByTestId(`offer-choose-${line.lineId}`).click()
        await page.getByTestId(`overview-${line.lineId}`).getByTestId('overview-rename').click()
        await page.getByTestId('line-e911').first().getByRole('button').click()
        seen.push(...(await walkForms(page, lang, 'account')))
        // The Account page's other parts, each behind its tab.
        for (const section of ACCOUNT_SECTIONS.filter((x) => x !== 'overview')) {
          await visit(
            page,
            host,
            `#/account/${section}`,
            `[data-testid="account-tab-${section}"][aria-current="page"]`,
            lang
          )
          seen.push(...(await walkForms(page, lang, `account-${section}`)))
        }
        // Help, signed in: the support request and the Re-Up shop search (issue 25).
        await visit(page, host, '#/help', '[data-testid="help-form"]', lang)
        seen.push(...(await walkForms(page, lang, 'help')))
        await visit(page, host, '#/phone', '[data-testid="blocked"]', lang)
        await page.locator('#dial-number').waitFor()
        seen.push(...(await walkForms(page, lang, 'phone-signed-in')))
        expect(seen.length).toBeGreaterThan(10)
        expect(said(seen, lang, 'errors.field.bad-format'), 'a malformed field named its format').toBe(true)
        expect(said(seen, lang, 'errors.reason.voucher-invalid'), 'the service’s reason was worded').toBe(
          true
        )
      }
    )
})
