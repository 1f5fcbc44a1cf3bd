/**
 * A transfer the other party of a call asks of the app (REFER), through the real Kamailio and service: the app
 * follows it to a number every plan includes (followReferral in src/main/phone/call-transfers.ts) and never to one its
 * line would pay for or answer for. The other party and the transfer's target are Dialtone lines written by hand
 * (test/support/raw-sip-line.ts), answering what they are sent.
 * - Followed: the app answers 202, holds the other party, calls the target as its line (Referred-By on the INVITE),
 *   tells the other party how it goes (NOTIFYs, message/sipfrag: 100 with the subscription active, then 200 with it
 *   terminated), and once the target answers leaves the other party (BYE): the line is connected to the target, and
 *   the Phone page can say who transferred it.
 * - Replaced: an INVITE with Replaces naming the app's call (the other end of an attended transfer) is answered
 *   at once and the replaced party left; one naming no call of the app's gets 481 and changes nothing.
 * - Refused: a REFER naming a number abroad never reaches the app (Kamailio's 403, route[REFER_TARGET]); the app
 *   calls nobody (Kamailio's accounting has no call to that number) and the call goes on until the other party
 *   hangs up.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call } from '../../../src/main/ipc/dispatcher'
import { type PhoneApp, phaseOf, phoneApp, until } from '../../support/phone-app'
import { answerOk, header, methodOf, rawEndpoints } from '../../support/raw-sip'
import { callFromLine, inCall, registerLine } from '../../support/raw-sip-line'
import { sipCreds, trialLine } from '../../support/service-flows'
import { type SipStack, startSipStack } from '../../support/sip-stack'

/** Jamaica: a NANP number the app would read as one (1 and ten digits); only the SIP server's table knows. */
const ABROAD = '18765550123'

let stack: SipStack
let app: PhoneApp
const endpoints = rawEndpoints()

beforeAll(async () => {
  stack = await startSipStack()
  app = await phoneApp(stack)
}, 60_000)
afterAll(async () => {
  endpoints.closeAll()
  await app?.t.app.dispose()
  await stack?.close()
})

const accounting = (): string[] =>
  readdirSync(stack.kam.accountingDir).flatMap((f) =>
    readFileSync(join(stack.kam.accountingDir, f), 'utf8').split('\n').filter(Boolean)
  )

/** A new trial line's SIP credentials. */
const newLine = async (): Promise<{ username: string; password: string }> =>
  sipCreds(stack.svc, await trialLine(stack.svc))

/** A new Dialtone line written by hand, registered at its endpoint, answering 200 to what it is sent. */
async function registeredLine() {
  const ep = await endpoints.open(answerOk)
  const creds = await newLine()
  await registerLine(stack.kam.sipPort, ep, creds)
  return { ep, creds }
}

/** A Dialtone line (raw, answering 200 to what it is sent) that calls the app, which answers. */
async function callTheApp(tag: string) {
  const other = await endpoints.open(answerOk)
  const creds = await newLine()
  const answered = callFromLine(
    stack.kam.sipPort,
    other,
    creds,
    app.number.replace(/^\+/, ''),
    `${tag}-${Date.now()}`
  )
  await phaseOf(app.t, 'ringing')
  await call(app.t.app.dispatch, 'phone.answer', undefined)
  return { other, creds, c: await answered }
}

/** The other party's REFER (CSeq 3) in its call with the app, to `number` at the SIP domain. */
function referOf(p: Awaited<ReturnType<typeof callTheApp>>, number: string): string {
  return inCall('REFER', p.c, p.other, p.creds, 3, [
    `Contact: <sip:${p.creds.username}@127.0.0.1:${p.other.port}>`,
    `Refer-To: <sip:${number}@dialtone.test>`,
    `Referred-By: <sip:${p.creds.username}@dialtone.test>`
  ])
}

