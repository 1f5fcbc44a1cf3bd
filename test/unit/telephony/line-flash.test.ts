/**
 * Hook flash on the line state machine (issue 23 item 4): call waiting with type II caller ID, three-way calling
 * (second dial tone, join, drop the last party, hang up), the conference's parties leaving, and '*70'.
 */
import { describe, expect, it } from 'vitest'
import { runLine as run } from '../../support/line-run'
import type { CallerInfo } from '../../../src/shared/telephony/caller-id'
import {
  type Effect,
  type LineEvent,
  type LineState,
  initialLine,
  withOutgoingCall
} from '../../../src/shared/telephony/line-state'
import { decide } from '../../../src/shared/telephony/dial-plan'

const CID: CallerInfo = {
  at: { month: 11, day: 22, hour: 9, minute: 30 },
  number: '3125550100',
  name: 'GRACE HOPPER'
}
const first = { id: 'out-1', direction: 'out' as const, remote: '+12125550101' }
const third = { id: 'out-2', direction: 'out' as const, remote: '+13125550100' }
const waiting = { id: 'in-2', direction: 'in' as const, remote: '+14155550100' }

const digits = (s: string): LineEvent[] => [...s].map((key) => ({ type: 'digit', key }))
const of = <T extends Effect['type']>(effects: Effect[], type: T) =>
  effects.filter((e): e is Extract<Effect, { type: T }> => e.type === type)
const answered = (id: string): LineEvent => ({ type: 'progress', callId: id, status: 'answered' })
const ended = (id: string): LineEvent => ({ type: 'progress', callId: id, status: 'ended' })

/** Lifted, dialled, answered: a call in progress with the first party. */
function inCall(prefix = ''): LineState {
  const dialled = run([{ type: 'offHook' }, ...digits(`${prefix}2125550101`)]).state
  return run([answered(first.id)], withOutgoingCall(dialled, first)).state
}

/** In a call, flash, dial the third party, who answers: ready to join. */
function thirdAnswered(): LineState {
  const dialling = run([{ type: 'flash' }, ...digits('3125550100')], inCall()).state
  return run([answered(third.id)], withOutgoingCall(dialling, third)).state
}

describe('call waiting', () => {
  it('beeps and sends type II caller ID for a second call, which flash answers while holding the first', () => {
    const r = run([{ type: 'incoming', call: waiting, callerId: CID, blocked: false }], inCall())
    expect(r.state).toMatchObject({ phase: 'callWaiting', other: { ...waiting, held: false } })
    expect(r.effects).toEqual([
      { type: 'tone', tone: 'callWaiting' },
      { type: 'callerIdWaiting', callerId: CID }
    ])
    const f = run([{ type: 'flash' }], r.state)
    expect(f.state).toMatchObject({ phase: 'connected', call: waiting, other: { ...first, held: true } })
    expect(f.effects).toEqual([
      { type: 'tone', tone: null },
      { type: 'hold', callId: first.id, on: true },
      { type: 'answer', callId: waiting.id }
    ])
    // Flash again swaps back: the waiting caller is held, the first taken off hold.
    const back = run([{ type: 'flash' }], f.state)
    expect(back.state).toMatchObject({ call: first, other: { ...waiting, held: true } })
    expect(of(back.effects, 'hold')).toEqual([
      { type: 'hold', callId: waiting.id, on: true },
      { type: 'hold', callId: first.id, on: false }
    ])
  })

  it('gives reorder when the call in progress and then the held one end (swapped calls)', () => {
    const swapped = run(
      [{ type: 'incoming', call: waiting, callerId: CID, blocked: false }, { type: 'flash' }],
      inCall()
    )
    const activeLeft = run([ended(waiting.id)], swapped.state).state
    expect(activeLeft).toMatchObject({ phase: 'callWaiting', call: null, other: { ...first, held: true } })
    expect(run([ended(first.id)], activeLeft).state).toMatchObject({
      phase: 'reorder',
      call: null,
      other: null
    })
  })

  it('after *70 refuses a second caller with busy and no beep, until the line is idle again', () => {
    const s = inCall('*70')
    expect(s.noWaiting).toBe(true)
    const r = run([{ type: 'incoming', call: waiting, callerId: CID, blocked: false }], s)
    expect(r.state.phase).toBe('connected')
    expect(r.effects).toEqual([
      { type: 'reject', callId: waiting.id, why: 'busy' },
      { type: 'missed', call: waiting }
    ])
    const after = run([{ type: 'onHook' }], s).state
    expect(after.noWaiting).toBe(false)
    const next = run([{ type: 'incoming', call: waiting, callerId: CID, blocked: false }], inCall())
    expect(next.state.phase).toBe('callWaiting')
  })

  it('confirms *70 with the stutter tone before the number, and dials the number without call waiting', () => {
    const r = run([{ type: 'offHook' }, ...digits('*70')])
    expect(r.state.phase).toBe('collecting')
    expect(of(r.effects, 'tone').at(-1)).toEqual({ type: 'tone', tone: 'stutter' })
    const d = run(digits('2125550101'), r.state)
    expect(of(d.effects, 'dial')).toEqual([
      { type: 'dial', target: '+12125550101', emergency: false, hideCallerId: false }
    ])
    expect(d.state.noWaiting).toBe(true)
    // *70 and nothing after it: reorder once the first-digit time runs out.
    expect(run([{ type: 'timer', name: 'firstDigit' }], r.state).state).toMatchObject({
      phase: 'reorder',
      why: 'nothingDialled'
    })
  })
})

