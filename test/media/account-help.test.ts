/**
 * Help when stuck as the person meets it (issue 25 part 3), in Chromium against the real service, on SQLite
 * (JOURNEY_BACKENDS). Signed in, the person asks support from the Help page with the diagnostics report attached in
 * one click; a support operator reads it (report in words) and answers through the real `dialtone-ops`; the reply
 * shows in the app (markup the person typed stays text), the person answers and closes. Signed out, Help shows how
 * to reach support without an account. The Re-Up shop search by ZIP and by city, nearest first, open or closed
 * now, on the Help page and in the renewal area; an unknown place said in words. English and Persian with axe.
 */
import { DateTime } from 'luxon'
import type { Locator } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { call } from '../../src/main/ipc/dispatcher'
import { WEEKDAYS } from '../../src/shared/help/hours'
import { bootstrapAdmin } from '../../src/server/ops/operators'
import { expectText } from '../support/browser'
import { JOURNEY_BACKENDS, journeySuite } from '../support/journey'
import { OpsCli, enrolAndSignIn, freshCode, makeOperator } from '../support/ops'
import { type TestService } from '../support/service'
import { mailbox, trialLine } from '../support/service-flows'

/** The shops a finder lists, in order. */
const namesIn = async (finder: Locator): Promise<(string | null)[]> =>
  Promise.all((await finder.getByTestId('shop').all()).map((s) => s.getAttribute('data-name')))
const plain = (s: string): string => s.replace(/[\u2066-\u2069]/g, '').replace(/\s+/g, ' ')
const TYPED = 'The dongle drops out every evening.\n<b>not bold</b> <script>alert(1)</script>'

/** An admin and a support operator, the support one signed in to a real `dialtone-ops`. */
async function operators(svc: TestService, tag: string) {
  const email = `help-admin-${tag}@ops.dialtone.test`
  const boot = await bootstrapAdmin(svc.service.ctx, { email, name: 'Help Admin' })
  const admin = await enrolAndSignIn(svc, email, boot.enrolmentToken)
  const support = await makeOperator(svc, admin.token, 'support')
  const cli = new OpsCli(svc)
  const login = await cli.run(['login', '--email', support.email, '--code', freshCode(svc, support.secret)], {
    DIALTONE_OPS_PASSWORD: support.password
  })
  expect(login.code, login.stderr).toBe(0)
  return { admin, cli }
}

