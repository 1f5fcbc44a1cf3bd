/**
 * Message waiting through a real Kamailio: the registered app subscribes to its message-summary; Kamailio hands
 * the subscription to the voicemail server (sipp, as VOICEMAIL_URI), whose NOTIFYs come back down the app's
 * WebSocket. "Messages waiting" makes the lifted handset hear stutter dial tone; "none waiting" puts plain dial
 * tone back. Without a voicemail server Kamailio answers 489 and the line is unaffected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call } from '../../../src/main/ipc/dispatcher'
import type { PayloadOf } from '../../../src/shared/ipc/contract'
import { type PhoneApp, phaseOf, phoneApp, until } from '../../support/phone-app'
import { freePort } from '../../support/postgres'
import { type SipStack, startSipStack } from '../../support/sip-stack'
import { sippServer, voicemailScenario } from '../../support/sipp'

let stack: SipStack
let app: PhoneApp
let sippDone: Promise<number>
const waiting: boolean[] = []
const tones: (string | null)[] = []

beforeAll(async () => {
  const port = await freePort()
  // sipp runs until its one scenario ends: its exit code says whether every step matched.
  sippDone = sippServer(voicemailScenario(2500), port).exited
  stack = await startSipStack({ voicemailUri: `sip:127.0.0.1:${port}` })
  app = await phoneApp(stack)
  app.t.app.events.subscribe((name, payload) => {
    if (name === 'phone.callStateChanged') {
      const v = (payload as PayloadOf<'phone.callStateChanged'>).voicemailWaiting
      if (waiting.at(-1) !== v) waiting.push(v)
    }
    if (name === 'phone.tone') tones.push((payload as PayloadOf<'phone.tone'>).tone)
  })
}, 60_000)

afterAll(async () => {
  await app?.t.app.dispose()
  await stack?.close()
})

describe('message waiting', () => {
  it('gives stutter dial tone while messages wait, and plain dial tone once they are heard', async () => {
    await until(
      async () => waiting,
      (w) => w.includes(true)
    )
    await call(app.t.app.dispatch, 'phone.answer', undefined)
    await phaseOf(app.t, 'dialTone')
    expect(tones.at(-1)).toBe('stutter')
    await call(app.t.app.dispatch, 'phone.hangup', undefined)
    await until(
      async () => waiting,
      (w) => w.at(-1) === false,
      8000
    )
    expect(waiting).toEqual([true, false])
    await call(app.t.app.dispatch, 'phone.answer', undefined)
    await phaseOf(app.t, 'dialTone')
    expect(tones.at(-1)).toBe('dial')
    await call(app.t.app.dispatch, 'phone.hangup', undefined)
    expect(await sippDone).toBe(0)
  })
})
