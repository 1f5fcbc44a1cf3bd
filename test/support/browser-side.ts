/**
 * One side of a call between two browser pages (the media tests that call through Kamailio): an app brain signed in
 * to its own trial line, a web host serving the built renderer for it, and a Chromium page on it whose MediaEngine
 * has attached. The page counts its RTCPeerConnections in `window.__pcs`, so a test can prove the call's media ran
 * there and that none is left open (`peerStates`).
 */
import type { Browser, Page } from 'playwright-core'
import { call } from '../../src/main/ipc/dispatcher'
import type { WebHost } from '../../src/main/web/server'
import type { MediaStatus } from '../../src/shared/ipc/media'
import { appUrl, hostPage } from './browser'
import { phoneApp, until } from './phone-app'
import type { SipStack } from './sip-stack'
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
