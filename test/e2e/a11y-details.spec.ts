/**
 * The accessibility review's low findings (/work/notes/a11y-review-34.md, L1-L9) and the privacy review's tones
 * (review 35, L5), as a screen-reader or keyboard user meets them in Chromium, signed out: a check, a shop search
 * and an update's progress are each said in one short sentence, not by reading a whole card; a refused theme is not
 * said to be a wrong service address; headings do not skip a level (a page that fails keeps its <h1>:
 * places-to-act.spec.ts); Persian
 * pages keep left-to-right values left to right and their own sentences right to left; controls that cannot act
 * look so, readably; the handset's button is named by what it does; the password rules describe the field; the
 * tones keyed in a call are cleared 5 s after the last key and when the call ends; a check's sentence counts its
 * problems and warnings apart. States the run cannot be put in on demand (a call, an update downloading) are given by the test on the page's socket (answered.ts).
 */
import { expect, test, type Locator, type Page } from '@playwright/test'
import { answered, ok, refused } from './answered'
import { listen, plain } from './heard'
import { callMain } from './bridge'
import { E2E } from './env'
import { leaveSignedOut, startFromDefaultSettings } from './fresh-state'
import { shownText } from './shown-text'

startFromDefaultSettings()
// English again for the files after this one (a test here sets Persian).
leaveSignedOut()

const direction = (l: Locator): Promise<string> => l.evaluate((el) => getComputedStyle(el).direction)

test('a check of the ports is said in one sentence, not by reading the whole report', async ({ page }) => {
  // Main's real report, its verdicts given by the test: one problem and two warnings, then two warnings alone.
  const verdict = (code: string, severity: string) => ({
    code,
    severity,
    deviceId: 'usb-1-2',
    title: code,
    cause: code,
    fix: code,
    evidence: []
  })
  let checks = 0
  await answered(page, {
    rewrites: {
      'diagnostics.inspect': (report) => ({
        ...report,
        health: 'problems',
        verdicts: [
          ...(checks++ === 0 ? [verdict('OVERCURRENT', 'problem')] : []),
          verdict('AUTOSUSPEND', 'warning'),
          verdict('WRONG_SPEED', 'warning')
        ]
      })
    }
  })
  await page.goto(`/?token=${E2E.token}#/diagnostics`)
  const said = page.getByTestId('diag-said')
  await expect(said).toHaveAttribute('role', 'status')
  const heard = await listen(page, 'diag-said')
  await page.getByTestId('diag-check').click()
  await expect(page.getByTestId('diag-health')).toHaveText('Problems found')
  await expect(page.getByTestId('diag-report')).not.toHaveAttribute('aria-live')
  await expect(page.locator('.verdict.problem')).toHaveCount(1)
  await expect(page.locator('.verdict.warning')).toHaveCount(2)
  // Problems and warnings counted apart, as the cards name them.
  const mixed = 'Check finished: 1 problem found. Also 2 warnings.'
  await expect(said).toHaveText(shownText(mixed, true))
  // "Check again" says it again, and only that.
  await page.getByTestId('diag-check').click()
  await expect(page.locator('.verdict.problem')).toHaveCount(0)
  await expect.poll(async () => plain(await heard())).toEqual([mixed, 'Check finished: 2 warnings found.'])
})

test('Persian: each event of the log reads in its own direction, its time and device id left to right', async ({
  page
}) => {
  expect((await callMain('app.settings.set', { language: 'fa' })).ok).toBe(true)
  await answered(page, {
    rewrites: {
      'diagnostics.events': () => ({
        events: [{ time: new Date().toISOString(), kind: 'attach', deviceId: '1-4.2', detail: null }]
      })
    }
  })
  await page.goto(`/?token=${E2E.token}#/diagnostics`)
  const event = page.getByTestId('diag-event-attach')
  await expect(event).toBeVisible()
  await expect(event).toHaveAttribute('dir', 'auto')
  expect(await direction(event)).toBe('rtl')
  expect(await direction(event.locator('time'))).toBe('ltr')
  await expect(event.getByTestId('diag-event-device')).toHaveText('1-4.2')
  expect(await direction(event.getByTestId('diag-event-device'))).toBe('ltr')
})

const HOURS = { open: '09:00', close: '18:00' }
const shop = (id: string, name: string, distanceMiles: number) => ({
  id,
  partner: 'Corner Mart',
  name,
  street: '1 Main St',
  city: 'New York',
  state: 'NY',
  zip: '10001',
  timeZone: 'America/New_York',
  hours: { mon: HOURS, tue: HOURS, wed: HOURS, thu: HOURS, fri: HOURS, sat: null, sun: null },
  distanceMiles,
  openNow: true
})

