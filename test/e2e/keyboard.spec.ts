/**
 * The app by keyboard and at 400 % zoom, as WCAG 2.2 asks beyond what axe (a11y.spec.ts) can see: "Skip to content"
 * moves the focus to the page without changing it; the window's title names the page; the focus is never dropped to
 * the page's body when what held it goes away (a view replaced, a control waiting for its action) and goes to the
 * refused field when a form is refused (src/renderer/src/focus-keeper.ts); at 320 CSS pixels wide the navigation
 * sits above the page, which keeps the window's width.
 */
import { expect, test, type Page } from '@playwright/test'
import { callMain } from './bridge'
import { E2E } from './env'
import { leaveSignedOut, startFromDefaultSettings } from './fresh-state'

startFromDefaultSettings()
leaveSignedOut()

/** What has the focus: its test id, else its tag. */
const focused = (page: Page): Promise<string> =>
  page.evaluate(() => {
    const a = document.activeElement
    return a?.getAttribute('data-testid') ?? a?.tagName.toLowerCase() ?? 'none'
  })

test('“Skip to content” moves the focus to the page and stays on it; the title names the page', async ({
  page
}) => {
  await page.goto(`/?token=${E2E.token}#/settings`)
  await expect(page.getByTestId('page-settings')).toBeVisible()
  await expect(page).toHaveTitle('Settings – Dialtone')
  await page.keyboard.press('Tab')
  await expect(page.locator('a.skip')).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(page.locator('main#content')).toBeFocused()
  expect(await page.evaluate(() => window.location.hash)).toBe('#/settings')
  await expect(page.getByTestId('page-settings')).toBeVisible()
  await page.goto(`/?token=${E2E.token}#/help`)
  await expect(page).toHaveTitle('Help – Dialtone')
})

test('a view replaced by the keyboard keeps the focus in its place, and a refused form focuses its field', async ({
  page
}) => {
  await callMain('account.signOut')
  await page.goto(`/?token=${E2E.token}#/account`)
  await page.getByTestId('signin-forgot').focus()
  await page.keyboard.press('Enter')
  // The sign-in form is gone with the button: the focus lands on the new view's heading, not the body.
  await expect(page.getByTestId('forgot')).toBeVisible()
  expect(await focused(page)).not.toBe('body')
  await expect(page.getByTestId('forgot').getByRole('heading').first()).toBeFocused()

  // Sent empty from the keyboard: the field's refusal is said where the focus goes, on the field.
  await page.getByTestId('forgot-submit').focus()
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('forgot-identifier')).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByTestId('forgot-identifier')).toBeFocused()

  // Back: the sign-in form again, the focus in it.
  await page.getByTestId('forgot-back').focus()
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('signin')).toBeVisible()
  expect(await focused(page)).not.toBe('body')
})

test('the focus lost with a control never lands on words said about it, nor on a refusal drawn with it', async ({
  page
}) => {
  await page.goto(`/?token=${E2E.token}#/settings`)
  await expect(page.getByTestId('page-settings')).toBeVisible({ timeout: 20_000 })
  // A card as the app draws one: its heading, a list with a row's button, and its Said region. In one change the
  // row goes (the list left empty) and the region says what happened, or a refusal is drawn in the card: the focus
  // goes to the card's heading, not to those words (read twice) nor to the empty list (read as nothing).
  const landed = (drawn: 'said' | 'alert') =>
    page.evaluate(async (drawn) => {
      const card = document.createElement('section')
      card.innerHTML =
        '<h2 data-testid="probe-heading">Probe</h2><ul><li><button data-testid="probe-remove">Remove</button></li></ul>' +
        '<p class="said unseen" role="status" data-testid="probe-said"></p>'
      document.getElementById('content')?.append(card)
      const button = card.querySelector('button') as HTMLButtonElement
      button.focus()
      const said = document.createElement('span')
      said.textContent = 'Removed.'
      const alert = document.createElement('p')
      alert.setAttribute('role', 'alert')
      alert.textContent = 'Refused.'
      if (drawn === 'said') card.querySelector('.said')?.append(said)
      else card.append(alert)
      button.closest('li')?.remove()
      await new Promise((r) => setTimeout(r, 50))
      const at = document.activeElement
      card.remove()
      return at?.getAttribute('data-testid') ?? at?.tagName.toLowerCase() ?? 'none'
    }, drawn)
  expect(await landed('said')).toBe('probe-heading')
  expect(await landed('alert')).toBe('probe-heading')
})

test('a button waiting for its answer keeps the focus, and a refusal by the service is focused too', async ({
  page
}) => {
  await callMain('account.signOut')
  // The sign-in held back a moment, so the button is seen waiting.
  await page.routeWebSocket(/\/ipc/, (ws) => {
    const server = ws.connectToServer()
    ws.onMessage((message) => {
      const frame = JSON.parse(String(message)) as { channel?: string }
      if (frame.channel === 'account.signIn') setTimeout(() => server.send(message), 1500)
      else server.send(message)
    })
  })
  await page.goto(`/?token=${E2E.token}#/account`)
  await page.getByTestId('signin-identifier').fill('nobody@example.test')
  await page.getByTestId('signin-password').fill('not the password 1234')
  const submit = page.getByTestId('signin-submit')
  await submit.focus()
  await page.keyboard.press('Enter')
  // Waiting, it says so and keeps the focus (a `disabled` button would have dropped it to the page's body).
  await expect(submit).toHaveAttribute('aria-disabled', 'true')
  await expect(submit).toBeFocused()
  await expect(page.getByTestId('signin-error')).toBeVisible({ timeout: 20_000 })
  // Never the body: on the button still, or on a field the refusal marked.
  expect(await focused(page)).toMatch(/^signin-(submit|identifier|password)$/)
})

test('at 320 CSS pixels (400 % zoom) the navigation sits above the page, which keeps the width', async ({
  page
}) => {
  await page.setViewportSize({ width: 320, height: 640 })
  await page.goto(`/?token=${E2E.token}#/account`)
  await expect(page.getByTestId('signin')).toBeVisible({ timeout: 20_000 })
  const nav = await page.locator('nav.nav').boundingBox()
  const main = await page.locator('main#content').boundingBox()
  expect(nav && main).toBeTruthy()
  expect(main!.width).toBeGreaterThanOrEqual(300)
  expect(nav!.y + nav!.height).toBeLessThanOrEqual(main!.y + 1)
  // Nothing wider than the window: no scrolling sideways to read a line.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320)
  await page.screenshot({ path: `${E2E.screenshots}/reflow-320.png` })
})
