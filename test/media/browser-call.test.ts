/**
 * Real media end to end: two app brains (each signed in to its own trial line, registered with a real Kamailio
 * reading the real service's database), each behind a web host serving the built renderer, each opened in
 * Debian's Chromium with fake audio devices. Each page's MediaEngine attaches to its brain; A dials B from the
 * contract, B answers; both engines must report a connected RTCPeerConnection with RTP packets counted both
 * ways and growing (not only SIP state), the caller's engine must have played ringback while B rang, and a
 * hang-up must close both peer connections. Runs only in a loopback-only network namespace (npm run test:media).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { call } from '../../src/main/ipc/dispatcher'
import { audit, expectText, screenshot } from '../support/browser'
import type { SessionReport } from '../../src/shared/ipc/media'
import type { CallState } from '../../src/shared/ipc/phone'
import { phaseOf, until } from '../support/phone-app'
import { type Side, mediaOf, peerStates, sidesOnOneStack } from '../support/browser-side'
import { formatPhoneNumber } from '../../src/shared/numbers/phone-format'

const { side } = sidesOnOneStack('browser-call')

const media = mediaOf
const phase = (s: Side, p: CallState['phase']) => phaseOf(s.t, p)
const state = (s: Side): Promise<CallState> => call(s.t.app.dispatch, 'phone.callState', undefined)

const session = async (s: Side): Promise<SessionReport | undefined> => (await media(s)).report?.sessions[0]

describe('a call between two browser pages through Kamailio', () => {
  let a: Side
  let b: Side
  beforeAll(async () => {
    a = await side()
    b = await side()
  }, 45_000)

  it('attaches one MediaEngine per page and reports its devices', async () => {
    const m = await media(a)
    expect(m.engineId).toMatch(/^eng_[0-9a-f]{24}$/)
    expect(m.report?.sessions).toEqual([])
    // Chromium's fake devices are no dongle: the engine says it uses the computer's audio.
    expect(m.report?.dongleAudio).toBe(false)
  })

  it('plays ringback to the caller, connects, and carries RTP both ways until hang-up', async () => {
    await call(a.t.app.dispatch, 'phone.dial', { number: b.number })
    await phase(b, 'ringing')
    await until(
      async () => (await media(a)).report?.tone,
      (tone) => tone === 'ringback'
    )
    await call(b.t.app.dispatch, 'phone.answer', undefined)
    await phase(a, 'connected')
    await phase(b, 'connected')

    const first = {
      a: await until(
        () => session(a),
        (r) => r?.connectionState === 'connected' && r.packetsReceived > 10
      ),
      b: await until(
        () => session(b),
        (r) => r?.connectionState === 'connected' && r.packetsReceived > 10
      )
    }
    expect(first.a?.codec).toMatch(/^audio\//)
    // A key during the call goes as RFC 4733 DTMF through the engine (not SIP INFO): the engine said it can.
    // Only the key itself: main's recheck of the engine's DTMF ability is a pause (',') that sends no tone.
    const dtmf: unknown[] = []
    const off = a.t.app.events.subscribe((name, payload) => {
      const p = payload as { op: string; tones?: string }
      if (name === 'media.request' && p.op === 'sendDtmf' && p.tones !== ',') dtmf.push(payload)
    })
    // The engine says it can carry RFC 4733 once its DTLS transport is up, which can come a moment after the
    // first RTP; a key pressed before that goes as SIP INFO (the fallback). So press until one goes as RTP.
    const deadline = Date.now() + 5000
    while (dtmf.length === 0 && Date.now() < deadline) {
      await call(a.t.app.dispatch, 'phone.press', { key: '5' })
      if (dtmf.length === 0) await new Promise((r) => setTimeout(r, 250))
    }
    expect(dtmf).toMatchObject([{ op: 'sendDtmf', tones: '5' }])
    // By keyboard on the Phone page: the call's field takes each key as a tone at once, and the tones sent are
    // shown and said (role=status); the phase and the caller are read together from one live region.
    await a.page.evaluate("location.hash = '#/phone'")
    // Enter after the keys (as after a PIN) sends nothing more: not the number dialled before, as tones.
    await a.page.getByTestId('tone-keys').pressSequentially('1#')
    await a.page.getByTestId('tone-keys').press('Enter')
    await until(
      async () => dtmf.length,
      (n) => n >= 3
    )
    await new Promise((r) => setTimeout(r, 500))
    expect(dtmf.slice(1)).toMatchObject([
      { op: 'sendDtmf', tones: '1' },
      { op: 'sendDtmf', tones: '#' }
    ])
    expect(dtmf).toHaveLength(3)
    expect(await a.page.locator('#dial-error').count()).toBe(0)
    await expectText(a.page, 'tones-sent', 'Tones sent: 1#')
    // Shown, not read (a PIN would be spoken whole at each key); each key said alone as it goes.
    expect(await a.page.getByTestId('tones-sent').getAttribute('aria-hidden')).toBe('true')
    await expectText(a.page, 'tone-said', 'Sent #')
    expect(await a.page.getByTestId('tone-keys').inputValue()).toBe('')
    const live = a.page.locator('[aria-live="polite"]', { has: a.page.getByTestId('call-remote') })
    await expect.poll(() => live.count()).toBe(1)
    off()
    expect((await media(a)).report?.tone).toBeNull()
    // Still flowing a second later, in both directions (fake audio is 50 packets/s at 20 ms ptime).
    const later = {
      a: await until(
        () => session(a),
        (r) => (r?.packetsReceived ?? 0) > (first.a?.packetsReceived ?? 0) + 20
      ),
      b: await until(
        () => session(b),
        (r) => (r?.packetsReceived ?? 0) > (first.b?.packetsReceived ?? 0) + 20
      )
    }
    expect(later.a?.packetsSent).toBeGreaterThan(first.a?.packetsSent ?? 0)
    expect(later.b?.packetsSent).toBeGreaterThan(first.b?.packetsSent ?? 0)

    await call(a.t.app.dispatch, 'phone.hangup', undefined)
    await phase(b, 'reorder')
    await call(b.t.app.dispatch, 'phone.hangup', undefined)
    for (const s of [a, b])
      await until(
        () => media(s),
        (m) => m.report?.sessions.length === 0
      )
    for (const s of [a, b]) {
      const pcs = await peerStates(s)
      expect(pcs).toEqual(['closed'])
    }
  })

  it('is driven from the Phone page: dial on the dialpad, answer and hang up on screen, history shows it', async () => {
    await a.page.goto(`${a.host.url.split('?')[0]}#/phone`)
    await b.page.goto(`${b.host.url.split('?')[0]}#/phone`)
    for (const s of [a, b])
      await until(
        () => media(s),
        (m) => m.report !== null
      )
    await a.page
      .getByTestId('dial-number')
      .fill(b.number.replace(/^\+1(\d{3})(\d{3})(\d{4})$/, '+1 ($1) $2-$3'))
    await a.page.getByTestId('dial-call').click()
    await b.page.getByTestId('call-answer').click()
    await expectText(a.page, 'call-phase', 'In a call')
    await expectText(b.page, 'call-remote', formatPhoneNumber(a.number))
    await until(
      () => session(b),
      (r) => r?.connectionState === 'connected' && r.packetsReceived > 10
    )
    await b.page.getByTestId('call-mute').click()
    expect((await state(b)).muted).toBe(true)
    // The Phone page in a call, for the screenshots and for axe (serious and critical findings fail).
    await screenshot(a.page, 'phone-in-call-caller-en')
    await screenshot(b.page, 'phone-in-call-callee-en')
    expect(await audit(b.page)).toEqual([])
    await a.page.getByTestId('call-hangup').click()
    await expectText(b.page, 'call-phase', 'Call ended')
    await b.page.getByTestId('call-hangup').click()
    await expectText(b.page, 'call-phase', 'Ready')
    await expectText(a.page, 'call-history', formatPhoneNumber(b.number))
    expect(await a.page.getByTestId('call-history-row').first().textContent()).toContain('Answered')
  })

  it('lets the person choose the call speaker by name and play a test tone on it', async () => {
    await a.page.goto(`${a.host.url.split('?')[0]}#/settings`)
    const speaker = a.page.getByTestId('settings-audioOutput')
    await speaker.waitFor()
    // Chromium's fake devices are named once the microphone may be used (it was, for the calls above).
    const names = await speaker.locator('option').allTextContents()
    const chosen = names.find((n) => n !== 'Automatic')
    expect(chosen, names.join(', ')).toBeDefined()
    await speaker.selectOption({ label: chosen ?? '' })
    await until(
      () => call(a.t.app.dispatch, 'app.settings.get', undefined),
      (st) => st.audioOutput === chosen
    )
    await until(
      () => media(a),
      (m) => m.report?.output === chosen
    )
    await a.page.getByTestId('settings-test-output').click()
    await until(
      () => media(a),
      (m) => m.report?.tone === 'test'
    )
    await screenshot(a.page, 'settings-audio-en')
    expect(await audit(a.page)).toEqual([])
    // A tel: link (main's app.navigate) brings the Phone page up with the number in the dialpad.
    a.t.app.events.emit('app.navigate', { page: 'phone', dial: '+12015550199' })
    await expect
      .poll(() =>
        a.page
          .getByTestId('dial-number')
          .inputValue()
          .catch(() => '')
      )
      .toBe('(201) 555-0199')
  })
})
