/**
 * Calls through a real Kamailio reading the real service's database: two app brains (each signed in to its own
 * account, registered by its phone service, signalling-only media) call each other; sipp over UDP calls an app,
 * which answers when its virtual dongle's handset is lifted. Checked: the line state on both ends, the SIP outcome
 * at sipp, the call history and the missed-call notice.
 */
import { spawn } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppPorts } from '../../../src/main/app'
import { call } from '../../../src/main/ipc/dispatcher'
import type { KamailioInstance } from '../../support/kamailio'
import { type SipStack, startSipStack } from '../../support/sip-stack'
import type { TestService } from '../../support/service'
import { freePort } from '../../support/postgres'
import { UAS_ANSWER_SCENARIO, callScenario, sippRegisterAt, sippRun, sippServer } from '../../support/sipp'
import type { TestApp } from '../../support/test-app'
import { answerOk, header, rawEndpoints } from '../../support/raw-sip'
import { callFromLine, inCall, inviteFromLine, ringFromLine } from '../../support/raw-sip-line'
import { sipCreds, trialLine } from '../../support/service-flows'
import { callState, type PhoneApp, phaseOf, phoneApp, registeredOf, until } from '../../support/phone-app'

let svc: TestService
let kam: KamailioInstance
let stack: SipStack
const apps: TestApp[] = []
const endpoints = rawEndpoints()

beforeAll(async () => {
  stack = await startSipStack()
  svc = stack.svc
  kam = stack.kam
}, 60_000)
afterAll(async () => {
  endpoints.closeAll()
  for (const a of apps) await a.app.dispose()
  await stack?.close()
})

const phoneAppOf = async (virtualDongle = false, ports?: Partial<AppPorts>): Promise<PhoneApp> => {
  const p = await phoneApp(stack, virtualDongle, ports)
  apps.push(p.t)
  return p
}
const state = callState
const phase = phaseOf

