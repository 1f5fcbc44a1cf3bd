/**
 * Rings the phone to the tone plan's cadence (US: 2 s on, 4 s off; CEPT: 1 s on, 4 s off) through the dongle
 * driver's ring capability, and sends on-hook caller ID in the first silence: it starts 500 ms after the first
 * ring ends and must be done 200 ms before the second (GR-30-CORE); at 1200 baud a full MDMF message takes about
 * 0.5 s, which fits both plans. The audio itself is the MediaEngine's to play (phone.callerId carries the bytes).
 */
import { type CallerInfo, mdmf } from '../../shared/telephony/caller-id'

export interface RingerPorts {
  /** Switches the ringer of every attached phone. */
  readonly ring: (on: boolean) => Promise<void>
  /** Sends the caller-ID message now (the MediaEngine modulates and plays it on the dongle's line). */
  readonly callerId: (message: Uint8Array) => void
  readonly cadence: () => readonly (readonly [number, number])[]
  readonly log: (message: string) => void
}

export const CALLER_ID_DELAY_MS = 500

export class Ringer {
  private timers: NodeJS.Timeout[] = []
  private ringing = false

  constructor(private readonly p: RingerPorts) {}

  get active(): boolean {
    return this.ringing
  }

  start(callerId?: CallerInfo): void {
    this.stop()
    this.ringing = true
    const cadence = this.p.cadence()
    const period = cadence.reduce((s, [on, off]) => s + on + off, 0)
    let at = 0
    const schedule = (ms: number, fn: () => void) => {
      const t = setTimeout(fn, ms)
      t.unref?.()
      this.timers.push(t)
    }
    const cycle = () => {
      if (!this.ringing) return
      at = 0
      for (const [on, off] of cadence) {
        // The first step now, not a timer tick later, so the cadence does not drift a millisecond per cycle.
        if (at === 0) this.switch(true)
        else schedule(at, () => this.switch(true))
        schedule(at + on, () => this.switch(false))
        at += on + off
      }
      schedule(period, cycle)
    }
    cycle()
    const first = cadence[0]
    if (callerId && first && first[1] >= CALLER_ID_DELAY_MS + 700)
      schedule(first[0] + CALLER_ID_DELAY_MS, () => {
        if (this.ringing) this.p.callerId(mdmf(callerId))
      })
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t)
    this.timers = []
    if (this.ringing) this.switch(false)
    this.ringing = false
  }

  private switch(on: boolean): void {
    void this.p.ring(on).catch((err: unknown) => this.p.log(`ringer: ${String(err)}`))
  }
}
