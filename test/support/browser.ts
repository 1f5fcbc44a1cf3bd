/**
 * Chromium for the media suite: Debian's build with fake audio devices, an app brain served by a web host and
 * opened in a page, and axe-core on a page as it is. Shared by the call and journey suites.
 */
import { existsSync, mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { type Browser, chromium, type Page } from 'playwright-core'
import { inject } from 'vitest'
import { silentLogger } from '../../src/main/log/logger'
import { startWebHost, type WebHost } from '../../src/main/web/server'
import type { TestApp } from './test-app'
import { screenshot as fullPageShot } from '../e2e/screenshot'
import { shownText } from '../e2e/shown-text'
import { CHROMIUM, CHROMIUM_ARGS } from './chromium'
import { disposeAllWithin } from './dispose-within'

export const RENDERER = join(import.meta.dirname, '../../out/renderer')
export const SCREENSHOTS = join(import.meta.dirname, '../../test-results/screenshots')
export const WEB_TOKEN = 'media-test-token-7d1e0b5a93c2'
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js')

/**
 * The project's shared Chromium, asked of vitest; none in plain Node (a benchmark, relay-delay.bench.ts, opens its
 * browser there, where vitest's inject throws: not an error, just no shared one). Not told by VITEST in the
 * environment: a process a test starts inherits it.
 */
function sharedEndpoint(): string | undefined {
  try {
    return inject('chromiumEndpoint')
  } catch {
    return undefined
  }
}

/**
 * A Chromium: the project's shared one when it has one (browser-setup.ts) and no flags of its own are asked for,
 * else one of its own (always outside vitest). Closing what this returns closes only this connection's contexts when it is shared.
 */
export async function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  if (!existsSync(join(RENDERER, 'index.html')))
    throw new Error('no built renderer in out/renderer: run `npm run build` first')
  mkdirSync(SCREENSHOTS, { recursive: true })
  const shared = extraArgs.length === 0 ? sharedEndpoint() : undefined
  if (shared) return chromium.connect(shared)
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (apt-get install chromium)`)
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...extraArgs] })
}

/** A web host in front of the brain, and a fresh page (own context) ready to open it. */
export async function hostPage(browser: Browser, t: TestApp): Promise<{ host: WebHost; page: Page }> {
  const host = await startWebHost({
    app: t.app,
    rendererDir: RENDERER,
    token: WEB_TOKEN,
    port: 0,
    log: silentLogger()
  })
  // bypassCSP only lets the audit inject axe-core; the app's own scripts are the same either way.
  const page = await (await browser.newContext({ bypassCSP: true })).newPage()
  return { host, page }
}

/**
 * Closes what a browser suite opened for its sides: each page and its web host, then the sides' app brains at once,
 * each within 10 s (named `name` on the log when one would not stop: dispose-within.ts says why).
 */
export async function closeSides(
  sides: readonly { readonly page: Page; readonly host: WebHost }[],
  apps: readonly TestApp['app'][],
  name: string
): Promise<void> {
  for (const s of sides) {
    await s.page.close().catch(() => undefined)
    await s.host.close()
  }
  await disposeAllWithin(apps, 10_000, name)
}

/** The host's address with the token and a page: `#/account`. */
export const appUrl = (host: WebHost, hash = ''): string =>
  `${host.url.split('?')[0]}?token=${WEB_TOKEN}${hash}`

/**
 * axe-core on the page as it is: the serious and critical findings, one line each. axe is added once per loaded
 * document (the app changes screens without reloading): adding its 500 KB again took longer than the audit.
 */
export async function audit(page: Page): Promise<string[]> {
  if (!(await page.evaluate<boolean>(`typeof window.axe === 'object'`)))
    await page.addScriptTag({ path: AXE })
  return page.evaluate<string[]>(`axe.run().then((r) => r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => v.id + ': ' + v.help + ' at ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`)
}

/** The whole page as a picture, under test-results/screenshots/<name>.png. */
export const screenshot = (page: Page, name: string): Promise<void> =>
  fullPageShot(page, join(SCREENSHOTS, `${name}.png`))

/** Waits until the element shows the text (the page follows main's events; values in it may be isolated). */
export async function expectText(page: Page, testId: string, text: string, timeout = 10_000): Promise<void> {
  await page
    .getByTestId(testId)
    .filter({ hasText: shownText(text) })
    .first()
    .waitFor({ timeout })
}
