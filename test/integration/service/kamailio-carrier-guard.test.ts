/**
 * A line's call to a carrier, as an attacker would have it stay up at the carrier while our books end it (the way a
 * revenue-share fraudster's number is paid for last, unseen), or have the carrier place calls for it: against the
 * real Kamailio and rtpengine on the service's database, in raw SIP over UDP (test/support/raw-sip.ts), with two
 * raw carrier gateways. The call ends at the carrier whatever the line writes in its BYE or its tags
 * (carriers.cfg, route[CARRIER_CALL_GUARD]); the carrier's address is recorded from its answer to the INVITE only,
 * never from a line's answer to a request in the early dialog (route[RELAYED_REPLY]); a transfer (REFER) reaches the
 * carrier only when it names a number of ours that every plan includes (kamailio.cfg, route[REFER_TARGET]).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { KamailioService } from '../../support/kamailio-service'
import {
  type Handler,
  type RawSip,
  answerOk,
  header,
  headerLines,
  methodOf,
  plainSdp,
  rawEndpoints,
  responseTo
} from '../../support/raw-sip'
import { branch, callFromLine, inCall } from '../../support/raw-sip-line'
import { startWithRawGateways } from '../../support/raw-gateways'
import { trialLine } from '../../support/service-flows'

let stack: KamailioService
let close: (() => Promise<void>) | undefined
let K: number
const ends = rawEndpoints()
/** Carrier gateways: one for North America (prefix 1), one for Nauru (674). */
let nanpGateway: RawSip
let nauruGateway: RawSip
/** How the NANP gateway answers: as a carrier answers every call, unless a test plays one otherwise. */
let nanpBehaviour: Handler = answerOk

beforeAll(async () => {
  nanpGateway = await endpoint((m, ep, from, address) => nanpBehaviour(m, ep, from, address))
  nauruGateway = await endpoint(answerOk)
  ;({ stack, close } = await startWithRawGateways('sqlite', [
    { name: 'nanp', routeSet: 1, port: nanpGateway.port, prefixes: ['1'] },
    { name: 'nauru', routeSet: 2, port: nauruGateway.port, prefixes: ['674'] }
  ]))
  K = stack.kam.sipPort
}, 60_000)
afterAll(async () => {
  ends.closeAll()
  await close?.()
})

const endpoint = ends.open

/** A response of the gateway `ep` to the INVITE `m`: `status`, its own To tag, its Contact; an SDP with it. */
const response = (m: string, ep: RawSip, status: string): string =>
  responseTo(m, status, {
    toTag: 'gw-early1',
    headers: [`Contact: <sip:gw@127.0.0.1:${ep.port}>`],
    sdp: plainSdp(40006)
  })

