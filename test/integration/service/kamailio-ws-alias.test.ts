/**
 * The alias of a WebSocket client's Contact is Kamailio's to write (kamailio.cfg: the WebSocket branch of the request
 * route and the core reply_route): it names the connection Kamailio sends the client's in-dialog requests down, its
 * own BYEs included (a call's limit, a credit spent). A client writing one of its own would have them sent where it
 * liked: another line's connection, a host anywhere. Against the real Kamailio and rtpengine on the service's
 * database, in SIP written by hand over a WebSocket (test/support/raw-sip-ws.ts): a request whose Contact carries an
 * alias is refused (400), a reply whose Contact carries one is dropped (the caller never gets it, and gets the
 * client's next, honest answer, whose Contact Kamailio gives the connection's alias).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type KamailioService, startKamailioService } from '../../support/kamailio-service'
import { type RawSip, header, methodOf, plainSdp, rawSip, responseTo } from '../../support/raw-sip'
import { type RawSipWs, rawSipWs, registerOverWs } from '../../support/raw-sip-ws'
import { branch, callFromLine, inCall } from '../../support/raw-sip-line'
import { type Rtpengine, startRtpengine } from '../../support/rtpengine'
import { trialLine } from '../../support/service-flows'

/** The media the client offers and answers with (plain RTP: what it says does not matter here). */
const SDP = plainSdp(40004)

let stack: KamailioService
let rtpe: Rtpengine
const closing: { close(): void }[] = []

beforeAll(async () => {
  rtpe = await startRtpengine()
  stack = await startKamailioService('sqlite', { rtpengineSock: rtpe.sock })
}, 60_000)
afterAll(async () => {
  for (const c of closing) c.close()
  await stack?.close()
  await rtpe?.stop()
})

async function udp(): Promise<RawSip> {
  const e = await rawSip()
  closing.push(e)
  return e
}

async function ws(onMessage?: (m: string, ws: RawSipWs) => void): Promise<RawSipWs> {
  const c = await rawSipWs(stack.kam.wsUrl, onMessage)
  closing.push(c)
  return c
}

/** A 200 OK from the WebSocket client to the INVITE `m`, with `contact` and an SDP answer. */
const ok = (m: string, contact: string): string =>
  responseTo(m, '200 OK', { toTag: 'ws-callee1', headers: [`Contact: ${contact}`], sdp: SDP })

describe("a WebSocket client's Contact alias", () => {
  it('refuses a request whose Contact carries an alias of its own', async () => {
    const sink = await udp()
    const client = await ws()
    const callId = `ws-alias-req-${Date.now()}`
    client.send(
      [
        'INVITE sip:12125550123@dialtone.test SIP/2.0',
        `Via: SIP/2.0/WS ${client.host};branch=${branch()}`,
        'From: <sip:someone@dialtone.test>;tag=wsalias1',
        'To: <sip:12125550123@dialtone.test>',
        `Call-ID: ${callId}`,
        'CSeq: 1 INVITE',
        `Contact: <sip:someone@${client.host};transport=ws;alias=127.0.0.1~${sink.port}~1>`,
        'Max-Forwards: 70',
        'Content-Type: application/sdp',
        `Content-Length: ${SDP.length}`,
        '',
        SDP
      ].join('\n')
    )
    const answer = await client.next((m) => m.startsWith('SIP/2.0') && header(m, 'Call-ID') === callId)
    expect(answer.split('\r\n')[0]).toBe('SIP/2.0 400 Bad Contact')
    expect(await sink.receives(() => true, 300)).toBe(false)
  })

  it('drops a reply whose Contact carries an alias of its own; the honest one that follows goes through', async () => {
    const sink = await udp()
    const callerLine = await stack.creds(await trialLine(stack.svc))
    const calleeLine = await stack.creds(await trialLine(stack.svc))
    let invites = 0
    const callee = await ws((m, c) => {
      if (methodOf(m) !== 'INVITE') return
      invites += 1
      // First an answer naming the sink's address as the alias; a moment later the honest one.
      c.send(ok(m, `<sip:${calleeLine.username}@${c.host};transport=ws;alias=127.0.0.1~${sink.port}~1>`))
      setTimeout(() => c.send(ok(m, `<sip:${calleeLine.username}@${c.host};transport=ws>`)), 1500)
    })
    await registerOverWs(callee, calleeLine)
    const caller = await udp()
    const started = Date.now()
    const call = await callFromLine(
      stack.kam.sipPort,
      caller,
      callerLine,
      calleeLine.username,
      `ws-alias-${started}`
    )
    expect(invites).toBe(1)
    // The first answer never reached the caller: the call was answered by the second.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400)
    // Whose Contact names the client's own connection (Kamailio's alias), not the sink.
    expect(call.farContact).toContain(callee.host)
    expect(call.farContact).not.toContain(`~${sink.port}~`)
    // The caller's requests in the call reach the client, and the sink hears nothing of it.
    caller.send(inCall('BYE', call, caller, callerLine, 3), stack.kam.sipPort)
    expect(
      await callee.receives((m) => methodOf(m) === 'BYE' && header(m, 'Call-ID') === call.callId, 3000)
    ).toBe(true)
    expect(await sink.receives(() => true, 300)).toBe(false)
  })
})
