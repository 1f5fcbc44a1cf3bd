/**
 * No dead ends in the setup wizard, as a person meets them in Chromium. "Allow access" when the password dialog
 * was closed (or pkexec is missing) gives the command to run in a terminal, "then press Continue": Continue is
 * right there, checks the access again (`setup.checkPermissions`), says so when it is still refused, and goes on
 * once it is not; a dongle set up before whose access was lost since gets the same Allow. And activation with the account service out of reach says so in the person's words and leads
 * to Settings, where the service's address is, instead of "Something went wrong in Dialtone".
 *
 * The virtual dongle needs no access rule and the run's service is up, so main's answers about the dongle's setup
 * are the test's own on the page's socket (the way the app would get them from a real dongle); everything else is
 * the real web host.
 */
import { expect, test, type Page } from '@playwright/test'
import { callMain } from './bridge'
import { E2E } from './env'
import { screenshot } from './screenshot'
import { startFromDefaultSettings } from './fresh-state'
import { shownText } from './shown-text'

startFromDefaultSettings()

test.afterEach(async () => {
  expect((await callMain('app.settings.set', { language: 'en', virtualDongle: false })).ok).toBe(true)
})

type Result = { step: string; outcome: 'done' | 'skipped'; message: string }

/** A setup state of the virtual dongle, as main sends it. */
const setupAt = (step: string, status: string, results: Result[], extra: object = {}): object => ({
  deviceKey: 'virtual',
  step,
  status,
  message: null,
  error: null,
  percent: null,
  bytes: null,
  unplugged: false,
  verdict: null,
  results,
  updatedAt: new Date().toISOString(),
  ...extra
})

const BEFORE_ACCESS: Result[] = [
  { step: 'detect', outcome: 'done', message: 'found magicJack USB phone line' },
  { step: 'power', outcome: 'done', message: 'draws up to 500 mA from this port' }
]

/**
 * Answers the setup commands on the page's socket with `answer` (null: pass through to main), and keeps main's
 * own setup.progress events for the virtual dongle away, so only the test's states reach the wizard. `push`
 * sends the page a setup.progress event, as main does after every change.
 */
async function fakeSetup(
  page: Page,
  answer: (channel: string, payload: unknown) => object | null,
  /** A problem main reports for the virtual dongle (in the device list and its change events). */
  problem: object | null = null
): Promise<{ push: (state: object) => void; calls: { channel: string; payload: unknown }[] }> {
  const calls: { channel: string; payload: unknown }[] = []
  let toPage: ((frame: object) => void) | null = null
  type Devices = { devices?: { id: string; problem: object | null }[] }
  const withProblem = (list: Devices | undefined): void => {
    for (const d of list?.devices ?? []) if (problem && d.id === 'virtual') d.problem = problem
  }
  await page.routeWebSocket(/\/ipc/, (ws) => {
    const server = ws.connectToServer()
    const lists = new Set<number>()
    toPage = (frame) => ws.send(JSON.stringify(frame))
    ws.onMessage((message) => {
      const frame = JSON.parse(String(message)) as { id?: number; channel?: string; payload?: unknown }
      const channel = frame.channel ?? ''
      if (channel === 'device.list' && frame.id !== undefined) lists.add(frame.id)
      const value = channel.startsWith('setup.') ? answer(channel, frame.payload) : null
      if (value === null) return server.send(message)
      calls.push({ channel, payload: frame.payload })
      ws.send(JSON.stringify({ kind: 'result', id: frame.id, result: { ok: true, value } }))
    })
    server.onMessage((message) => {
      const frame = JSON.parse(String(message)) as {
        kind: string
        id?: number
        event?: string
        payload?: Devices
        result?: { value?: Devices }
      }
      if (frame.kind === 'event' && frame.event === 'setup.progress') return
      if (frame.kind === 'event' && frame.event === 'device.changed') withProblem(frame.payload)
      else if (frame.kind === 'result' && lists.has(frame.id ?? -1)) withProblem(frame.result?.value)
      else return ws.send(message)
      ws.send(JSON.stringify(frame))
    })
  })
  return { push: (state) => toPage?.({ kind: 'event', event: 'setup.progress', payload: state }), calls }
}

