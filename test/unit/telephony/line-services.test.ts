/**
 * What the line does with the account's connected services (issue 25): call waiting switched off gives a second
 * caller busy, in every call until it is switched on again (unlike '*70', which lasts one call); the SIP server's
 * "international-off" refusal is worded as its own failure.
 */
import { describe, expect, it } from 'vitest'
import { runLine as run } from '../../support/line-run'
import type { CallerInfo } from '../../../src/shared/telephony/caller-id'
import { type LineEvent, type LineState, withOutgoingCall } from '../../../src/shared/telephony/line-state'
import { serverReason } from '../../../src/shared/telephony/server-reasons'

const CID: CallerInfo = { at: { month: 12, day: 3, hour: 9, minute: 30 }, number: '3125550100', name: 'ADA' }
const first = { id: 'out-1', direction: 'out' as const, remote: '+12125550101' }
const second = { id: 'in-2', direction: 'in' as const, remote: '+14155550100' }
const incoming: LineEvent = { type: 'incoming', call: second, callerId: CID, blocked: false }

function inCall(from: LineState): LineState {
  const digits: LineEvent[] = [...'2125550101'].map((key) => ({ type: 'digit', key }))
  const dialled = run([{ type: 'offHook' }, ...digits], from).state
  return run([{ type: 'progress', callId: first.id, status: 'answered' }], withOutgoingCall(dialled, first))
    .state
}

describe('connected services on the line', () => {
  it('refuses a second caller busy while call waiting is off, call after call, until it is on again', () => {
    const off = run([{ type: 'callWaitingService', on: false }]).state
    const r = run([incoming], inCall(off))
    expect(r.state.phase).toBe('connected')
    expect(r.effects).toEqual([
      { type: 'reject', callId: second.id, why: 'busy' },
      { type: 'missed', call: second }
    ])
    const idle = run([{ type: 'onHook' }], r.state).state
    expect(run([incoming], inCall(idle)).state.phase).toBe('connected')
    const on = run([{ type: 'callWaitingService', on: true }], idle).state
    expect(run([incoming], inCall(on)).state.phase).toBe('callWaiting')
  })

  it('words the SIP server’s international-off refusal', () => {
    expect(serverReason('SIP;cause=403;text="international-off"')).toBe('internationalOff')
  })

  it('words the SIP server’s refusal of a premium-rate number', () => {
    expect(serverReason('SIP;cause=403;text="premium-rate"')).toBe('premiumRate')
    expect(serverReason('SIP;cause=403;text="high-cost"')).toBe('highCost')
    expect(serverReason('SIP;cause=403;text="too-many-calls"')).toBe('tooManyCalls')
  })

  it('words the SIP server’s refusal of an international call the account has no credit for', () => {
    expect(serverReason('SIP;cause=402;text="no-credit"')).toBe('noCredit')
  })
})