describe('calls between two apps through Kamailio', () => {
  let a: PhoneApp
  let b: PhoneApp
  beforeAll(async () => {
    a = await phoneAppOf()
    b = await phoneAppOf()
  }, 30_000)

  it('rings, is answered, and ends on both sides when the caller hangs up', async () => {
    await call(a.t.app.dispatch, 'phone.dial', { number: b.number })
    await phase(a.t, 'ringback')
    const ringing = await phase(b.t, 'ringing')
    expect(ringing.call).toMatchObject({ direction: 'in', remote: a.number })
    await call(b.t.app.dispatch, 'phone.answer', undefined)
    await phase(a.t, 'connected')
    await phase(b.t, 'connected')
    expect((await call(b.t.app.dispatch, 'phone.mute', { on: true })).muted).toBe(true)
    await call(a.t.app.dispatch, 'phone.hangup', undefined)
    const ended = await phase(b.t, 'reorder')
    expect(ended.reason).toBe('the other party hung up')
    // Mute belongs to the call: it is gone with it, and there is nothing to mute without one.
    expect(ended.muted).toBe(false)
    expect((await call(a.t.app.dispatch, 'phone.mute', { on: true })).muted).toBe(false)
    expect((await state(a.t)).phase).toBe('idle')
    await call(b.t.app.dispatch, 'phone.hangup', undefined)
    const hb = await until(
      () => call(b.t.app.dispatch, 'phone.history', undefined),
      (h) => h.calls.length > 0
    )
    expect(hb.calls[0]).toMatchObject({ direction: 'in', remote: a.number, outcome: 'answered' })
    const ha = await until(
      () => call(a.t.app.dispatch, 'phone.history', undefined),
      (h) => h.calls.length > 0
    )
    expect(ha.calls[0]).toMatchObject({ direction: 'out', remote: b.number, outcome: 'answered' })
  })

  it('lists a call the caller gave up on as missed, with a notice', async () => {
    const missed: unknown[] = []
    b.t.app.events.subscribe((name, payload) => {
      if (name === 'phone.missedCall') missed.push(payload)
    })
    await call(a.t.app.dispatch, 'phone.dial', { number: b.number })
    await phase(b.t, 'ringing')
    await call(a.t.app.dispatch, 'phone.hangup', undefined)
    await phase(b.t, 'idle')
    await until(
      async () => missed.length,
      (n) => n === 1
    )
    expect(missed[0]).toMatchObject({ direction: 'in', remote: a.number, outcome: 'missed' })
  })

  it('beeps a talking callee for a second call; hook flash answers it, holds the first, and swaps back', async () => {
    const c = await phoneAppOf()
    await call(c.t.app.dispatch, 'phone.dial', { number: b.number })
    await phase(b.t, 'ringing')
    await call(b.t.app.dispatch, 'phone.answer', undefined)
    await phase(c.t, 'connected')
    await call(a.t.app.dispatch, 'phone.dial', { number: b.number })
    const waiting = await phase(b.t, 'callWaiting')
    expect(waiting.other).toMatchObject({ remote: a.number, held: false })
    await phase(a.t, 'ringback')
    // B has no virtual dongle: flash through the phone service as the dongle would report it.
    b.t.app.phone.deviceEvent({ type: 'flash' })
    await phase(a.t, 'connected')
    const swapped = await state(b.t)
    expect(swapped).toMatchObject({
      phase: 'connected',
      call: { remote: a.number },
      other: { remote: c.number, held: true }
    })
    await call(a.t.app.dispatch, 'phone.hangup', undefined)
    await until(
      () => state(b.t),
      (s) => s.call === null && s.other?.held === true
    )
    b.t.app.phone.deviceEvent({ type: 'flash' })
    expect(await phase(b.t, 'connected')).toMatchObject({ call: { remote: c.number }, other: null })
    await call(c.t.app.dispatch, 'phone.hangup', undefined)
    await phase(b.t, 'reorder')
    await call(b.t.app.dispatch, 'phone.hangup', undefined)
    await phase(b.t, 'idle')
  })

  it('refuses calls under do-not-disturb: the caller gets reorder', async () => {
    await call(b.t.app.dispatch, 'phone.doNotDisturb', { on: true })
    await call(a.t.app.dispatch, 'phone.dial', { number: b.number })
    expect((await phase(a.t, 'reorder')).reason).toBe('the call could not be completed')
    await call(a.t.app.dispatch, 'phone.hangup', undefined)
    await call(b.t.app.dispatch, 'phone.doNotDisturb', { on: false })
    expect((await state(b.t)).phase).toBe('idle')
  })

  it('ends a call cleanly, saying why, when Kamailio restarts under it; the lines come back for the next call', async () => {
    await call(a.t.app.dispatch, 'phone.dial', { number: b.number })
    await phase(b.t, 'ringing')
    await call(b.t.app.dispatch, 'phone.answer', undefined)
    await phase(a.t, 'connected')
    await stack.kam.stop()
    await stack.restartKamailio()
    kam = stack.kam
    for (const side of [a, b]) {
      expect((await phase(side.t, 'reorder', 15_000)).reason).toBe(
        'the connection to the SIP server was lost'
      )
      await call(side.t.app.dispatch, 'phone.hangup', undefined)
      await registeredOf(side.t, 15_000)
    }
    await call(a.t.app.dispatch, 'phone.dial', { number: b.number })
    await phase(b.t, 'ringing')
    await call(a.t.app.dispatch, 'phone.hangup', undefined)
    await phase(b.t, 'idle')
  }, 45_000)

  it('keeps a call when asked to reconnect during it (the screen unlocked, Reconnect pressed), not after sleep', async () => {
    await call(a.t.app.dispatch, 'phone.dial', { number: b.number })
    await phase(b.t, 'ringing')
    await call(b.t.app.dispatch, 'phone.answer', undefined)
    await phase(a.t, 'connected')
    // Before, a new connection was made at once, and the call, which the old one carried, ended.
    await call(a.t.app.dispatch, 'phone.reconnect', undefined)
    a.t.app.phone.kick('unlock')
    await new Promise((resolve) => setTimeout(resolve, 1500))
    expect((await state(a.t)).phase).toBe('connected')
    expect((await state(b.t)).phase).toBe('connected')
    // After sleep the connection is usually dead: the line reconnects, and says the call went with it.
    a.t.app.phone.kick('resume')
    expect(await phase(a.t, 'reorder')).toMatchObject({ why: 'connectionLost', call: null })
    expect((await phase(b.t, 'reorder')).why).toBe('hungUp')
    for (const side of [a, b]) {
      await call(side.t.app.dispatch, 'phone.hangup', undefined)
      await phase(side.t, 'idle')
    }
    await registeredOf(a.t, 10_000)
  })

  it('gives reorder for a number nobody has', async () => {
    expect((await state(a.t)).phase).toBe('idle')
    await call(a.t.app.dispatch, 'phone.dial', { number: '+12015550199' })
    expect((await phase(a.t, 'reorder')).reason).toBe('the call could not be completed')
    await call(a.t.app.dispatch, 'phone.hangup', undefined)
  })
})

