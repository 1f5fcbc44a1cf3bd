/**
 * The first paint: before any of the app's modules has run, the page already shows the shell's frame
 * (navigation, the status bar, the page loading) drawn by the first-paint script, in the person's language and
 * direction; React then renders the same markup in the same place, so nothing moves or changes language when the
 * app takes over. Main's socket is held unanswered, so the app's render compared is its first one. The words
 * come in two parts (the first page's, then the rest with the other pages): no page shows a key instead.
 */
import { readFileSync } from 'node:fs'
import { expect, test, type Page } from '@playwright/test'
import { PAGES } from '../../src/shared/ipc/app-pages'
import { callMain } from './bridge'
import { E2E } from './env'

/** What the frame looks like: its markup and where its parts sit. */
async function frame(
  page: Page
): Promise<{ html: Record<string, string>; boxes: unknown[]; lang: string; dir: string }> {
  return page.evaluate(() => {
    const pick = (selector: string): string =>
      document.querySelector(selector)?.outerHTML ?? `(no ${selector})`
    const main = document.querySelector('main')
    return {
      html: {
        skip: pick('.skip'),
        nav: pick('nav'),
        status: pick('.statusbar'),
        main: main ? [...main.attributes].map((a) => `${a.name}=${a.value}`).join(' ') : '(no main)'
      },
      boxes: [...document.querySelectorAll('nav, nav a, .brand, main, .statusbar, .statusbar span')].map(
        (e) => {
          const r = e.getBoundingClientRect()
          return [e.tagName, Math.round(r.x), Math.round(r.y), Math.round(r.width), Math.round(r.height)]
        }
      ),
      lang: document.documentElement.lang,
      dir: document.documentElement.dir
    }
  })
}

/** Whether React has rendered #root (its nodes carry React's own keys; the first-paint script's do not). */
const reactRendered = (): boolean =>
  Object.keys(document.querySelector('nav') ?? {}).some((k) => k.startsWith('__reactFiber'))

for (const { language, locale, label } of [
  { language: 'en', locale: 'en-US', label: 'Device' },
  { language: 'fa', locale: 'fa-IR', label: 'دستگاه' }
] as const) {
  test(`the shell's frame is painted before the app's code runs and React keeps it as it is (${language})`, async ({
    browser
  }) => {
    const context = await browser.newContext({ locale })
    try {
      const page = await context.newPage()
      await page.routeWebSocket(/\/ipc/, () => undefined)
      // Only the first-paint script: every module of the app is refused.
      await page.route(/\/assets\/.*\.js$/, (route) =>
        /\/first-paint-[\w-]+\.js$/.test(route.request().url()) ? route.continue() : route.abort()
      )
      await page.goto(`/?token=${E2E.token}#/phone`)
      await expect(page.getByTestId('nav-device')).toHaveText(label)
      const painted = await frame(page)
      expect(painted.lang).toBe(language)
      expect(painted.dir).toBe(language === 'fa' ? 'rtl' : 'ltr')
      expect(painted.html.nav).toContain('aria-current="page" data-testid="nav-phone"')
      expect(await page.evaluate(reactRendered)).toBe(false)

      // The same address in a new tab of the same profile, the app's code allowed this time.
      const app = await context.newPage()
      await app.routeWebSocket(/\/ipc/, () => undefined)
      await app.goto(`/?token=${E2E.token}#/phone`)
      await app.waitForFunction(reactRendered)
      const rendered = await frame(app)
      expect(rendered.html).toEqual(painted.html)
      expect(rendered.boxes).toEqual(painted.boxes)
      expect([rendered.lang, rendered.dir]).toEqual([painted.lang, painted.dir])
    } finally {
      await context.close()
    }
  })
}

/** Text that is a locale key shown as is ("setup.title"): a word the page's part of the locale lacked. */
const namespaces = Object.keys(
  JSON.parse(readFileSync('src/renderer/src/i18n/locales/en.json', 'utf8')) as object
)
const RAW_KEY = new RegExp(`(^|[^\\w.])(${namespaces.join('|')})\\.[a-zA-Z][\\w.-]*`)

for (const language of ['en', 'fa'] as const) {
  test(`no page shows a raw key with its words loaded in two parts, the first page's first (${language})`, async ({
    page
  }) => {
    // The virtual dongle puts the setup wizard on the first page.
    expect((await callMain('app.settings.set', { language, theme: 'light', virtualDongle: true })).ok).toBe(
      true
    )
    try {
      await page.goto(`/?token=${E2E.token}#/device`)
      await expect(page.getByTestId('setup-wizard')).toBeVisible()
      await expect(page.getByTestId('status-service')).not.toHaveText(/Checking|در حال بررسی/)
      const seen = [`device: ${await page.locator('body').innerText()}`]
      for (const name of PAGES.filter((p) => p !== 'device')) {
        await page.getByTestId(`nav-${name}`).click()
        await expect(page.getByTestId(`page-${name}`)).toBeVisible()
        await expect(page.getByTestId('loading')).toHaveCount(0)
        seen.push(`${name}: ${await page.locator('body').innerText()}`)
      }
      expect(seen.filter((text) => RAW_KEY.test(text))).toEqual([])
    } finally {
      await callMain('app.settings.set', { language: 'en', theme: 'light', virtualDongle: false })
    }
  })
}

// Issue 24 goal 2: the schemas stay out of what the first page fetches, the setup wizard's included (zod is
// most of a chunk of 19 KiB gzip; the service checks what it is sent). A regression here is a size regression
// `npm run bench` would only report.
test('the first page, with the setup wizard beside a dongle, fetches no zod', async ({ page }) => {
  expect(
    (await callMain('app.settings.set', { language: 'en', theme: 'light', virtualDongle: true })).ok
  ).toBe(true)
  // A body read after the test ended (a script the page asked for late) would reject unheard: each read settles.
  const scripts: Promise<{ url: string; body: string | null }>[] = []
  page.on('response', (r) => {
    if (/\.js(\?|$)/.test(r.url()))
      scripts.push(
        r.text().then(
          (body) => ({ url: r.url(), body }),
          () => ({ url: r.url(), body: null })
        )
      )
  })
  try {
    await page.goto(`/?token=${E2E.token}#/device`)
    await expect(page.getByTestId('setup-wizard')).toBeVisible()
    await expect(page.getByTestId('status-service')).not.toHaveText(/Checking/)
    // Every script the first page asks for has come.
    await page.waitForLoadState('networkidle')
    const fetched = await Promise.all(scripts)
    expect(fetched.length).toBeGreaterThan(3)
    expect(fetched.filter((s) => s.body === null).map((s) => s.url)).toEqual([])
    expect(fetched.filter((s) => s.body?.includes('$ZodType')).map((s) => s.url)).toEqual([])
  } finally {
    await callMain('app.settings.set', { language: 'en', theme: 'light', virtualDongle: false })
  }
})
