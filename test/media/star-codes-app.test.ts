/**
 * The handset's star codes with the real stack (issue 23): an app brain (its phone service and line machine,
 * sip.js over WebSocket, signalling-only media) registered with a real Kamailio on the service's database, and sipp
 * lines. Each code's effect is checked where it lands: *72 / *73 switch the service's "forward always" rule and
 * Kamailio follows it with the app still running (the call goes to the target, then rings the app again); *67
 * reaches a Dialtone callee with an anonymous From and no asserted identity; *60 blocks the last caller, whose next
 * call the SIP server refuses; *69 calls the last caller back; an unknown code gives reorder at once. Each one's
 * outcome reaches the screen as forwarding.starCode. One stack for the file; loopback-only namespace.
 */
import { execFile } from 'node:child_process'
import { networkInterfaces } from 'node:os'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call } from '../../src/main/ipc/dispatcher'
import type { StarCodeOutcome } from '../../src/shared/ipc/forwarding'
import { type TracedPeer, callerScenario, registeredPhone } from '../support/forwarding-peers'
import {
  assertIsolatedNetwork,
  callState,
  type PhoneApp,
  phaseOf,
  phoneApp,
  until
} from '../support/phone-app'
import { trialLine } from '../support/service-flows'
import { type SipStack, startSipStack } from '../support/sip-stack'
import { sippRun } from '../support/sipp'
import { disposeWithin } from '../support/dispose-within'
import { settleWithin } from '../../src/shared/settle-within'

const run = promisify(execFile)

interface Creds {
  username: string
  password: string
}

let stack: SipStack
let app: PhoneApp
/** sipp lines: a caller that also answers calls back, and a target for forwarding and *67. */
let caller: Creds
let target: Creds
const outcomes: StarCodeOutcome[] = []
/** The tones the line asked the MediaEngine to play, in order. */
const tones: (string | null)[] = []
const peers: TracedPeer[] = []

async function sipLine(): Promise<Creds> {
  const l = await trialLine(stack.svc)
  const r = await stack.svc.api<Creds>('GET', `/v1/lines/${l.lineId}/sip`, undefined, l.token)
  return r.body
}

/** The line's phone: (re)registered at a fresh port where a sipp peer answers one call. */
async function answeringPhone(c: Creds): Promise<TracedPeer> {
  await stack.kam.rpc('ul.rm', ['location', c.username]).catch(() => undefined)
  const p = await registeredPhone(stack.kam.sipPort, c, 'answer')
  if (!p) throw new Error('no phone')
  peers.push(p)
  return p
}

async function sippCall(from: Creds, to: string, expectWhat: 'answered' | number): Promise<number> {
  try {
    await run('sipp', sippRun(stack.kam.sipPort, callerScenario({ expect: expectWhat }), from, to), {
      timeout: 30_000
    })
    return 0
  } catch (err) {
    return (err as { code?: number }).code ?? -1
  }
}

const dispatch = <C extends Parameters<typeof call>[1]>(name: C, input: Parameters<typeof call<C>>[2]) =>
  call(app.t.app.dispatch, name, input)

/** Dials a star code from the screen (as the handset would key it) and waits for its outcome. */
async function starCode(code: string): Promise<StarCodeOutcome> {
  const before = outcomes.length
  await dispatch('phone.dial', { number: code })
  await until(
    async () => outcomes.length,
    (n) => n > before
  )
  return outcomes[before] as StarCodeOutcome
}

async function hangUp(): Promise<void> {
  await dispatch('phone.hangup', undefined)
  await phaseOf(app.t, 'idle')
}

beforeAll(async () => {
  assertIsolatedNetwork(Object.keys(networkInterfaces()))
  stack = await startSipStack()
  app = await phoneApp(stack)
  app.t.app.events.subscribe((name, payload) => {
    if (name === 'forwarding.starCode') outcomes.push(payload as StarCodeOutcome)
    if (name === 'phone.tone') tones.push((payload as { tone: string | null }).tone)
  })
  caller = await sipLine()
  target = await sipLine()
}, 60_000)

afterAll(async () => {
  for (const p of peers) await p.stop()
  if (app) await disposeWithin(app.t.app, 10_000, 'star-codes-app')
  await stack?.close()
})

