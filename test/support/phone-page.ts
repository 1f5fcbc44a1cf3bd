/**
 * An app brain on the Phone page in Chromium, for suites that measure a call's audio: signed in to a line, its
 * phone registered with the stack's Kamailio (the virtual dongle's handset), its MediaEngine attached, and every
 * RTCPeerConnection the page makes listed in `window.__pcs` for the audio probes (energy-probe.ts).
 */
import type { Browser, Page } from 'playwright-core'
import { call } from '../../src/main/ipc/dispatcher'
import type { WebHost } from '../../src/main/web/server'
import { appUrl, hostPage } from './browser'
import { stackApp, until } from './phone-app'
import type { TrialLine } from './service-flows'
import type { SipStack } from './sip-stack'
import type { TestApp } from './test-app'

export interface PhonePage {
  readonly t: TestApp
  readonly host: WebHost
  readonly page: Page
  /** The line's number as the registered phone reports it. */
  readonly number: string
}

/**
 * Opens the page; `hosted` is told as soon as the page exists, so a suite can close it even when signing in or
 * registering fails afterwards.
 */
export async function openPhonePage(
  browser: Browser,
  stack: SipStack,
  line: TrialLine,
  hosted: (opened: { t: TestApp; host: WebHost; page: Page }) => void
): Promise<PhonePage> {
  const t = stackApp(stack, true)
  const { host, page } = await hostPage(browser, t)
  hosted({ t, host, page })
  // Peer connections counted for the audio probes.
  await page.addInitScript(`{
    const Native = window.RTCPeerConnection
    window.__pcs = []
    window.RTCPeerConnection = class extends Native {
      constructor(config) { super(config); window.__pcs.push(this) }
    }
  }`)
  await call(t.app.dispatch, 'account.signIn', { identifier: line.email, password: line.password })
  const status = await until(
    () => call(t.app.dispatch, 'phone.status', undefined),
    (s) => s.state === 'registered',
    15_000
  )
  await page.goto(appUrl(host, '#/phone'))
  // The page's MediaEngine is there before any call: it makes the call's offer and plays its tones.
  await until(
    () => call(t.app.dispatch, 'media.status', undefined),
    (m) => m.engineId !== null && m.report !== null
  )
  return { t, host, page, number: status.number ?? '' }
}
