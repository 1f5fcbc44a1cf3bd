/**
 * A call Kamailio ends itself reaches the apps: two app brains in Chromium (WebSocket lines, whose Contact nobody
 * can resolve but by the connection's alias), a call between them through a real Kamailio whose longest call is a few
 * seconds (MAX_CALL_SECONDS, the same end a spent credit abroad gets: resources/kamailio/credit.cfg). Nobody hangs
 * up: Kamailio's BYE must reach both pages, which give the phone reorder, say why (its Reason: the longest call) and
 * close their peer connections. Before
 * the alias was written into the message (kamailio.cfg, the WebSocket branch and reply_route), the dialog kept the
 * bare `.invalid` Contacts and Kamailio's BYE went nowhere: the app showed the call up with no one on it. Runs only in
 * a loopback-only network namespace (npm run test:media).
 */
import { describe, expect, it } from 'vitest'
import { call } from '../../src/main/ipc/dispatcher'
import type { CallState } from '../../src/shared/ipc/phone'
import { phaseOf, until } from '../support/phone-app'
import { type Side, mediaOf, peerStates, sidesOnOneStack } from '../support/browser-side'

/** Long enough to answer, short enough to wait for. */
const MAX_CALL_SECONDS = 4

const { side, stack } = sidesOnOneStack('server-ends-call', { maxCallSeconds: MAX_CALL_SECONDS })

const media = mediaOf
const phase = (s: Side, p: CallState['phase'], ms?: number) => phaseOf(s.t, p, ms)

describe('a call Kamailio ends itself', () => {
  it('reaches both apps: nobody hangs up, both phones get reorder and the peer connections close', async () => {
    const a = await side()
    const b = await side()
    await call(a.t.app.dispatch, 'phone.dial', { number: b.number })
    await phase(b, 'ringing')
    await call(b.t.app.dispatch, 'phone.answer', undefined)
    await phase(a, 'connected')
    await phase(b, 'connected')
    const answered = Date.now()
    // Each phone is told why: Kamailio's BYE says the call reached the longest a call lasts (its Reason), which the
    // Phone page words (callTooLong), not "the other party hung up".
    for (const s of [a, b]) expect((await phase(s, 'reorder', 15_000)).why).toBe('callTooLong')
    expect(Date.now() - answered).toBeGreaterThan((MAX_CALL_SECONDS - 2) * 1000)
    for (const s of [a, b])
      await until(
        () => media(s),
        (m) => m.report?.sessions.length === 0
      )
    for (const s of [a, b]) {
      const pcs = await peerStates(s)
      expect(pcs).toEqual(['closed'])
    }
    expect(stack().kam.output()).not.toMatch(/\.invalid.*(could not|failed|resolve)/i)
  }, 60_000)
})
