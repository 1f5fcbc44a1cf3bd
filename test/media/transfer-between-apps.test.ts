/**
 * A transfer between Dialtone apps, each an app brain with its page in Chromium (WebSocket lines through a real
 * Kamailio): A calls B, B answers, A transfers B to C (blind, a REFER through Kamailio). B's app follows it
 * (followReferral in src/main/phone/call-transfers.ts): it holds A, calls C as its own line, tells A it got through
 * (NOTIFY), and leaves A once C answers; A reads "transferred" and goes idle. B's Phone page says who transferred the
 * call, and B and C are connected with media (B's first peer connection closed, its second up). Attended: A consults
 * C first (flash, B on hold), then transfers; B calls C with Replaces, and C's app takes B in place of A without
 * ringing (takeReplacing); C's page says A transferred the call. Refused by C (do-not-disturb): A reads "failed", B's
 * page says the transfer did not go through, and its Switch calls takes B back to A. Before, B declined
 * every REFER (603) and a transfer between two Dialtone lines always failed. Runs only in a loopback-only network
 * namespace (npm run test:media).
 */
import { describe, expect, it } from 'vitest'
import { call } from '../../src/main/ipc/dispatcher'
import type { CallState } from '../../src/shared/ipc/phone'
import { type Side, peerStates, sidesOnOneStack } from '../support/browser-side'
import { callState, phaseOf, until } from '../support/phone-app'

const { sides, side } = sidesOnOneStack('transfer-between-apps')

const phase = (s: Side, p: CallState['phase'], ms?: number) => phaseOf(s.t, p, ms)

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
    // B's page says A is transferring the call to C and waits on hold (not the three-way call's second dial tone).
    const followed = b.page.getByTestId('transfer-followed')
    await followed.waitFor({ timeout: 10_000 })
    expect(await b.page.getByTestId('three-way').count()).toBe(0)
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
    await call(c.t.app.dispatch, 'phone.hangup', undefined)
    // B's recent calls keep who transferred the call to C.
    const row = b.page.getByTestId('call-history-referred-by').first()
    await row.waitFor({ timeout: 10_000 })
    expect(await row.textContent()).toMatch(/Transferred by /)
  }, 90_000)

  it('refused by the new party: the page says the transfer did not go through, and Switch calls goes back', async () => {
    const [a, b, c] = sides
    if (!a || !b || !c) throw new Error('the first test opens the three apps')
    await b.page.evaluate("window.location.hash = '#/phone'")
    await call(c.t.app.dispatch, 'phone.doNotDisturb', { on: true })
    await call(a.t.app.dispatch, 'phone.dial', { number: b.number })
    await phase(b, 'ringing')
    await call(b.t.app.dispatch, 'phone.answer', undefined)
    await phase(a, 'connected')
    // C refuses every call: A hears the transfer failed (the final NOTIFY), B is left with A on hold.
    expect(await call(a.t.app.dispatch, 'phone.transfer', { number: c.number })).toEqual({
      outcome: 'failed'
    })
    const refused = await until(
      () => callState(b.t),
      (st) => st.call === null && st.other?.transferring === true,
      10_000
    )
    expect(refused.other).toMatchObject({ remote: a.number, held: true })
    // B's page says so (not the three-way call's words) and the Switch calls it names is there.
    const failed = b.page.locator('[data-testid="transfer-followed"][data-failed="true"]')
    await failed.waitFor({ timeout: 10_000 })
    expect(await failed.textContent()).toMatch(/^The transfer did not go through\. .* is still on hold/)
    expect(await b.page.getByTestId('three-way').count()).toBe(0)
    await b.page.getByTestId('call-flash').click()
    const back = await phase(b, 'connected', 10_000)
    expect(back.call).toEqual({ id: refused.other?.id, direction: 'in', remote: a.number })
    expect(back.other).toBeNull()
    await call(b.t.app.dispatch, 'phone.hangup', undefined)
    await phase(a, 'reorder', 10_000)
    await call(a.t.app.dispatch, 'phone.hangup', undefined)
    await call(c.t.app.dispatch, 'phone.doNotDisturb', { on: false })
  }, 60_000)

  it('attended: the party called in place of the transferring one takes its place, and both pages say who', async () => {
    const [a, b, c] = sides
    if (!a || !b || !c) throw new Error('the first test opens the three apps')
    await c.page.evaluate("window.location.hash = '#/phone'")
    await call(a.t.app.dispatch, 'phone.dial', { number: b.number })
    await phase(b, 'ringing')
    await call(b.t.app.dispatch, 'phone.answer', undefined)
    await phase(a, 'connected')
    // A consults C (flash: B waits on hold, a second dial tone), C answers, then A transfers B to C.
    await call(a.t.app.dispatch, 'phone.flash', undefined)
    await phase(a, 'dialTone')
    await call(a.t.app.dispatch, 'phone.dial', { number: c.number })
    await phase(c, 'ringing', 15_000)
    await call(c.t.app.dispatch, 'phone.answer', undefined)
    await phase(a, 'connected')
    const cPeers = (await peerStates(c)).length
    expect(await call(a.t.app.dispatch, 'phone.transfer', {})).toEqual({ outcome: 'transferred' })
    await phase(a, 'idle', 10_000)
    // B called C with Replaces: C took B in place of A without ringing, and both say A transferred the call.
    for (const [s, remote] of [
      [b, c.number],
      [c, b.number]
    ] as const) {
      const st = await until(
        () => callState(s.t),
        (x) => x.phase === 'connected' && x.call?.remote === remote,
        10_000
      )
      expect(st.call?.referredBy).toBe(a.number)
      expect(st.other).toBeNull()
    }
    const said = c.page.getByTestId('call-referred-by')
    await said.waitFor({ timeout: 10_000 })
    expect(await said.textContent()).toMatch(/^Transferred by /)
    await until(
      () => peerStates(c),
      (pcs) => pcs.length === cPeers + 1 && pcs.at(-2) === 'closed' && pcs.at(-1) === 'connected',
      15_000
    )
    await call(c.t.app.dispatch, 'phone.hangup', undefined)
    await phase(b, 'reorder', 10_000)
    await phase(c, 'idle', 10_000)
  }, 90_000)
})
