/**
 * Star codes (issue 23): the dial plan decides each at its last digit without waiting; unknown codes give reorder at
 * once; the line machine carries a feature out (silence), then confirms (stutter dial tone), calls (*69) or gives
 * reorder; and main's runner acts through the service and the call history.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { runLine as run } from '../../support/line-run'
import { lastCaller, runStarCode } from '../../../src/main/phone/star-codes'
import { DialtoneError } from '../../../src/shared/ipc/errors'
import type { HistoryEntry } from '../../../src/shared/ipc/phone'
import { decide, NO_CALL_WAITING_CODE } from '../../../src/shared/telephony/dial-plan'
import { type Effect, type LineEvent } from '../../../src/shared/telephony/line-state'
import { STAR_CODES } from '../../../src/shared/telephony/star-codes'

const summary = (dialled: string, ended = false): string => {
  const d = decide(dialled, ended)
  if (d.kind === 'dial') return `dial:${d.target}${d.hideCallerId ? ':hidden' : ''}`
  if (d.kind === 'feature') return `feature:${d.feature}${d.number ? `:${d.number}` : ''}`
  return d.kind === 'invalid' ? `invalid:${d.code}` : d.kind
}

describe('star codes in the dial plan', () => {
  it.each([
    ['*', 'collect'],
    ['*6', 'collect'],
    ['*7', 'collect'],
    ['*8', 'collect'],
    ['*9', 'collect'],
    ['*1', 'invalid:notOffered'],
    ['**', 'invalid:notOffered'],
    ['*#', 'invalid:notOffered'],
    ['*0', 'invalid:notOffered'],
    ['*61', 'invalid:notOffered'],
    ['*99', 'invalid:notOffered'],
    ['*67', 'collect'],
    ['*672125550101', 'dial:+12125550101:hidden'],
    ['*67911', 'dial:911'],
    ['*82', 'collect'],
    ['*822125550101', 'dial:+12125550101'],
    ['*82*67', 'invalid:notOffered'],
    ['*73', 'feature:forwardOff'],
    ['*69', 'feature:callBack'],
    ['*60', 'feature:blockLast'],
    ['*98', 'dial:*98'],
    ['*981', 'invalid:notOffered'],
    ['*72', 'collect'],
    ['*72212', 'collect'],
    ['*722125550101', 'feature:forwardOn:+12125550101'],
    ['*7212125550101', 'feature:forwardOn:+12125550101'],
    ['*72911', 'invalid:notOffered'],
    ['*72#', 'invalid:nothingDialled'],
    ['*72212555#', 'invalid:incomplete'],
    ['*720114420712345#', 'invalid:notOffered'],
    ['*721025550101', 'invalid:notANumber']
  ])('%s -> %s', (dialled, expected) => {
    expect(summary(dialled)).toBe(expected)
  })

  it('decides every known code at its last digit (no inter-digit wait), and every prefix of one collects', () => {
    for (const [code, star] of Object.entries(STAR_CODES)) {
      for (let i = 1; i < code.length; i++) expect(decide(code.slice(0, i)).kind).toBe('collect')
      const d = decide(code)
      if (star.kind === 'prefix' || (star.kind === 'feature' && star.takesNumber))
        expect(d.kind).toBe('collect')
      else expect(d.kind).not.toBe('collect')
    }
  })

  it('answers reorder at once for any unknown two-digit star code', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\*[0-9*#]{2}$/), (code) => {
        // *70 is no code of its own but the no-call-waiting prefix: the number follows it.
        if (code in STAR_CODES || code === NO_CALL_WAITING_CODE) return
        expect(decide(code).kind).toBe('invalid')
      })
    )
  })

  it('forwards only to a complete North American number', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[2-9]\d\d[2-9]\d{6}$/), (n) => {
        expect(decide(`*72${n}`)).toEqual({ kind: 'feature', feature: 'forwardOn', number: `+1${n}` })
      })
    )
  })
})

const keys = (s: string): LineEvent[] => [...s].map((key) => ({ type: 'digit', key }))
const tones = (effects: Effect[]) =>
  effects.filter((e) => e.type === 'tone').map((e) => (e as { tone: string | null }).tone)

describe('star codes on the line', () => {
  it('carries *73 out in silence, then confirms with stutter dial tone', () => {
    const r = run([{ type: 'offHook' }, ...keys('*73')])
    expect(r.state.phase).toBe('feature')
    expect(r.effects.filter((e) => e.type === 'feature')).toEqual([
      { type: 'feature', feature: 'forwardOff', number: null }
    ])
    const done = run([{ type: 'featureDone', ok: true }], r.state)
    expect(done.state.phase).toBe('dialTone')
    expect(tones(done.effects)).toEqual(['stutter'])
  })

  it('gives reorder with featureFailed when it could not be done, and calls back for *69', () => {
    const s = run([{ type: 'offHook' }, ...keys('*60')]).state
    const failed = run([{ type: 'featureDone', ok: false, reason: 'no caller' }], s)
    expect(failed.state).toMatchObject({ phase: 'reorder', why: 'featureFailed' })
    expect(tones(failed.effects)).toEqual(['reorder'])
    const back = run([
      { type: 'offHook' },
      ...keys('*69'),
      { type: 'featureDone', ok: true, dial: '+12125550142' }
    ])
    expect(back.state.phase).toBe('calling')
    expect(back.effects.at(-1)).toEqual({
      type: 'dial',
      target: '+12125550142',
      emergency: false,
      hideCallerId: false
    })
  })

  it('ignores a late featureDone once the handset is down, and gives reorder at once for *1', () => {
    const s = run([{ type: 'offHook' }, ...keys('*72'), ...keys('2125550101'), { type: 'onHook' }]).state
    expect(run([{ type: 'featureDone', ok: true }], s).state.phase).toBe('idle')
    const bad = run([{ type: 'offHook' }, ...keys('*1')])
    expect(bad.state).toMatchObject({ phase: 'reorder', why: 'notOffered' })
  })

  it('dials *98 (voicemail) as a call to *98', () => {
    const r = run([{ type: 'offHook' }, ...keys('*98')])
    expect(r.effects.at(-1)).toEqual({ type: 'dial', target: '*98', emergency: false, hideCallerId: false })
  })
})

const entry = (direction: 'in' | 'out', remote: string): HistoryEntry => ({
  id: `${direction}-${remote}`,
  direction,
  remote,
  startedAt: '2026-12-03T10:00:00.000Z',
  answeredAt: null,
  endedAt: '2026-12-03T10:00:10.000Z',
  outcome: 'missed'
})

describe('main carrying star codes out', () => {
  const events: { name: string; payload: unknown }[] = []
  const bus = { emit: (name: string, payload: unknown) => void events.push({ name, payload }) }
  const log = { warn: () => undefined, info: () => undefined, error: () => undefined }
  const ports = (calls: { name: string; input: unknown }[], fail?: DialtoneError) => ({
    account: {
      call: async (name: string, input: unknown) => {
        calls.push({ name, input })
        if (fail) throw fail
        return {} as never
      }
    },
    lineId: () => 'lin_abcdefghijkl',
    history: () => [entry('out', '+13035550100'), entry('in', '2125550142'), entry('in', '+14045550100')],
    events: bus,
    log,
    blockedChanged: () => undefined
  })

  it('finds the last caller with a number (an anonymous one cannot be returned)', () => {
    expect(lastCaller([entry('out', '+1303'), entry('in', '2125550142')])).toBe('+12125550142')
    expect(lastCaller([entry('in', 'anonymous'), entry('in', '2125550142')])).toBeNull()
    expect(lastCaller([])).toBeNull()
  })

  it('sets and clears "forward always" through the service, and blocks the last caller', async () => {
    const calls: { name: string; input: unknown }[] = []
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a hand-written stand-in for the ports
    const p = ports(calls) as any
    expect(await runStarCode(p, 'forwardOn', '+12125550199')).toEqual({ ok: true })
    expect(await runStarCode(p, 'forwardOff', null)).toEqual({ ok: true })
    expect(await runStarCode(p, 'blockLast', null)).toEqual({ ok: true })
    expect(await runStarCode(p, 'callBack', null)).toEqual({ ok: true, dial: '+12125550142' })
    expect(calls).toEqual([
      { name: 'setForwarding', input: { lineId: 'lin_abcdefghijkl', always: '+12125550199' } },
      { name: 'setForwarding', input: { lineId: 'lin_abcdefghijkl', always: null } },
      { name: 'block', input: { number: '+12125550142' } }
    ])
    expect(events.at(-1)).toMatchObject({
      name: 'forwarding.starCode',
      payload: { feature: 'callBack', ok: true, number: '+12125550142' }
    })
  })

  it('reports a refusal with the service’s reason', async () => {
    const calls: { name: string; input: unknown }[] = []
    const refusal = new DialtoneError('INVALID_ARGUMENT', 'loop', [], 'forward-loop', {
      number: '+12015550101'
    })
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a hand-written stand-in for the ports
    const r = await runStarCode(ports(calls, refusal) as any, 'forwardOn', '+12015550101')
    expect(r.ok).toBe(false)
    expect(events.at(-1)).toMatchObject({
      payload: { feature: 'forwardOn', ok: false, failure: 'serviceRefused', reason: 'forward-loop' }
    })
  })
})
