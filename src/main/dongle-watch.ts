/**
 * Watches for the dongle trouble a person should hear about even with the window closed: a dongle that was set up
 * on this computer has not appeared within a minute of start (or login, when the app starts with it), or a dongle
 * keeps dropping out (FLAP_THRESHOLD disconnects within FLAP_WINDOW_MS, the diagnostics' own reconnect-loop rule).
 * Either is reported once (dropouts again only after a quiet spell) as a `device.trouble` event, which the hosts
 * turn into a desktop notification that opens Diagnostics. Plain Node with injectable time, so it is unit tested.
 */
import { FLAP_THRESHOLD, FLAP_WINDOW_MS } from '../shared/diagnostics/rules'
import { VIRTUAL_DEVICE_ID } from '../shared/ipc/device'
import type { PayloadOf } from '../shared/ipc/contract'

export type DongleTrouble = PayloadOf<'device.trouble'>

export interface DongleWatchOptions {
  /** How long after start a set-up dongle may take to appear. */
  readonly missingAfterMs?: number
  /** After a dropout notice, how long before another one. */
  readonly quietMs?: number
  readonly now?: () => number
}

export const MISSING_AFTER_MS = 60_000
const QUIET_MS = 10 * 60_000

export class DongleWatch {
  private missingTimer: ReturnType<typeof setTimeout> | null = null
  private detaches: number[] = []
  private lastDropoutNotice = -Infinity
  private readonly o: Required<DongleWatchOptions>

  constructor(
    /** Whether any real (not virtual) dongle finished its setup on this computer. */
    private readonly wasSetUp: () => boolean,
    /** Whether a real dongle is plugged in now. */
    private readonly present: () => boolean,
    private readonly report: (t: DongleTrouble) => void,
    options: DongleWatchOptions = {}
  ) {
    this.o = {
      missingAfterMs: options.missingAfterMs ?? MISSING_AFTER_MS,
      quietMs: options.quietMs ?? QUIET_MS,
      now: options.now ?? Date.now
    }
  }

  /** The app started (at login or by hand): a set-up dongle has a minute to appear. */
  start(): void {
    this.stopMissing()
    if (!this.wasSetUp()) return
    this.missingTimer = setTimeout(() => {
      this.missingTimer = null
      if (this.wasSetUp() && !this.present()) this.report({ kind: 'missing', count: 0 })
    }, this.o.missingAfterMs)
    this.missingTimer.unref?.()
  }

  /** A device.changed event: an attach ends the wait; a real dongle's detach counts towards dropouts. */
  changed(change: { readonly kind: string; readonly id: string }): void {
    if (change.id === VIRTUAL_DEVICE_ID) return
    if (change.kind === 'attached') this.stopMissing()
    if (change.kind !== 'detached') return
    const now = this.o.now()
    this.detaches = [...this.detaches.filter((t) => now - t <= FLAP_WINDOW_MS), now]
    if (this.detaches.length >= FLAP_THRESHOLD && now - this.lastDropoutNotice >= this.o.quietMs) {
      this.lastDropoutNotice = now
      this.report({ kind: 'dropouts', count: this.detaches.length })
    }
  }

  private stopMissing(): void {
    if (this.missingTimer) clearTimeout(this.missingTimer)
    this.missingTimer = null
  }

  dispose(): void {
    this.stopMissing()
  }
}
