/**
 * A REFER from the other party of a call is declined (src/main/phone/call-session.ts): followed, it had the app's
 * line call whatever number the other party named (here a number abroad after 011), on the line's account and with
 * nothing on the phone to say so. The other party is a Dialtone line written by hand (test/support/raw-sip-line.ts)
 * through the real Kamailio; the app answers its call, gets the REFER, answers 603 and calls nobody (Kamailio's
 * accounting has no call to that number), and the call goes on until the other party hangs up.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call } from '../../../src/main/ipc/dispatcher'
import { type PhoneApp, phaseOf, phoneApp } from '../../support/phone-app'
import { type RawSip, header, methodOf, rawSip, responseTo } from '../../support/raw-sip'
import { callFromLine, inCall } from '../../support/raw-sip-line'
import { trialLine } from '../../support/service-flows'
import { type SipStack, startSipStack } from '../../support/sip-stack'

const ABROAD = '0116745551234'

let stack: SipStack
let app: PhoneApp
let other: RawSip

beforeAll(async () => {
  stack = await startSipStack()
  app = await phoneApp(stack)
  // The other party answers what it is sent within the call (the app's NOTIFY, if it ever sent one; its BYE).
  other = await rawSip((m, ep, fromPort) => {
    if (methodOf(m) !== 'NOTIFY' && methodOf(m) !== 'BYE') return
    ep.send(responseTo(m, '200 OK', { toTag: 'other1' }), fromPort)
  })
}, 60_000)
afterAll(async () => {
  other?.close()
  await app?.t.app.dispose()
  await stack?.close()
})

const accounting = (): string[] =>
  readdirSync(stack.kam.accountingDir).flatMap((f) =>
    readFileSync(join(stack.kam.accountingDir, f), 'utf8').split('\n').filter(Boolean)
  )

describe('a REFER from the other party', () => {
  it('is declined with 603, and the app calls nobody', async () => {
    const line = await trialLine(stack.svc)
    const r = await stack.svc.api<{ username: string; password: string }>(
      'GET',
      `/v1/lines/${line.lineId}/sip`,
      undefined,
      line.token
    )
    const creds = r.body
    const callId = `refer-${Date.now()}`
    const answered = callFromLine(stack.kam.sipPort, other, creds, app.number.replace(/^\+/, ''), callId)
    await phaseOf(app.t, 'ringing')
    await call(app.t.app.dispatch, 'phone.answer', undefined)
    const c = await answered
    other.send(
      inCall('REFER', c, other, creds, 3, [
        `Contact: <sip:${creds.username}@127.0.0.1:${other.port}>`,
        `Refer-To: <sip:${ABROAD}@dialtone.test>`,
        `Referred-By: <sip:${creds.username}@dialtone.test>`
      ]),
      stack.kam.sipPort
    )
    const answer = await other.next((m) => m.startsWith('SIP/2.0') && /REFER/.test(header(m, 'CSeq')), 5000)
    expect(answer.split('\r\n')[0]).toMatch(/^SIP\/2.0 603/)
    await new Promise((resolve) => setTimeout(resolve, 1500))
    expect(accounting().filter((l) => l.includes(ABROAD))).toEqual([])
    // The call itself goes on: still connected, until the other party hangs up.
    expect((await phaseOf(app.t, 'connected')).call?.remote).toBe(`+${creds.username}`)
    other.send(inCall('BYE', c, other, creds, 4), stack.kam.sipPort)
    // The handset is still lifted: the line plays reorder, saying the other party hung up.
    expect((await phaseOf(app.t, 'reorder')).why).toBe('hungUp')
  })
})
