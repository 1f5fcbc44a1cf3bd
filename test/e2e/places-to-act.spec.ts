/**
 * No dead ends, as a person meets them in Chromium: a sentence that tells them to do something somewhere else
 * comes with the way there. The Phone page without a line leads to the Device page where the dongle is set up;
 * auto-renew's "Save a card first" on the overview leads to the saved cards on the Billing tab; a refusal that
 * asks for a card or for support links to it, in the person's language, never showing the wire's English; an
 * expired business invitation ("…or Dialtone support (Help)") links to Help; the Diagnostics verdict "Install
 * Dialtone's device rule (Setup offers to)" leads to the setup on the Device page. And the numbers offered for a
 * number change read as people write them. A page whose code cannot load says so, with Reload and the way to
 * support, and the rest of the app still works.
 *
 * It signs in to the run's one trial line (trial-line.ts), which playwright.config.ts has the wizard walk first.
 */
import { expect, test, type Page } from '@playwright/test'
import { callMain } from './bridge'
import { E2E } from './env'
import { signedInTrialLine } from './trial-line'
import { leaveSignedOut, startFromDefaultSettings } from './fresh-state'

startFromDefaultSettings()

leaveSignedOut()

/** Answers the calls on `channels` on the page's socket with a refusal of `reason`, passing every other through. */
async function refuse(page: Page, channels: readonly string[], reason: string): Promise<void> {
  await page.routeWebSocket(/\/ipc/, (ws) => {
    const server = ws.connectToServer()
    ws.onMessage((message) => {
      const frame = JSON.parse(String(message)) as { id?: number; channel?: string }
      if (!channels.includes(frame.channel ?? '')) return server.send(message)
      const error = { code: 'CONFLICT', message: 'TypeError: cannot read card of undefined', reason }
      ws.send(JSON.stringify({ kind: 'result', id: frame.id, result: { ok: false, error } }))
    })
  })
}