test('a shop search is said in one sentence, and the shops are headings under the finder’s', async ({
  page
}) => {
  await answered(page, {
    answers: {
      'help.shops': (p) =>
        p.q === '00000'
          ? ok({ outcome: 'unknown', place: null, states: [], shops: [] })
          : ok({
              outcome: 'found',
              place: { city: 'New York', state: 'NY', zip: '10001' },
              states: [],
              shops: [shop('shop-1', 'Penn Station Deli', 0.4), shop('shop-2', 'Chelsea News', 1.2)]
            })
    }
  })
  await page.goto(`/?token=${E2E.token}#/help`)
  const finder = page.getByTestId('shop-finder')
  const said = finder.getByTestId('shop-said')
  await expect(said).toHaveAttribute('role', 'status', { timeout: 20_000 })
  await finder.getByTestId('shop-query').fill('10001')
  await finder.getByTestId('shop-search').click()
  await expect(said).toHaveText(shownText('2 shops near 10001.', true))
  // The list is not a live region (it would read every shop's hours), and the Help page's h2 has h3 shops.
  await expect(finder.getByTestId('shop-results')).not.toHaveAttribute('role')
  await expect(finder.getByRole('heading', { level: 2 })).toHaveText('Where to buy Re-Up cards')
  await expect(finder.getByRole('heading', { level: 3 })).toHaveText(['Penn Station Deli', 'Chelsea News'])
  await expect(finder.getByRole('heading', { level: 4 })).toHaveCount(0)
  await finder.getByTestId('shop-query').fill('00000')
  await finder.getByTestId('shop-search').click()
  await expect(said).toHaveText('We do not know that place. Check the spelling, or try a 5-digit ZIP code.')
  await expect(finder.getByTestId('shop-unknown')).not.toHaveAttribute('role')
})

test('an update is said when it starts downloading and when it is ready, not at every percent', async ({
  page
}) => {
  const socket = await answered(page, {
    answers: {
      'app.update.state': () => ok({ status: 'idle', checkedAt: null }),
      'app.update.check': () => ok({ status: 'checking' })
    },
    quiet: ['app.updateChanged']
  })
  await page.goto(`/?token=${E2E.token}#/settings`)
  const state = page.getByTestId('app-updates-state')
  await expect(state).toHaveText('Not looked yet since Dialtone started.', { timeout: 20_000 })
  await expect(state).not.toHaveAttribute('role')
  const heard = await listen(page, 'app-updates-said')
  // The app's own look every few hours is shown, not said: nothing happened that the person asked about.
  socket.event('app.updateChanged', { status: 'checking' })
  await expect(state).toHaveText('Looking for a newer version…')
  socket.event('app.updateChanged', { status: 'idle', checkedAt: '2026-12-07T10:00:00.000Z' })
  await expect(state).toContainText('You have the newest version')
  // A look the person asks for is said as it goes, and its answer.
  await page.getByTestId('app-updates-check').click()
  await expect(state).toHaveText('Looking for a newer version…')
  socket.event('app.updateChanged', { status: 'idle', checkedAt: '2026-12-07T11:00:00.000Z' })
  await expect(state).toContainText('You have the newest version')
  await expect.poll(async () => (await heard()).length).toBe(2)
  // The answer stays in its region to be heard (it was taken back within a frame, unheard), until about 5 s.
  await page.waitForTimeout(1000)
  await expect(page.getByTestId('app-updates-said')).toContainText('You have the newest version')
  for (const percent of [5, 40, 90]) {
    socket.event('app.updateChanged', { status: 'downloading', version: '2.0.0', percent })
    await expect(state).toHaveText(shownText(`Downloading version 2.0.0: ${percent}%`, true))
  }
  await expect(page.getByTestId('app-updates').locator('progress')).toHaveAttribute('value', '90')
  socket.event('app.updateChanged', { status: 'ready', version: '2.0.0' })
  await expect(page.getByTestId('app-updates-install')).toBeVisible()
  await expect.poll(async () => (await heard()).length).toBe(4)
  const said = plain(await heard())
  expect(said[0]).toBe('Looking for a newer version…')
  expect(said[1]).toMatch(/^You have the newest version \(last looked .+\)\.$/)
  expect(said.slice(2)).toEqual([
    'Downloading version 2.0.0…',
    'Version 2.0.0 is downloaded. It installs the next time Dialtone starts.'
  ])
})