test('allowing access by hand: the command, then Continue checks again and goes on', async ({ page }) => {
  const waiting = setupAt('permissions', 'waiting', BEFORE_ACCESS, {
    message: 'Dialtone needs a udev rule at /etc/udev/rules.d/70-dialtone.rules to open the dongle'
  })
  const command = `sudo sh -c "install -m 0644 '/opt/Dialtone/resources/udev/70-dialtone.rules' '/etc/udev/rules.d/70-dialtone.rules' && udevadm control --reload-rules && udevadm trigger --subsystem-match=usb --subsystem-match=hidraw --action=change"`
  let accessGranted = false
  const moved = setupAt('update', 'running', [
    ...BEFORE_ACCESS,
    { step: 'permissions', outcome: 'done', message: 'the rule is in place' }
  ])
  const fake = await fakeSetup(page, (channel) => {
    if (channel === 'setup.state' || channel === 'setup.run') return waiting
    if (channel === 'setup.installPermissions')
      return { installed: false, reason: 'the administrator password dialog was dismissed', command }
    if (channel === 'setup.checkPermissions') return accessGranted ? moved : waiting
    return null
  })
  expect((await callMain('app.settings.set', { virtualDongle: true })).ok).toBe(true)
  await page.goto(`/?token=${E2E.token}#/device`)
  const wizard = page.getByTestId('setup-wizard')
  await expect(wizard.getByTestId('setup-waiting')).toHaveAttribute('data-step', 'permissions', {
    timeout: 20_000
  })
  // The step waiting for the person is said by the wizard's status region, not only marked in the list.
  await expect(wizard.getByTestId('setup-said')).toHaveText(shownText('The step “Allow access” needs you.'))
  await expect(wizard.getByTestId('setup-said')).toHaveAttribute('role', 'status')

  await wizard.getByTestId('setup-allow').click()
  const manual = wizard.getByTestId('setup-allow-manual')
  await expect(manual).toContainText('Or run this in a terminal, then press Continue:')
  await expect(manual.locator('code')).toHaveText(command)
  // Why pkexec did not do it is main's English, for support: folded away.
  await expect(manual.getByText('the administrator password dialog was dismissed')).toBeHidden()
  const proceed = manual.getByTestId('setup-recheck')
  await expect(proceed).toHaveText('Continue')
  await screenshot(page, `${E2E.screenshots}/setup-allow-manual-en.png`)

  // Pressed before the command ran: still refused, and the screen says what to do now.
  await proceed.click()
  await expect(manual.getByTestId('setup-still-no-access')).toContainText(
    'Dialtone still cannot open the dongle.'
  )
  await expect(wizard.getByTestId('setup-step-permissions')).toHaveAttribute('data-state', 'waiting')

  // The command ran: Continue finds access and the setup goes on.
  accessGranted = true
  await proceed.click()
  fake.push(moved)
  await expect(wizard.getByTestId('setup-step-permissions')).toHaveAttribute('data-state', 'done')
  await expect(wizard.getByTestId('setup-running')).toBeVisible()
  await expect(wizard.getByTestId('setup-said')).toHaveText('')
  await expect(wizard.getByTestId('setup-allow-manual')).toHaveCount(0)
  expect(fake.calls.filter((c) => c.channel === 'setup.checkPermissions').map((c) => c.payload)).toEqual([
    { deviceId: 'virtual' },
    { deviceId: 'virtual' }
  ])
})