test('the Phone page without a line leads to the Device page', async ({ page }) => {
  await callMain('account.signOut')
  await page.goto(`/?token=${E2E.token}#/phone`)
  const noLine = page.getByTestId('phone-no-line')
  await expect(noLine).toContainText('No phone line is set up yet. Activate your dongle to get a number.', {
    timeout: 20_000
  })
  await noLine.getByTestId('phone-to-device').click()
  await expect(page).toHaveURL(/#\/device$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Device')
})

test('auto-renew’s missing card leads to the saved cards, and so does its refusal', async ({ page }) => {
  await signedInTrialLine()
  await refuse(page, ['billing.setAutoRenew', 'billing.paymentMethods'], 'no-card')
  await page.goto(`/?token=${E2E.token}#/account/overview`)
  const blocker = page.getByTestId('auto-renew-blocker-no-card')
  await expect(blocker).toContainText('Save a card first.', { timeout: 20_000 })

  // The refusal, on the overview: the sentence and the way to the cards, not the message.
  await page.getByTestId('auto-renew').click()
  const refusal = page.getByTestId('auto-renew-error')
  await expect(refusal).toContainText('Add a card first: auto-renew charges it at each renewal.')
  await expect(refusal).not.toContainText('TypeError')
  const toCards = page.getByTestId('auto-renew-error-remedy')
  await expect(toCards).toHaveText('Open the saved cards in Billing')
  await expect(toCards).toHaveAttribute('href', '#/account/billing')
  await page.locator('.auto-renew').screenshot({ path: `${E2E.screenshots}/dead-ends-auto-renew.png` })

  await blocker.getByRole('link', { name: 'Open the saved cards in Billing' }).click()
  await expect(page).toHaveURL(/#\/account\/billing$/)
  await expect(page.getByTestId('cards')).toBeVisible()
  // The same refusal on the place it leads to (the cards' own list refused): the sentence, and no link to here.
  await expect(page.getByTestId('cards-error')).toContainText('Add a card first')
  await expect(page.getByTestId('cards-error-remedy')).toHaveCount(0)
})

test('a refusal the app has no words for links to support, in the person’s language', async ({ page }) => {
  await signedInTrialLine()
  await refuse(page, ['billing.setAutoRenew'], 'brand-new-reason')
  expect((await callMain('app.settings.set', { language: 'fa' })).ok).toBe(true)
  await page.goto(`/?token=${E2E.token}#/account/overview`)
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl')
  const toggle = page.getByTestId('auto-renew')
  await expect(toggle).toBeVisible({ timeout: 20_000 })
  await toggle.click()
  const refusal = page.getByTestId('auto-renew-error')
  await expect(refusal).toContainText('مشکلی پیش آمد')
  // The reference to quote (codes and a hash), never the message.
  await expect(refusal).toContainText('CONFLICT-brand-new-reason-')
  await expect(refusal).not.toContainText('TypeError')
  const support = page.getByTestId('auto-renew-error-remedy')
  await expect(support).toHaveText('تماس با پشتیبانی')
  await support.click()
  await expect(page).toHaveURL(/#\/help$/)
})

test('an expired business invitation leads to support', async ({ page }) => {
  await callMain('account.signOut')
  await page.routeWebSocket(/\/ipc/, (ws) => {
    const server = ws.connectToServer()
    ws.onMessage((message) => {
      const frame = JSON.parse(String(message)) as { id?: number; channel?: string }
      if (frame.channel !== 'account.resetPassword') return server.send(message)
      const issues = [{ path: 'token', code: 'token-expired', message: 'the token has expired' }]
      const error = { code: 'INVALID_ARGUMENT', message: 'bad argument: token', issues }
      ws.send(JSON.stringify({ kind: 'result', id: frame.id, result: { ok: false, error } }))
    })
  })
  await page.goto(`/?token=${E2E.token}#/account/join`)
  await page.getByTestId('join-email').fill('invited@example.test')
  await page.getByTestId('join-code').fill('123456')
  await page.getByTestId('join-password').fill('correct horse battery staple')
  await page.getByTestId('join-submit').click()
  await expect(page.getByTestId('join')).toContainText('This invitation has expired.')
  await expect(page.getByTestId('join')).not.toContainText('the token has expired')
  await page.getByTestId('join-support').click()
  await expect(page).toHaveURL(/#\/help$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Help')
})

test('the numbers offered for a number change read as people write them', async ({ page }) => {
  await signedInTrialLine()
  await page.goto(`/?token=${E2E.token}#/account/overview`)
  await page.getByTestId('line-card').first().locator('summary', { hasText: 'Change the number' }).click()
  await page.getByTestId('number-area').fill('201')
  const choices = page.getByTestId('number-choice')
  await expect(choices.first()).toBeVisible({ timeout: 10_000 })
  const shown = await choices.allTextContents()
  expect(shown.length).toBeGreaterThan(0)
  for (const text of shown) expect(text.replace(/[\u2066-\u2069]/g, '')).toMatch(/^\(201\) \d{3}-\d{4}$/)
})

test('the missing access rule’s verdict leads to the setup on the Device page', async ({ page }) => {
  // The check's own report, with the verdict a dongle without the access rule gets (this host has no such dongle).
  await page.routeWebSocket(/\/ipc/, (ws) => {
    const server = ws.connectToServer()
    const inspect = new Set<number>()
    ws.onMessage((message) => {
      const frame = JSON.parse(String(message)) as { id?: number; channel?: string }
      if (frame.channel === 'diagnostics.inspect' && frame.id !== undefined) inspect.add(frame.id)
      server.send(message)
    })
    server.onMessage((message) => {
      const frame = JSON.parse(String(message)) as {
        kind: string
        id?: number
        result?: { ok: boolean; value?: { verdicts: unknown[] } }
      }
      if (frame.kind === 'result' && inspect.has(frame.id ?? -1) && frame.result?.value) {
        frame.result.value.verdicts.unshift({
          code: 'PERMISSION',
          severity: 'problem',
          deviceId: null,
          title: 'Dialtone may not use the dongle',
          cause: 'no udev rule',
          fix: 'install the rule',
          evidence: ['/dev/hidraw0: crw------- root root']
        })
        return ws.send(JSON.stringify(frame))
      }
      ws.send(message)
    })
  })
  await page.goto(`/?token=${E2E.token}#/diagnostics`)
  await page.getByTestId('diag-check').click()
  const verdict = page.getByTestId('verdict-PERMISSION')
  await expect(verdict).toContainText('Setup offers to')
  await verdict.getByTestId('verdict-to-setup').click()
  await expect(page).toHaveURL(/#\/device$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Device')
})

test('a page whose code cannot load says so and offers a reload; the other pages still open', async ({
  page
}) => {
  // As after an update while the window stayed open: the Help page's file is gone.
  await page.route(/\/assets\/HelpPage-[^/]*\.js$/, (route) => route.abort())
  await page.goto(`/?token=${E2E.token}#/device`)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Device')
  await page.getByRole('link', { name: 'Help' }).click()
  const failed = page.getByTestId('page-failed')
  await expect(failed.getByRole('alert')).toHaveText(
    'This page could not be shown. Reload to try again; nothing you saved is lost.'
  )
  await expect(failed.getByTestId('page-reload')).toHaveText('Reload')
  // The browser's English stays folded away, for a ticket.
  await expect(failed.locator('details p')).toBeHidden()
  await expect(page.getByTestId('status-service')).toBeVisible()
  await page.getByRole('link', { name: 'Device' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Device')
  await expect(failed).toHaveCount(0)
})
