/** Which problem code a SIP line failure is shown with, and how a failed call's reason is named. */
import { describe, expect, it } from 'vitest'
import { failureOf } from '../../../src/main/phone/call-failure'
import { hasNetwork, isLocalServer, lineProblem } from '../../../src/main/phone/line-problem'

describe('the line problem', () => {
  it('says "no network" when the server is elsewhere and this computer has none', () => {
    expect(lineProblem({ kind: 'unreachable', serverUrl: 'wss://sip.example.com:443' }, false)).toBe(
      'noNetwork'
    )
    expect(lineProblem({ kind: 'unreachable', serverUrl: 'wss://sip.example.com:443' }, true)).toBe(
      'serverUnreachable'
    )
  })

  it('never blames the network for a server on this computer', () => {
    for (const url of ['ws://127.0.0.1:5066', 'ws://localhost:5066', 'ws://[::1]:5066'])
      expect(lineProblem({ kind: 'unreachable', serverUrl: url }, false), url).toBe('serverUnreachable')
    expect(isLocalServer('not a url')).toBe(false)
  })

  it('maps refusals by their status code', () => {
    const rejected = (status: number) => lineProblem({ kind: 'rejected', status }, true)
    expect([401, 403, 407].map(rejected)).toEqual([
      'credentialsRefused',
      'credentialsRefused',
      'credentialsRefused'
    ])
    expect(rejected(402)).toBe('serviceLapsed')
    expect([408, 480, 503, 504].map(rejected)).toEqual(Array(4).fill('serverUnreachable'))
    expect([500, 488, 0].map(rejected)).toEqual(Array(3).fill('serverError'))
  })

  it('says the account service did not answer, or that there is no network', () => {
    expect(lineProblem({ kind: 'credentials' }, true)).toBe('serviceUnreachable')
    expect(lineProblem({ kind: 'credentials' }, false)).toBe('noNetwork')
    expect(lineProblem({ kind: 'misprovisioned' }, true)).toBe('misprovisioned')
  })

  it('counts only non-loopback interfaces as a network', () => {
    const lo = { address: '127.0.0.1', internal: true } as never
    const eth = { address: '192.0.2.4', internal: false } as never
    expect(hasNetwork({ lo: [lo] })).toBe(false)
    expect(hasNetwork({ lo: [lo], eth0: [eth] })).toBe(true)
    expect(hasNetwork({})).toBe(false)
  })
})

describe('a failed call’s reason', () => {
  it('names the common SIP refusals', () => {
    expect([404, 484, 403, 603, 480, 408, 503, 500, 499].map((c) => failureOf(c))).toEqual([
      'notFound',
      'incomplete',
      'forbidden',
      'declined',
      'unavailable',
      'unavailable',
      'serverError',
      'serverError',
      'unknown'
    ])
  })

  it('names the SIP server’s policy refusals from their Reason header, and nothing else from it', () => {
    expect(failureOf(403, 'SIP;cause=403;text="line-not-in-service"')).toBe('notInService')
    expect(failureOf(403, 'SIP ;cause=403 ;text="calls-held"')).toBe('callsHeld')
    expect(failureOf(403, 'SIP;cause=403;text="toString"')).toBe('forbidden')
    expect(failureOf(403, 'Q.850;cause=21;text="calls-held-x"')).toBe('forbidden')
    expect(failureOf(404, 'SIP;cause=403;text="calls-held"')).toBe('notFound')
    expect(failureOf(403, null)).toBe('forbidden')
  })

  it('names want of credit only from a 402 with the SIP server’s no-credit reason', () => {
    expect(failureOf(402, 'SIP;cause=402;text="no-credit"')).toBe('noCredit')
    // A 402 without our reason (a carrier's, or none) stays a refusal of the service, as before.
    expect(failureOf(402, null)).toBe('forbidden')
    expect(failureOf(402, 'Q.850;cause=21;text="payment required"')).toBe('forbidden')
    // Each reason only with the status the server sends it with.
    expect(failureOf(402, 'SIP;cause=403;text="calls-held"')).toBe('forbidden')
    expect(failureOf(403, 'SIP;cause=402;text="no-credit"')).toBe('forbidden')
    expect(failureOf(480, 'SIP;cause=402;text="no-credit"')).toBe('unavailable')
  })
})
