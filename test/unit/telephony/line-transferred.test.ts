/**
 * A transfer the other party asks of the line (a REFER the app follows): which targets the line may call for it
 * (followableTarget), and how the line state machine takes the new call: as a three-way call's second leg, the
 * transferring party on hold until the new call answers, then left; a flash or a failure goes back to it. And the
 * call an attended transfer puts through in place of the one in progress (Replaces).
 */
import { describe, expect, it } from 'vitest'
import { runLine as run } from '../../support/line-run'
import {
  type LineEvent,
  type LineState,
  initialLine,
  step,
  withOutgoingCall
} from '../../../src/shared/telephony/line-state'
import { type ReferTarget, followableTarget, replacesValue } from '../../../src/shared/telephony/transfer'

const transferor = { id: 'in-1', direction: 'in' as const, remote: '+12125550101' }
const target = {
  id: 'out-2',
  direction: 'out' as const,
  remote: '+13125550100',
  referredBy: transferor.remote
}

const progress = (callId: string, status: 'ringing' | 'answered' | 'busy' | 'ended'): LineEvent => ({
  type: 'progress',
  callId,
  status
})

/** An incoming call, answered: the line in a call with the party who will transfer it. */
function inCall(): LineState {
  return run(
    [
      {
        type: 'incoming',
        call: transferor,
        callerId: { at: { month: 1, day: 2, hour: 3, minute: 4 }, number: '2125550101', name: null },
        blocked: false
      },
      { type: 'offHook' }
    ],
    initialLine
  ).state
}

describe('a transfer asked of the line', () => {
  it('holds the transferring party and places the new call; its answer leaves the transferring party', () => {
    const r = run([{ type: 'transferred', call: target }], inCall())
    expect(r.state).toMatchObject({ phase: 'calling', call: target, threeWay: true })
    // Marked as the party transferring the line: the page says so, and says so too if the new call is refused.
    expect(r.state.other).toEqual({ ...transferor, held: true, transferring: true })
    expect(r.effects).toEqual([{ type: 'hold', callId: transferor.id, on: true }])
    const rang = run([progress(target.id, 'ringing')], r.state)
    expect(rang.state.phase).toBe('ringback')
    const answered = run([progress(target.id, 'answered')], rang.state)
    expect(answered.state).toMatchObject({ phase: 'connected', call: target, other: null, threeWay: false })
    expect(answered.effects).toEqual([
      { type: 'tone', tone: null },
      { type: 'hangup', callId: transferor.id }
    ])
    // The transferring party's BYE crossing ours changes nothing.
    expect(run([progress(transferor.id, 'ended')], answered.state).state).toEqual(answered.state)
  })

  it('goes on as an ordinary call when the transferring party leaves first', () => {
    const left = run([{ type: 'transferred', call: target }, progress(transferor.id, 'ended')], inCall())
    expect(left.state).toMatchObject({ phase: 'calling', call: target, other: null, threeWay: false })
    const answered = run([progress(target.id, 'answered')], left.state)
    expect(answered.state).toMatchObject({ phase: 'connected', call: target, other: null })
    expect(answered.effects.filter((e) => e.type === 'hangup')).toEqual([])
  })

  it('goes back to the transferring party on a flash before the answer, or after busy', () => {
    const calling = run([{ type: 'transferred', call: target }], inCall()).state
    const back = run([{ type: 'flash' }], calling)
    expect(back.state).toMatchObject({ phase: 'connected', other: null, threeWay: false })
    expect(back.state.call).toEqual(transferor)
    expect(back.effects).toContainEqual({ type: 'hangup', callId: target.id })
    expect(back.effects).toContainEqual({ type: 'hold', callId: transferor.id, on: false })
    const busy = run([progress(target.id, 'busy')], calling)
    expect(busy.state).toMatchObject({ phase: 'busy', call: null })
    expect(busy.state.other).toEqual({ ...transferor, held: true, transferring: true })
    const again = run([{ type: 'flash' }], busy.state).state
    expect(again).toMatchObject({ phase: 'connected', other: null })
    expect(again.call).toEqual(transferor)
  })

  it('rings the transferring party back when the phone hangs up before the new call answers', () => {
    const calling = run([{ type: 'transferred', call: target }], inCall()).state
    const r = run([{ type: 'onHook' }], calling)
    expect(r.state).toMatchObject({ phase: 'ringing', other: null })
    expect(r.state.call).toEqual(transferor)
    expect(r.effects).toContainEqual({ type: 'hangup', callId: target.id })
  })

  it('is taken only from a lone call in progress', () => {
    const waitingCall = { id: 'in-3', direction: 'in' as const, remote: '+14155550100' }
    const cases: LineState[] = [
      initialLine,
      { ...inCall(), phase: 'callWaiting', other: { ...waitingCall, held: false } },
      run([{ type: 'flash' }], inCall()).state,
      withOutgoingCall({ ...initialLine, phase: 'ringback', offHook: true }, transferor)
    ]
    for (const s of cases)
      expect(step(s, { type: 'transferred', call: target })).toEqual({ state: s, effects: [] })
  })
})

