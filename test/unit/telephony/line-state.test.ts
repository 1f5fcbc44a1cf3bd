/** Every transition of the line state machine, the refused ones included. */
import { describe, expect, it } from 'vitest'
import { runLine as run } from '../../support/line-run'
import type { CallerInfo } from '../../../src/shared/telephony/caller-id'
import {
  type Effect,
  type LineEvent,
  initialLine,
  withOutgoingCall
} from '../../../src/shared/telephony/line-state'

const CID: CallerInfo = {
  at: { month: 11, day: 22, hour: 9, minute: 30 },
  number: '2125550101',
  name: 'ADA LOVELACE'
}
const callIn = { id: 'in-1', direction: 'in' as const, remote: '+12125550101' }
const callIn2 = { id: 'in-2', direction: 'in' as const, remote: '+13125550100' }

const tones = (effects: Effect[]) =>
  effects.filter((e) => e.type === 'tone').map((e) => (e as { tone: string | null }).tone)
const digits = (s: string): LineEvent[] => [...s].map((key) => ({ type: 'digit', key }))

describe('the line state machine', () => {
  it('gives dial tone on lifting, stutter when voicemail waits', () => {
    expect(tones(run([{ type: 'offHook' }]).effects)).toEqual(['dial'])
    expect(tones(run([{ type: 'voicemail', waiting: true }, { type: 'offHook' }]).effects)).toEqual([
      'stutter'
    ])
  })

  it('dials a complete number at its last digit, stopping the dial tone at the first', () => {
    const r = run([{ type: 'offHook' }, ...digits('2125550101')])
    expect(r.state.phase).toBe('calling')
    expect(tones(r.effects)).toEqual(['dial', ...Array<null>(10).fill(null)])
    expect(r.effects.filter((e) => e.type === 'dial')).toEqual([
      { type: 'dial', target: '+12125550101', emergency: false, hideCallerId: false }
    ])
  })

  it('dials an international number on the inter-digit timeout', () => {
    const r = run([{ type: 'offHook' }, ...digits('011442071234567'), { type: 'timer', name: 'interDigit' }])
    expect(r.effects.at(-1)).toMatchObject({ type: 'dial', target: '+442071234567' })
  })

  it('goes ringback -> connected -> reorder when the other side hangs up -> off-hook warning', () => {
    const s0 = withOutgoingCall(run([{ type: 'offHook' }, ...digits('2125550101')]).state, {
      id: 'out-1',
      direction: 'out',
      remote: '+12125550101'
    })
    const r = run(
      [
        { type: 'progress', callId: 'out-1', status: 'ringing' },
        { type: 'progress', callId: 'out-1', status: 'answered' },
        { type: 'progress', callId: 'out-1', status: 'ended' },
        { type: 'timer', name: 'reorder' }
      ],
      s0
    )
    expect(tones(r.effects)).toEqual(['ringback', null, 'reorder', 'offHookWarning'])
    expect(r.state.phase).toBe('offHookWarning')
  })

  it('gives busy tone for a busy callee and reorder for a failed call', () => {
    const s0 = withOutgoingCall(run([{ type: 'offHook' }, ...digits('2125550101')]).state, {
      id: 'o',
      direction: 'out',
      remote: 'x'
    })
    expect(run([{ type: 'progress', callId: 'o', status: 'busy' }], s0).state.phase).toBe('busy')
    expect(run([{ type: 'progress', callId: 'o', status: 'failed' }], s0).state.phase).toBe('reorder')
  })

  it('gives reorder for an impossible number and for a handset left without dialling', () => {
    expect(run([{ type: 'offHook' }, ...digits('411')]).state).toMatchObject({
      phase: 'reorder',
      reason: '411 is not offered'
    })
    expect(run([{ type: 'offHook' }, { type: 'timer', name: 'firstDigit' }]).state.phase).toBe('reorder')
  })

  it('lets 911 and 933 through on a lapsed line and nothing else', () => {
    const lapsed = run([{ type: 'service', lapsed: true }, { type: 'offHook' }])
    expect(run(digits('911'), lapsed.state).effects.at(-1)).toMatchObject({
      type: 'dial',
      target: '911',
      emergency: true
    })
    expect(run(digits('933'), lapsed.state).effects.at(-1)).toMatchObject({ type: 'dial', target: '933' })
    expect(run(digits('2125550101'), lapsed.state).state).toMatchObject({
      phase: 'reorder',
      reason: expect.stringMatching(/lapsed/)
    })
  })

  it('rings with caller ID, answers when the handset lifts, hangs up when it goes down', () => {
    const ringing = run([{ type: 'incoming', call: callIn, callerId: CID, blocked: false }])
    expect(ringing.effects).toEqual([{ type: 'ring', on: true, callerId: CID }])
    const talk = run([{ type: 'offHook' }], ringing.state)
    expect(talk.state.phase).toBe('connected')
    expect(talk.effects).toEqual([
      { type: 'ring', on: false },
      { type: 'answer', callId: 'in-1' }
    ])
    expect(run([{ type: 'onHook' }], talk.state).effects).toContainEqual({ type: 'hangup', callId: 'in-1' })
  })

  it('reports a call that stopped ringing unanswered as missed', () => {
    const r = run([
      { type: 'incoming', call: callIn, callerId: CID, blocked: false },
      { type: 'progress', callId: 'in-1', status: 'ended' }
    ])
    expect(r.state.phase).toBe('idle')
    expect(r.effects).toContainEqual({ type: 'missed', call: callIn })
  })

  it('rejects blocked callers silently and do-not-disturb calls as missed', () => {
    expect(run([{ type: 'incoming', call: callIn, callerId: CID, blocked: true }]).effects).toEqual([
      { type: 'reject', callId: 'in-1', why: 'blocked' }
    ])
    const dnd = run([
      { type: 'doNotDisturb', on: true },
      { type: 'incoming', call: callIn, callerId: CID, blocked: false }
    ])
    expect(dnd.effects).toEqual([
      { type: 'reject', callId: 'in-1', why: 'doNotDisturb' },
      { type: 'missed', call: callIn }
    ])
  })

  it('rejects a call as busy while dialling', () => {
    const r = run([
      { type: 'offHook' },
      ...digits('21'),
      { type: 'incoming', call: callIn, callerId: CID, blocked: false }
    ])
    expect(r.effects).toContainEqual({ type: 'reject', callId: 'in-1', why: 'busy' })
  })

  it('beeps for a waiting call, answers it on hook flash, swaps back, and rings back a held call on hang-up', () => {
    const talk = run([
      { type: 'incoming', call: callIn, callerId: CID, blocked: false },
      { type: 'offHook' }
    ]).state
    const waiting = run([{ type: 'incoming', call: callIn2, callerId: CID, blocked: false }], talk)
    expect(waiting.state.phase).toBe('callWaiting')
    expect(tones(waiting.effects)).toEqual(['callWaiting'])
    const swapped = run([{ type: 'flash' }], waiting.state)
    expect(swapped.effects).toEqual([
      { type: 'tone', tone: null },
      { type: 'hold', callId: 'in-1', on: true },
      { type: 'answer', callId: 'in-2' }
    ])
    const back = run([{ type: 'flash' }], swapped.state)
    expect(back.effects).toContainEqual({ type: 'hold', callId: 'in-1', on: false })
    expect(back.state.call?.id).toBe('in-1')
    const down = run([{ type: 'onHook' }], back.state)
    expect(down.effects).toContainEqual({ type: 'hangup', callId: 'in-1' })
    expect(down.state).toMatchObject({ phase: 'ringing', call: { id: 'in-2' } })
  })

  it('ends both calls, rings none back and says why when the dongle goes away mid-call', () => {
    const talk = run([
      { type: 'incoming', call: callIn, callerId: CID, blocked: false },
      { type: 'offHook' },
      { type: 'incoming', call: callIn2, callerId: CID, blocked: false },
      { type: 'flash' }
    ]).state
    const gone = run([{ type: 'handsetGone' }], talk)
    expect(gone.effects).toContainEqual({ type: 'hangup', callId: 'in-2' })
    expect(gone.effects).toContainEqual({ type: 'hangup', callId: 'in-1' })
    expect(gone.state).toMatchObject({
      phase: 'idle',
      offHook: false,
      call: null,
      other: null,
      reason: 'the dongle was unplugged, so the call ended'
    })
    // Idle, or a call still ringing (it can be answered on the screen): nothing changes.
    expect(run([{ type: 'handsetGone' }]).effects).toEqual([])
    const ringing = run([{ type: 'incoming', call: callIn, callerId: CID, blocked: false }]).state
    expect(run([{ type: 'handsetGone' }], ringing).state).toEqual(ringing)
  })

  it('ignores what makes no sense in a phase', () => {
    expect(run([{ type: 'onHook' }]).effects).toEqual([])
    expect(run([{ type: 'flash' }]).effects).toEqual([])
    expect(run([{ type: 'digit', key: '5' }]).effects).toEqual([])
    expect(run([{ type: 'offHook' }, { type: 'digit', key: 'x' }]).state.digits).toBe('')
    expect(run([{ type: 'progress', callId: 'nope', status: 'answered' }]).state).toEqual(initialLine)
  })

  it('sends DTMF for keys pressed during a call', () => {
    const talk = run([
      { type: 'incoming', call: callIn, callerId: CID, blocked: false },
      { type: 'offHook' }
    ]).state
    expect(run(digits('1#'), talk).effects).toEqual([
      { type: 'dtmf', callId: 'in-1', key: '1' },
      { type: 'dtmf', callId: 'in-1', key: '#' }
    ])
  })
})