describe('the connection lost while an answered call waits for its ACK', () => {
  it('ends the call at once, saying why; the line registers again as soon as Kamailio is back', async () => {
    const callee = await phoneAppOf()
    const caller = await endpoints.open(answerOk)
    const creds = await sipCreds(svc, await trialLine(svc))
    // The caller's ACK never comes (one lost on the way as Kamailio stopped, as in a CI run that failed).
    const answered = inviteFromLine(
      kam.sipPort,
      caller,
      creds,
      callee.number.replace(/^\+/, ''),
      `no-ack-${Date.now()}`
    )
    await phase(callee.t, 'ringing')
    await call(callee.t.app.dispatch, 'phone.answer', undefined)
    await answered
    await stack.kam.stop()
    // Before: sip.js held the call until its ACK timer ran out (32 s), and the next connection waited on it.
    const ended = await phase(callee.t, 'reorder', 5000)
    expect(ended).toMatchObject({ reason: 'the connection to the SIP server was lost', call: null })
    kam = await stack.restartKamailio()
    await call(callee.t.app.dispatch, 'phone.hangup', undefined)
    await registeredOf(callee.t, 10_000)
    const history = await call(callee.t.app.dispatch, 'phone.history', undefined)
    expect(history.calls[0]).toMatchObject({ remote: `+${creds.username}`, outcome: 'answered' })
  }, 30_000)
})

describe('a caller asking a transfer, then hanging up with a BYE, before the answer', () => {
  // RFC 3261 §15 lets a caller end a ringing call with a BYE on the early dialog instead of a CANCEL. Kamailio sent
  // it to a Request-URI of "0" (route[IN_DIALOG_BYE_TARGET] read a callee Contact the early dialog does not have),
  // and sip.js answered it but left the INVITE pending: the phone rang on after the caller had gone.
  it('ends the ringing at once: 200 to the BYE, 487 to the INVITE, the call missed', async () => {
    const callee = await phoneAppOf()
    const ep = await endpoints.open()
    const creds = await sipCreds(svc, await trialLine(svc))
    const callId = `early-bye-${Date.now()}`
    const ringing = ringFromLine(kam.sipPort, ep, creds, callee.number.replace(/^\+/, ''), callId)
    await phase(callee.t, 'ringing')
    const early = await ringing
    const answerTo = (method: string, status: string) => (m: string) =>
      new RegExp(`^SIP/2.0 ${status}`).test(m) &&
      header(m, 'Call-ID') === callId &&
      header(m, 'CSeq').endsWith(method)
    // A transfer asked of a call not answered yet is refused at once (not left to time out), and it rings on.
    ep.send(inCall('REFER', early, ep, creds, 3, ['Refer-To: <sip:12015550199@dialtone.test>']), kam.sipPort)
    // 480 is sip.js's answer on the early dialog: the REFER reached the app (Kamailio's own refusals are others).
    await ep.next(answerTo('REFER', '480'), 3000)
    expect((await state(callee.t)).phase).toBe('ringing')
    ep.send(inCall('BYE', early, ep, creds, 4), kam.sipPort)
    await ep.next(answerTo('BYE', '200'), 3000)
    await ep.next(answerTo('INVITE', '487'), 3000)
    await phase(callee.t, 'idle', 3000)
    const history = await call(callee.t.app.dispatch, 'phone.history', undefined)
    expect(history.calls[0]).toMatchObject({ remote: `+${creds.username}`, outcome: 'missed' })
  })
})