describe("a line's call to a carrier", () => {
  it('ends a line’s call to a carrier at the carrier, whatever the line writes in its BYE or its tags', async () => {
    const a = await stack.creds(await trialLine(stack.svc))
    const caller = await endpoint()
    const sink = await endpoint(answerOk)
    const gotBye = (gw: RawSip, callId: string) =>
      gw.next((m) => methodOf(m) === 'BYE' && header(m, 'Call-ID') === callId)
    const invites = new Map<string, string>()
    const call = async (name: string) => {
      const c = await callFromLine(K, caller, a, '12125550123', `${name}-${Date.now()}`)
      invites.set(
        c.callId,
        await nanpGateway.next((m) => methodOf(m) === 'INVITE' && header(m, 'Call-ID') === c.callId)
      )
      return c
    }
    // The tags the other way round: the line speaks for the carrier, from its own address. Refused: a BYE so
    // written would end the call in our books and the relay, and a re-INVITE would make the dialog keep the line's
    // Contact as the carrier's.
    const swapped = await call('swapped')
    for (const method of ['INVITE', 'BYE']) {
      const asCarrier = inCall(method, swapped, caller, a, 5)
        .replace(/^From: .*$/m, `From: ${swapped.to}`)
        .replace(/^To: .*$/m, `To: <sip:${a.username}@dialtone.test>;tag=caller1`)
        .replace(/^Contact: .*$/m, '')
      caller.send(
        asCarrier.replace('Max-Forwards: 70', `Max-Forwards: 70\nContact: <sip:x@127.0.0.1:${sink.port}>`),
        K
      )
      const refused = await caller.next(
        (m) =>
          /^SIP\/2.0 [2-6]/.test(m) &&
          header(m, 'Call-ID') === swapped.callId &&
          header(m, 'CSeq').endsWith(method)
      )
      expect(refused.split('\r\n')[0]).toBe('SIP/2.0 403 Not the carrier')
    }
    caller.send(inCall('BYE', swapped, caller, a, 6), K)
    await gotBye(nanpGateway, swapped.callId)
    // A Route header of the line's own after ours, and an alias parameter naming another address: the BYE still
    // goes to the carrier's Contact, and nowhere else.
    const routed = await call('routed')
    caller.send(
      inCall(
        'BYE',
        { ...routed, routeSet: `${routed.routeSet}, <sip:127.0.0.1:${sink.port};lr>` },
        caller,
        a,
        3
      ),
      K
    )
    const routedBye = await gotBye(nanpGateway, routed.callId)
    // Not passed on either: a carrier's proxy would follow it.
    expect(header(routedBye, 'Route')).toBe('')
    expect(routedBye.split('\r\n')[0]).toBe(`BYE ${routed.farContact} SIP/2.0`)
    const aliased = await call('aliased')
    const farContact = `${aliased.farContact};alias=127.0.0.1~${sink.port}~1`
    // With a stale CSeq too (a carrier answers such a BYE 500 and keeps its leg): Kamailio's own BYE goes, the
    // dialog's next CSeq after the INVITE's 2.
    caller.send(inCall('BYE', { ...aliased, farContact }, caller, a, 1), K)
    expect(header(await gotBye(nanpGateway, aliased.callId), 'CSeq')).toBe('3 BYE')
    for (const c of [routed, aliased])
      expect(await sink.receives((m) => header(m, 'Call-ID') === c.callId, 300)).toBe(false)
    // A carrier may hang up from another of its addresses (another gateway of ours): its BYE reaches the line.
    const moved = await call('moved')
    const invite = invites.get(moved.callId) ?? ''
    const routeSet = invite
      .split(/\r?\n/)
      .filter((l) => /^Record-Route:/i.test(l))
      .map((l) => l.replace(/^Record-Route:\s*/i, ''))
      .join(', ')
    nauruGateway.send(
      [
        `BYE sip:${a.username}@127.0.0.1:${caller.port} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${nauruGateway.port};branch=${branch()};rport`,
        `Route: ${routeSet}`,
        `From: ${moved.to}`,
        `To: ${header(invite, 'From')}`,
        `Call-ID: ${moved.callId}`,
        'CSeq: 9 BYE',
        'Max-Forwards: 70',
        'Content-Length: 0',
        '',
        ''
      ].join('\n'),
      K
    )
    await caller.next((m) => methodOf(m) === 'BYE' && header(m, 'Call-ID') === moved.callId)
  })

  it('relays a transfer to a carrier only when it names an address of ours to call', async () => {
    const a = await stack.creds(await trialLine(stack.svc))
    const caller = await endpoint()
    const c = await callFromLine(K, caller, a, '12125550123', `refer-${Date.now()}`)
    const refer = (cseq: number, target: string, extra: string[] = []) =>
      inCall('REFER', c, caller, a, cseq, [
        `Refer-To: ${target}`,
        ...extra,
        `Referred-By: <sip:${a.username}@dialtone.test>`
      ])
    const answerTo = (cseq: number) =>
      caller.next((m) => /^SIP\/2.0 [2-6]/.test(m) && header(m, 'CSeq') === `${cseq} REFER`)
    const gatewayGets = (ms: number) =>
      nanpGateway.receives((m) => methodOf(m) === 'REFER' && header(m, 'Call-ID') === c.callId, ms)
    // Followed, the carrier would call a number abroad (or anywhere) on Dialtone's trunk, past every check. And
    // what a lenient parser at the carrier could read as another target than the one checked here.
    const refused: [string, string[]][] = [
      ['<sip:01144201234567@evil.example>', []],
      ['sip:01144201234567@127.0.0.1:5999', []],
      ['<tel:+44201234567>', []],
      ['<sip:12015550100@dialtone.test;maddr=evil.example>', []],
      ['<sip:12015550100@dialtone.test?Route=%3Csip:evil.example%3Blr%3E>', []],
      ['<sip:12015550100@dialtone.test>, <sip:01144201234567@evil.example>', []],
      ['"a\\" <sip:x@evil.example>" <sip:12015550100@dialtone.test>', []],
      ['<sip:evil.example;x=@dialtone.test>', []],
      ['<sip:12015550100@dialtone.test>', ['r: <sip:01144201234567@evil.example>']],
      // A Dialtone app follows a transfer as its line, on its account: never to a call its receiver would pay
      // for or one in its name (abroad, another NANP country, premium rate, emergency or a service code).
      ['<sip:01144201234567@dialtone.test>', []],
      ['<sip:18765550123@dialtone.test>', []],
      ['<sip:19005550123@dialtone.test>', []],
      ['<sip:911@dialtone.test>', []],
      ['<sip:12124110123@dialtone.test>', []],
      ['<sip:+12015550100@dialtone.test>', []],
      // A port or a parameter a carrier or a line would call by; a Replaces its receiver would decode into headers
      // of its own INVITE (CRLF), or could not decode at all.
      ['<sip:12015550100@dialtone.test:5999>', []],
      ['<sip:12015550100@dialtone.test:0>', []],
      ['<sip:12015550100;phone-context=+44@dialtone.test;user=phone>', []],
      ['<sip:12015550100@dialtone.test;transport=tcp>', []],
      ['<sip:12015550100@dialtone.test?Replaces=a%3Bto-tag%3Db%3Bfrom-tag%3Dc%0D%0APrivacy:%20id>', []],
      ['<sip:12015550100@dialtone.test?Replaces=%FF>', []],
      ['<sip:12015550100@dialtone.test?Replaces=a;to-tag=b>', []]
    ]
    let cseq = 3
    for (const [target, extra] of refused) {
      caller.send(refer(++cseq, target, extra), K)
      expect((await answerTo(cseq)).split('\r\n')[0], target).toBe('SIP/2.0 403 Transfer target not here')
    }
    expect(await gatewayGets(300)).toBe(false)
    // The app's transfers name the consulted party's address of record here (attended: with Replaces): relayed,
    // and the carrier answers.
    for (const target of [
      '<sip:12015550100@dialtone.test>',
      '"Front desk" <sip:12015550100@dialtone.test>',
      '<sip:12015550100@dialtone.test?Replaces=consult1%40host%3Bto-tag%3Dt1%3Bfrom-tag%3Df1>',
      '<sip:12015550100@dialtone.test;user=phone>'
    ]) {
      caller.send(refer(++cseq, target), K)
      expect(await gatewayGets(2000), target).toBe(true)
      expect((await answerTo(cseq)).split('\r\n')[0]).toBe('SIP/2.0 200 OK')
    }
    caller.send(inCall('BYE', c, caller, a, ++cseq), K)
    await caller.next((m) => /^SIP\/2.0 200/.test(m) && header(m, 'CSeq') === `${cseq} BYE`)
  })

  it("records the carrier's address from its answer to the INVITE, never from a line's answer in the early dialog", async () => {
    const a = await stack.creds(await trialLine(stack.svc))
    // The line answers whatever reaches it (the carrier's UPDATE below) with 200 OK, from its own address.
    const caller = await endpoint(answerOk)
    const callId = `early-update-${Date.now()}`
    let invite: string | null = null
    // The carrier rings (183, an early dialog) and sends an UPDATE in it, which the line answers first; only then
    // does the carrier answer the INVITE. Recorded from the first 2xx that passed, the carrier's address would be
    // the line's, and the line could then speak for the carrier. Three checks in route[RELAYED_REPLY] each stop it
    // (the INVITE's transaction, its method, a carrier's address); with all three taken out this test fails.
    nanpBehaviour = (m, ep, from) => {
      if (methodOf(m) === 'INVITE' && header(m, 'Call-ID') === callId && !/tag=/.test(header(m, 'To'))) {
        ep.send(response(m, ep, '183 Session Progress'), from)
        const contact = /<([^>]+)>/.exec(header(m, 'Contact'))?.[1] ?? ''
        ep.send(
          [
            `UPDATE ${contact} SIP/2.0`,
            `Via: SIP/2.0/UDP 127.0.0.1:${ep.port};branch=${branch()};rport`,
            ...headerLines(m, 'Record-Route').map((l) => l.replace(/^Record-Route:/i, 'Route:')),
            `From: ${header(m, 'To')};tag=gw-early1`,
            `To: ${header(m, 'From')}`,
            `Call-ID: ${callId}`,
            'CSeq: 1 UPDATE',
            `Contact: <sip:gw@127.0.0.1:${ep.port}>`,
            'Max-Forwards: 70',
            'Content-Length: 0',
            '',
            ''
          ].join('\n'),
          from
        )
        invite = m
        return
      }
      if (m.startsWith('SIP/2.0 200') && header(m, 'CSeq') === '1 UPDATE' && invite) {
        ep.send(response(invite, ep, '200 OK'), from)
        return
      }
      answerOk(m, ep, from)
    }
    try {
      const c = await callFromLine(K, caller, a, '12125550124', callId)
      // The line's own answer went to the carrier: the early dialog was real.
      expect(
        await nanpGateway.receives(
          (m) => m.startsWith('SIP/2.0 200') && header(m, 'CSeq') === '1 UPDATE',
          1000
        )
      ).toBe(true)
      // Speaking for the carrier (its tag in the From) from the line's own address: refused.
      const asCarrier = inCall('BYE', c, caller, a, 5)
        .replace(/^From: .*$/m, `From: ${c.to}`)
        .replace(/^To: .*$/m, `To: <sip:${a.username}@dialtone.test>;tag=caller1`)
      caller.send(asCarrier, K)
      const refused = await caller.next(
        (m) => /^SIP\/2.0 [2-6]/.test(m) && header(m, 'Call-ID') === callId && header(m, 'CSeq') === '5 BYE'
      )
      expect(refused.split('\r\n')[0]).toBe('SIP/2.0 403 Not the carrier')
      caller.send(inCall('BYE', c, caller, a, 6), K)
      expect(
        await nanpGateway.receives((m) => methodOf(m) === 'BYE' && header(m, 'Call-ID') === callId, 2000)
      ).toBe(true)
    } finally {
      nanpBehaviour = answerOk
    }
  })
})