test('a refused theme is said on top of the card, named and each time, not as a wrong service address', async ({
  page
}) => {
  // The theme refused by the test; the address goes to main, which refuses a wrong one itself.
  await answered(page, {
    answers: { 'app.settings.set': (p) => ('theme' in p ? refused('UNAVAILABLE') : undefined) }
  })
  await page.goto(`/?token=${E2E.token}#/settings`)
  const url = page.getByTestId('settings-service-url')
  await expect(url).toHaveValue(E2E.serviceUrl, { timeout: 20_000 })
  // Refused, the choice goes back to the stored theme (so a click, not check(), which expects it to stay).
  await page.getByTestId('settings-theme-dark').click()
  const refusal = page.getByTestId('settings-refused')
  // Which setting, then why (the banner is far from the theme's choices).
  await expect(refusal).toHaveText(
    shownText('Theme: This is not available right now. Try again in a moment.', true)
  )
  await expect(refusal).toHaveAttribute('role', 'alert')
  // Refused again with the same words: a new alert, read again (not the same node left as it was).
  await refusal.evaluate((el) => el.setAttribute('data-first', 'yes'))
  await page.getByTestId('settings-theme-dark').click()
  await expect(page.getByTestId('settings-refused')).not.toHaveAttribute('data-first', 'yes')
  await expect(page.getByTestId('settings-refused')).toHaveText(
    shownText('Theme: This is not available', false)
  )
  await expect(page.getByTestId('settings-error')).toHaveCount(0)
  await expect(url).toHaveAttribute('aria-invalid', 'false')
  await expect(url).not.toHaveAttribute('aria-describedby')

  await url.fill('not a url')
  await page.getByTestId('settings-save').click()
  await expect(page.getByTestId('settings-error')).toHaveText(
    shownText('Enter an address starting with http:// or https://.', true)
  )
  await expect(url).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByTestId('settings-refused')).toHaveCount(0)
})

/** How a control is drawn: its opacity, cursor, outline style, and its words' and outline's contrast. */
async function look(control: Locator): Promise<{
  opacity: string
  cursor: string
  borderStyle: string
  color: string
  text: number
  outline: number
}> {
  return control.evaluate((el) => {
    const rgb = (c: string): number[] => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number)
    const luminance = (c: string): number => {
      const [r = 0, g = 0, b = 0] = rgb(c).map((v) => {
        const s = v / 255
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
      })
      return 0.2126 * r + 0.7152 * g + 0.0722 * b
    }
    const contrast = (a: string, b: string): number => {
      const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
      return (hi + 0.05) / (lo + 0.05)
    }
    // What is behind: the first ancestor (or itself) with a background that is not see-through.
    let behind: Element | null = el
    let background = 'rgb(255, 255, 255)'
    while (behind) {
      const bg = getComputedStyle(behind).backgroundColor
      if (bg !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(bg)) {
        background = bg
        break
      }
      behind = behind.parentElement
    }
    const s = getComputedStyle(el)
    return {
      opacity: s.opacity,
      cursor: s.cursor,
      borderStyle: s.borderTopStyle,
      color: s.color,
      text: contrast(s.color, background),
      outline: contrast(s.borderTopColor, background)
    }
  })
}

for (const theme of ['light', 'dark'] as const) {
  test(`a button that cannot act looks unavailable and stays readable (${theme})`, async ({ page }) => {
    expect((await callMain('app.settings.set', { theme })).ok).toBe(true)
    await page.goto(`/?token=${E2E.token}#/help`)
    const search = page.getByTestId('shop-search')
    await expect(search).toBeDisabled({ timeout: 20_000 })
    const disabled = await look(search)
    expect(disabled).toMatchObject({ opacity: '1', cursor: 'not-allowed', borderStyle: 'dashed' })
    expect(disabled.text).toBeGreaterThanOrEqual(4.5)
    expect(disabled.outline).toBeGreaterThanOrEqual(3)
    await page.getByTestId('shop-query').fill('10001')
    await expect(search).toBeEnabled()
    const enabled = await look(search)
    expect(enabled.borderStyle).toBe('solid')
    expect(enabled.color).not.toBe(disabled.color)
    // While its action runs (aria-disabled, focus kept): drawn the same, with the busy cursor.
    await search.evaluate((el) => el.setAttribute('aria-disabled', 'true'))
    const busy = await look(search)
    expect(busy).toMatchObject({
      opacity: '1',
      cursor: 'progress',
      borderStyle: 'dashed',
      color: disabled.color
    })
  })
}

test('the on-screen handset is named by what it does, not a toggle whose name contradicts it', async ({
  page
}) => {
  expect((await callMain('app.settings.set', { virtualDongle: true })).ok).toBe(true)
  await page.goto(`/?token=${E2E.token}`)
  const handset = page.getByTestId('virtual-handset')
  await expect(handset).toHaveAccessibleName('Lift the handset', { timeout: 20_000 })
  await expect(handset).not.toHaveAttribute('aria-pressed')
  await handset.click()
  await expect(page.getByTestId('virtual-hook')).toHaveText('Off hook')
  await expect(handset).toHaveAccessibleName('Hang up')
  await expect(handset).not.toHaveAttribute('aria-pressed')
  await handset.click()
  await expect(page.getByTestId('virtual-hook')).toHaveText('On hook')
  expect((await callMain('app.settings.set', { virtualDongle: false })).ok).toBe(true)
})