describe('a call that replaces the one in progress (the other end of an attended transfer)', () => {
  const newcomer = {
    id: 'in-4',
    direction: 'in' as const,
    remote: '+14155550100',
    referredBy: transferor.remote
  }
  it('takes the place of the call in progress, without ringing; the replaced call ending then changes nothing', () => {
    const r = run([{ type: 'replaced', replaces: transferor.id, call: newcomer }], inCall())
    expect(r.state).toMatchObject({ phase: 'connected', call: newcomer, other: null })
    expect(r.effects).toEqual([])
    expect(run([progress(transferor.id, 'ended')], r.state).state).toEqual(r.state)
  })
  it('replaces only the lone call in progress', () => {
    const other = { id: 'in-3', direction: 'in' as const, remote: '+13125550100' }
    const cases: [LineState, string][] = [
      [inCall(), 'in-9'],
      [initialLine, transferor.id],
      [{ ...inCall(), phase: 'callWaiting', other: { ...other, held: false } }, transferor.id],
      [run([{ type: 'flash' }], inCall()).state, transferor.id]
    ]
    for (const [s, replaces] of cases)
      expect(step(s, { type: 'replaced', replaces, call: newcomer })).toEqual({ state: s, effects: [] })
  })
})

describe('followableTarget', () => {
  const uri = (user: string | undefined, more: Partial<ReferTarget> = {}): ReferTarget => ({
    scheme: 'sip',
    user,
    host: 'dialtone.test',
    port: null,
    params: [],
    headers: [],
    replaces: null,
    ...more
  })
  const replaces = (raw: string): Partial<ReferTarget> => ({ headers: ['Replaces'], replaces: raw })
  it('follows a North American number at the line domain, with or without its 1, and an attended Replaces', () => {
    expect(followableTarget(uri('13125550100'), 'dialtone.test')).toBe('+13125550100')
    expect(followableTarget(uri('3125550100'), 'Dialtone.TEST')).toBe('+13125550100')
    expect(
      followableTarget(
        uri('13125550100', replaces('c1%40host%3Bto-tag%3Dt1%3Bfrom-tag%3Df1')),
        'dialtone.test'
      )
    ).toBe('+13125550100')
    expect(followableTarget(uri('13125550100', { params: ['user=phone'] }), 'dialtone.test')).toBe(
      '+13125550100'
    )
    expect(followableTarget(uri('13125550100', { scheme: 'sips' }), 'dialtone.test')).toBe('+13125550100')
  })
  it('declines codes, numbers abroad, other hosts and ports, parameters, other URI headers and schemes', () => {
    const declined: ReferTarget[] = [
      uri('911'),
      uri('933'),
      uri('*69'),
      uri('01144201234567'),
      uri('+13125550100'),
      uri('13124110100'),
      uri('1312555010'),
      uri(undefined),
      uri('13125550100', { host: 'evil.example' }),
      uri('13125550100', { params: ['maddr'] }),
      uri('13125550100', { params: ['transport=tcp'] }),
      uri('13125550100', { params: ['user=ip'] }),
      uri('13125550100', { port: 5999 }),
      uri('13125550100', { headers: ['Route'] }),
      uri('13125550100', { headers: ['Replaces', 'Route'], replaces: 'c1%3Bto-tag%3Dt1%3Bfrom-tag%3Df1' }),
      // A Replaces that would not decode, or would add headers to the line's INVITE, or is not RFC 3891's.
      uri('13125550100', replaces('%FF')),
      uri('13125550100', replaces('c1%3Bto-tag%3Dt1%3Bfrom-tag%3Df1%0D%0APrivacy:%20id')),
      uri('13125550100', replaces('c1%3Bto-tag%3Dt1')),
      uri('13125550100', replaces('c1%3Bto-tag%3Dt1%3Bto-tag%3Dt2%3Bfrom-tag%3Df1')),
      uri('13125550100', replaces('c1%3Bto-tag%3Dt1%3Bfrom-tag%3Df1%3Bx%3D1')),
      uri('13125550100', { scheme: 'tel' })
    ]
    for (const t of declined) expect(followableTarget(t, 'dialtone.test'), JSON.stringify(t)).toBeNull()
  })
})

describe('replacesValue', () => {
  it('decodes what RFC 3891 writes, the tags in either order and early-only', () => {
    expect(replacesValue('abc%40host%3Bto-tag%3D1%3Bfrom-tag%3D2')).toBe('abc@host;to-tag=1;from-tag=2')
    expect(replacesValue('abc%3Bfrom-tag%3D2%3Bto-tag%3D1%3Bearly-only')).toBe(
      'abc;from-tag=2;to-tag=1;early-only'
    )
  })
  it('refuses what does not decode, control and non-ASCII characters, and missing or unknown parts', () => {
    for (const raw of [
      '%E0%A4%A',
      '%3Bto-tag%3D1%3Bfrom-tag%3D2',
      'abc%3Bto-tag%3D1%3Bfrom-tag%3D2%09',
      'abc%3Bto-tag%3D1',
      'abc%3Bto-tag%3D%3Bfrom-tag%3D2',
      'ab%C3%A9%3Bto-tag%3D1%3Bfrom-tag%3D2'
    ])
      expect(replacesValue(raw), raw).toBeNull()
  })
})
