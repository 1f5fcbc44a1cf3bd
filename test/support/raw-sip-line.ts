/**
 * A Dialtone line written by hand (./raw-sip.ts): it registers, calls a number (answering the proxy's digest
 * challenge), and writes requests within its call along the call's route set, all to the Kamailio at `kam` (its SIP
 * port on 127.0.0.1). For the tests that must send what a line's own SIP stack never would, beside the call.
 */
import type { SipCreds } from './kamailio-service'
import { type RawSip, digestAnswer, header } from './raw-sip'

const SDP =
  'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40002 RTP/AVP 0\r\n'

/** A fresh Via branch. */
export const branch = (): string => `z9hG4bK-${Math.random().toString(36).slice(2)}`

/** Registers `c` at the endpoint's address (digest answered). */
export async function registerLine(kam: number, ep: RawSip, c: SipCreds): Promise<void> {
  await register(
    { send: (m) => ep.send(m, kam), next: ep.next },
    c,
    () => `SIP/2.0/UDP 127.0.0.1:${ep.port};branch=${branch()};rport`,
    `<sip:${c.username}@127.0.0.1:${ep.port}>`
  )
}

/**
 * Registers `c` over whatever carries `ep`'s messages (UDP, a WebSocket: ./raw-sip-ws.ts), with that transport's
 * Via (a fresh branch for each request) and Contact, answering the digest challenge.
 */
export async function register(
  ep: { send(m: string): void; next: RawSip['next'] },
  c: SipCreds,
  via: () => string,
  contact: string
): Promise<void> {
  const request = (cseq: number, auth?: string) =>
    [
      'REGISTER sip:dialtone.test SIP/2.0',
      `Via: ${via()}`,
      `From: <sip:${c.username}@dialtone.test>;tag=reg1`,
      `To: <sip:${c.username}@dialtone.test>`,
      `Call-ID: reg-${c.username}`,
      `CSeq: ${cseq} REGISTER`,
      `Contact: ${contact}`,
      'Expires: 600',
      'Max-Forwards: 70',
      ...(auth ? [`Authorization: ${auth}`] : []),
      'Content-Length: 0',
      '',
      ''
    ].join('\n')
  ep.send(request(1))
  const challenge = await ep.next((m) => m.startsWith('SIP/2.0 401'))
  const www = header(challenge, 'WWW-Authenticate')
  ep.send(request(2, digestAnswer(www, 'REGISTER', 'sip:dialtone.test', c.username, c.password)))
  await ep.next((m) => m.startsWith('SIP/2.0 200'))
}

export interface AnsweredCall {
  readonly callId: string
  /** The calling line's From tag. */
  readonly fromTag: string
  readonly routeSet: string
  readonly to: string
  readonly farContact: string
}

/**
 * Line `a`, at the endpoint `caller`, calls `to` (a SIP user: a number as dialled), answers the digest challenge,
 * and acknowledges the answer; `extra` headers go on the INVITE, `fromTag` is its From tag. Throws unless the call is
 * answered.
 */
export async function callFromLine(...args: InviteArgs): Promise<AnsweredCall> {
  const [kam, caller, a] = args
  const answered = await inviteFromLine(...args)
  caller.send(inCall('ACK', answered, caller, a, 2), kam)
  return answered
}

/**
 * What a call from a hand-written line takes: Kamailio's SIP port, the calling endpoint and its line's credentials,
 * the number as dialled, the Call-ID, extra headers on the INVITE, and its From tag.
 */
type InviteArgs = [
  kam: number,
  caller: RawSip,
  a: SipCreds,
  to: string,
  callId: string,
  extra?: string[],
  fromTag?: string
]

/** callFromLine without the ACK: the answer is left unacknowledged (a caller whose ACK was lost on the way). */
export const inviteFromLine = (...args: InviteArgs): Promise<AnsweredCall> => inviteUntil('answered', ...args)

/** The same call left ringing: the early dialog of the callee's 180 (its To tag, route set and Contact). */
export const ringFromLine = (...args: InviteArgs): Promise<AnsweredCall> => inviteUntil('ringing', ...args)

