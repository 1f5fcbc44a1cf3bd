/**
 * Calls as an attacker writes them, against the real Kamailio (and rtpengine) on the service's database, in raw SIP
 * over UDP (test/support/raw-sip.ts): a To tag and a Route header naming our server no longer make Kamailio relay an
 * INVITE to a host of the sender's choosing (a carrier's gateway, from our trusted address) nor a BYE whose
 * accounting row ends someone's call early in the rating (kamailio.cfg, route[IN_DIALOG]); a real call's BYE still
 * goes through, and to the other side of the call whatever host its sender wrote (route[IN_DIALOG_BYE_TARGET]), a
 * call nobody ends is ended by Kamailio on both sides at MAX_CALL_SECONDS saying why, the headers a line may
 * not write (who calls, who pays, who diverted) never leave it, a message-summary SUBSCRIBE from another domain
 * does not watch a line's box, a Reason of the server's written by someone else is never passed on, and a number
 * abroad written as ten digits is routed as the NANP number the international gate and the rating take it for, while
 * 011 and the number go abroad (carriers.cfg, TO_CARRIER). A line's call to a carrier: kamailio-carrier-guard.test.ts.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rateCalls } from '../../../src/server/billing/usage'
import { postEntry } from '../../../src/server/billing/balance'
import { importFlatstore } from '../../../src/server/provisioning/accounting'
import type { KamailioService, SipCreds } from '../../support/kamailio-service'
import { type RawSip, answerOk, header, methodOf, rawEndpoints, responseTo } from '../../support/raw-sip'
import { branch, callFromLine, inCall, registerLine } from '../../support/raw-sip-line'
import { classifyDestination } from '../../../src/server/billing/rates'
import { startWithRawGateways } from '../../support/raw-gateways'
import { trialLine } from '../../support/service-flows'
import { key } from '../../support/billing-flows'

/** Short enough to watch a call outlive it, long enough for the calls that hang up by themselves. */
const MAX_CALL_SECONDS = 4

let stack: KamailioService
let close: (() => Promise<void>) | undefined
let K: number
const ends = rawEndpoints()
/** Carrier gateways: one for North America (prefix 1), one for Nauru (674). */
let nanpGateway: RawSip
let nauruGateway: RawSip
/** Where 911 goes (Kamailio's EMERGENCY_URI): it answers every call. */
let psap: RawSip
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

beforeAll(async () => {
  nanpGateway = await endpoint(answerOk)
  nauruGateway = await endpoint(answerOk)
  psap = await endpoint(answerOk)
  ;({ stack, close } = await startWithRawGateways(
    'sqlite',
    [
      { name: 'nanp', routeSet: 1, port: nanpGateway.port, prefixes: ['1'] },
      { name: 'nauru', routeSet: 2, port: nauruGateway.port, prefixes: ['674'] }
    ],
    { maxCallSeconds: MAX_CALL_SECONDS, emergencyUri: `sip:127.0.0.1:${psap.port}` }
  ))
  K = stack.kam.sipPort
}, 60_000)
afterAll(async () => {
  ends.closeAll()
  await close?.()
})

const endpoint = ends.open

const accounting = (): string[] =>
  readdirSync(stack.kam.accountingDir)
    .filter((f) => f.startsWith('acc'))
    .flatMap((f) => readFileSync(join(stack.kam.accountingDir, f), 'utf8').split('\n'))
    .filter(Boolean)

/** A request within a call that never was: a To tag, a Route to our server, a Request-URI of the sender's choice. */
function forged(method: string, ruri: string, callId: string, from: RawSip, extra: string[] = []): string {
  return [
    `${method} ${ruri} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${from.port};branch=${branch()};rport`,
    `Route: <sip:127.0.0.1:${K};lr>`,
    'From: <sip:someone@evil.example>;tag=forged1',
    'To: <sip:01144201234567@carrier.example>;tag=forged2',
    `Call-ID: ${callId}`,
    `CSeq: 7 ${method}`,
    `Contact: <sip:x@127.0.0.1:${from.port}>`,
    'Max-Forwards: 70',
    ...extra,
    'Content-Length: 0',
    '',
    ''
  ].join('\n')
}