const me = () => app.number.replace(/^\+/, '')

describe('star codes from the handset, with their effect at the SIP server', () => {
  it('*72 + a number forwards every call there (Kamailio follows it); *73 makes the line ring again', async () => {
    const toneCount = tones.length
    const on = await starCode(`*72${target.username}`)
    expect(on).toMatchObject({ feature: 'forwardOn', ok: true, number: `+${target.username}` })
    // Confirmation: stutter dial tone, then the line waits for a number again.
    await phaseOf(app.t, 'dialTone')
    expect(tones.slice(toneCount).at(-1)).toBe('stutter')
    await hangUp()
    const forwarding = await dispatch('forwarding.get', { lineId: app.line.lineId })
    expect(forwarding.always).toBe(`+${target.username}`)

    const phone = await answeringPhone(target)
    expect(await sippCall(caller, me(), 'answered')).toBe(0)
    await settleWithin(phone.exited, 3000)
    expect(phone.invite()).toMatch(/Diversion: <sip:\+\d+@dialtone\.test>;reason=unconditional/)
    expect((await callState(app.t)).phase).toBe('idle')

    const off = await starCode('*73')
    expect(off).toMatchObject({ feature: 'forwardOff', ok: true })
    await hangUp()
    expect((await dispatch('forwarding.get', { lineId: app.line.lineId })).always).toBeNull()
    // Now the app's own line rings; answered on the screen, the caller hangs up.
    const ringing = sippCall(caller, me(), 'answered')
    await phaseOf(app.t, 'ringing')
    await dispatch('phone.answer', undefined)
    expect(await ringing).toBe(0)
    await hangUp()
  }, 60_000)

  it('*67 reaches a Dialtone callee with an anonymous From and no asserted identity', async () => {
    const phone = await answeringPhone(target)
    await dispatch('phone.dial', { number: `*67${target.username}` })
    await phaseOf(app.t, 'connected')
    await hangUp()
    await settleWithin(phone.exited, 3000)
    const inv = phone.invite()
    expect(inv).toMatch(/^From: "?Anonymous"? <sip:anonymous@anonymous\.invalid>/m)
    expect(inv).not.toMatch(/^P-Asserted-Identity:/m)
    expect(inv.split(/\r?\n/).find((h) => h.startsWith('From:'))).not.toContain(me())
  }, 30_000)

  it('*60 blocks the last caller, whose next call the SIP server refuses; *69 calls the last caller back', async () => {
    // The caller's first call is refused by do-not-disturb (480) and kept in the history as missed.
    await dispatch('phone.doNotDisturb', { on: true })
    expect(await sippCall(caller, me(), 480)).toBe(0)
    await dispatch('phone.doNotDisturb', { on: false })
    await until(
      () => dispatch('phone.history', undefined),
      (h) => h.calls[0]?.remote.replace(/^\+/, '') === caller.username
    )

    const callerPhone = await answeringPhone(caller)
    const back = await starCode('*69')
    expect(back).toMatchObject({ feature: 'callBack', ok: true, number: `+${caller.username}` })
    await phaseOf(app.t, 'connected')
    await hangUp()
    await settleWithin(callerPhone.exited, 3000)
    expect(callerPhone.invite()).toMatch(new RegExp(`^INVITE sip:${caller.username}@`))

    // The last *incoming* call is still the caller's (the call back was outgoing).
    const block = await starCode('*60')
    expect(block).toMatchObject({ feature: 'blockLast', ok: true, number: `+${caller.username}` })
    await hangUp()
    const blocked = await dispatch('billing.blocked', undefined)
    expect(blocked.numbers.map((n) => n.number)).toContain(`+${caller.username}`)
    expect(await sippCall(caller, me(), 603)).toBe(0)
  }, 60_000)

  it('gives reorder at once for a star code it does not know, and says nothing was done', async () => {
    const before = outcomes.length
    await dispatch('phone.dial', { number: '*1' })
    const s = await phaseOf(app.t, 'reorder', 1000)
    expect(s.why).toBe('notOffered')
    expect(tones.at(-1)).toBe('reorder')
    expect(outcomes).toHaveLength(before)
    await hangUp()
  })
})
