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

test('refusals worded by a page of its own (Diagnostics, Settings) link to where to act too', async ({
  page
}) => {
  await signedInTrialLine()
  // The app and main no longer speak the same version: "Restart Dialtone", linked to the updates in Settings.
  await refuse(page, ['diagnostics.inspect'], 'unknown-command')
  await page.goto(`/?token=${E2E.token}#/diagnostics`)
  await page.getByTestId('diag-check').click()
  await expect(page.getByTestId('diag-error')).toContainText('Restart Dialtone')
  await expect(page.getByTestId('diag-error')).not.toContainText('TypeError')
  await page.getByTestId('diag-error-remedy').click()
  await expect(page).toHaveURL(/#\/settings$/)
  // On Settings itself a refusal the app has no words for: the sentence beside the field, and the way to support.
  await refuse(page, ['app.settings.set'], 'brand-new-reason')
  await page.reload()
  await page.getByTestId('settings-service-url').fill('https://service.example.test')
  await page.getByTestId('settings-save').click()
  await expect(page.getByTestId('settings-error')).toContainText('CONFLICT-brand-new-reason-')
  await expect(page.getByTestId('settings-error-remedy')).toHaveAttribute('href', '#/help')
})

/** A recent call abroad that the SIP server refused with `failure`, `minutes` ago. */
const failed = (failure: string, minutes: number) => ({
  id: `call-${failure}`,
  direction: 'out',
  remote: '+442079460958',
  startedAt: new Date(Date.now() - minutes * 60_000).toISOString(),
  answeredAt: null,
  endedAt: new Date(Date.now() - minutes * 60_000).toISOString(),
  outcome: 'failed',
  failure
})

/** The line's status as a registered line's (this run has no SIP server). */
const registered = (status: Record<string, unknown>) => ({
  ...status,
  state: 'registered',
  number: '+12015550100',
  problem: null,
  retryAt: null,
  reason: null
})

/**
 * Rewrites what main answers on the page's socket: the results of `results`' channels and the payloads of
 * `events`' events go through their function, and `refusals`' channels are refused with their reason without
 * reaching main; every other frame passes unchanged.
 */
async function rewrite(
  page: Page,
  results: Record<string, (value: Record<string, unknown>) => unknown>,
  events: Record<string, (payload: Record<string, unknown>) => unknown> = {},
  refusals: Record<string, { code: string; reason: string }> = {}
): Promise<void> {
  await page.routeWebSocket(/\/ipc/, (ws) => {
    const server = ws.connectToServer()
    const asked = new Map<number, string>()
    ws.onMessage((message) => {
      const frame = JSON.parse(String(message)) as { id?: number; channel?: string }
      const refusal = refusals[frame.channel ?? '']
      if (refusal) {
        const error = { ...refusal, message: 'TypeError: cannot read email of undefined' }
        return ws.send(JSON.stringify({ kind: 'result', id: frame.id, result: { ok: false, error } }))
      }
      if (frame.id !== undefined && frame.channel && results[frame.channel])
        asked.set(frame.id, frame.channel)
      server.send(message)
    })
    server.onMessage((message) => {
      const frame = JSON.parse(String(message)) as {
        kind: string
        id?: number
        event?: string
        payload?: Record<string, unknown>
        result?: { ok: boolean; value?: Record<string, unknown> }
      }
      const channel = frame.kind === 'result' ? asked.get(frame.id ?? -1) : undefined
      const change = channel ? results[channel] : undefined
      if (change && frame.result?.ok && frame.result.value) {
        frame.result.value = change(frame.result.value) as Record<string, unknown>
        return ws.send(JSON.stringify(frame))
      }
      const changeEvent = frame.kind === 'event' ? events[frame.event ?? ''] : undefined
      if (changeEvent && frame.payload) {
        frame.payload = changeEvent(frame.payload) as Record<string, unknown>
        return ws.send(JSON.stringify(frame))
      }
      ws.send(message)
    })
  })
}

test('a business member is asked to turn to the owner where the place to act is the owner’s Profile', async ({
  page
}) => {
  await signedInTrialLine()
  // The call details emailed to an account with no confirmed address: first as its owner, then as an administrator
  // of the business, whose own Profile holds their own addresses, not the account's.
  let role = 'owner'
  await rewrite(
    page,
    { 'business.me': (m) => ({ ...m, role, company: role === 'owner' ? null : 'Acme Ltd' }) },
    {},
    { 'billing.emailCallDetails': { code: 'NOT_FOUND', reason: 'no-confirmed-email' } }
  )
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
  await rewrite(page, {
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

test('a call refused for a reason the account can change links to where it changes, in the person’s language', async ({
  page
}) => {
  await signedInTrialLine()
  // A registered line (this run has no SIP server) whose last call was refused by the SIP server's line policy.
  const refused = (state: Record<string, unknown>) => ({
    ...state,
    phase: 'reorder',
    offHook: true,
    why: 'internationalOff',
    reason: 'SIP 403 international-off'
  })
  await rewrite(
    page,
    {
      'phone.status': registered,
      'phone.callState': refused,
      'phone.history': () => ({
        calls: [failed('callsHeld', 5), failed('noCredit', 7), failed('premiumRate', 9)]
      })
    },
    { 'phone.statusChanged': registered, 'phone.callStateChanged': refused }
  )
  expect((await callMain('app.settings.set', { language: 'fr' })).ok).toBe(true)
  await page.goto(`/?token=${E2E.token}#/phone`)
  await page.locator('html[lang="fr"]').waitFor({ timeout: 20_000 })

  const reason = page.getByTestId('call-reason')
  await expect(reason).toContainText('les appels internationaux sont désactivés sur cette ligne', {
    timeout: 20_000
  })
  const toServices = reason.getByTestId('call-reason-remedy')
  await expect(toServices).toHaveText('Ouvrir les Services connectés dans Vue d’ensemble')

  // The recent calls: the held call links to the balance, the call without credit to the balance and its minutes
  // packs; a failure that names no place has no link.
  const rows = page.getByTestId('call-history-row')
  await expect(rows).toHaveCount(3)
  const toBalance = rows.nth(0).getByTestId('call-history-remedy')
  await expect(toBalance).toHaveText('Recharger le solde dans Vue d’ensemble')
  await expect(toBalance).toHaveAttribute('href', '#/account/overview?focus=balance')
  await expect(rows.nth(1).getByTestId('call-history-failure')).toContainText(
    'crédit insuffisant pour cet appel international'
  )
  const toCredit = rows.nth(1).getByTestId('call-history-remedy')
  await expect(toCredit).toHaveText('Recharger ou acheter des minutes dans Vue d’ensemble')
  await expect(toCredit).toHaveAttribute('href', '#/account/overview?focus=balance')
  await expect(rows.nth(2).getByTestId('call-history-remedy')).toHaveCount(0)
  await page.getByTestId('call-panel').screenshot({ path: `${E2E.screenshots}/dead-ends-call-failed-fr.png` })

  // Connected services, brought into view on the overview.
  await toServices.click()
  await expect(page).toHaveURL(/#\/account\/overview$/)
  await expect(page.getByRole('heading', { level: 2, name: /^Services connectés/ })).toBeFocused({
    timeout: 20_000
  })
})

test('a call the phone service ended when its credit abroad ran out says so and links to the balance', async ({
  page
}) => {
  await signedInTrialLine()
  // What the line shows after Kamailio's BYE with `Reason: SIP;cause=402;text="no-credit"` (test/media's
  // server-ends-call.test.ts walks the BYE itself to this state).
  const ended = (state: Record<string, unknown>) => ({
    ...state,
    phase: 'reorder',
    offHook: true,
    why: 'creditRanOut'
  })
  // And the recent calls keep why: an answered call the service ended, beside one that ended as calls do.
  const answered = (id: string, minutes: number, ended?: string) => ({
    id,
    direction: 'out',
    remote: '+442079460958',
    startedAt: new Date(Date.now() - minutes * 60_000).toISOString(),
    answeredAt: new Date(Date.now() - minutes * 60_000 + 5_000).toISOString(),
    endedAt: new Date(Date.now() - 60_000).toISOString(),
    outcome: 'answered',
    failure: null,
    ...(ended ? { ended } : {})
  })
  await rewrite(
    page,
    {
      'phone.status': registered,
      'phone.callState': ended,
      'phone.history': () => ({ calls: [answered('cut', 5, 'creditRanOut'), answered('plain', 9)] })
    },
    { 'phone.statusChanged': registered, 'phone.callStateChanged': ended }
  )
  expect((await callMain('app.settings.set', { language: 'sl' })).ok).toBe(true)
  await page.goto(`/?token=${E2E.token}#/phone`)
  await page.locator('html[lang="sl"]').waitFor({ timeout: 20_000 })
  const reason = page.getByTestId('call-reason')
  await expect(reason).toContainText('dobroimetje za mednarodne klice je porabljeno', { timeout: 20_000 })
  const toCredit = reason.getByTestId('call-reason-remedy')
  await expect(toCredit).toHaveText('Napolni stanje ali kupi minute v Pregledu')
  const rows = page.getByTestId('call-history-row')
  await expect(rows).toHaveCount(2)
  await expect(rows.nth(0).getByTestId('call-history-ended')).toContainText(
    'dobroimetje za mednarodne klice je porabljeno'
  )
  await expect(rows.nth(0).getByTestId('call-history-remedy')).toHaveAttribute(
    'href',
    '#/account/overview?focus=balance'
  )
  await expect(rows.nth(1).getByTestId('call-history-ended')).toHaveCount(0)
  await toCredit.click()
  // The Balance card, brought into view and focused, the ask taken off the address.
  await expect(page).toHaveURL(/#\/account\/overview$/)
  await expect(page.locator('#balance-title')).toBeFocused()
})

test("a business's line user is told who can act on a call abroad without credit, with no link they cannot follow", async ({
  page
}) => {
  await signedInTrialLine()
  const refused = (state: Record<string, unknown>) => ({
    ...state,
    phase: 'reorder',
    offHook: true,
    why: 'noCredit'
  })
  // The signed-in person as a business's line user (the service's business.me): no top-up, no minutes for them.
  await rewrite(
    page,
    {
      'phone.status': registered,
      'phone.callState': refused,
      'phone.history': () => ({ calls: [failed('noCredit', 1)] }),
      'business.me': () => ({ role: 'line', company: 'Acme Ltd', lineId: null })
    },
    { 'phone.statusChanged': registered, 'phone.callStateChanged': refused }
  )
  await page.goto(`/?token=${E2E.token}#/phone`)
  const reason = page.getByTestId('call-reason')
  await expect(reason).toContainText('your account’s administrator can buy international minutes', {
    timeout: 20_000
  })
  await expect(reason).not.toContainText('(Account, Balance)')
  await expect(reason.getByTestId('call-reason-remedy')).toHaveCount(0)
  const row = page.getByTestId('call-history-row')
  await expect(row.getByTestId('call-history-failure')).toContainText('your account’s administrator can')
  await expect(row.getByTestId('call-history-remedy')).toHaveCount(0)
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
