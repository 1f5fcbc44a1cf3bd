/**
 * The setup's power step in the app, on the diagnostics' real verdict: a dongle that keeps dropping out of its
 * port (the plug/unplug log the Diagnostics page keeps, across restarts) stops the setup at the power step with the verdict's code
 * and "try a port on the computer itself"; plugged into another port, the dongle's setup passes the power step and
 * goes on by itself. And a dongle set up before, missing after start, is told (device.trouble).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { describeDevice } from '../../src/main/device/usb-libusb'
import { call } from '../../src/main/ipc/dispatcher'
import { memoryStore } from '../../src/main/store/key-value-store'
import type { PayloadOf } from '../../src/shared/ipc/contract'
import { until } from '../support/phone-app'
import { type TestApp, testApp } from '../support/test-app'
import { recordedTigerJet } from '../support/tigerjet'

const apps: TestApp[] = []
afterEach(async () => {
  for (const a of apps.splice(0)) await a.app.dispose()
})

function brain(extra: Parameters<typeof testApp>[0] = {}): TestApp {
  // No recorded sysfs tree: the port's facts come from the USB descriptors, the history from the plug/unplug log.
  const t = testApp({ sysRoot: '/nonexistent-sysfs', powerRecheckMs: 60_000, ...extra })
  apps.push(t)
  t.app.start()
  return t
}

const setupOf = (t: TestApp, id: string) => call(t.app.dispatch, 'setup.state', { deviceId: id })

describe('the power step on the diagnostics verdict', () => {
  it('stops on a dongle dropping out of its port, and goes on when it is plugged into another', async () => {
    // The plug/unplug log (kept across restarts) shows port 1-1 dropping the dongle three times in half a minute.
    const ago = (s: number) => new Date(Date.now() - s * 1000).toISOString()
    const log = [30, 20, 10].flatMap((s) => [
      { time: ago(s + 2), kind: 'attach', deviceId: '1-1', detail: null },
      { time: ago(s), kind: 'detach', deviceId: '1-1', detail: null }
    ])
    const t = brain({ store: memoryStore({ 'diagnostics.hotplug': log }) })
    const flaky = describeDevice(recordedTigerJet(1, [1]))
    t.usb.plug(flaky)
    const stopped = await until(
      () => setupOf(t, flaky.id),
      (s) => s?.step === 'power' && s.status === 'waiting',
      5000
    )
    expect(stopped?.verdict).toBe('FLAPPING')
    expect(stopped?.message).toContain('a port on the computer itself')

    // Moved to a port on the computer itself: that port has no history, so its setup passes the power step.
    t.usb.unplug(flaky.id)
    const good = describeDevice(recordedTigerJet(1, [2]))
    t.usb.plug(good)
    const moved = await until(
      () => setupOf(t, good.id),
      (s) => (s?.results.some((r) => r.step === 'power') ?? false) && s?.status !== 'running',
      5000
    )
    expect(moved?.results.find((r) => r.step === 'power')?.outcome).toBe('done')
    expect(moved?.step).not.toBe('power')
  })

  it('tells the person when a dongle set up before has not appeared after start', async () => {
    const store = memoryStore({
      'setup.devices': {
        '1-1': {
          deviceKey: '1-1',
          step: 'registered',
          status: 'done',
          message: null,
          error: null,
          percent: 100,
          bytes: null,
          results: [],
          updatedAt: '2026-12-01T10:00:00.000Z'
        }
      }
    })
    const seen: PayloadOf<'device.trouble'>[] = []
    const t = testApp({ store, dongleMissingAfterMs: 300 })
    apps.push(t)
    t.app.events.subscribe((name, payload) => {
      if (name === 'device.trouble') seen.push(payload as PayloadOf<'device.trouble'>)
    })
    t.app.start()
    await until(
      async () => seen,
      (s) => s.length > 0,
      3000
    )
    expect(seen).toEqual([{ kind: 'missing', count: 0 }])
  })
})