async function inviteUntil(
  until: 'ringing' | 'answered',
  ...[kam, caller, a, to, callId, extra = [], fromTag = 'caller1']: InviteArgs
): Promise<AnsweredCall> {
  const ruri = `sip:${to}@dialtone.test`
  const invite = (cseq: number, auth?: string) =>
    [
      `INVITE ${ruri} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${caller.port};branch=z9hG4bK-inv${cseq}-${fromTag}-${callId};rport`,
      `From: <sip:${a.username}@dialtone.test>;tag=${fromTag}`,
      `To: <sip:${to}@dialtone.test>`,
      `Call-ID: ${callId}`,
      `CSeq: ${cseq} INVITE`,
      `Contact: <sip:${a.username}@127.0.0.1:${caller.port}>`,
      'Max-Forwards: 70',
      ...extra,
      ...(auth ? [`Proxy-Authorization: ${auth}`] : []),
      'Content-Type: application/sdp',
      `Content-Length: ${SDP.length}`,
      '',
      SDP
    ].join('\n')
  caller.send(invite(1), kam)
  const challenge = await caller.next((m) => /^SIP\/2.0 407/.test(m))
  caller.send(
    [
      `ACK ${ruri} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${caller.port};branch=z9hG4bK-inv1-${fromTag}-${callId};rport`,
      `From: <sip:${a.username}@dialtone.test>;tag=${fromTag}`,
      `To: ${header(challenge, 'To')}`,
      `Call-ID: ${callId}`,
      'CSeq: 1 ACK',
      'Max-Forwards: 70',
      'Content-Length: 0',
      '',
      ''
    ].join('\n'),
    kam
  )
  const auth = digestAnswer(header(challenge, 'Proxy-Authenticate'), 'INVITE', ruri, a.username, a.password)
  caller.send(invite(2, auth), kam)
  // Ringing: a 180 with the callee's To tag, or the final answer when it comes first (a refusal, thrown below).
  const ringing = (m: string) =>
    until === 'ringing' && /^SIP\/2.0 180/.test(m) && /tag=/.test(header(m, 'To'))
  const final = await caller.next(
    (m) =>
      (/^SIP\/2.0 [2-6]\d\d/.test(m) || ringing(m)) &&
      /INVITE/.test(header(m, 'CSeq')) &&
      header(m, 'Call-ID') === callId,
    6000
  )
  if (!final.startsWith(until === 'ringing' ? 'SIP/2.0 180' : 'SIP/2.0 200'))
    throw new Error(
      `the call to ${to} was not ${until}: ${final.split('\r\n')[0]}` +
        (header(final, 'Reason') ? ` (Reason: ${header(final, 'Reason')})` : '')
    )
  return {
    callId,
    fromTag,
    // The route set: every Record-Route value of the answer, in reverse (RFC 3261 12.1.2).
    routeSet: final
      .split(/\r?\n/)
      .filter((l) => /^Record-Route:/i.test(l))
      .flatMap((l) => l.replace(/^Record-Route:\s*/i, '').split(/,\s*(?=<)/))
      .reverse()
      .join(', '),
    to: header(final, 'To'),
    farContact: /<([^>]+)>/.exec(header(final, 'Contact'))?.[1] ?? ''
  }
}

/** A request of line `a` (at `caller`) within the call, along the call's route set; `extra` headers on it. */
export function inCall(
  method: string,
  c: AnsweredCall,
  caller: RawSip,
  a: SipCreds,
  cseq: number,
  extra: string[] = []
): string {
  return [
    `${method} ${c.farContact} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${caller.port};branch=${branch()};rport`,
    `Route: ${c.routeSet}`,
    `From: <sip:${a.username}@dialtone.test>;tag=${c.fromTag}`,
    `To: ${c.to}`,
    `Call-ID: ${c.callId}`,
    `CSeq: ${cseq} ${method}`,
    'Max-Forwards: 70',
    ...extra,
    'Content-Length: 0',
    '',
    ''
  ].join('\n')
}
