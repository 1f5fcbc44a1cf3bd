/** The analog line while the SIP line is down: silence instead of dial tone, and dial tone when it comes back. */
import { describe, expect, it } from 'vitest'
import { runLine as run } from '../../support/line-run'
import {
  type Effect,
  type LineEvent,
  type LineState,
  initialLine
} from '../../../src/shared/telephony/line-state'

const tones = (effects: Effect[]) =>
  effects.filter((e) => e.type === 'tone').map((e) => (e as { tone: string | null }).tone)
const down: LineEvent = { type: 'line', up: false }
const up: LineEvent = { type: 'line', up: true }

describe('the analog line follows the SIP line', () => {
  it('gives no dial tone while the line is down: lifting is silent and says so', () => {
    const r = run([down, { type: 'offHook' }])
    expect(r.state.phase).toBe('noLine')
    expect(r.state.offHook).toBe(true)
    expect(tones(r.effects)).toEqual([])
    expect(r.effects.some((e) => e.type === 'timer' && e.ms !== null)).toBe(false)
  })

  it('ignores digits on a dead line (nothing is dialled)', () => {
    const r = run([down, { type: 'offHook' }, { type: 'digit', key: '9' }, { type: 'digit', key: '1' }])
    expect(r.state.phase).toBe('noLine')
    expect(r.effects.some((e) => e.type === 'dial')).toBe(false)
  })

  it('gives dial tone by itself when the line comes back with the handset still lifted', () => {
    const r = run([down, { type: 'offHook' }, up])
    expect(r.state.phase).toBe('dialTone')
    expect(tones(r.effects)).toEqual(['dial'])
    expect(r.effects).toContainEqual({ type: 'timer', name: 'firstDigit', ms: expect.any(Number) })
  })

  it('takes dial tone away when the line drops while dialling', () => {
    const r = run([{ type: 'offHook' }, { type: 'digit', key: '2' }, down])
    expect(r.state.phase).toBe('noLine')
    expect(r.state.digits).toBe('')
    expect(tones(r.effects).at(-1)).toBeNull()
    expect(r.effects).toContainEqual({ type: 'timer', name: 'interDigit', ms: null })
  })

  it('keeps the line down across hanging up, and gives dial tone once it is up again', () => {
    const hung = run([down, { type: 'offHook' }, { type: 'onHook' }])
    expect(hung.state).toMatchObject({ phase: 'idle', lineDown: true })
    expect(run([{ type: 'offHook' }], hung.state).state.phase).toBe('noLine')
    expect(run([up, { type: 'offHook' }], hung.state).state.phase).toBe('dialTone')
  })

  it('leaves a call in progress alone (the call itself ends through SIP)', () => {
    const call = { id: 'out-1', direction: 'out' as const, remote: '+12125550101' }
    const inCall: LineState = { ...initialLine, offHook: true, phase: 'connected', call }
    expect(run([down], inCall).state).toMatchObject({ phase: 'connected', call, lineDown: true })
  })
})