describe('three-way calling', () => {
  it('gives a second dial tone on flash in a call, holding the first party', () => {
    const r = run([{ type: 'flash' }], inCall())
    expect(r.state).toMatchObject({
      phase: 'dialTone',
      call: null,
      other: { ...first, held: true },
      threeWay: true
    })
    expect(r.effects[0]).toEqual({ type: 'hold', callId: first.id, on: true })
    expect(of(r.effects, 'tone')).toEqual([{ type: 'tone', tone: 'dial' }])
  })

  it('dials the third party and joins all three on the next flash', () => {
    const s = thirdAnswered()
    expect(s).toMatchObject({ phase: 'connected', call: third, other: { held: true }, conference: false })
    const r = run([{ type: 'flash' }], s)
    expect(r.state).toMatchObject({ conference: true, call: third, other: { ...first, held: false } })
    expect(r.effects).toEqual([
      { type: 'hold', callId: first.id, on: false },
      { type: 'conference', callIds: [first.id, third.id] }
    ])
  })

  it('drops the party added last on flash in the conference', () => {
    const conf = run([{ type: 'flash' }], thirdAnswered()).state
    const r = run([{ type: 'flash' }], conf)
    expect(r.state).toMatchObject({ phase: 'connected', call: first, other: null, conference: false })
    expect(r.effects).toEqual([
      { type: 'conference', callIds: null },
      { type: 'hangup', callId: third.id }
    ])
  })

  it('ends both calls when the phone hangs up in the conference', () => {
    const conf = run([{ type: 'flash' }], thirdAnswered()).state
    const r = run([{ type: 'onHook' }], conf)
    expect(r.state).toMatchObject({ phase: 'idle', call: null, other: null, conference: false })
    expect(of(r.effects, 'hangup').map((e) => e.callId)).toEqual([third.id, first.id])
    expect(r.effects[0]).toEqual({ type: 'conference', callIds: null })
  })

  it.each([
    ['the first party', first.id, third],
    ['the third party', third.id, first]
  ])('keeps talking with the other when %s hangs up in the conference', (_who, leaves, stays) => {
    const conf = run([{ type: 'flash' }], thirdAnswered()).state
    const r = run([ended(leaves)], conf)
    expect(r.state).toMatchObject({ phase: 'connected', call: stays, other: null, conference: false })
    expect(r.effects).toEqual([{ type: 'conference', callIds: null }])
  })

  it('returns to the first party on flash before the third answers, cancelling the attempt', () => {
    const dialling = run([{ type: 'flash' }, ...digits('3125550100')], inCall()).state
    const ringing = run(
      [{ type: 'progress', callId: third.id, status: 'ringing' }],
      withOutgoingCall(dialling, third)
    ).state
    const r = run([{ type: 'flash' }], ringing)
    expect(r.state).toMatchObject({ phase: 'connected', call: first, other: null, threeWay: false })
    expect(of(r.effects, 'hangup')).toEqual([{ type: 'hangup', callId: third.id }])
    expect(of(r.effects, 'hold')).toEqual([{ type: 'hold', callId: first.id, on: false }])
  })

  it('returns to the first party on flash after the third number was busy or the second dial tone', () => {
    const dialling = withOutgoingCall(
      run([{ type: 'flash' }, ...digits('3125550100')], inCall()).state,
      third
    )
    const busy = run([{ type: 'progress', callId: third.id, status: 'busy' }], dialling).state
    expect(busy.phase).toBe('busy')
    expect(run([{ type: 'flash' }], busy).state).toMatchObject({ phase: 'connected', call: first })
    const tone = run([{ type: 'flash' }], inCall()).state
    expect(run([{ type: 'flash' }], tone).state).toMatchObject({
      phase: 'connected',
      call: first,
      threeWay: false
    })
  })

  it('refuses a caller with busy during a three-way call (no third line to wait on)', () => {
    const conf = run([{ type: 'flash' }], thirdAnswered()).state
    const r = run([{ type: 'incoming', call: waiting, callerId: CID, blocked: false }], conf)
    expect(r.effects[0]).toEqual({ type: 'reject', callId: waiting.id, why: 'busy' })
    expect(r.state).toEqual(conf)
  })

  it('rings back the held first party when the phone hangs up before joining', () => {
    const r = run([{ type: 'onHook' }], thirdAnswered())
    expect(r.state).toMatchObject({ phase: 'ringing', call: first, other: null, threeWay: false })
    expect(of(r.effects, 'hangup')).toEqual([{ type: 'hangup', callId: third.id }])
  })

  it('gives reorder when both parties leave, the third first and then the held one, in either order', () => {
    // The third party first: the held one waits for a flash; then it leaves too and nobody is on the line (an
    // attended transfer's two legs end so). Before, the line stayed in call waiting with no call at all.
    const thirdLeft = run([ended(third.id)], thirdAnswered()).state
    expect(thirdLeft).toMatchObject({ phase: 'callWaiting', call: null, other: { ...first, held: true } })
    const r = run([ended(first.id)], thirdLeft)
    expect(r.state).toMatchObject({
      phase: 'reorder',
      call: null,
      other: null,
      threeWay: false,
      why: 'hungUp'
    })
    expect(r.effects).toContainEqual({ type: 'tone', tone: 'reorder' })
    // The held one first: an ordinary call with the third goes on, and its end gives reorder as usual.
    const heldLeft = run([ended(first.id)], thirdAnswered()).state
    expect(heldLeft).toMatchObject({ phase: 'connected', call: third, other: null, threeWay: false })
    expect(run([ended(third.id)], heldLeft).state).toMatchObject({
      phase: 'reorder',
      call: null,
      other: null
    })
  })

  it('does nothing on flash with no call', () => {
    expect(run([{ type: 'flash' }]).state).toEqual(initialLine)
    const tone = run([{ type: 'offHook' }]).state
    expect(run([{ type: 'flash' }], tone).state).toEqual(tone)
  })
})

describe('*70 in the dial plan', () => {
  it.each([
    ['*702125550101', { target: '+12125550101', hideCallerId: false }],
    ['*67*702125550101', { target: '+12125550101', hideCallerId: true }],
    ['*70*672125550101', { target: '+12125550101', hideCallerId: true }]
  ])('%s dials without call waiting', (dialled, want) => {
    expect(decide(dialled)).toEqual({ kind: 'dial', emergency: false, noCallWaiting: true, ...want })
  })

  it('collects while the code is keyed, and 911 after *70 is still an emergency call', () => {
    for (const partial of ['*', '*7', '*70', '*67*', '*67*7', '*70*6'])
      expect(decide(partial).kind).toBe('collect')
    expect(decide('*70911')).toEqual({ kind: 'dial', target: '911', emergency: true, hideCallerId: false })
    expect(decide('*71')).toMatchObject({ kind: 'invalid', code: 'notOffered' })
    expect(decide('*70', true)).toMatchObject({ kind: 'invalid', code: 'nothingDialled' })
  })
})