describe('a REFER from the other party', () => {
  it('naming a number abroad is refused by the SIP server, and the app calls nobody', async () => {
    const { other, creds, c } = await callTheApp('refer-abroad')
    other.send(referOf({ other, creds, c }, ABROAD), stack.kam.sipPort)
    const answer = await other.next((m) => m.startsWith('SIP/2.0') && /REFER/.test(header(m, 'CSeq')), 5000)
    expect(answer.split('\r\n')[0]).toBe('SIP/2.0 403 Transfer target not here')
    await new Promise((resolve) => setTimeout(resolve, 1500))
    expect(accounting().filter((l) => l.includes(ABROAD))).toEqual([])
    // The call itself goes on: still connected, until the other party hangs up.
    expect((await phaseOf(app.t, 'connected')).call?.remote).toBe(`+${creds.username}`)
    other.send(inCall('BYE', c, other, creds, 4), stack.kam.sipPort)
    // The handset is still lifted: the line plays reorder, saying the other party hung up.
    expect((await phaseOf(app.t, 'reorder')).why).toBe('hungUp')
    await call(app.t.app.dispatch, 'phone.hangup', undefined)
    await phaseOf(app.t, 'idle')
  })

  it('with a header broken by a bare LF is dropped: nothing of it reaches the INVITE the app would send', async () => {
    const { ep: target, creds: targetCreds } = await registeredLine()
    const { other, creds, c } = await callTheApp('refer-lf')
    // Kamailio reads two headers (the second a Privacy the app's INVITE would carry), sip.js one Referred-By.
    const refer = referOf({ other, creds, c }, targetCreds.username)
      .replace(/\r?\n/g, '\r\n')
      .replace(`Referred-By: <sip:${creds.username}@dialtone.test>`, (h) => `${h}\nPrivacy: id`)
    other.sendExact(refer, stack.kam.sipPort)
    expect(await target.receives((m) => methodOf(m) === 'INVITE', 2000)).toBe(false)
    expect(await other.receives((m) => /^SIP\/2.0 202/.test(m), 100)).toBe(false)
    expect((await phaseOf(app.t, 'connected')).call?.remote).toBe(`+${creds.username}`)
    other.send(inCall('BYE', c, other, creds, 4), stack.kam.sipPort)
    await phaseOf(app.t, 'reorder')
    await call(app.t.app.dispatch, 'phone.hangup', undefined)
    await phaseOf(app.t, 'idle')
  })

  it('naming a Dialtone number is followed: the app calls it, says how it went, and leaves the other party', async () => {
    const { ep: target, creds: targetCreds } = await registeredLine()
    const { other, creds, c } = await callTheApp('refer-followed')
    other.send(referOf({ other, creds, c }, targetCreds.username), stack.kam.sipPort)
    const accepted = await other.next((m) => m.startsWith('SIP/2.0') && /REFER/.test(header(m, 'CSeq')), 5000)
    expect(accepted.split('\r\n')[0]).toMatch(/^SIP\/2.0 202/)
    // The target is called from the app's line, saying who referred it.
    const invite = await target.next((m) => methodOf(m) === 'INVITE', 5000)
    expect(header(invite, 'From')).toContain(app.number.replace(/^\+/, ''))
    expect(header(invite, 'Referred-By')).toContain(creds.username)
    // The other party hears how the transfer goes (RFC 3515): the subscription active while the new call is in
    // progress (sip.js 0.21 said terminated from the first), ended with the final answer; then it is left.
    const notify = (status: RegExp) => (m: string) =>
      methodOf(m) === 'NOTIFY' && status.test(m.split(/\r?\n\r?\n/)[1] ?? '')
    const trying = await other.next(notify(/^SIP\/2.0 100 /), 5000)
    expect(header(trying, 'Subscription-State')).toBe('active;expires=180')
    const done = await other.next(notify(/^SIP\/2.0 200/), 5000)
    expect(header(done, 'Event')).toMatch(/^refer/)
    expect(header(done, 'Subscription-State')).toBe('terminated;reason=noresource')
    expect(header(done, 'Content-Type')).toBe('message/sipfrag')
    await other.next((m) => methodOf(m) === 'BYE' && header(m, 'Call-ID') === c.callId, 5000)
    const connected = await phaseOf(app.t, 'connected')
    expect(connected.call).toMatchObject({
      remote: `+${targetCreds.username}`,
      referredBy: `+${creds.username}`
    })
    expect(connected.other).toBeNull()
    await call(app.t.app.dispatch, 'phone.hangup', undefined)
    await target.next((m) => methodOf(m) === 'BYE', 5000)
    await phaseOf(app.t, 'idle')
  })
})

describe('an INVITE with Replaces (the other end of an attended transfer)', () => {
  it('takes the place of the call it names without ringing, and the replaced party is left', async () => {
    const { other, creds, c } = await callTheApp('replaced')
    const appTag = /tag=([^;>\s]+)/.exec(c.to)?.[1] ?? ''
    const newcomer = await endpoints.open(answerOk)
    const newcomerCreds = await newLine()
    // An unknown dialog is answered 481 (sip.js), and the call goes on.
    await expect(
      callFromLine(
        stack.kam.sipPort,
        newcomer,
        newcomerCreds,
        app.number.replace(/^\+/, ''),
        `nope-${Date.now()}`,
        [`Replaces: ${c.callId};to-tag=someone-else;from-tag=caller1`]
      )
    ).rejects.toThrow(/481/)
    expect((await phaseOf(app.t, 'connected')).call?.remote).toBe(`+${creds.username}`)
    // The call the app is in, named by its Call-ID and tags: answered at once, the replaced party left.
    await callFromLine(
      stack.kam.sipPort,
      newcomer,
      newcomerCreds,
      app.number.replace(/^\+/, ''),
      `replacing-${Date.now()}`,
      [
        `Replaces: ${c.callId};to-tag=${appTag};from-tag=caller1`,
        `Referred-By: <sip:${creds.username}@dialtone.test>`
      ],
      'newcomer1'
    )
    await other.next((m) => methodOf(m) === 'BYE' && header(m, 'Call-ID') === c.callId, 5000)
    const now = await until(
      () => call(app.t.app.dispatch, 'phone.callState', undefined),
      (st) => st.call?.remote === `+${newcomerCreds.username}`
    )
    expect(now).toMatchObject({
      phase: 'connected',
      call: { direction: 'in', referredBy: `+${creds.username}` },
      other: null
    })
    await call(app.t.app.dispatch, 'phone.hangup', undefined)
    await newcomer.next((m) => methodOf(m) === 'BYE', 5000)
    await phaseOf(app.t, 'idle')
  })
})