describe.each(JOURNEY_BACKENDS)('help when stuck (%s)', (backend) => {
  const j = journeySuite(backend)
  let cli: OpsCli | undefined
  let adminToken = ''
  const ops = async () => {
    if (!cli) {
      const o = await operators(j.svc, backend)
      cli = o.cli
      adminToken = o.admin.token
    }
    return cli
  }

  it(
    'asks support with the diagnostics report, shows the operator’s reply, answers and closes',
    { timeout: 150_000 },
    async () => {
      const svc = j.svc
      const support = await ops()
      const line = await trialLine(svc)
      const app = await j.signedIn(line.email, line.password)
      const { page } = app
      await page.getByTestId('nav-help').click()
      await page.getByTestId('help-form').waitFor()
      await expectText(page, 'help-requests-none', 'You have not asked support anything yet.')
      await page.getByTestId('help-topic').selectOption('device')
      await page.getByTestId('help-text').fill(TYPED)
      expect(await page.getByTestId('help-attach').isChecked()).toBe(true)
      await page.getByTestId('help-send').click()
      await expectText(page, 'help-sent', 'Sent. Support will answer here and by email.')
      const item = page.getByTestId('help-request').first()
      await item.waitFor()
      expect(plain(await item.innerText())).toContain('diagnostics report attached')
      await expectText(page, 'help-request-status', 'Open')

      // The report reached the service as data: the app's own inspection, serials masked.
      const row = await svc.service.ctx.db
        .selectFrom('support_requests')
        .select(['id', 'diagnostics'])
        .executeTakeFirstOrThrow()
      expect(JSON.parse(row.diagnostics ?? 'null')).toMatchObject({ schema: 'dialtone.diagnostics/1' })

      // A support operator answers through the real CLI.
      const open = await support.json<{ requests: { id: string; email: string }[] }>([
        'support',
        'list',
        '--status',
        'open'
      ])
      expect(open.requests.map((r) => r.id)).toContain(row.id)
      const shown = await support.run(['support', 'show', row.id])
      expect(shown.code, shown.stderr).toBe(0)
      expect(shown.stdout).toContain('Diagnostics report (dialtone.diagnostics/1')
      expect(shown.stdout).toContain('The dongle drops out every evening.')
      const reply = await support.run([
        'support',
        'reply',
        row.id,
        '--text',
        'Plug the dongle into a port on the computer itself, not a hub.'
      ])
      expect(reply.code, reply.stderr).toBe(0)
      expect((await mailbox(svc, line.email)).some((m) => m.purpose === 'support-reply')).toBe(true)

      // Back on Help, the reply is there; what the person typed is shown as text, never as markup.
      await page.getByTestId('nav-account').click()
      await page.getByTestId('dashboard').waitFor()
      await page.getByTestId('nav-help').click()
      await expectText(page, 'help-message-support', 'not a hub.')
      await expectText(page, 'help-request-status', 'Answered')
      const mine = page.getByTestId('help-message-person')
      expect(await mine.innerText()).toContain('<b>not bold</b> <script>alert(1)</script>')
      expect(await mine.locator('b, script').count()).toBe(0)
      await j.inBothLanguages(app, `account-help-${backend}`, 'help-message-support')
      await call(app.t.app.dispatch, 'app.settings.set', { language: 'fa' })
      await page.locator('html[lang="fa"]').waitFor()
      await expectText(page, 'help-request-status', 'پاسخ داده شده')
      await call(app.t.app.dispatch, 'app.settings.set', { language: 'en' })
      await page.locator('html[lang="en"]').waitFor()

      // The person answers (open again), then closes it.
      await page.getByTestId('help-reply-text').fill('Thank you, that fixed it.')
      await page.getByTestId('help-reply-send').click()
      await expectText(page, 'help-request-status', 'Open')
      await page.getByTestId('help-close').click()
      await expectText(page, 'help-request-status', 'Closed')
      await expect.poll(() => page.getByTestId('help-reply-text').count()).toBe(0)
      const closed = await support.json<{ requests: { id: string }[] }>([
        'support',
        'list',
        '--status',
        'closed'
      ])
      expect(closed.requests.map((r) => r.id)).toContain(row.id)

      // Signed out, Help says how to reach support without an account.
      const anon = await j.open('#/help')
      await anon.page.getByTestId('help-contact').waitFor()
      await expectText(anon.page, 'help-contact-phone', '(800) 555-0199')
      await expectText(anon.page, 'help-contact-email', 'support@dialtone.test')
      expect(await anon.page.getByTestId('help-form').count()).toBe(0)
      await j.inBothLanguages(anon, `account-help-signed-out-${backend}`, 'help-contact-phone')
    }
  )

  it(
    'finds Re-Up shops by ZIP and by city, nearest first, on the Help page and in the renewal area',
    { timeout: 150_000 },
    async () => {
      const svc = j.svc
      await ops()
      const partner = await svc.api<{ partner: { id: string } }>(
        'POST',
        '/ops/v1/partners',
        { name: 'Corner Stores', kind: 'retail' },
        adminToken
      )
      // One shop open all day every day, one open only on a day that is not today in Texas (closed now).
      const today = DateTime.fromJSDate(svc.clock.now()).setZone('America/Chicago').weekday
      const otherDay = WEEKDAYS[today % 7] ?? 'mon'
      const hours = (days: readonly string[]) =>
        Object.fromEntries(
          WEEKDAYS.map((d) => [d, days.includes(d) ? { open: '00:00', close: '23:59' } : null])
        )
      const add = async (name: string, city: string, zip: string, days: readonly string[]) => {
        const r = await svc.api(
          'POST',
          '/ops/v1/shops',
          {
            partnerId: partner.body.partner.id,
            name,
            street: '1 Main St',
            city,
            state: 'TX',
            zip,
            hours: hours(days)
          },
          adminToken
        )
        expect(r.status, JSON.stringify(r.body)).toBe(201)
      }
      await add('Downtown Austin', 'Austin', '78701', WEEKDAYS)
      await add('Round Rock', 'Round Rock', '78664', [otherDay])
      await add('Houston Center', 'Houston', '77002', WEEKDAYS)

      const app = await j.open('#/help')
      const { page } = app
      const finder = page.getByTestId('shop-finder')
      const search = async (q: string) => {
        await finder.getByTestId('shop-query').fill(q)
        await finder.getByTestId('shop-search').click()
      }
      const names = () => namesIn(finder)
      await search('78704')
      await expect.poll(names).toEqual(['Downtown Austin', 'Round Rock', 'Houston Center'])
      const first = plain(await finder.getByTestId('shop').first().innerText())
      expect(first).toMatch(/\d(\.\d)? miles away · Open now/)
      expect(plain(await finder.getByTestId('shop').nth(1).innerText())).toContain('Closed now')
      await search('Houston, TX')
      await expect.poll(names).toEqual(['Houston Center', 'Downtown Austin', 'Round Rock'])
      await expectText(page, 'shop-results', 'Shops nearest to Houston, TX, closest first:')
      await j.inBothLanguages(app, `account-help-shops-${backend}`, 'shop')
      await search('00000')
      await expectText(page, 'shop-unknown', 'We do not know that place.')
      await search('Springfield')
      await expectText(page, 'shop-ambiguous', 'Add the state, for example Springfield, IL.')

      // The renewal area of a line offers the same search.
      const line = await trialLine(svc)
      const signed = await j.signedIn(line.email, line.password)
      // Help's "enter its code under ..." leads to the field itself: the overview, in view and focused.
      await signed.page.evaluate("window.location.hash = '#/help'")
      const where = signed.page.getByTestId('shops-where-code')
      await expect.poll(() => where.innerText()).toBe('Account → Overview → your line’s Re-Up code')
      await where.click()
      await expect.poll(() => signed.page.evaluate('window.location.hash')).toBe('#/account/overview')
      await expect
        .poll(() => signed.page.evaluate('document.activeElement?.dataset.testid'))
        .toBe('voucher-code')
      const renewal = signed.page.getByTestId('shop-finder').first()
      await renewal.locator('summary').click()
      await renewal.getByTestId('shop-query').fill('Austin, TX')
      await renewal.getByTestId('shop-search').click()
      await expect.poll(() => namesIn(renewal)).toEqual(['Downtown Austin', 'Round Rock', 'Houston Center'])
      await j.inBothLanguages(signed, `account-help-renewal-shops-${backend}`, 'shop')
    }
  )
})