test('a dongle set up before whose access was lost since gets the Allow its problem names', async ({
  page
}) => {
  const done = setupAt('registered', 'done', [
    ...BEFORE_ACCESS,
    { step: 'permissions', outcome: 'done', message: 'the rule is in place' }
  ])
  const fake = await fakeSetup(
    page,
    (channel) =>
      channel === 'setup.state' || channel === 'setup.run' || channel === 'setup.checkPermissions'
        ? done
        : channel === 'setup.installPermissions'
          ? { installed: false, reason: 'pkexec is not available on this system', command: 'sudo sh -c "…"' }
          : null,
    { code: 'PERMISSION_NEEDED', message: 'EACCES opening /dev/hidraw0', fix: null }
  )
  expect((await callMain('app.settings.set', { virtualDongle: true })).ok).toBe(true)
  await page.goto(`/?token=${E2E.token}#/device`)
  await expect(page.getByTestId('device-problem')).toContainText('Choose “Allow” in the setup below', {
    timeout: 20_000
  })
  // Not "lift the handset": the Allow the sentence names, and the way by hand where it cannot be done here.
  const lost = page.getByTestId('setup-access-lost')
  await expect(page.getByTestId('setup-done')).toHaveCount(0)
  await lost.getByTestId('setup-allow').click()
  await lost.getByTestId('setup-recheck').click()
  await expect(lost.getByTestId('setup-still-no-access')).toBeVisible()
  expect(fake.calls.map((c) => c.channel)).toContain('setup.checkPermissions')
  await screenshot(page, `${E2E.screenshots}/setup-access-lost-en.png`)
})

test('Persian: the command reads left to right, and the button is the one the sentence names', async ({
  page
}) => {
  await fakeSetup(page, (channel) =>
    channel === 'setup.installPermissions'
      ? { installed: false, reason: 'pkexec is not available on this system', command: 'sudo sh -c "…"' }
      : channel === 'setup.state' || channel === 'setup.run'
        ? setupAt('permissions', 'waiting', BEFORE_ACCESS)
        : null
  )
  expect((await callMain('app.settings.set', { virtualDongle: true, language: 'fa' })).ok).toBe(true)
  await page.goto(`/?token=${E2E.token}#/device`)
  await page.getByTestId('setup-allow').click({ timeout: 20_000 })
  const manual = page.getByTestId('setup-allow-manual')
  await expect(manual).toContainText('یا این را در پایانه اجرا کنید و سپس «ادامه» را بزنید:')
  await expect(manual.getByTestId('setup-recheck')).toHaveText('ادامه')
  await expect(manual.locator('code')).toHaveAttribute('dir', 'ltr')
  await screenshot(page, `${E2E.screenshots}/setup-allow-manual-fa.png`)
})

test('activation with the account service out of reach says so and leads to Settings', async ({ page }) => {
  const raw = 'The account service at http://127.0.0.1:4792 cannot be reached (connect ECONNREFUSED).'
  const failed = setupAt(
    'activate',
    'failed',
    [
      ...BEFORE_ACCESS,
      { step: 'permissions', outcome: 'skipped', message: 'the virtual dongle needs no access rule' },
      { step: 'update', outcome: 'skipped', message: 'no update source is configured' },
      { step: 'initialise', outcome: 'done', message: 'line powered' }
    ],
    { error: { code: 'service-unreachable', message: raw } }
  )
  await fakeSetup(page, (channel) => (channel === 'setup.state' || channel === 'setup.run' ? failed : null))
  expect((await callMain('app.settings.set', { virtualDongle: true })).ok).toBe(true)
  await page.goto(`/?token=${E2E.token}#/device`)
  const banner = page.getByTestId('setup-failed')
  await expect(banner.getByTestId('setup-failure')).toHaveText(
    'The account service cannot be reached. Check the internet connection and the service address in Settings, then press Try again.',
    { timeout: 20_000 }
  )
  await expect(banner).not.toContainText('Something went wrong')
  await expect(banner.getByText(raw)).toBeHidden()
  await expect(banner.getByTestId('setup-retry')).toHaveText('Try again')
  await expect(banner.getByTestId('setup-failed-help')).toHaveCount(0)
  const toSettings = banner.getByTestId('setup-failed-settings')
  await expect(toSettings).toHaveText('Open Settings')
  await screenshot(page, `${E2E.screenshots}/setup-service-unreachable-en.png`)
  await toSettings.click()
  await expect(page).toHaveURL(/#\/settings$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Settings')
})