describe('the connection going quiet during a call', () => {
  it('ends the call on both sides within the heartbeat, saying why; both lines register again', async () => {
    const heartbeat = { sipHeartbeat: { intervalMs: 500, timeoutMs: 1500 } }
    const caller = await phoneAppOf(false, heartbeat)
    const callee = await phoneAppOf(false, heartbeat)
    await call(caller.t.app.dispatch, 'phone.dial', { number: callee.number })
    await phase(callee.t, 'ringing')
    await call(callee.t.app.dispatch, 'phone.answer', undefined)
    await phase(caller.t, 'connected')
    // Kamailio takes nothing and closes nothing (a router gone quiet): before, the call stayed up until the next
    // re-REGISTER, minutes later, and could not be hung up on the far side.
    kam.freeze(true)
    try {
      for (const side of [caller, callee])
        expect(await phase(side.t, 'reorder', 5000)).toMatchObject({
          why: 'connectionLost',
          reason: 'the connection to the SIP server was lost',
          call: null
        })
    } finally {
      kam.freeze(false)
    }
    for (const side of [caller, callee]) {
      await call(side.t.app.dispatch, 'phone.hangup', undefined)
      await registeredOf(side.t, 15_000)
      const history = await call(side.t.app.dispatch, 'phone.history', undefined)
      expect(history.calls[0]).toMatchObject({ outcome: 'answered' })
    }
  }, 45_000)
})

describe('the dongle unplugged during a call', () => {
  it('ends the call cleanly on both sides and says why; the call is in the history', async () => {
    const caller = await phoneAppOf()
    const callee = await phoneAppOf(true)
    await call(caller.t.app.dispatch, 'phone.dial', { number: callee.number })
    await phase(callee.t, 'ringing')
    await call(callee.t.app.dispatch, 'device.virtual.handset', { offHook: true })
    await phase(callee.t, 'connected')
    await phase(caller.t, 'connected')
    await callee.t.app.devices.setVirtual(false)
    const ended = await phase(callee.t, 'idle')
    expect(ended).toMatchObject({
      reason: 'the dongle was unplugged, so the call ended',
      call: null,
      offHook: false
    })
    expect((await phase(caller.t, 'reorder')).reason).toBe('the other party hung up')
    const history = await until(
      () => call(callee.t.app.dispatch, 'phone.history', undefined),
      (h) => h.calls.length > 0
    )
    expect(history.calls[0]).toMatchObject({ outcome: 'answered', remote: caller.number })
    await call(caller.t.app.dispatch, 'phone.hangup', undefined)
  }, 30_000)
})

describe('sipp calling an app', () => {
  it('rings the app, which answers when the dongle’s handset is lifted; sipp’s BYE ends it', async () => {
    const callee = await phoneAppOf(true)
    const caller = await trialLine(svc)
    const creds = (
      await svc.api<{ username: string; password: string }>(
        'GET',
        `/v1/lines/${caller.lineId}/sip`,
        undefined,
        caller.token
      )
    ).body
    const sipp = spawn(
      'sipp',
      sippRun(kam.sipPort, callScenario('answered'), creds, callee.number.replace('+', '')),
      {
        stdio: 'ignore'
      }
    )
    const exited = new Promise<number | null>((r) => sipp.once('exit', r))
    const ringing = await phase(callee.t, 'ringing')
    expect(ringing.call?.remote).toBe(`+${creds.username}`)
    await call(callee.t.app.dispatch, 'device.virtual.handset', { offHook: true })
    await phase(callee.t, 'connected')
    expect(await exited).toBe(0)
    await phase(callee.t, 'reorder')
    await call(callee.t.app.dispatch, 'device.virtual.handset', { offHook: false })
    expect((await state(callee.t)).phase).toBe('idle')
    const history = await until(
      () => call(callee.t.app.dispatch, 'phone.history', undefined),
      (h) => h.calls.length > 0
    )
    expect(history.calls[0]).toMatchObject({ direction: 'in', outcome: 'answered' })
  }, 30_000)
})

