/**
 * One side of a call between two browser pages (the media tests that call through Kamailio): an app brain signed in
 * to its own trial line, a web host serving the built renderer for it, and a Chromium page on it whose MediaEngine
 * has attached. The page counts its RTCPeerConnections in `window.__pcs`, so a test can prove the call's media ran
 * there and that none is left open (`peerStates`).
 */
import { networkInterfaces } from 'node:os'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { call } from '../../src/main/ipc/dispatcher'
import type { WebHost } from '../../src/main/web/server'
import type { MediaStatus } from '../../src/shared/ipc/media'
import { appUrl, closeSides, hostPage, launchBrowser } from './browser'
import { assertIsolatedNetwork, phoneApp, until } from './phone-app'
import { type SipStack, type SipStackOptions, startSipStack } from './sip-stack'
import type { TestApp } from './test-app'

export interface Side {
  t: TestApp
  host: WebHost
  page: Page
  number: string
}

export const mediaOf = (s: Side): Promise<MediaStatus> => call(s.t.app.dispatch, 'media.status', undefined)

/** The connection state of every RTCPeerConnection the page made, in order. */
export const peerStates = (s: Side): Promise<string[]> =>
  s.page.evaluate<string[]>('window.__pcs.map((pc) => pc.connectionState)')

/** A side on `stack`, opened in `browser`; pushed to `sides` before its page loads (so afterAll closes it). */
export async function openSide(stack: SipStack, browser: Browser, sides: Side[]): Promise<Side> {
  const { t, number } = await phoneApp(stack)
  const { host, page } = await hostPage(browser, t)
  const s: Side = { t, host, page, number }
  sides.push(s)
  // (A script string: this file is type-checked for Node, without the DOM's types.)
  await page.addInitScript(`{
    const Native = window.RTCPeerConnection
    const all = []
    window.__pcs = all
    window.RTCPeerConnection = class extends Native {
      constructor(config) {
        super(config)
        all.push(this)
      }
    }
  }`)
  await page.goto(appUrl(host))
  await until(
    () => mediaOf(s),
    (m) => m.engineId !== null && m.report !== null
  )
  return s
}

/**
 * The sides of one media test file on one stack and one Chromium, started before its tests (which must run in the
 * loopback-only namespace) and closed after them with every side's page, web host and app brain (within 10 s, named
 * `name` in the report of what would not stop). `side()` opens one more; `stack()` is the stack once started.
 */
export function sidesOnOneStack(
  name: string,
  options?: SipStackOptions
): { sides: Side[]; side: () => Promise<Side>; stack: () => SipStack } {
  const sides: Side[] = []
  let stack: SipStack | undefined
  let browser: Browser | undefined
  beforeAll(async () => {
    assertIsolatedNetwork(Object.keys(networkInterfaces()))
    stack = await startSipStack(options)
    browser = await launchBrowser()
  }, 60_000)
  afterAll(async () => {
    await closeSides(
      sides,
      sides.map((s) => s.t.app),
      name
    )
    await browser?.close()
    await stack?.close()
  })
  const started = (): { stack: SipStack; browser: Browser } => {
    if (!stack || !browser) throw new Error('the stack and the browser start before the tests')
    return { stack, browser }
  }
  return {
    sides,
    side: () => openSide(started().stack, started().browser, sides),
    stack: () => started().stack
  }
}
