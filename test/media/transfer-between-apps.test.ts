/**
 * A transfer between Dialtone apps, each an app brain with its page in Chromium (WebSocket lines through a real
 * Kamailio): A calls B, B answers, A transfers B to C (blind, a REFER through Kamailio). B's app follows it
 * (src/main/phone/call-controller.ts, referred()): it holds A, calls C as its own line, tells A it got through
 * (NOTIFY), and leaves A once C answers; A reads "transferred" and goes idle. B's Phone page says who transferred the
 * call, and B and C are connected with media (B's first peer connection closed, its second up). Before, B declined
 * every REFER (603) and a transfer between two Dialtone lines always failed. Runs only in a loopback-only network
 * namespace (npm run test:media).
 */
import { networkInterfaces } from 'node:os'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call } from '../../src/main/ipc/dispatcher'
import type { CallState } from '../../src/shared/ipc/phone'
import { launchBrowser } from '../support/browser'
import { type Side, openSide, peerStates } from '../support/browser-side'
import { disposeAllWithin } from '../support/dispose-within'
import { assertIsolatedNetwork, callState, phaseOf, until } from '../support/phone-app'
import { type SipStack, startSipStack } from '../support/sip-stack'

let stack: SipStack
let browser: Browser
const sides: Side[] = []

const phase = (s: Side, p: CallState['phase'], ms?: number) => phaseOf(s.t, p, ms)
const side = (): Promise<Side> => openSide(stack, browser, sides)

beforeAll(async () => {
  assertIsolatedNetwork(Object.keys(networkInterfaces()))
  stack = await startSipStack()
  browser = await launchBrowser()
}, 60_000)

afterAll(async () => {
  for (const s of sides) {
    await s.page.close().catch(() => undefined)
    await s.host.close()
  }
  await disposeAllWithin(
    sides.map((s) => s.t.app),
    10_000,
    'transfer-between-apps'
  )
  await browser?.close()
  await stack?.close()
})

describe('a transfer between two Dialtone apps', () => {
  it('is followed by the app transferred: it calls the new party, and its page says who transferred it', async () => {
    const a = await side()
    const b = await side()
    const c = await side()
    await b.page.evaluate("window.location.hash = '#/phone'")
    await call(a.t.app.dispatch, 'phone.dial', { number: b.number })
    await phase(b, 'ringing')
    await call(b.t.app.dispatch, 'phone.answer', undefined)
    await phase(a, 'connected')
    await phase(b, 'connected')
    const transfer = call(a.t.app.dispatch, 'phone.transfer', { number: c.number })
    await phase(c, 'ringing', 15_000)
    // B waits for C with A on hold, and its page says A transferred the call.
    const waiting = await until(
      () => callState(b.t),
      (st) => st.phase === 'ringback' && st.call?.referredBy !== undefined,
      10_000
    )
    expect(waiting.call).toMatchObject({ remote: c.number, referredBy: a.number })
    expect(waiting.other).toMatchObject({ remote: a.number, held: true })
    await call(c.t.app.dispatch, 'phone.answer', undefined)
    expect(await transfer).toEqual({ outcome: 'transferred' })
    await phase(a, 'idle', 10_000)
    const connected = await phase(b, 'connected', 10_000)
    expect(connected.call).toMatchObject({ remote: c.number, referredBy: a.number })
    expect(connected.other).toBeNull()
    await phase(c, 'connected')
    const said = b.page.getByTestId('call-referred-by')
    await said.waitFor({ timeout: 10_000 })
    expect(await said.textContent()).toMatch(/^Transferred by /)
    // B's first peer connection (to A) has closed; its second (to C) is up, and so is C's.
    await until(
      () => peerStates(b),
      (pcs) => pcs.length === 2 && pcs[0] === 'closed' && pcs[1] === 'connected',
      15_000
    )
    await until(
      () => peerStates(c),
      (pcs) => pcs.at(-1) === 'connected',
      15_000
    )
    await call(b.t.app.dispatch, 'phone.hangup', undefined)
    await phase(c, 'reorder', 10_000)
    await phase(b, 'idle', 10_000)
  }, 90_000)
})