async function twoLines(): Promise<{ a: SipCreds; b: SipCreds; caller: RawSip; callee: RawSip }> {
  const a = await stack.creds(await trialLine(stack.svc))
  const b = await stack.creds(await trialLine(stack.svc))
  const callee = await endpoint(answerOk)
  await registerLine(K, callee, b)
  return { a, b, caller: await endpoint(), callee }
}

describe('calls as an attacker writes them', () => {
  it('relays no INVITE for a call it never set up: a carrier gateway hears nothing, the sender gets 481', async () => {
    const gateway = await endpoint(answerOk)
    const attacker = await endpoint()
    attacker.send(
      forged('INVITE', `sip:01144201234567@127.0.0.1:${gateway.port}`, 'forged-invite-1', attacker, [
        'P-Asserted-Identity: <sip:+12125550100@dialtone.test>'
      ]),
      K
    )
    const answer = await attacker.next((m) => m.startsWith('SIP/2.0'))
    expect(answer.split('\r\n')[0]).toBe('SIP/2.0 481 Call/Transaction Does Not Exist')
    expect(await gateway.receives((m) => methodOf(m) === 'INVITE', 1500)).toBe(false)
  })

  it('a BYE forged before a call ends nothing: the call it named is rated for its length', async () => {
    const { a, b, caller, callee } = await twoLines()
    const attacker = await endpoint()
    const sink = await endpoint(answerOk)
    const callId = `real-call-${Date.now()}`
    // A BYE matching no call, from anyone but a carrier to anywhere but a carrier: refused, not accounted, sent nowhere.
    attacker.send(forged('BYE', `sip:x@127.0.0.1:${sink.port}`, callId, attacker), K)
    expect((await attacker.next((m) => m.startsWith('SIP/2.0'))).split('\r\n')[0]).toBe(
      'SIP/2.0 481 Call/Transaction Does Not Exist'
    )
    expect(await sink.receives((m) => header(m, 'Call-ID') === callId, 300)).toBe(false)
    // To a carrier's address it is passed on (a call forgotten at a restart must still end at the carrier, and be
    // rated there) and accounted; the rating matches a BYE to a call by its tags, after the answer, so this one
    // ends nothing.
    attacker.send(forged('BYE', `sip:x@127.0.0.1:${nanpGateway.port}`, callId, attacker), K)
    await nanpGateway.next((m) => methodOf(m) === 'BYE' && header(m, 'Call-ID') === callId)
    await attacker.next((m) => /^SIP\/2.0 200/.test(m) && header(m, 'Call-ID') === callId)

    const c = await callFromLine(K, caller, a, b.username, callId)
    await sleep(2200)
    caller.send(inCall('BYE', c, caller, a, 3), K)
    // The real BYE reaches the far end and is answered: the call's own requests still go through.
    await callee.next((m) => methodOf(m) === 'BYE' && header(m, 'Call-ID') === callId)
    await caller.next((m) => /^SIP\/2.0 200/.test(m) && /BYE/.test(header(m, 'CSeq')))
    await sleep(1200)
    const byes = accounting().filter((l) => l.startsWith('BYE|') && l.includes(callId))
    // The one to the carrier's address and the call's own.
    expect(byes).toHaveLength(2)

    const ctx = stack.svc.service.ctx
    await importFlatstore(ctx, stack.kam.accountingDir)
    stack.svc.clock.set(new Date(Date.now() + 60_000))
    await rateCalls(ctx)
    const usage = await ctx.db.selectFrom('usage_records').selectAll().where('call_id', '=', callId).execute()
    expect(usage.length).toBeGreaterThan(0)
    for (const u of usage) expect(u.seconds).toBeGreaterThanOrEqual(2)
  })

  it("sends a call's BYE to the other side of the call, not to a host its sender names", async () => {
    const { a, b, caller, callee } = await twoLines()
    const sink = await endpoint(answerOk)
    const callId = `bye-elsewhere-${Date.now()}`
    const c = await callFromLine(K, caller, a, b.username, callId)
    // The line writes its BYE to a host of its own: the callee (a carrier's leg, in the fraud) would stay up unseen.
    caller.send(inCall('BYE', { ...c, farContact: `sip:x@127.0.0.1:${sink.port}` }, caller, a, 3), K)
    const bye = await callee.next((m) => methodOf(m) === 'BYE' && header(m, 'Call-ID') === callId)
    expect(bye.split('\r\n')[0]).toBe(`BYE ${c.farContact} SIP/2.0`)
    expect(await sink.receives((m) => header(m, 'Call-ID') === callId, 500)).toBe(false)
    await caller.next((m) => /^SIP\/2.0 200/.test(m) && /BYE/.test(header(m, 'CSeq')))
  })

  it("passes on no Reason naming one of the server's own: a BYE's or a refusal's, while a carrier's cause goes through", async () => {
    stack.svc.clock.advance(61 * 60_000)
    const { a, b, caller, callee } = await twoLines()
    const ours = 'SIP;cause=402;text="no-credit"'
    const q850 = 'Q.850;cause=16;text="Normal call clearing"'
    // A line's BYE saying the other side's credit ran out: relayed without its Reason.
    const forgedEnd = await callFromLine(K, caller, a, b.username, `reason-bye-${Date.now()}`)
    caller.send(inCall('BYE', forgedEnd, caller, a, 3, [`Reason: ${q850}`, `Reason: ${ours}`]), K)
    const bye = await callee.next((m) => methodOf(m) === 'BYE' && header(m, 'Call-ID') === forgedEnd.callId)
    expect(header(bye, 'Reason')).toBe('')
    // A cause of the ISDN network's (a carrier's usual Reason) is not ours to take out.
    const plain = await callFromLine(K, caller, a, b.username, `reason-q850-${Date.now()}`)
    caller.send(inCall('BYE', plain, caller, a, 3, [`Reason: ${q850}`]), K)
    const plainBye = await callee.next((m) => methodOf(m) === 'BYE' && header(m, 'Call-ID') === plain.callId)
    expect(header(plainBye, 'Reason')).toBe(q850)
    // A line refusing a call with the words of the server's policy ("your calls are held"): relayed without them.
    const c = await stack.creds(await trialLine(stack.svc))
    const refuser = await endpoint((m, ep, fromPort) => {
      if (methodOf(m) !== 'INVITE') return
      ep.send(
        responseTo(m, '403 Forbidden', {
          toTag: 'refuser1',
          headers: ['Reason: SIP;cause=403;text="calls-held"']
        }),
        fromPort
      )
    })
    await registerLine(K, refuser, c)
    const refusedId = `reason-403-${Date.now()}`
    await expect(callFromLine(K, caller, a, c.username, refusedId)).rejects.toThrow(/403 Forbidden$/)
  })

  it('never passes on the headers a line may not write: who calls, who pays, who diverted', async () => {
    const { a, b, caller, callee } = await twoLines()
    const callId = `spoof-${Date.now()}`
    const c = await callFromLine(K, caller, a, b.username, callId, [
      'Remote-Party-ID: <sip:+19115550100@dialtone.test>;party=calling',
      'P-Charge-Info: <sip:+12125550100@dialtone.test>',
      'Diversion: <sip:+12125550100@dialtone.test>;reason=unconditional',
      'History-Info: <sip:+12125550100@dialtone.test>;index=1',
      'Identity: forged.signature;info=<https://evil.example/cert>'
    ])
    const received = await callee.next((m) => methodOf(m) === 'INVITE' && header(m, 'Call-ID') === callId)
    for (const name of ['Remote-Party-ID', 'P-Charge-Info', 'Diversion', 'History-Info', 'Identity'])
      expect(header(received, name), name).toBe('')
    caller.send(inCall('BYE', c, caller, a, 3), K)
    await caller.next((m) => /^SIP\/2.0 200/.test(m) && /BYE/.test(header(m, 'CSeq')))
  })

  it('ends a call nobody hangs up after MAX_CALL_SECONDS, with a BYE to each side; never a 911 call', async () => {
    const { a, b, caller, callee } = await twoLines()
    const callId = `endless-${Date.now()}`
    const emergencyCaller = await endpoint()
    const emergencyId = `endless-911-${Date.now()}`
    const started = Date.now()
    await callFromLine(K, caller, a, b.username, callId)
    await callFromLine(K, emergencyCaller, a, '911', emergencyId)
    const byCaller = caller.next((m) => methodOf(m) === 'BYE' && header(m, 'Call-ID') === callId, 15_000)
    const byCallee = callee.next((m) => methodOf(m) === 'BYE' && header(m, 'Call-ID') === callId, 15_000)
    // Each BYE says why (kamailio.cfg, route[SERVER_BYE_REASON]): the app tells its person calls end at this length.
    for (const bye of await Promise.all([byCaller, byCallee]))
      expect(header(bye, 'Reason')).toBe('SIP;cause=200;text="max-call-length"')
    // The dialog module's timer ticks once a second.
    expect(Date.now() - started).toBeGreaterThanOrEqual((MAX_CALL_SECONDS - 1) * 1000)
    // The 911 call, as old as the other, is still up two seconds later: no BYE to the caller nor the PSAP.
    const cut = (ep: RawSip) =>
      ep.receives((m) => methodOf(m) === 'BYE' && header(m, 'Call-ID') === emergencyId, 2000)
    expect(await Promise.all([cut(emergencyCaller), cut(psap)])).toEqual([false, false])
    // Kamailio accounts the BYEs it sent (kamailio.cfg's event_route[tm:local-request]), so the call is rated at the
    // length it had, at once: not, twelve hours later, at the service's MAX_CALL_SECONDS (4 hours).
    const ctx = stack.svc.service.ctx
    await importFlatstore(ctx, stack.kam.accountingDir)
    await rateCalls(ctx)
    const usage = await ctx.db.selectFrom('usage_records').selectAll().where('call_id', '=', callId).execute()
    expect(usage.length).toBeGreaterThan(0)
    for (const u of usage)
      expect([u.seconds >= MAX_CALL_SECONDS - 1, u.seconds <= MAX_CALL_SECONDS + 2]).toEqual([true, true])
  })

  it("refuses a message-summary SUBSCRIBE from another domain naming a line's box, and a MESSAGE", async () => {
    const { b } = await twoLines()
    const attacker = await endpoint()
    attacker.send(
      [
        `SUBSCRIBE sip:${b.username}@dialtone.test SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${attacker.port};branch=${branch()};rport`,
        `From: <sip:${b.username}@evil.example>;tag=watch1`,
        `To: <sip:${b.username}@dialtone.test>`,
        'Call-ID: watch-1',
        'CSeq: 1 SUBSCRIBE',
        `Contact: <sip:${b.username}@127.0.0.1:${attacker.port}>`,
        'Event: message-summary',
        'Expires: 600',
        'Max-Forwards: 70',
        'Content-Length: 0',
        '',
        ''
      ].join('\n'),
      K
    )
    expect((await attacker.next((m) => m.startsWith('SIP/2.0'))).split('\r\n')[0]).toBe(
      'SIP/2.0 403 Not from here'
    )
    // Nor a MESSAGE to a registered line: the line hears nothing.
    const { b: target, callee } = await twoLines()
    attacker.send(
      [
        `MESSAGE sip:${target.username}@dialtone.test SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${attacker.port};branch=${branch()};rport`,
        '<sip:bank@evil.example>;tag=msg1'.replace(/^/, 'From: '),
        `To: <sip:${target.username}@dialtone.test>`,
        'Call-ID: message-1',
        'CSeq: 1 MESSAGE',
        'Content-Type: text/plain',
        'Max-Forwards: 70',
        'Content-Length: 5',
        '',
        'hello'
      ].join('\n'),
      K
    )
    expect((await attacker.next((m) => m.startsWith('SIP/2.0'))).split('\r\n')[0]).toBe(
      'SIP/2.0 403 Not from here'
    )
    expect(await callee.receives((m) => methodOf(m) === 'MESSAGE', 500)).toBe(false)
  })

  it('routes a number abroad written as ten digits as a NANP number, and 011 with the number abroad', async () => {
    const line = await trialLine(stack.svc)
    // A minute abroad to pay with (credit.cfg refuses a call abroad without one).
    await postEntry(stack.svc.service.ctx, line.accountId, 'top_up', 100, 'abuse-test-credit', {
      code: 'other',
      params: {},
      text: 'test credit'
    })
    const a = await stack.creds(line)
    const caller = await endpoint()
    // Ten digits: a NANP number missing its 1, for the gate and the rating alike, so to the NANP carrier as such.
    const tenDigits = await callFromLine(K, caller, a, '6745551234', `ten-${Date.now()}`)
    const toNanp = await nanpGateway.next(
      (m) => methodOf(m) === 'INVITE' && header(m, 'Call-ID') === tenDigits.callId
    )
    expect(toNanp.split('\r\n')[0]).toMatch(/^INVITE sip:16745551234@/)
    expect(classifyDestination('6745551234')).toMatchObject({ zone: 'domestic', digits: '16745551234' })
    caller.send(inCall('BYE', tenDigits, caller, a, 3), K)
    await caller.next((m) => /^SIP\/2.0 200/.test(m) && /BYE/.test(header(m, 'CSeq')))
    // 011 and the number: abroad, in international form, and rated as international.
    const abroad = await callFromLine(K, caller, a, '0116745551234', `abroad-${Date.now()}`)
    const toNauru = await nauruGateway.next(
      (m) => methodOf(m) === 'INVITE' && header(m, 'Call-ID') === abroad.callId
    )
    expect(toNauru.split('\r\n')[0]).toMatch(/^INVITE sip:6745551234@/)
    expect(classifyDestination('0116745551234')).toMatchObject({
      zone: 'international',
      digits: '6745551234'
    })
    caller.send(inCall('BYE', abroad, caller, a, 3), K)
    await caller.next((m) => /^SIP\/2.0 200/.test(m) && /BYE/.test(header(m, 'CSeq')))
    expect(
      await nauruGateway.receives(
        (m) => methodOf(m) === 'INVITE' && header(m, 'Call-ID') === tenDigits.callId,
        200
      )
    ).toBe(false)
  })

  it('refuses a line a fourth call at once, and a satellite number always', async () => {
    const { a, b, caller } = await twoLines()
    // Four sent at once: three go through, the fourth is refused.
    const sent = await Promise.allSettled(
      ['first', 'second', 'third', 'fourth'].map((n) =>
        callFromLine(K, caller, a, b.username, `${n}-${Date.now()}`)
      )
    )
    const up = sent.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []))
    expect(up).toHaveLength(3)
    // Counted under a lock that exists: without cfgutils' lock set, lock() logs this and locks nothing.
    expect(stack.kam.output()).not.toMatch(/lock set not initialized/)
    expect(String(sent.find((o) => o.status === 'rejected')?.reason)).toMatch(/403 Too many calls/)
    const [first, second, third] = up
    if (!first || !second || !third) throw new Error('three calls expected')
    // One hung up, the next call goes through.
    caller.send(inCall('BYE', first, caller, a, 3), K)
    await caller.next((m) => /^SIP\/2.0 200/.test(m) && /BYE/.test(header(m, 'CSeq')))
    const again = await callFromLine(K, caller, a, b.username, `again-${Date.now()}`)
    for (const c of [second, third, again]) {
      caller.send(inCall('BYE', c, caller, a, 3), K)
      await caller.next(
        (m) => /^SIP\/2.0 200/.test(m) && /BYE/.test(header(m, 'CSeq')) && header(m, 'Call-ID') === c.callId
      )
    }
    // Inmarsat and the global satellite networks: refused, with a reason the app words.
    for (const to of ['0118816315551234', '011870772001234'])
      await expect(callFromLine(K, caller, a, to, `sat-${to}-${Date.now()}`)).rejects.toThrow(
        /403 High-cost number refused/
      )
  })

  it('forwards at most three calls of a line out at once', async () => {
    const line = await trialLine(stack.svc)
    const rule = await stack.svc.api(
      'PATCH',
      `/v1/lines/${line.lineId}/forwarding`,
      { always: '+12125550100' },
      line.token
    )
    expect(rule.status, JSON.stringify(rule.body)).toBe(200)
    const box = (await stack.creds(line)).username
    const before = nanpGateway
    const callers = await Promise.all(
      [0, 1, 2, 3].map(async () => ({
        creds: await stack.creds(await trialLine(stack.svc)),
        ep: await endpoint()
      }))
    )
    // Four callers at once on the line's number.
    const outcomes = await Promise.allSettled(
      callers.map((c, i) => callFromLine(K, c.ep, c.creds, box, `fwd-${i}-${Date.now()}`))
    )
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3)
    const refused = outcomes.find((o) => o.status === 'rejected')
    expect(String(refused?.status === 'rejected' ? refused.reason : '')).not.toMatch(/ 200 /)
    for (const [i, o] of outcomes.entries())
      if (o.status === 'fulfilled') {
        const c = callers[i]
        if (!c) continue
        c.ep.send(inCall('BYE', o.value, c.ep, c.creds, 3), K)
        await c.ep.next((m) => /^SIP\/2.0 200/.test(m) && /BYE/.test(header(m, 'CSeq')))
      }
    expect(before).toBe(nanpGateway)
  })

  it("reaches a Dialtone line dialled as ten digits directly, and holds a long number abroad to the line's switch", async () => {
    // A new hour for the trials' per-address budget: this file makes many lines.
    stack.svc.clock.advance(61 * 60_000)
    const { a, b, caller, callee } = await twoLines()
    const tenDigits = b.username.replace(/^1/, '')
    const callId = `ten-line-${Date.now()}`
    const c = await callFromLine(K, caller, a, tenDigits, callId)
    expect(
      await callee.receives((m) => methodOf(m) === 'INVITE' && header(m, 'Call-ID') === callId, 500)
    ).toBe(true)
    expect(await nanpGateway.receives((m) => header(m, 'Call-ID') === callId, 200)).toBe(false)
    caller.send(inCall('BYE', c, caller, a, 3), K)
    await caller.next((m) => /^SIP\/2.0 200/.test(m) && /BYE/.test(header(m, 'CSeq')))
    // International calling off: a German mobile after 011 (16 characters) is refused like any number abroad.
    const line = await trialLine(stack.svc)
    const off = await stack.svc.api(
      'POST',
      `/v1/lines/${line.lineId}/services/international-calling`,
      { enabled: false, idempotencyKey: key() },
      line.token
    )
    expect(off.status, JSON.stringify(off.body)).toBe(200)
    const creds = await stack.creds(line)
    await expect(
      callFromLine(K, await endpoint(), creds, '0114915123456789', `de-${Date.now()}`)
    ).rejects.toThrow(/403 International calling off/)
  })
})
