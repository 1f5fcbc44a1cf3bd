/**
 * No dead ends, as a person meets them in Chromium: a sentence that tells them to do something somewhere else
 * comes with the way there. The Phone page signed out leads to sign-in, and someone new to the Device page where
 * the dongle is set up;
 * auto-renew's "Save a card first" on the overview leads to the saved cards on the Billing tab; a refusal that
 * asks for a card or for support links to it, in the person's language, never showing the wire's English; an
 * expired business invitation ("…or Dialtone support (Help)") links to Help; the Diagnostics verdict "Install
 * Dialtone's device rule (Setup offers to)" leads to the setup on the Device page. A company told to send a
 * written request (a tariff change, or withdrawing one) is led to the support form on Help with the request begun
 * in its language, which the service takes; a call refused because international calling is off, held until a
 * promised payment is repaid, or without credit for an international call, links to Connected services or the
 * balance (with its minutes packs), and so does a call the phone service ended when its credit abroad ran out. And the numbers offered for a number
 * change read as people write them. A page whose code cannot load says so, with Reload and the way to support,
 * and the rest of the app still works. A refusal a page words itself (Diagnostics, Settings) links the same way.
 *
 * It signs in to the run's one trial line (trial-line.ts), which playwright.config.ts has the wizard walk first.
 */
import { expect, test } from '@playwright/test'
import { callMain } from './bridge'
import { E2E } from './env'
import { signedInTrialLine } from './trial-line'
import { answered, refused } from './answered'
import { withoutIsolates } from './shown-text'
import { leaveSignedOut, startFromDefaultSettings } from './fresh-state'

/** A refusal of `reason`, as main answers one it has no other words for. */
const no = (reason: string) => () => refused('CONFLICT', reason)

startFromDefaultSettings()

leaveSignedOut()