test('Persian: the setup’s English details are laid out left to right', async ({ page }) => {
  expect((await callMain('app.settings.set', { language: 'fa', virtualDongle: true })).ok).toBe(true)
  await page.goto(`/?token=${E2E.token}`)
  const log = page.getByTestId('setup-log')
  await expect(log).toBeAttached({ timeout: 20_000 })
  await expect(log).toHaveAttribute('dir', 'ltr')
  expect(await direction(log)).toBe('ltr')
  expect((await callMain('app.settings.set', { virtualDongle: false })).ok).toBe(true)
})

test('the new password’s rules describe its field', async ({ page }) => {
  await callMain('account.signOut')
  await page.goto(`/?token=${E2E.token}#/account`)
  await page.getByTestId('signin-reset').click({ timeout: 20_000 })
  await expect(page.getByTestId('reset-password')).toHaveAccessibleDescription(
    /A new password must: .*have at least .* characters.*not be one of the most common passwords/
  )
})

/** A call in progress on this app's phone, or none. */
const callState = (phase: 'idle' | 'connected', id = 'call-e2e-1') => ({
  phase,
  offHook: phase !== 'idle',
  digits: '',
  call: phase === 'idle' ? null : { id, direction: 'out', remote: '+12125550177' },
  other: null,
  voicemailWaiting: false,
  doNotDisturb: false,
  muted: false,
  why: null,
  reason: null
})

/** The Phone page with a registered line and the call state the test gives (main's own is kept quiet). */
async function phoneWith(page: Page, phase: 'idle' | 'connected') {
  const socket = await answered(page, {
    answers: {
      'phone.status': () =>
        ok({ state: 'registered', number: '+12015550100', problem: null, retryAt: null, reason: null }),
      'phone.callState': () => ok(callState(phase)),
      'phone.press': () => ok(callState('connected'))
    },
    quiet: ['phone.callStateChanged', 'phone.statusChanged']
  })
  await page.goto(`/?token=${E2E.token}#/phone`)
  return socket
}

test('the tones keyed in a call are cleared 5 s after the last key, and when the call ends', async ({
  page
}) => {
  const socket = await phoneWith(page, 'connected')
  const keys = page.getByTestId('tone-keys')
  const sent = page.getByTestId('tones-sent')
  const heard = await listen(page, 'tone-said')
  await keys.pressSequentially('1234#')
  await expect(sent).toHaveText(shownText('Tones sent: 1234#', true))
  // Shown, never read together: each key is said alone as it goes, the tones so far are hidden from the reader.
  await expect(sent).toHaveAttribute('aria-hidden', 'true')
  await expect
    .poll(async () => plain(await heard()))
    .toEqual(['Sent 1', 'Sent 2', 'Sent 3', 'Sent 4', 'Sent #'])
  await expect(keys).not.toHaveAttribute('aria-describedby', /./)
  const shownAt = Date.now()
  // Still there a moment later (to check a menu choice), gone about 5 s after the last key (a PIN).
  await page.waitForTimeout(2500)
  await expect(sent).toHaveText(shownText('Tones sent: 1234#', true))
  await expect(sent).toHaveText('', { timeout: 10_000 })
  const shownFor = Date.now() - shownAt
  expect(shownFor).toBeGreaterThan(4000)
  expect(shownFor).toBeLessThan(8000)
  expect(socket.asked('phone.press')).toEqual(['1', '2', '3', '4', '#'].map((key) => ({ key })))

  // The call ends: the tones go at once, and are not shown again if the same call's state comes back.
  await keys.pressSequentially('9')
  await expect(sent).toHaveText(shownText('Tones sent: 9', true))
  socket.event('phone.callStateChanged', callState('idle'))
  await expect(keys).toHaveCount(0)
  await expect(sent).toHaveText('')
  socket.event('phone.callStateChanged', callState('connected'))
  await expect(keys).toBeVisible()
  await page.waitForTimeout(300)
  await expect(sent).toHaveText('')
})

test('Persian: the number field keeps ⌫ after the digits it deletes, and its label reads right to left', async ({
  page
}) => {
  expect((await callMain('app.settings.set', { language: 'fa' })).ok).toBe(true)
  await phoneWith(page, 'idle')
  const field = page.getByTestId('dial-field')
  await expect(field).toHaveAttribute('dir', 'ltr', { timeout: 20_000 })
  const number = await page.getByTestId('dial-number').boundingBox()
  const erase = await page.getByTestId('dial-delete').boundingBox()
  expect(number && erase && erase.x > number.x + number.width - 1).toBe(true)
  expect(await direction(field.locator('label'))).toBe('rtl')
})
