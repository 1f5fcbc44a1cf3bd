/**
 * A call that cannot go out is in the call history as failed with its reason, never as "cancelled": dialled on
 * the handset with no registered line behind it, or from the screen while the line is down.
 */
import { describe, expect, it } from 'vitest'
import { CallController } from '../../../src/main/phone/call-controller'
import { TONE_PLANS } from '../../../src/main/phone/tone-plans'
import { EventBus } from '../../../src/main/ipc/event-bus'
import { silentLogger } from '../../../src/main/log/logger'
import { memoryStore } from '../../../src/main/store/key-value-store'

function controller() {
  const log = silentLogger()
  const events = new EventBus(log)
  const tones: (string | null)[] = []
  events.subscribe((name, payload) => {
    if (name === 'phone.tone') tones.push((payload as { tone: string | null }).tone)
  })
  const calls = new CallController({
    ua: () => null,
    domain: () => null,
    events,
    log,
    store: memoryStore(),
    ring: async () => undefined,
    isBlocked: () => false,
    tonePlan: () => TONE_PLANS.us,
    now: () => new Date('2026-12-03T10:00:00Z')
  })
  return { calls, tones }
}

const settle = () => new Promise((r) => setTimeout(r, 0))

describe('failed calls in the history', () => {
  it('records a call dialled with no line to carry it as failed: noLine', async () => {
    const { calls } = controller()
    calls.handle({ type: 'offHook' })
    for (const key of '2125550101') calls.handle({ type: 'digit', key })
    await settle()
    expect(calls.callState.phase).toBe('reorder')
    // The screen words it from the code, never from the English sentence.
    expect(calls.callState.why).toBe('noLine')
    expect(calls.history()).toEqual([
      expect.objectContaining({
        direction: 'out',
        remote: '+12125550101',
        outcome: 'failed',
        failure: 'noLine'
      })
    ])
  })

  it('records a screen dial while the line is down as failed, and the handset hears nothing', async () => {
    const { calls, tones } = controller()
    calls.handle({ type: 'line', up: false })
    const s = calls.dialFromScreen('+12125550101')
    await settle()
    expect(s.phase).toBe('noLine')
    expect(tones).toEqual([])
    expect(calls.history()).toEqual([
      expect.objectContaining({ outcome: 'failed', failure: 'noLine', remote: '+12125550101' })
    ])
  })
})

describe('why the line gave reorder, as a code', () => {
  it('names the dial plan’s refusals (a service, the operator) and the lapsed service', () => {
    const { calls } = controller()
    calls.handle({ type: 'offHook' })
    for (const key of '411') calls.handle({ type: 'digit', key })
    expect(calls.callState).toMatchObject({ phase: 'reorder', why: 'notOffered' })
    calls.handle({ type: 'onHook' })
    expect(calls.callState.why).toBeNull()
    calls.handle({ type: 'service', lapsed: true })
    calls.handle({ type: 'offHook' })
    for (const key of '2125550101') calls.handle({ type: 'digit', key })
    expect(calls.callState).toMatchObject({ phase: 'reorder', why: 'serviceLapsed' })
    calls.handle({ type: 'onHook' })
    calls.handle({ type: 'service', lapsed: false })
    calls.handle({ type: 'offHook' })
    for (const key of '02') calls.handle({ type: 'digit', key })
    expect(calls.callState.why).toBe('notOffered')
  })
})