describe('an app calling sipp', () => {
  it('reaches a registered sipp UAS, which answers; the app’s hang-up ends it and sipp completes', async () => {
    const caller = await phoneAppOf()
    const callee = await trialLine(svc)
    const creds = (
      await svc.api<{ username: string; password: string }>(
        'GET',
        `/v1/lines/${callee.lineId}/sip`,
        undefined,
        callee.token
      )
    ).body
    const port = await freePort()
    // Register sipp's line with Contact on the port its UAS will listen on, then answer one call there.
    expect(await sippRegisterAt(kam.sipPort, creds, port)).toBe(0)
    const uas = sippServer(UAS_ANSWER_SCENARIO, port, 1, 20)
    await uas.ready
    await call(caller.t.app.dispatch, 'phone.dial', { number: `+${creds.username}` })
    const connected = await phase(caller.t, 'connected')
    expect(connected.call).toMatchObject({ direction: 'out', remote: `+${creds.username}` })
    await call(caller.t.app.dispatch, 'phone.hangup', undefined)
    expect(await uas.exited).toBe(0)
    expect((await state(caller.t)).phase).toBe('idle')
    // The entry is written when the session ends, a moment after the line goes idle.
    const history = await until(
      () => call(caller.t.app.dispatch, 'phone.history', undefined),
      (h) => h.calls.length > 0
    )
    expect(history.calls[0]).toMatchObject({
      direction: 'out',
      remote: `+${creds.username}`,
      outcome: 'answered'
    })
  }, 30_000)
})

describe('signing out in the middle of a call', () => {
  // The person signs out with a call up: the call ends as one they ended, not as "the connection was lost". Also
  // when the call's user agent cannot stop in time (an answered call whose ACK never came: sip.js holds its BYE).
  it('ends the call as ended here, also when the line cannot stop it in time', async () => {
    for (const ackComes of [true, false]) {
      const callee = await phoneAppOf()
      const caller = await endpoints.open(answerOk)
      const creds = await sipCreds(svc, await trialLine(svc))
      const callId = `sign-out-${ackComes}-${Date.now()}`
      const answered = (ackComes ? callFromLine : inviteFromLine)(
        kam.sipPort,
        caller,
        creds,
        callee.number.replace(/^\+/, ''),
        callId
      )
      await phase(callee.t, 'ringing')
      await call(callee.t.app.dispatch, 'phone.answer', undefined)
      await answered
      await phase(callee.t, 'connected')
      const seen: string[] = []
      callee.t.app.events.subscribe((name, payload) => {
        if (name !== 'phone.callStateChanged') return
        const s = payload as { phase: string; reason: string | null }
        seen.push(`${s.phase}:${s.reason ?? ''}`)
      })
      await call(callee.t.app.dispatch, 'account.signOut', undefined)
      // The user agent's stop waits up to 2 s on a call whose ACK never came; the line's status follows.
      await new Promise((r) => setTimeout(r, 3000))
      // Before: "the other party hung up" (sip.js ending the session as its user agent stopped), and with no ACK
      // "the connection to the SIP server was closed under the calls" (the user agent dropped after 2 s).
      expect(seen.join(' | '), `ACK ${ackComes ? 'came' : 'never came'}`).not.toMatch(
        /reorder|other party|connection to the SIP server/
      )
      expect((await callState(callee.t)).call).toBeNull()
    }
  }, 40_000)
})
