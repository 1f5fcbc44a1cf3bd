/**
 * The voicemail front's SIP handling (src/server/voicemail/sip-message.ts, sip-front.ts): what it reads from a
 * request Kamailio relays (compact names, a comma-joined Via, folded lines), where a response goes back, and which
 * Request-URI users name a box per the Kamailio -> voicemail contract (anything else is refused).
 */
import { describe, expect, it } from 'vitest'
import { decodeTarget } from '../../../src/server/voicemail/sip-front'
import {
  displayOf,
  header,
  headers,
  param,
  parseSip,
  responseTo,
  uriOf,
  userOf,
  viaTarget,
  writeSip
} from '../../../src/server/voicemail/sip-message'

const SUBSCRIBE = [
  'SUBSCRIBE sip:12125550101@dialtone.test SIP/2.0',
  'v: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKa;rport=5060, SIP/2.0/WS abc.invalid;branch=z9hG4bKb;received=10.0.0.9;rport=40000',
  'Record-Route: <sip:127.0.0.1:5060;r2=on;lr>,<sip:127.0.0.1:5066;transport=ws;r2=on;lr>',
  'f: "Ada, L." <sip:12125550101@dialtone.test>;tag=abc',
  't: <sip:12125550101@dialtone.test>',
  'i: call-1@x',
  'CSeq: 1 SUBSCRIBE',
  'o: message-summary',
  'Expires: 3600',
  'Subject: folded',
  '  line',
  'l: 0',
  '',
  ''
].join('\r\n')

describe('the voicemail front', () => {
  it('reads a relayed SUBSCRIBE: compact names, split lists, folded lines', () => {
    const m = parseSip(Buffer.from(SUBSCRIBE))
    expect(m?.method).toBe('SUBSCRIBE')
    if (!m) return
    expect(headers(m, 'Via')).toHaveLength(2)
    expect(headers(m, 'Record-Route')).toEqual([
      '<sip:127.0.0.1:5060;r2=on;lr>',
      '<sip:127.0.0.1:5066;transport=ws;r2=on;lr>'
    ])
    expect(header(m, 'Event')).toBe('message-summary')
    expect(header(m, 'Subject')).toBe('folded line')
    const from = header(m, 'From') ?? ''
    expect([displayOf(from), uriOf(from), userOf(uriOf(from)), param(from, 'tag')]).toEqual([
      'Ada, L.',
      'sip:12125550101@dialtone.test',
      '12125550101',
      'abc'
    ])
    const ok = responseTo(m, 200, 'OK', [['Expires', '600']], 'mine')
    const text = writeSip(ok).toString()
    expect(text).toMatch(/^SIP\/2\.0 200 OK\r\n/)
    expect(text).toContain('To: <sip:12125550101@dialtone.test>;tag=mine')
    expect(text.match(/^Via:/gm)).toHaveLength(2)
    expect(text).toContain('Content-Length: 0')
  })

  it('answers a response where the Via says, received and rport first', () => {
    expect(viaTarget('SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKa')).toEqual({ host: '127.0.0.1', port: 5060 })
    expect(viaTarget('SIP/2.0/UDP host.invalid;branch=z;received=10.0.0.2;rport=4000')).toEqual({
      host: '10.0.0.2',
      port: 4000
    })
    expect(viaTarget('SIP/2.0/TCP 127.0.0.1:5060;branch=z')).toBeNull()
  })

  it('knows a box only by the contract’s users', () => {
    expect(decodeTarget('deposit-no-answer-12125550101')).toEqual({
      kind: 'deposit',
      reason: 'no-answer',
      box: '12125550101'
    })
    expect(decodeTarget('deposit-busy-12125550101')?.kind).toBe('deposit')
    expect(decodeTarget('retrieve-12125550101')).toEqual({ kind: 'retrieve', box: '12125550101' })
    for (const bad of [
      'deposit-later-12125550101',
      'deposit-busy-',
      'deposit-busy-1212555010x',
      'retrieve-12125550101;x',
      'retrieve-+12125550101',
      '12125550101',
      'vm',
      'retrieve-1234567890123456'
    ])
      expect(decodeTarget(bad), bad).toBeNull()
  })
})