test('the Phone page signed out leads to sign-in, and someone new to the Device page', async ({ page }) => {
  await callMain('account.signOut')
  await page.goto(`/?token=${E2E.token}#/phone`)
  const noLine = page.locator('[data-testid="phone-no-line"][data-why="signed-out"]')
  await expect(noLine).toContainText('No line is connected right now: sign in to use the phone.', {
    timeout: 20_000
  })
  await expect(noLine.getByTestId('phone-to-account')).toHaveAttribute('href', '#/account')
  await expect(noLine).toContainText('New to Dialtone? Activate your dongle to get a number.')
  await noLine.getByTestId('phone-to-device').click()
  await expect(page).toHaveURL(/#\/device$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Device')
})

test('auto-renew’s missing card leads to the saved cards, and so does its refusal', async ({ page }) => {
  await signedInTrialLine()
  await answered(page, {
    answers: { 'billing.setAutoRenew': no('no-card'), 'billing.paymentMethods': no('no-card') }
  })
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
  await answered(page, { answers: { 'billing.setAutoRenew': no('brand-new-reason') } })
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

test('refusals worded by a page of its own (Diagnostics, Settings) link to where to act too', async ({
  page
}) => {
  await signedInTrialLine()
  // The app and main no longer speak the same version: "Restart Dialtone", linked to the updates in Settings.
  await answered(page, { answers: { 'diagnostics.inspect': no('unknown-command') } })
  await page.goto(`/?token=${E2E.token}#/diagnostics`)
  await page.getByTestId('diag-check').click()
  await expect(page.getByTestId('diag-error')).toContainText('Restart Dialtone')
  await expect(page.getByTestId('diag-error')).not.toContainText('TypeError')
  await page.getByTestId('diag-error-remedy').click()
  await expect(page).toHaveURL(/#\/settings$/)
  // On Settings itself a refusal the app has no words for: the sentence beside the field, and the way to support.
  await answered(page, { answers: { 'app.settings.set': no('brand-new-reason') } })
  await page.reload()
  await page.getByTestId('settings-service-url').fill('https://service.example.test')
  await page.getByTestId('settings-save').click()
  await expect(page.getByTestId('settings-error')).toContainText('CONFLICT-brand-new-reason-')
  await expect(page.getByTestId('settings-error-remedy')).toHaveAttribute('href', '#/help')
})

test('a business member is asked to turn to the owner where the place to act is the owner’s Profile', async ({
  page
}) => {
  await signedInTrialLine()
  // The call details emailed to an account with no confirmed address: first as its owner, then as an administrator
  // of the business, whose own Profile holds their own addresses, not the account's.
  let role = 'owner'
  await answered(page, {
    rewrites: { 'business.me': (m) => ({ ...m, role, company: role === 'owner' ? null : 'Acme Ltd' }) },
    answers: { 'billing.emailCallDetails': () => refused('NOT_FOUND', 'no-confirmed-email') }
  })
  await page.goto(`/?token=${E2E.token}#/account/overview`)
  await page.getByTestId('calls-email').click({ timeout: 20_000 })
  await expect(page.getByTestId('calls-error')).toHaveText(
    'Confirm an email first, so there is somewhere to send it.'
  )
  await expect(page.getByTestId('calls-error-remedy')).toHaveAttribute('href', '#/account/profile')

  role = 'administrator'
  await page.reload()
  await expect(page.getByTestId('business-banner')).toContainText('Acme Ltd', { timeout: 20_000 })
  await page.getByTestId('calls-email').click()
  const refusal = page.getByTestId('calls-error')
  await expect(refusal).toHaveText(
    'The account has no confirmed email to send it to yet: ask the account’s owner to confirm one.'
  )
  await expect(refusal).not.toContainText('TypeError')
  await expect(page.getByTestId('calls-error-remedy')).toHaveCount(0)
  await page.getByTestId('call-details').screenshot({ path: `${E2E.screenshots}/dead-ends-ask-owner.png` })
})

test('a company’s written request leads to the support form, begun in its language, and support takes it', async ({
  page
}) => {
  await signedInTrialLine()
  const lines = (await callMain('account.lines')) as {
    value: { lines: { id: string; number: string | null }[] }
  }
  const line = lines.value.lines[0]
  expect(line?.number).toBeTruthy()
  const plans = (await callMain('billing.plans')) as { value: { plans: { code: string }[] } }
  const monthly = plans.value.plans.find((p) => p.code === 'line-1m')
  expect(monthly).toBeTruthy()
  // The trial account as a company (a legal entity) on a plan, with a change an operator took from its letter.
  await answered(page, {
    rewrites: {
      'account.profile': (p) => ({ ...p, type: 'legal_entity' }),
      'business.me': (m) => ({ ...m, accountType: 'legal_entity' }),
      'billing.subscription': (sub) => ({
        ...sub,
        plan: monthly,
        pendingChange: {
          id: 'chg_e2e0000000000000000',
          fromPlanId: 'line-1m@1',
          toPlanId: 'line-1y@1',
          effectiveDate: '2027-02-01',
          status: 'scheduled',
          requestedAt: '2026-12-01T10:00:00.000Z'
        }
      })
    }
  })
  expect((await callMain('app.settings.set', { language: 'fr' })).ok).toBe(true)
  await page.goto(`/?token=${E2E.token}#/account/overview`)
  await page.locator('html[lang="fr"]').waitFor({ timeout: 20_000 })

  // Withdrawing the change: the sentence, and the way to write it.
  await expect(page.getByTestId('renewal-pending-written')).toHaveText(
    'Pour la retirer, envoyez aussi une demande écrite à l’assistance.',
    { timeout: 20_000 }
  )
  const withdraw = page.getByTestId('renewal-pending-write')
  await expect(withdraw).toHaveText('Rédiger la demande à l’assistance')
  await withdraw.click()
  await expect(page).toHaveURL(/#\/help$/)
  const text = page.getByTestId('help-text')
  await expect(text).toBeFocused()
  await expect(text).toHaveValue(/^Demande écrite : retrait d’un changement de forfait\n/)
  const withdrawal = await text.inputValue()
  expect(withdrawal).toContain('1 févr. 2027')
  expect(withdrawal).toMatch(/Ligne : \(\d{3}\) \d{3}-\d{4}|Ligne : \+1\d{10}/)
  await expect(page.getByTestId('help-topic')).toHaveValue('renewal')
  await expect(page.getByTestId('help-attach')).not.toBeChecked()

  // The tariff change itself, from the plan-change place: the next 1st, and the request begun with it.
  await page.goto(`/?token=${E2E.token}#/account/overview`)
  const write = page.getByTestId('written-request-write')
  await expect(write).toHaveText('Rédiger la demande à l’assistance', { timeout: 20_000 })
  await expect(page.getByTestId('written-request-date')).toContainText('à l’assistance')
  await write.click()
  await expect(page).toHaveURL(/#\/help$/)
  await expect(text).toHaveValue(/^Demande écrite : changement de forfait\n/)
  // The person completes it and sends it: the service takes the text as the app began it.
  await text.fill((await text.inputValue()).replace('Nouveau forfait : ', 'Nouveau forfait : annuel'))
  await page.getByTestId('help-send').click()
  await expect(page.getByTestId('help-sent')).toBeVisible({ timeout: 20_000 })
  await expect(page.getByTestId('help-form-error')).toHaveCount(0)
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
  for (const text of shown) expect(withoutIsolates(text)).toMatch(/^\(201\) \d{3}-\d{4}$/)
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
  // It keeps its name as the page's heading (a screen reader's heading list still finds Help).
  await expect(failed.getByRole('heading', { level: 1 })).toHaveText('Help')
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
