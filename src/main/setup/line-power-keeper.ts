/**
 * Keeps the phone line powered on a dongle whose setup is done. The setup's initialise step switches line power
 * on once, but a finished setup never runs again, while a dongle loses it at every unplug and every app stop (the
 * TigerJet's control register starts cleared; the virtual dongle is made anew). So each time such a dongle's
 * driver is ready (at start and at every re-plug), its line is powered again, once per attach.
 */
import type { Device, DeviceChanged } from '../../shared/ipc/device'

export interface LinePowerKeeperPorts {
  readonly device: (id: string) => Device | null
  readonly setupDone: (id: string) => boolean
  readonly linePower: (id: string, on: boolean) => Promise<void>
  readonly warn: (err: unknown, id: string) => void
}

export class LinePowerKeeper {
  /** Dongles powered since they were last attached (or asked, while the request is in flight). */
  private readonly powered = new Set<string>()

  constructor(private readonly p: LinePowerKeeperPorts) {}

  /** A device.changed event: a detach forgets the dongle; any other change powers it if it is due. */
  changed(change: DeviceChanged['change']): void {
    if (change.kind === 'detached') {
      this.powered.delete(change.id)
      return
    }
    this.check(change.id)
  }

  private check(id: string): void {
    const d = this.p.device(id)
    if (!d || this.powered.has(id) || !this.p.setupDone(id)) return
    // Only a dongle whose driver is open can switch; 'in-use' is a call already going (powered by then); a line
    // already powered (the setup's own initialise step just did it) needs nothing.
    if (d.state !== 'ready' || d.capabilities?.linePower !== true || d.line.linePower) return
    this.powered.add(id)
    this.p.linePower(id, true).catch((err: unknown) => {
      // Tried again at the dongle's next change (a re-plug, or its driver reporting in).
      this.powered.delete(id)
      this.p.warn(err, id)
    })
  }
}
