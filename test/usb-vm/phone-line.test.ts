/**
 * The analog line driven by real hardware events: the gadget's handset and keypad, through the real kernel,
 * node-hid and the app's DeviceManager, drive the phone's CallController (the line state machine and its
 * effects): lift -> dial tone, keys -> digits collected, the 10th digit -> the call is placed, hang up -> idle.
 * The guest has no SIP server (it has no network), so the placed call fails to reorder with its reason; calls
 * through Kamailio are covered by test/integration/phone and test/media.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { EventBus } from '../../src/main/ipc/event-bus'
import { silentLogger } from '../../src/main/log/logger'
import { CallController } from '../../src/main/phone/call-controller'
import { TONE_PLANS } from '../../src/main/phone/tone-plans'
import { memoryStore } from '../../src/main/store/key-value-store'
import type { PayloadOf } from '../../src/shared/ipc/contract'
import type { CallState } from '../../src/shared/ipc/phone'
import { Gadget } from './rig/gadget'
import { type Key, tigerjetProfile } from './rig/profiles'
import { waitFor } from './rig/wait'
import { realDeviceManager } from './rig/manager'

const bus = new EventBus(silentLogger())
const tones: (string | null)[] = []
const manager = realDeviceManager(bus, { identifyTimeoutMs: 10_000 })
const calls = new CallController({
  ua: () => null,
  domain: () => null,
  events: bus,
  log: silentLogger(),
  store: memoryStore(),
  ring: async () => undefined,
  isBlocked: () => false,
  tonePlan: () => TONE_PLANS.us
})
bus.subscribe((name, payload) => {
  if (name === 'phone.tone') tones.push((payload as PayloadOf<'phone.tone'>).tone)
  if (name !== 'device.phoneEvent') return
  // What PhoneService.deviceEvent does with a dongle's events.
  const e = (payload as PayloadOf<'device.phoneEvent'>).event
  if (e.type === 'hook') calls.handle({ type: e.offHook ? 'offHook' : 'onHook' })
  else if (e.type === 'digit') calls.handle({ type: 'digit', key: e.digit })
  else if (e.type === 'flash') calls.handle({ type: 'flash' })
})

const tigerjet = new Gadget(tigerjetProfile(), 'dummy_udc.0')
const line = (): CallState => calls.callState
const reach = (what: string, ok: (s: CallState) => boolean): Promise<CallState> =>
  waitFor(what, () => (ok(line()) ? line() : undefined), 5000)

before(async () => {
  tigerjet.create().bind()
  manager.start()
  await waitFor('TigerJet ready', () => manager.list().devices.find((d) => d.state === 'ready'), 20_000)
})
after(async () => {
  calls.dispose()
  await manager.dispose()
  tigerjet.destroy()
})

/** A key press as the handset reports it: down, then up. */
async function press(key: Key): Promise<void> {
  await tigerjet.handset({ offHook: true, key })
  await tigerjet.handset({ offHook: true })
}

describe('the analog line on the real USB stack', () => {
  it('gives dial tone when the handset is lifted', async () => {
    await tigerjet.handset({ offHook: true })
    const s = await reach('dial tone', (x) => x.phase === 'dialTone')
    assert.equal(s.offHook, true)
    assert.equal(tones.at(-1), 'dial')
  })

  it('collects the keyed number and places the call on the tenth digit', async () => {
    const number = '2125550142'
    const keys = [...number] as Key[]
    await press(keys[0] ?? '2')
    const first = await reach('collecting', (x) => x.phase === 'collecting')
    assert.equal(first.digits, '2')
    assert.equal(tones.at(-1), null, 'the first digit silences the dial tone')
    for (const key of keys.slice(1)) await press(key)
    // No SIP line in the guest: the placed call fails at once, with the number it was placed to.
    const s = await reach('the call placed and refused', (x) => x.phase === 'reorder')
    assert.equal(s.digits, number)
    assert.equal(tones.at(-1), 'reorder')
  })

  it('goes idle and silent when the handset is hung up', async () => {
    await tigerjet.handset({ offHook: false })
    const s = await reach('idle', (x) => x.phase === 'idle')
    assert.equal(s.offHook, false)
    assert.equal(tones.at(-1), null)
  })
})
