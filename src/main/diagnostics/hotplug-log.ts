/**
 * The live plug/unplug log for technicians watching a flaky port: every attach, detach and device error
 * with its time, kept in the store for the last day (so it survives a restart of the app) and announced
 * over the contract as it happens.
 */
import type { HotplugEvent } from '../../shared/diagnostics/observations'
import { hotplugEventSchema } from '../../shared/diagnostics/schema'
import type { DeviceChanged } from '../../shared/ipc/device'
import type { EventBus } from '../ipc/event-bus'
import type { KeyValueStore } from '../store/key-value-store'

const KEY = 'diagnostics.hotplug'
export const KEEP_MS = 24 * 60 * 60 * 1000
export const KEEP_MAX = 5000

export class HotplugLog {
  private events: HotplugEvent[]

  constructor(
    private readonly store: KeyValueStore,
    private readonly bus: EventBus,
    private readonly now: () => Date = () => new Date()
  ) {
    const stored = store.get(KEY)
    const parsed = Array.isArray(stored) ? stored.filter((e) => hotplugEventSchema.safeParse(e).success) : []
    this.events = this.trim(parsed as HotplugEvent[])
  }

  /** Follows device.changed: an attach or detach of a dongle, or a device entering the error state. */
  follow(): () => void {
    const errored = new Set<string>()
    return this.bus.subscribe((name, payload) => {
      if (name !== 'device.changed') return
      const p = payload as DeviceChanged
      const id = p.change.id
      if (p.change.kind === 'attached' || p.change.kind === 'detached') {
        this.record({ kind: p.change.kind === 'attached' ? 'attach' : 'detach', deviceId: id, detail: null })
        errored.delete(id)
      }
      const device = p.devices.find((d) => d.id === id)
      if (device?.state === 'error' && device.problem && !errored.has(id)) {
        errored.add(id)
        // The code for the screen to word, the sentence (main's English or the OS's) for the report and support.
        this.record({
          kind: 'error',
          deviceId: id,
          problem: device.problem.code,
          detail: `${device.problem.code}: ${device.problem.message}`
        })
      }
    })
  }

  record(e: Omit<HotplugEvent, 'time'>): void {
    const event: HotplugEvent = { time: this.now().toISOString(), ...e }
    this.events = this.trim([...this.events, event])
    this.store.set(KEY, this.events)
    this.bus.emit('diagnostics.event', event)
  }

  list(): HotplugEvent[] {
    return this.trim(this.events)
  }

  private trim(events: HotplugEvent[]): HotplugEvent[] {
    const since = this.now().getTime() - KEEP_MS
    return events.filter((e) => Date.parse(e.time) >= since).slice(-KEEP_MAX)
  }
}
